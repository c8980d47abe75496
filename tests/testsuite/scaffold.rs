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

#[test]
fn init_then_check_then_build_in_an_empty_folder() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut init = assert_cmd::Command::cargo_bin("parallax").unwrap();
    init.arg("init").arg(dir.path()).assert().success();
    let run = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("parallax").unwrap();
        cmd.arg("--root").arg(dir.path()).args(args).assert()
    };
    // No warnings at all: the example is consistent (a perspective for
    // every side it has sources from) and names a base_url.
    let out = run(&["check", "--strict"]).success();
    assert_eq!(stderr(&out), "ok: 1 story, 1 page, 3 outlets\n");
    run(&["build", "--strict"]).success();
    assert!(dir.path().join("public/index.html").is_file());
    // Every key of site.yaml is there, the optional ones commented out.
    let site_yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    for key in [
        "title:",
        "base_url:",
        "language:",
        "description:",
        "# image:",
        "theme:",
        "stories_per_page:",
        "# feed_limit:",
        "# similar_stories:",
        "# allow_raw_html:",
        "# report_issue_url:",
        "# newsletter:",
        "min_sources:",
        "max_share:",
    ] {
        assert!(site_yaml.contains(key), "site.yaml lacks {key}");
    }
}

#[test]
fn init_with_force_adds_the_missing_files_and_overwrites_none() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: Mine\n").unwrap();
    let mut init = assert_cmd::Command::cargo_bin("parallax").unwrap();
    let out = init
        .arg("init")
        .arg(dir.path())
        .arg("--force")
        .assert()
        .success();
    assert!(stderr(&out).contains(&format!(
        "kept {} (it was already there)",
        dir.path().join("site.yaml").display()
    )));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
        "title: Mine\n"
    );
    assert!(dir.path().join("content/outlets.yaml").is_file());
}

#[test]
fn new_story_transliterates_its_title_and_never_overwrites() {
    let site = TestSite::new();
    let out = site
        .cmd(&["new", "story", "Café: ¿Qué pasa?"])
        .assert()
        .success();
    let path = String::from_utf8_lossy(&out.get_output().stdout)
        .trim()
        .to_string();
    assert!(path.ends_with("-cafe-que-pasa.md"), "{path}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("title: \"Café: ¿Qué pasa?\""));
    for stub in ["# slug:", "# image:", "# bias:", "draft: true"] {
        assert!(text.contains(stub), "the stub lacks {stub}");
    }
    let again = site
        .cmd(&["new", "story", "Café: ¿Qué pasa?"])
        .assert()
        .code(2);
    assert_eq!(
        stderr(&again),
        format!("error: {path} already exists; give the story another title, or edit that file\n")
    );
    let long = "Ministers meet again ".repeat(8);
    let out = site.cmd(&["new", "story", &long]).assert().success();
    let path = String::from_utf8_lossy(&out.get_output().stdout)
        .trim()
        .to_string();
    let name = std::path::Path::new(&path)
        .file_stem()
        .unwrap()
        .to_str()
        .unwrap();
    let slug = &name[11..];
    let whole = "ministers-meet-again-".repeat(8);
    assert!(slug.len() <= 80, "{slug}");
    assert!(
        whole.starts_with(&format!("{slug}-")),
        "cut at a word: {slug}"
    );
}
