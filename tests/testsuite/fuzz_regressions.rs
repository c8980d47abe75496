//! Inputs that the fuzz targets (fuzz/, docs/fuzzing.md) found breaking a
//! rule. Each is replayed through the entry point its target used, which
//! panics on the failure the fuzzer saw, and through the binary, as an
//! editor would meet it.

use crate::support::{stderr, TestSite, OUTLETS};

/// Runs `parallax check` on a site with `story` as its one story and
/// returns the first line of the report.
fn first_error(story: &str) -> String {
    let site = TestSite::new();
    site.write("content/stories/s.md", story);
    let out = site.cmd(&["check"]).assert().code(1);
    let report = stderr(&out);
    report.lines().next().unwrap_or_default().to_string()
}

/// A carriage return without a line feed: the YAML parser counted it as a
/// line break and the code frame did not, so errors after it pointed past
/// the end of their line, or past the last line of the file (story target).
#[test]
fn a_lone_carriage_return_is_an_error_at_its_place() {
    let at_end_of_line = "---\ntitle: Self\ndate: 2025-05-15\nrelated: [self, othr]\nsources:\n  - outlet: center-wire\n    title: A\n    url: https://e.org/a\n    publish\r\r\r\r\r\r\r\r\r\r\r\r15\n---\nText.\n";
    let inside_a_line = "---\ntitle: Self\ndate: 2025-05-15\nrelated: [self, othr]\nsources:\n  - outlet: center-wire\r    title::\n  A\n#   url: https://e.org/a\n    published: 2025-05-15\n---\nText.\n";
    for story in [at_end_of_line, inside_a_line] {
        assert_eq!(
            parallax::fuzzing::check_texts(None, Some(OUTLETS), &[story]),
            1
        );
    }
    assert_eq!(
        first_error(at_end_of_line),
        "error: content/stories/s.md:9:12: a carriage return (U+000D) without a line feed after it: lines end with LF or CR LF"
    );
    assert_eq!(
        first_error(inside_a_line),
        "error: content/stories/s.md:6:24: a carriage return (U+000D) without a line feed after it: lines end with LF or CR LF"
    );
}
