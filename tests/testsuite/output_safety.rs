//! The output folder: refused when it is the site, inside content/, or a
//! folder parallax did not make; a rebuild removes only what the previous
//! build wrote, never a file someone else put there.

use crate::support::*;

fn refused(site: &TestSite, output: &std::path::Path) -> String {
    let assert = site
        .cmd(&["build", "--output", output.to_str().unwrap()])
        .assert()
        .code(2);
    stderr(&assert)
}

#[test]
fn refuses_the_site_root_content_and_foreign_folders() {
    let site = TestSite::with_one_story();
    assert!(refused(&site, site.root()).contains("it is the site root"));
    assert!(refused(&site, &site.path("content/out")).contains("inside content/"));
    assert!(refused(&site, &site.path("static")).contains("inside static/"));
    site.write("mine/notes.txt", "my notes");
    assert!(refused(&site, &site.path("mine")).contains("was not made by parallax"));
    assert_eq!(
        std::fs::read_to_string(site.path("mine/notes.txt")).unwrap(),
        "my notes"
    );
    // An ancestor of the site.
    assert!(refused(&site, site.root().parent().unwrap()).contains("contains the site"));
    // An empty folder is fine.
    std::fs::create_dir_all(site.path("empty")).unwrap();
    site.cmd(&["build", "--output", site.path("empty").to_str().unwrap()])
        .assert()
        .success();
    assert!(site.path("empty/index.html").exists());
}

#[test]
fn rebuild_removes_only_its_own_stale_files() {
    let site = TestSite::with_one_story();
    site.write(
        "content/stories/b.md",
        &story("B", "2025-05-16", &["left-daily"]),
    );
    site.build_ok();
    assert!(site.exists("stories/b/index.html"));
    site.write("public/CNAME", "briefs.example.org\n");
    site.write("public/stories/b/notes.txt", "kept\n");
    site.remove("content/stories/b.md");
    site.build_ok();
    assert!(!site.exists("stories/b/index.html"));
    assert!(!site.exists("stories/b/index.json"));
    assert_eq!(site.read("CNAME"), "briefs.example.org\n");
    assert_eq!(site.read("stories/b/notes.txt"), "kept\n");
    // The story reappears under a new name.
    site.write(
        "content/stories/c.md",
        &story("C", "2025-05-17", &["left-daily"]),
    );
    site.build_ok();
    assert!(site.exists("stories/c/index.html"));
}

#[test]
fn a_hand_edited_output_file_is_restored() {
    let site = TestSite::with_one_story();
    site.build_ok();
    let good = site.read("stories/a/index.html");
    site.write("public/stories/a/index.html", "vandalised");
    site.build_ok();
    assert_eq!(site.read("stories/a/index.html"), good);
}

