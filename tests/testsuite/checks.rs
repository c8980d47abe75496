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
    if code == 1 {
        // A build streams the story texts (read as each is validated, not
        // all up front): what it reports must be what `check` reports.
        let out = site
            .cmd(&["build", "--output", "built"])
            .env_remove("GITHUB_ACTIONS")
            .env_remove("NO_COLOR")
            .assert()
            .code(1);
        assert_eq!(stderr(&out), expected, "{name}, built");
        assert!(!site.path("built").exists(), "{name}");
    }
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
    // an unknown related slug, the `new story` placeholders, a misspelt
    // outlet id.
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

#[test]
fn inputs_past_their_bounds_are_errors_found_fast() {
    let site = TestSite::without_warnings();
    let rest = "perspectives:\n  center: [Calm.]\nsources:\n  - outlet: center-wire\n    title: A\n    url: https://e.org/a\n    published: 2025-05-15\n---\nx\n";
    let story = |name: &str, head: String| {
        site.write(
            &format!("content/stories/{name}.md"),
            &format!("---\n{head}{rest}"),
        );
    };
    story(
        "brackets",
        format!("title: {}\ndate: 2025-05-15\n", "[".repeat(100_000)),
    );
    let faq: String = (0..20).map(|_| "  - {q: *big, a: *big}\n").collect();
    story(
        "alias",
        format!(
            "title: T\ndate: 2025-05-15\nsummary: &big \"{}\"\nfaq:\n{faq}",
            "x".repeat(1000)
        ),
    );
    story(
        "control",
        "title: \"Bad \u{1} title\"\ndate: 2025-05-15\n".into(),
    );
    let topics: Vec<String> = (0..1000).map(|i| format!("t{i}")).collect();
    story(
        "topics",
        format!(
            "title: T\ndate: 2025-05-15\ntopics: [{}]\n",
            topics.join(", ")
        ),
    );
    story(
        "long",
        format!(
            "title: T\ndate: 2025-05-15\nslug: {}\ntopics: [\"{}\"]\n",
            ["abcdefghij"; 30].join("-"),
            "topic ".repeat(60)
        ),
    );
    site.write(
        "content/stories/huge.md",
        &format!(
            "---\ntitle: T\ndate: 2025-05-15\n{rest}{}",
            "word ".repeat(300_000)
        ),
    );
    let out = site.cmd(&["check"]).assert().code(1);
    let report = stderr(&out);
    let firsts: Vec<&str> = report
        .lines()
        // The first lines and the summary; the frames are tested above.
        .filter(|l| {
            let l = l.trim_start();
            !(l.starts_with('|') || l.starts_with('=') || l.contains(" | "))
        })
        .collect();
    assert_eq!(
        firsts,
        [
            "error: content/stories/alias.md:14:9: more than 16 aliases (`*name`) in one document",
            "error: content/stories/brackets.md:2:72: nested deeper than 64 levels: a story brief needs a few",
            "error: content/stories/control.md:2:13: control character U+0001: feeds and sitemaps (XML) cannot carry it",
            "error: content/stories/huge.md: 1500165 bytes: a file may have at most 1048576 (split it, or remove what is not the story's)",
            "error: content/stories/long.md:4:1: slug: the slug is 329 bytes long: at most 200 (it becomes a file name, and file systems refuse longer ones)",
            "error: content/stories/long.md:5:10: topics[0]: the topic's URL segment is 359 bytes long: at most 200 (it becomes a file name, and file systems refuse longer ones)",
            "error: content/stories/topics.md:4:1: topics: 1000 topics: a story may have at most 64",
            "7 errors in 6 files; nothing was written",
        ]
    );
}

#[test]
fn symlinks_are_followed_only_inside_the_site() {
    let site = TestSite::without_warnings();
    let outside = tempfile::TempDir::new().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not the site's\n").unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::fs::write(site.path("notes.txt"), "the site's own\n").unwrap();
    std::os::unix::fs::symlink(site.path("notes.txt"), site.path("static/inside.txt")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path("static/leak.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("static/folder")).unwrap();
    let out = site.cmd(&["check"]).assert().code(1);
    let shown = outside.path().canonicalize().unwrap().display().to_string();
    assert_eq!(
        stderr(&out),
        format!(
            "error: static/folder: a symbolic link to {shown}, outside the site folder: links are followed only within it\n\
             help: copy the file into the site instead\n\
             error: static/leak.txt: a symbolic link to {shown}/secret.txt, outside the site folder: links are followed only within it\n\
             help: copy the file into the site instead\n\
             2 errors in 2 files; nothing was written\n"
        )
    );
    site.build().code(1);
    std::fs::remove_file(site.path("static/leak.txt")).unwrap();
    std::fs::remove_file(site.path("static/folder")).unwrap();
    site.build_ok();
    assert_eq!(site.read("inside.txt"), "the site's own\n");
}
