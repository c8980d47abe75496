//! The watch invariant, as a property: after any sequence of changes to a
//! site, watch mode's rebuild leaves exactly the output (every file, every
//! folder, byte for byte) that a cold build of the same input writes into a
//! new folder (a new Builder that uses no cache folder). So does a
//! one-off `parallax build` with a warm cache folder (the saved render memo).
//!
//! Each step is a burst of changes drawn from every kind of input (see
//! `common/sitegen.rs`), made on disk; the builder is fed the `Change`s that
//! `parallax::watch::classify` makes of the paths touched, sorted and
//! deduplicated as the watch loop does, and is set up as watch mode sets it
//! up (`with_cache(false)`: the cache folder for validated stories, no saved
//! memo), except that it builds the search index with the pages, as a
//! one-off build does, rather than in the background: so `pagefind/` is
//! compared too. A bad edit must fail both builds and leave both outputs as
//! they were; the next step fixes it. A failure names the seed and step.
//!
//! `cargo test` runs 64 seeds of 24 steps; PARALLAX_PROPTEST_SEEDS and
//! PARALLAX_PROPTEST_STEPS run more (PARALLAX_PROPTEST_SEED=N runs that seed
//! alone).

#[path = "common/rng.rs"]
mod rng;
#[path = "common/sitegen.rs"]
mod sitegen;

use parallax::build::{build, Builder, Change, Options};
use parallax::watch::classify;
use sitegen::{tree, tree_difference, Gen};
use std::path::{Path, PathBuf};

type Tree = Vec<(String, Option<Vec<u8>>)>;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the watch loop makes of a burst of touched paths.
fn changes_of(root: &Path, output: &Path, touched: &[PathBuf]) -> Vec<Change> {
    let mut changes: Vec<Change> = touched
        .iter()
        .filter_map(|p| classify(root, output, p))
        .collect();
    changes.sort();
    changes.dedup();
    changes
}

/// A cold build: a new Builder, with no cache folder at all and nothing in
/// memory, into a new output folder. The tree it wrote, or None if the
/// build failed.
fn cold(root: &Path, scratch: &Path, drafts: bool) -> Option<Tree> {
    let out = scratch.join("cold-out");
    let mut builder = Builder::new(Options {
        root: root.to_path_buf(),
        output: out.clone(),
        base_url: None,
        drafts,
    });
    builder.load_all();
    let tree = builder.build().is_ok().then(|| tree(&out));
    let _ = std::fs::remove_dir_all(&out);
    tree
}

fn check_seed(seed: u64, steps: u64) {
    let dir = tempfile::TempDir::new().unwrap();
    let scratch = dir.path().canonicalize().unwrap();
    let root = scratch.join("site");
    let drafts = seed.is_multiple_of(3);
    let mut gen = Gen::new(seed, &root, 8);
    // Watch mode's own defaults: public/ inside the site (so classify must
    // ignore it), and the Builder as `watch::Watch::new` makes it.
    let watched = root.join("public");
    let options = |output: &Path| Options {
        root: root.clone(),
        output: output.to_path_buf(),
        base_url: None,
        drafts,
    };
    let mut builder = Builder::new(options(&watched)).with_cache(false);
    builder.load_all();
    builder
        .build()
        .unwrap_or_else(|e| panic!("seed {seed}: first build failed: {e:?}"));
    // A one-off build's output beside it, rebuilt each step with the warm
    // cache folder (and its saved render memo).
    let one_off = root.join("one-off");
    build(&options(&one_off)).unwrap_or_else(|e| panic!("seed {seed}: first one-off build: {e:?}"));
    let mut last_good = tree(&watched);
    let mut history: Vec<String> = Vec::new();
    for step in 0..steps {
        let mutation = gen.step();
        let touched = gen.take_touched();
        let changes = changes_of(&root, &watched, &touched);
        history.push(format!(
            "step {step}: {} -> {changes:?}",
            mutation.what.join("; ")
        ));
        let context = || {
            format!(
                "seed {seed} (drafts: {drafts}) step {step}\n{}",
                history.join("\n")
            )
        };

        builder.reload(&changes);
        let incremental = builder.build();
        let one_off_before = tree(&one_off);
        let warm = build(&options(&one_off));
        let expected = cold(&root, &scratch, drafts);
        match (&expected, &incremental) {
            (None, Err(_)) => {
                assert!(
                    tree(&watched) == last_good,
                    "{}\na failed rebuild changed the output",
                    context()
                );
                assert!(warm.is_err(), "{}\nthe one-off build succeeded", context());
                assert!(
                    tree(&one_off) == one_off_before,
                    "{}\na failed one-off build changed its output",
                    context()
                );
            }
            (Some(expected), Ok(_)) => {
                assert!(!mutation.bad, "{}\na bad edit built", context());
                let now = tree(&watched);
                if let Some(diff) = tree_difference(&now, expected) {
                    panic!("{}\nwatched output against a cold build: {diff}", context());
                }
                assert!(
                    warm.is_ok(),
                    "{}\none-off build failed: {warm:?}",
                    context()
                );
                if let Some(diff) = tree_difference(&tree(&one_off), expected) {
                    panic!(
                        "{}\none-off build with a warm cache against a cold build: {diff}",
                        context()
                    );
                }
                last_good = now;
            }
            (None, Ok(_)) => panic!("{}\nthe rebuild succeeded, a cold build fails", context()),
            (Some(_), Err(e)) => panic!(
                "{}\nthe rebuild failed, a cold build succeeds: {e:?}",
                context()
            ),
        }
        assert!(
            mutation.bad || expected.is_some(),
            "{}\nthe generator made a bad site by accident",
            context()
        );
    }
    if std::env::var_os("PARALLAX_PROPTEST_VERBOSE").is_some() {
        eprintln!("seed {seed} (drafts: {drafts})\n{}", history.join("\n"));
    }
}

