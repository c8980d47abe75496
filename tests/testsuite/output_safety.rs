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
