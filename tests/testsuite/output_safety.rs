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
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
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
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
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
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
    site.build_ok();
    let good = site.read("stories/a/index.html");
    site.write("public/stories/a/index.html", "vandalised");
    site.build_ok();
    assert_eq!(site.read("stories/a/index.html"), good);
}

#[test]
fn a_static_file_may_not_take_a_page_path_on_a_rebuild_either() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
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
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
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