/// Seeds `first..=last` (of those this run covers), in one test.
fn seeds(part: u64, parts: u64) {
    if let Some(only) = std::env::var("PARALLAX_PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        if part == 0 {
            check_seed(only, env_number("PARALLAX_PROPTEST_STEPS", 24));
        }
        return;
    }
    let count = env_number("PARALLAX_PROPTEST_SEEDS", 64);
    let steps = env_number("PARALLAX_PROPTEST_STEPS", 24);
    for n in (1..=count).filter(|n| n % parts == part) {
        check_seed(n.wrapping_mul(0x9e37_79b9_7f4a_7c15), steps);
    }
}

// Four tests, so that the seeds run on every core.
#[test]
fn incremental_rebuilds_equal_cold_builds_part_1() {
    seeds(0, 4);
}
#[test]
fn incremental_rebuilds_equal_cold_builds_part_2() {
    seeds(1, 4);
}
#[test]
fn incremental_rebuilds_equal_cold_builds_part_3() {
    seeds(2, 4);
}
#[test]
fn incremental_rebuilds_equal_cold_builds_part_4() {
    seeds(3, 4);
}

#[test]
fn switching_raw_html_reaches_every_markdown_field() {
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path().join("site");
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("content/outlets.yaml", "o:\n  name: O\n  bias: center\n");
    write(
        "content/stories/a.md",
        "---\ntitle: A\ndate: 2025-05-15\nperspectives:\n  left: [\"<b>point</b>\"]\nhistory:\n  - date: 2025-05-14\n    text: \"<b>event</b>\"\nsources:\n  - outlet: o\n    title: t\n    url: https://e.org\n    published: 2025-05-15\n---\n<b>body</b>\n",
    );
    let out = dir.path().join("out");
    let mut builder = Builder::new(Options {
        root: root.clone(),
        output: out.clone(),
        base_url: None,
        drafts: false,
    })
    .with_cache(false);
    builder.load_all();
    builder.build().unwrap();
    for allow in ["true", "false"] {
        write("site.yaml", &format!("allow_raw_html: {allow}\n"));
        builder.reload(&changes_of(&root, &out, &[root.join("site.yaml")]));
        builder.build().unwrap();
        let expected = cold(&root, dir.path(), false).expect("a cold build");
        assert!(tree(&out) == expected, "allow_raw_html: {allow}");
        let page = std::fs::read_to_string(out.join("stories/a/index.html")).unwrap();
        assert_eq!(page.contains("<b>event</b>"), allow == "true");
    }
}
