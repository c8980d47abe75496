//! The watch invariant, as a property: after any sequence of edits,
//! creations, deletions and renames of stories, outlets, templates and the
//! stylesheet, followed by an incremental rebuild, the output is
//! byte-for-byte what a fresh build of the same input writes. Sequences come from a seeded
//! generator, so a failure names the seed that reproduces it.

#[path = "common/rng.rs"]
mod rng;

use parallax::build::{build, Builder, Change, Options};
use rng::Rng;
use std::fs;
use std::path::{Path, PathBuf};

const OUTLETS: [&str; 5] = ["alpha", "beta", "gamma", "delta", "epsilon"];
const BIASES: [&str; 5] = ["left", "lean-left", "center", "right", "far-right"];
const TOPICS: [&str; 4] = ["Economy", "NATO", "Health", "Courts"];

fn outlets_yaml(rng: &mut Rng) -> String {
    let mut s = String::new();
    for o in OUTLETS {
        s.push_str(&format!("{o}:\n  name: {o} news\n"));
        if rng.below(5) > 0 {
            s.push_str(&format!("  bias: {}\n", BIASES[rng.below(BIASES.len())]));
        }
    }
    s
}

fn story_text(rng: &mut Rng, title: &str) -> String {
    let mut s = format!(
        "---\ntitle: {title}\ndate: 2025-0{}-1{}T0{}:00:00Z\n",
        1 + rng.below(9),
        rng.below(10),
        rng.below(10)
    );
    let topics: Vec<&str> = (0..rng.below(3))
        .map(|_| TOPICS[rng.below(TOPICS.len())])
        .collect();
    s.push_str(&format!("topics: [{}]\nsources:\n", topics.join(", ")));
    for k in 0..1 + rng.below(7) {
        s.push_str(&format!(
            "  - outlet: {}\n    title: Headline {k}\n    url: https://example.org/{k}\n    published: 2025-01-0{}\n",
            OUTLETS[rng.below(OUTLETS.len())],
            1 + rng.below(9)
        ));
    }
    s.push_str("---\nBody.\n");
    s
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn story_files(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("content/stories");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// One random change to the site on disk, and what a watcher would report.
fn mutate(rng: &mut Rng, root: &Path, step: usize) -> Vec<Change> {
    let stories = story_files(root);
    match rng.below(9) {
        0 | 1 if !stories.is_empty() => {
            // Edit a story: new title, topics, sources, date.
            let rel = &stories[rng.below(stories.len())];
            let text = story_text(rng, &format!("Edited {step}"));
            fs::write(root.join(rel), text).unwrap();
            vec![Change::Story(rel.clone())]
        }
        7 if !stories.is_empty() => {
            // Retitle a story, and maybe give it an `updated` date, or an
            // image of its own or take its image away (its share card goes
            // or comes, and with it one output), nothing else: where it
            // stands among the others (topics, sources, date) stays as it
            // was.
            let rel = &stories[rng.below(stories.len())];
            let text = fs::read_to_string(root.join(rel)).unwrap();
            let updated =
                (rng.below(2) == 0).then(|| format!("updated: 2025-12-2{}T00:00:00Z\n", step % 10));
            let toggle_image = rng.below(3) == 0;
            let had_image = text.contains("\nimage:");
            let image = match (toggle_image, had_image) {
                (true, false) => "image:\n  src: https://example.org/photo.jpg\n  alt: A photo\n",
                _ => "",
            };
            let retitled: String = text
                .lines()
                .filter(|l| updated.is_none() || !l.starts_with("updated: "))
                .filter(|l| {
                    !(toggle_image
                        && (l.starts_with("image:")
                            || l.starts_with("  src: ")
                            || l.starts_with("  alt: ")))
                })
                .map(|l| {
                    if l.starts_with("title: ") {
                        format!("title: Retitled {step}\n{image}")
                    } else if l.starts_with("date: ") {
                        format!("{l}\n{}", updated.as_deref().unwrap_or(""))
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            fs::write(root.join(rel), retitled).unwrap();
            vec![Change::Story(rel.clone())]
        }
        2 => {
            let rel = format!("content/stories/{}/new-{step}.md", rng.below(3));
            let text = story_text(rng, &format!("New {step}"));
            write(root, &rel, &text);
            vec![Change::StoryTree, Change::Story(rel.into())]
        }
        3 if stories.len() > 1 => {
            let rel = &stories[rng.below(stories.len())];
            fs::remove_file(root.join(rel)).unwrap();
            vec![Change::Story(rel.clone())]
        }
        4 if !stories.is_empty() => {
            // Rename: a new slug for the same text.
            let from = &stories[rng.below(stories.len())];
            let to = PathBuf::from(format!("content/stories/renamed-{step}.md"));
            fs::rename(root.join(from), root.join(&to)).unwrap();
            vec![Change::Story(from.clone()), Change::Story(to)]
        }
        5 => {
            write(root, "content/outlets.yaml", &outlets_yaml(rng));
            vec![Change::Outlets]
        }
        6 => {
            let card = if rng.below(2) == 0 {
                format!("<article class=\"card\"><h2 class=\"card-title\"><a href=\"{{{{ story.path }}}}\">{{{{ story.title }}}}</a></h2><p>v{step}</p></article>")
            } else {
                include_str!("../themes/default/templates/card.html").to_string()
            };
            write(root, "templates/card.html", &card);
            // The stylesheet's colours are the share cards' too.
            let css = include_str!("../themes/default/static/parallax.css");
            let left = format!("--left:#{:02x}4ed8", step * 20 % 256);
            write(
                root,
                "static/parallax.css",
                &css.replacen("--left:#1d4ed8", &left, 1),
            );
            vec![Change::Theme]
        }
        _ => {
            let base = include_str!("../themes/default/templates/base.html");
            write(
                root,
                "templates/base.html",
                &base.replace("</footer>", &format!("<p>edition {step}</p></footer>")),
            );
            vec![Change::Theme]
        }
    }
}

fn check_seed(seed: u64) {
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path().join("site");
    let mut rng = Rng(seed);
    write(&root, "site.yaml", "title: T\nbase_url: https://t.example.org\nstories_per_page: 3\nfeed_limit: 4\nblindspot:\n  min_sources: 2\n");
    write(&root, "content/outlets.yaml", &outlets_yaml(&mut rng));
    for i in 0..8 {
        let text = story_text(&mut rng, &format!("Story {i}"));
        write(&root, &format!("content/stories/s{i}.md"), &text);
    }
    let watched = dir.path().join("watched");
    let mut builder = Builder::new(Options {
        root: root.clone(),
        output: watched.clone(),
        base_url: None,
        drafts: false,
    });
    builder.load_all();
    builder
        .build()
        .unwrap_or_else(|e| panic!("seed {seed}: first build failed: {e:?}"));
    for step in 0..12 {
        let mut changes = mutate(&mut rng, &root, step);
        changes.sort();
        changes.dedup();
        builder.reload(&changes);
        builder
            .build()
            .unwrap_or_else(|e| panic!("seed {seed} step {step}: rebuild failed: {e:?}"));
        let fresh = dir.path().join(format!("fresh-{step}"));
        build(&Options {
            root: root.clone(),
            output: fresh.clone(),
            base_url: None,
            drafts: false,
        })
        .unwrap_or_else(|e| panic!("seed {seed} step {step}: fresh build failed: {e:?}"));
        let (a, b) = (snapshot(&watched), snapshot(&fresh));
        let names_a: Vec<&String> = a.iter().map(|f| &f.0).collect();
        let names_b: Vec<&String> = b.iter().map(|f| &f.0).collect();
        assert_eq!(
            names_a, names_b,
            "seed {seed} step {step} ({changes:?}): different files"
        );
        for (x, y) in a.iter().zip(&b) {
            assert!(
                x.1 == y.1,
                "seed {seed} step {step} ({changes:?}): {} differs from a fresh build",
                x.0
            );
        }
        fs::remove_dir_all(&fresh).unwrap();
    }
}

#[test]
fn incremental_rebuilds_equal_fresh_builds() {
    for seed in 1..=12u64 {
        check_seed(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    }
}

#[test]
fn a_bad_edit_keeps_the_last_good_output_and_the_next_good_one_recovers() {
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path().join("site");
    let mut rng = Rng(42);
    write(&root, "content/outlets.yaml", &outlets_yaml(&mut rng));
    let good = story_text(&mut rng, "Good");
    write(&root, "content/stories/a.md", &good);
    let out = dir.path().join("out");
    let mut builder = Builder::new(Options {
        root: root.clone(),
        output: out.clone(),
        base_url: None,
        drafts: false,
    });
    builder.load_all();
    builder.build().unwrap();
    let before = snapshot(&out);
    write(&root, "content/stories/a.md", "---\ntitle: Broken\n---\n");
    builder.reload(&[Change::Story("content/stories/a.md".into())]);
    assert!(builder.build().is_err());
    assert!(snapshot(&out) == before);
    write(
        &root,
        "content/stories/a.md",
        &good.replace("Good", "Fixed"),
    );
    builder.reload(&[Change::Story("content/stories/a.md".into())]);
    builder.build().unwrap();
    assert!(fs::read_to_string(out.join("stories/a/index.html"))
        .unwrap()
        .contains("Fixed"));
}

#[test]
fn switching_raw_html_reaches_every_markdown_field() {
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path().join("site");
    write(
        &root,
        "content/outlets.yaml",
        "o:\n  name: O\n  bias: center\n",
    );
    write(
        &root,
        "content/stories/a.md",
        "---\ntitle: A\ndate: 2025-05-15\nperspectives:\n  left: [\"<b>point</b>\"]\nhistory:\n  - date: 2025-05-14\n    text: \"<b>event</b>\"\nsources:\n  - outlet: o\n    title: t\n    url: https://e.org\n    published: 2025-05-15\n---\n<b>body</b>\n",
    );
    let out = dir.path().join("out");
    let options = Options {
        root: root.clone(),
        output: out.clone(),
        base_url: None,
        drafts: false,
    };
    let mut builder = Builder::new(options);
    builder.load_all();
    builder.build().unwrap();
    for allow in ["true", "false"] {
        write(&root, "site.yaml", &format!("allow_raw_html: {allow}\n"));
        builder.reload(&[Change::Everything]);
        builder.build().unwrap();
        let fresh = dir.path().join(format!("fresh-{allow}"));
        build(&Options {
            root: root.clone(),
            output: fresh.clone(),
            base_url: None,
            drafts: false,
        })
        .unwrap();
        assert!(
            snapshot(&out) == snapshot(&fresh),
            "allow_raw_html: {allow}"
        );
        let page = fs::read_to_string(out.join("stories/a/index.html")).unwrap();
        assert_eq!(page.contains("<b>event</b>"), allow == "true");
    }
}
