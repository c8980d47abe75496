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
    let error = watch.wait_line("the error report", |l| {
        l.starts_with("error: content/stories/a.md:4:1: ")
    });
    assert!(
        error.starts_with("error: content/stories/a.md:4:1: unknown key 'sorces'"),
        "{error}"
    );
    watch.wait_line("the note that the old output stays", |l| {
        l.contains("the last good output stays")
    });
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
