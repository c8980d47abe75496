//! What `parallax check` reports for each bad-input fixture in
//! tests/fixtures/checks/: the whole of its output, every line in order, the
//! code frames and the summary included, and its exit code. A fixture is a
//! site (`site/`) and the output expected of it (`expected.txt`), reviewed
//! by hand; an output that changes must be reviewed again.

use crate::support::*;
use std::path::Path;

fn fixture(name: &str) -> (TestSite, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/checks")
        .join(name);
    let site = TestSite {
        dir: tempfile::TempDir::new().unwrap(),
    };
    copy_tree(&dir.join("site"), site.root());
    let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    (site, expected)
}

fn check_reports(name: &str, code: i32) {
    let (site, expected) = fixture(name);
    let out = site
        .cmd(&["check"])
        .env_remove("GITHUB_ACTIONS")
        .env_remove("NO_COLOR")
        .assert()
        .code(code);
    assert_eq!(stderr(&out), expected, "{name}");
}

#[test]
fn every_misfit_of_a_file_is_reported_at_once() {
    // An unknown key, a bad date and a wrong bias: all three, each with its
    // frame, the misspellings with `did you mean`.
    check_reports("every-misfit-at-once", 1);
}

#[test]
fn an_unreadable_registry_is_one_error_not_one_per_source() {
    check_reports("unreadable-registry", 1);
}

#[test]
fn rules_across_stories_and_within_one() {
    // A duplicate slug at the file that sets it, a story related to itself,
    // an unknown related slug, the `new story` placeholders, one URL cited
    // twice, a misspelt outlet id.
    check_reports("rules-across-stories", 1);
}

#[test]
fn content_warnings_are_counted_and_exit_zero_unless_strict() {
    check_reports("content-warnings", 0);
    let (site, _) = fixture("content-warnings");
    site.cmd(&["check", "--strict"]).assert().code(1);
    // A plain build does not look for them; a strict one does.
    site.cmd(&["build"]).assert().success();
    site.cmd(&["build", "--strict", "--output", "strict-out"])
        .assert()
        .code(1);
    assert!(!site.path("strict-out").exists());
}

#[test]
fn yaml_breaks_at_their_place_tabs_bytes_and_line_endings() {
    // A tab in the indentation, a byte that is not UTF-8 (line and column
    // of it), CRLF line endings (positions as with LF), and columns counted
    // in characters on a line with non-ASCII text.
    check_reports("yaml-breaks", 1);
}

#[test]
fn a_deep_document_is_an_error_not_a_crash() {
    let site = TestSite::new();
    // 5,000 lists, one in another, in 10 KB.
    let text = format!(
        "---\ntitle: T\ndate: 2025-05-15\ntopics:\n{}x\n---\n",
        "- ".repeat(5000)
    );
    site.write("content/stories/deep.md", &text);
    let out = site.cmd(&["check"]).assert().code(1);
    let report = stderr(&out);
    assert!(
        report.starts_with("error: content/stories/deep.md:"),
        "{report}"
    );
    assert!(
        report.ends_with("1 error in 1 file; nothing was written\n"),
        "{report}"
    );
}

#[test]
fn check_renders_every_page_and_fails_where_build_would() {
    let site = TestSite::without_warnings();
    site.write(
        "templates/card.html",
        "<article>{{ story.titel }}</article>\n",
    );
    let out = site.cmd(&["check"]).assert().code(1);
    assert_eq!(
        stderr(&out),
        "error: templates/card.html:1:19: cannot render: Field `titel` is not defined. Available fields: blindspot, coverage, date, location, path, summary, title, topics\n1 error in 1 file; nothing was written\n"
    );
    site.cmd(&["build"]).assert().code(1);

    // A static file where a page goes: two outputs on one path.
    let site = TestSite::new();
    site.write("content/pages/about.md", "---\ntitle: About\n---\nText.\n");
    site.write("static/about/index.html", "<p>mine</p>\n");
    let out = site.cmd(&["check"]).assert().code(1);
    assert_eq!(
        stderr(&out),
        "error: about/index.html: two outputs want this path\nthe previous output was left as it was\n"
    );
    site.cmd(&["build"]).assert().code(1);
}

#[test]
fn the_example_site_checks_without_a_warning() {
    let site = TestSite {
        dir: tempfile::TempDir::new().unwrap(),
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("content"), &site.path("content"));
    std::fs::copy(repo.join("site.yaml"), site.path("site.yaml")).unwrap();
    let out = site.cmd(&["check", "--strict"]).assert().success();
    assert_eq!(stderr(&out), "ok: 4 stories, 1 page, 13 outlets\n");
}