#[test]
fn a_static_file_may_not_take_a_page_path_on_a_rebuild_either() {
    let site = TestSite::with_one_story();
    site.build_ok();
    let feed = site.read("feed.xml");
    site.write("static/feed.xml", "STATIC");
    let assert = site.build().code(1);
    assert!(
        stderr(&assert).contains("feed.xml: two outputs want this path"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(site.read("feed.xml"), feed, "the output is left as it was");
}

#[test]
fn a_path_that_was_a_file_can_become_a_folder_and_back() {
    let site = TestSite::with_one_story();
    site.write("static/docs", "a file");
    site.build_ok();
    site.remove("static/docs");
    site.write(
        "content/pages/docs.md",
        "---\ntitle: Docs\n---\nNow a page.\n",
    );
    site.build_ok();
    assert!(site.read("docs/index.html").contains("Now a page."));
    site.remove("content/pages/docs.md");
    site.write("static/docs", "a file again");
    site.build_ok();
    assert_eq!(site.read("docs"), "a file again");
}

#[test]
fn a_mistyped_root_is_bad_usage() {
    let dir = tempfile::TempDir::new().unwrap();
    let missing = dir.path().join("no-such-site");
    for command in ["build", "check"] {
        let mut cmd = assert_cmd::Command::cargo_bin("parallax").unwrap();
        cmd.arg("--root")
            .arg(&missing)
            .arg(command)
            .assert()
            .code(2);
        assert!(!missing.exists(), "{command} created the folder");
    }
}

/// A copy of `bytes` of the same size with one letter of `needle` changed.
fn same_size_edit(text: &str, needle: &str) -> String {
    let at = text.find(needle).expect("needle") + needle.len() - 1;
    let mut edited = text.to_string();
    let old = &text[at..at + 1];
    edited.replace_range(at..at + 1, if old == "X" { "Y" } else { "X" });
    assert_eq!(edited.len(), text.len());
    edited
}

#[test]
fn a_same_size_hand_edit_is_repaired_by_the_next_build() {
    let site = TestSite::with_two_stories();
    site.build_ok();
    let good = snapshot(&site.path("public"));
    for with_cache in [true, false] {
        // The story page, its JSON and a listing, each edited by hand to
        // other bytes of the same size.
        for (rel, needle) in [
            ("stories/a/index.html", "<h1"),
            ("stories/b/index.json", "Bravo"),
            ("index.html", "Latest"),
        ] {
            let edited = same_size_edit(&site.read(rel), needle);
            site.write(&format!("public/{rel}"), &edited);
        }
        if !with_cache {
            // No saved memo: every page is rendered again and compared with
            // what is on disk.
            std::fs::remove_dir_all(site.path(".parallax-cache")).unwrap();
        }
        site.build_ok();
        assert!(
            snapshot(&site.path("public")) == good,
            "a same-size edit survived a build (cache folder: {with_cache})"
        );
    }
}

#[test]
fn a_tampered_manifest_deletes_nothing_outside_the_output() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("Alpha", "2025-05-15", &["left-daily"]),
    );
    site.build_ok();
    let elsewhere = tempfile::TempDir::new().unwrap();
    let victim = elsewhere.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    site.write("beside.txt", "keep me too");
    site.write("content/stories/keep.txt", "an editor's note");
    let manifest = site.path("public/.parallax-manifest");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    for path in [
        "../beside.txt".to_string(),
        "../content/stories/keep.txt".into(),
        "stories/../../beside.txt".into(),
        "stories/a/../../../beside.txt".into(),
        victim.display().to_string(),
        format!("/{}", victim.display()),
        "..\\beside.txt".into(),
        "./../beside.txt".into(),
    ] {
        text.push_str(&format!("{:032x} 7 {path}\n", 1));
    }
    std::fs::write(&manifest, text).unwrap();
    site.build_ok();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(
        std::fs::read_to_string(site.path("beside.txt")).unwrap(),
        "keep me too"
    );
    assert_eq!(
        std::fs::read_to_string(site.path("content/stories/keep.txt")).unwrap(),
        "an editor's note"
    );
    assert!(site.exists("stories/a/index.html"));
    // The next manifest lists only what the build wrote.
    let manifest = std::fs::read_to_string(site.path("public/.parallax-manifest")).unwrap();
    assert!(!manifest.contains(".."), "{manifest}");
}

#[cfg(unix)]
#[test]
fn stale_removal_does_not_follow_a_symlinked_folder_out_of_the_output() {
    let site = TestSite::with_two_stories();
    site.build_ok();
    // public/stories now points at a folder outside the output, holding the
    // same files (and one of someone else's).
    let elsewhere = tempfile::TempDir::new().unwrap();
    let outside = elsewhere.path().join("stories");
    copy_tree(&site.path("public/stories"), &outside);
    std::fs::write(outside.join("b/theirs.txt"), "theirs").unwrap();
    std::fs::remove_dir_all(site.path("public/stories")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("public/stories")).unwrap();
    let before = snapshot(&outside);

    site.remove("content/stories/b.md");
    site.build_ok();
    assert!(!select(&site.html("index.html"), ".card-title")
        .iter()
        .any(|t| text_of(t) == "Bravo"));
    assert!(
        snapshot(&outside)
            .iter()
            .filter(|(p, _)| p.starts_with("b/"))
            .eq(before.iter().filter(|(p, _)| p.starts_with("b/"))),
        "a stale output was removed through the symlink"
    );
    assert!(outside.join("b/index.html").is_file());
    assert!(outside.join("b/theirs.txt").is_file());
}
