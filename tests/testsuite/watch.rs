//! `parallax watch` as a process: edits made the ways editors make them show
//! up in the output (waited for with a generous timeout, never timed),
//! temporary files and the output are ignored, a bad edit is reported and
//! recovered from.

use crate::support::*;

fn read_output(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.path("public").join(rel)).unwrap_or_default()
}

/// A site with one story ("Alpha", a.md) and `parallax watch` running on it,
/// past its first build.
fn watching_one_story() -> (TestSite, Running) {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("Alpha", "2025-05-15", &["left-daily"]),
    );
    let watch = Running::start(&site, &["watch"]);
    watch.wait_line("the first build", |l| l.starts_with("built in"));
    (site, watch)
}

#[test]
fn edits_of_every_kind_reach_the_output() {
    let (site, watch) = watching_one_story();
    assert!(site.exists("stories/a/index.html"));

    // In place.
    site.write(
        "content/stories/a.md",
        &story("Alpha two", "2025-05-15", &["left-daily"]),
    );
    wait_for("an in-place edit", || {
        read_output(&site, "stories/a/index.html").contains("Alpha two")
    });

    // Save by rename, as many editors do: write a temporary file, then
    // rename it over the story.
    site.write(
        "content/stories/.a.md.tmp",
        &story("Alpha three", "2025-05-15", &["left-daily"]),
    );
    std::fs::rename(
        site.path("content/stories/.a.md.tmp"),
        site.path("content/stories/a.md"),
    )
    .unwrap();
    wait_for("a save by rename", || {
        read_output(&site, "stories/a/index.html").contains("Alpha three")
    });

    // A new folder with a new story in it.
    site.write(
        "content/stories/2026/01/b.md",
        &story("Bravo", "2026-01-01", &["center-wire"]),
    );
    wait_for("a story in a new folder", || {
        read_output(&site, "index.html").contains("Bravo")
    });

    // Deleting a story removes its outputs.
    std::fs::remove_file(site.path("content/stories/2026/01/b.md")).unwrap();
    wait_for("a deletion", || !site.exists("stories/b/index.html"));

    // An outlet's rating changes every story that cites it.
    site.write(
        "content/outlets.yaml",
        &OUTLETS.replacen("bias: left", "bias: right", 1),
    );
    wait_for("an outlet change", || {
        read_output(&site, "stories/a/index.json").contains("\"right\":1")
    });

    // A template created in the site's templates/ folder.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Gone fishing</h1>{% endblock main %}",
    );
    wait_for("a template change", || {
        read_output(&site, "404.html").contains("Gone fishing")
    });

    // Editor litter never triggers a rebuild.
    let before = watch.settled_rebuilds();
    for litter in [
        "content/stories/.a.md.swp",
        "content/stories/a.md~",
        "content/stories/4913",
        "content/stories/#a.md#",
        "content/stories/a.md___jb_tmp___",
    ] {
        site.write(litter, "junk");
    }
    site.write("public/stray.txt", "written into the output");
    site.write(
        "content/stories/a.md",
        &story("Alpha four", "2025-05-15", &["left-daily"]),
    );
    wait_for("the real edit after the litter", || {
        read_output(&site, "stories/a/index.html").contains("Alpha four")
    });
    let after = watch.settled_rebuilds();
    // The real edit may arrive as one burst of events or two; the litter
    // must cause none.
    let log = watch.log();
    let since: Vec<&String> = log
        .iter()
        .filter(|l| l.starts_with("rebuilt"))
        .skip(before)
        .collect();
    assert!(
        after > before,
        "the real edit was not rebuilt:\n{}",
        log.join("\n")
    );
    assert!(
        since
            .iter()
            .all(|l| l.contains("after content/stories/a.md:")),
        "litter caused rebuilds:\n{}",
        log.join("\n")
    );

    let status = watch.stop();
    assert!(status.success(), "Ctrl-C exits 0: {status:?}");
    assert!(
        site.exists("stories/a/index.html"),
        "the output is complete after Ctrl-C"
    );
}

