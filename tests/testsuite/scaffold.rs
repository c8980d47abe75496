//! `parallax init` and `parallax new story` make files that build, and never
//! overwrite anything.

use crate::support::*;

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::TempDir::new().unwrap();
    let site_dir = dir.path().join("briefs");
    let mut cmd = assert_cmd::Command::cargo_bin("parallax").unwrap();
    cmd.arg("init").arg(&site_dir).assert().success();
    let site = TestSite {
        dir: tempfile::TempDir::new_in(dir.path()).unwrap(),
    };
    copy_tree(&site_dir, site.root());
    site.build_ok();
    assert!(
        std::fs::read_dir(site.path("public/stories"))
            .unwrap()
            .count()
            == 1
    );
    // Again into the same, now non-empty folder: refused, nothing touched.
    let before = std::fs::read_to_string(site_dir.join("site.yaml")).unwrap();
    let mut again = assert_cmd::Command::cargo_bin("parallax").unwrap();
    again.arg("init").arg(&site_dir).assert().code(2);
    assert_eq!(
        std::fs::read_to_string(site_dir.join("site.yaml")).unwrap(),
        before
    );
}

#[test]
fn new_story_is_a_valid_draft() {
    let site = TestSite::new();
    let out = site
        .cmd(&["new", "story", "Ministers Meet: Day 2"])
        .assert()
        .success();
    let path = String::from_utf8_lossy(&out.get_output().stdout)
        .trim()
        .to_string();
    assert!(path.ends_with("-ministers-meet-day-2.md"), "{path}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("draft: true"));
    site.cmd(&["check", "--drafts"]).assert().success();
    site.cmd(&["build", "--drafts"]).assert().success();
    assert!(site.exists("stories/ministers-meet-day-2/index.html"));
    site.cmd(&["new", "story", "Ministers Meet: Day 2"])
        .assert()
        .code(2);
}