#[test]
fn a_bad_edit_is_reported_and_the_next_good_save_recovers() {
    let (site, watch) = watching_one_story();
    let good = snapshot(&site.path("public"));

    site.write(
        "content/stories/a.md",
        "---\ntitle: Alpha\ndate: 2025-05-15\nsorces: []\n---\n",
    );
    watch.wait_line("the note that the old output stays", |l| {
        l.contains("the last good output stays")
    });
    // The whole report, every line in order: each error with its code
    // frame, the count, the note.
    let log = watch.log();
    let first = log.iter().position(|l| l.starts_with("error: ")).unwrap();
    assert_eq!(
        log[first..],
        [
            "error: content/stories/a.md:2:1: missing key 'sources' (expected a list of at least one source)".to_string(),
            "  |".into(),
            "2 | title: Alpha".into(),
            "  | ^^^^^".into(),
            "error: content/stories/a.md:4:1: unknown key 'sorces' (expected one of: title, summary, date, updated, slug, draft, topics, location, image, ai_summary, perspectives, sources, faq, history, corrections, related)".into(),
            "  |".into(),
            "4 | sorces: []".into(),
            "  | ^^^^^^".into(),
            "  |".into(),
            "  = help: did you mean 'sources'?".into(),
            "2 errors in 1 file; nothing was written".into(),
            format!(
                "the last good output stays in {}; waiting for the next save",
                site.path("public").display()
            ),
        ],
        "{log:#?}"
    );
    assert!(
        snapshot(&site.path("public")) == good,
        "a bad edit must not touch the output"
    );

    site.write(
        "content/stories/a.md",
        &story("Alpha fixed", "2025-05-15", &["left-daily"]),
    );
    wait_for("recovery", || {
        read_output(&site, "stories/a/index.html").contains("Alpha fixed")
    });
    assert!(watch.stop().success());
}

#[test]
fn files_someone_else_put_in_the_output_stay_under_watch() {
    // The build deletes only paths listed in the previous manifest
    // (docs/content.md, "Output"): a stray file is not the build's.
    let (site, watch) = watching_one_story();
    site.write("public/stray.txt", "not ours");
    site.write("public/stories/a/notes.txt", "not ours either");
    site.write(
        "content/stories/b.md",
        &story("Bravo", "2025-05-16", &["center-wire"]),
    );
    wait_for("the new story", || site.exists("stories/b/index.html"));
    // Deleting the story removes its outputs, not the stray file beside them.
    site.remove("content/stories/a.md");
    wait_for("the deletion", || !site.exists("stories/a/index.html"));
    assert!(watch.stop().success());
    assert!(!site.exists("stories/a/index.json"));
    assert_eq!(read_output(&site, "stray.txt"), "not ours");
    assert_eq!(read_output(&site, "stories/a/notes.txt"), "not ours either");
    // Nor does a one-off build afterwards.
    site.build_ok();
    assert_eq!(read_output(&site, "stray.txt"), "not ours");
    assert_eq!(read_output(&site, "stories/a/notes.txt"), "not ours either");
}

#[test]
fn watch_repairs_a_same_size_hand_edit_when_it_renders_the_page_again() {
    let (site, watch) = watching_one_story();
    let good = read_output(&site, "stories/a/index.html");
    let edited = good.replacen("<h1", "<h2", 1);
    assert_eq!(edited.len(), good.len());
    site.write("public/stories/a/index.html", &edited);
    // A change to the story that renders its page to the very same bytes
    // (a YAML comment): the page on disk is compared with them, not just
    // its size.
    let text = std::fs::read_to_string(site.path("content/stories/a.md")).unwrap();
    site.write(
        "content/stories/a.md",
        &text.replacen("---\n", "---\n# a comment\n", 1),
    );
    wait_for("the repair", || {
        read_output(&site, "stories/a/index.html") == good
    });
    // Pages watch mode does not render again are its own while it runs
    // (docs/watch.md); a new watch repairs them at its first build.
    site.write("public/stories/a/index.html", &edited);
    assert!(watch.stop().success());
    let watch = Running::start(&site, &["watch"]);
    watch.wait_line("the first build", |l| l.starts_with("built in"));
    assert_eq!(read_output(&site, "stories/a/index.html"), good);
    assert!(watch.stop().success());
}

/// The pages Pagefind's entry file counts, once the index it names is all
/// there (its metadata file beside it); `None` before.
fn indexed_pages(site: &TestSite) -> Option<u64> {
    let entry = read_output(site, "pagefind/pagefind-entry.json");
    let entry: serde_json::Value = serde_json::from_str(&entry).ok()?;
    let mut pages = 0;
    for language in entry["languages"].as_object()?.values() {
        let meta = format!("pagefind/pagefind.{}.pf_meta", language["hash"].as_str()?);
        if !site.exists(&meta) {
            return None;
        }
        pages += language["page_count"].as_u64()?;
    }
    Some(pages)
}

#[test]
fn the_search_index_follows_the_stories_in_the_background() {
    let (site, watch) = watching_one_story();
    wait_for("the first index", || indexed_pages(&site) == Some(1));
    site.write(
        "content/stories/b.md",
        &story("Bravo", "2026-01-01", &["center-wire"]),
    );
    wait_for("an index with the new story", || {
        indexed_pages(&site) == Some(2)
    });
    std::fs::remove_file(site.path("content/stories/a.md")).unwrap();
    wait_for("an index without the deleted story", || {
        indexed_pages(&site) == Some(1)
    });
    assert!(
        !watch.log().iter().any(|line| line.starts_with("error")),
        "{:?}",
        watch.log()
    );
}
