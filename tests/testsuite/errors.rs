//! Bad input: every error of every file in one run, each as
//! `path:line:col: message` naming the key and what was expected; exit 1; and
//! the previous output left byte-identical.

use crate::support::*;

/// Checks the whole of what `parallax check` and `parallax build` print for
/// a bad site: exactly these errors (each its `error: ` line and its code
/// frame, when it has one), in this order, then the count; both exit 1.
fn reports(site: &TestSite, errors: &[&str]) {
    let mut expected: String = errors.iter().map(|e| format!("error: {e}\n")).collect();
    let files: std::collections::BTreeSet<&str> = errors
        .iter()
        .filter_map(|e| e.split_once(':').map(|(file, _)| file))
        .collect();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    expected.push_str(&format!(
        "{} in {}; nothing was written\n",
        plural(errors.len(), "error"),
        plural(files.len(), "file")
    ));
    for command in ["check", "build"] {
        let assert = site.cmd(&[command]).assert().code(1);
        let got = stderr(&assert);
        assert!(
            got == expected,
            "parallax {command} printed\n{got}\nexpected\n{expected}"
        );
    }
}

#[test]
fn each_kind_of_bad_story_is_reported_with_position() {
    let site = TestSite::new();
    site.write(
        "content/stories/typo.md",
        "---\ntitle: T\ndate: 2025-05-15\nsorces: []\n---\n",
    );
    site.write(
        "content/stories/types.md",
        "---\ntitle: T\ndate: 2025-05-15\ndraft: maybe\n---\n",
    );
    site.write(
        "content/stories/rules.md",
        "---\ntitle: Rules\ndate: 2025-13-01\nupdated: 2020-01-01\nslug: Bad_Slug\ntopics: [\"!!!\"]\nsources:\n  - outlet: nowhere\n    title: x\n    url: ftp://example.org/x\n    published: yesterday\n    bias: centre\n  - outlet: left-daily\n    url: https://example.org\n    published: 2025-05-15\nfaq:\n  - q: Why?\nrelated: [no-such-story]\n---\n",
    );
    site.write(
        "content/stories/nested.md",
        "---\ntitle: N\ndate: 2025-05-15\nsources:\n  - outlet: left-daily\n    titel: x\n---\n",
    );
    site.write(
        "content/stories/missing.md",
        "---\nsummary: no title, no date, no sources\n---\n",
    );
    site.write("content/stories/no-front-matter.md", "Just text.\n");
    site.write("content/stories/unclosed.md", "---\ntitle: T\n");
    site.write(
        "content/stories/2025-01-01-dup.md",
        &story("A", "2025-01-01", &["left-daily"]),
    );
    site.write(
        "content/stories/x/2025-01-02-dup.md",
        &story("B", "2025-01-02", &["left-daily"]),
    );
    site.write(
        "content/stories/before.md",
        &story("Before", "2025-05-15", &["left-daily"]).replace(
            "date: 2025-05-15\n",
            "date: 2025-05-15\nupdated: 2025-05-14\n",
        ),
    );
    site.write("content/stories/yaml.md", "---\ntitle: [unclosed\n---\n");
    let mut expected = vec![
            "content/stories/before.md:4:1: updated: is before 'date' (2025-05-15T00:00:00+00:00): expected a time at or after it\n  |\n4 | updated: 2025-05-14\n  | ^^^^^^^",
            "content/stories/missing.md:2:1: missing key 'date' (expected an RFC 3339 date-time or YYYY-MM-DD)\n  |\n2 | summary: no title, no date, no sources\n  | ^^^^^^^",
            "content/stories/missing.md:2:1: missing key 'sources' (expected a list of at least one source)\n  |\n2 | summary: no title, no date, no sources\n  | ^^^^^^^",
            "content/stories/missing.md:2:1: missing key 'title' (expected a non-empty string)\n  |\n2 | summary: no title, no date, no sources\n  | ^^^^^^^",
            "content/stories/nested.md:5:5: sources[0]: missing key 'published' (expected an RFC 3339 date-time or YYYY-MM-DD)\n  |\n5 |   - outlet: left-daily\n  |     ^^^^^^",
            "content/stories/nested.md:5:5: sources[0]: missing key 'title' (expected the article's headline)\n  |\n5 |   - outlet: left-daily\n  |     ^^^^^^",
            "content/stories/nested.md:5:5: sources[0]: missing key 'url' (expected an http or https URL)\n  |\n5 |   - outlet: left-daily\n  |     ^^^^^^",
            "content/stories/nested.md:6:5: in 'sources[0]': unknown key 'titel' (expected one of: outlet, title, url, published, excerpt, bias)\n  |\n6 |     titel: x\n  |     ^^^^^\n  |\n  = help: did you mean 'title'?",
            "content/stories/no-front-matter.md:1:1: expected front matter: the file must start with a line '---'\n  |\n1 | Just text.\n  | ^^^^",
            "content/stories/rules.md:3:1: date: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '2025-13-01'\n  |\n3 | date: 2025-13-01\n  | ^^^^",
            "content/stories/rules.md:5:1: slug: expected lowercase letters, digits and single dashes (like 'putin-skips-talks'), found 'Bad_Slug'\n  |\n5 | slug: Bad_Slug\n  | ^^^^",
            "content/stories/rules.md:6:10: topics[0]: topic '!!!' has no letters or digits, so it cannot have a page\n  |\n6 | topics: [\"!!!\"]\n  |          ^^^^^",
            "content/stories/rules.md:8:5: sources[0].outlet: unknown outlet 'nowhere' (expected an id from content/outlets.yaml)\n  |\n8 |   - outlet: nowhere\n  |     ^^^^^^",
            "content/stories/rules.md:10:5: sources[0].url: expected an http or https URL, found 'ftp://example.org/x'\n   |\n10 |     url: ftp://example.org/x\n   |     ^^^",
            "content/stories/rules.md:11:5: sources[0].published: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found 'yesterday'\n   |\n11 |     published: yesterday\n   |     ^^^^^^^^^",
            "content/stories/rules.md:12:5: sources[0].bias: unknown bias 'centre' (expected one of: far-left, left, lean-left, center, lean-right, right, far-right)\n   |\n12 |     bias: centre\n   |     ^^^^\n   |\n   = help: did you mean 'center'?",
            "content/stories/rules.md:13:5: sources[1]: missing key 'title' (expected the article's headline)\n   |\n13 |   - outlet: left-daily\n   |     ^^^^^^",
            "content/stories/rules.md:17:5: faq[0]: missing key 'a' (expected the answer, in Markdown)\n   |\n17 |   - q: Why?\n   |     ^",
            "content/stories/types.md:2:1: missing key 'sources' (expected a list of at least one source)\n  |\n2 | title: T\n  | ^^^^^",
            "content/stories/types.md:4:8: draft: wrong type: found string \"maybe\", expected a boolean\n  |\n4 | draft: maybe\n  |        ^^^^^",
            "content/stories/typo.md:2:1: missing key 'sources' (expected a list of at least one source)\n  |\n2 | title: T\n  | ^^^^^",
            "content/stories/typo.md:4:1: unknown key 'sorces' (expected one of: title, summary, date, updated, slug, draft, topics, location, image, ai_summary, perspectives, sources, faq, history, corrections, related)\n  |\n4 | sorces: []\n  | ^^^^^^\n  |\n  = help: did you mean 'sources'?",
            "content/stories/unclosed.md:1:1: front matter is not closed: expected a line '---' after it\n  |\n1 | ---\n  | ^^^",
            "content/stories/x/2025-01-02-dup.md:2:1: slug: 'dup' is already used by content/stories/2025-01-01-dup.md\n  |\n2 | title: \"B\"\n  | ^^^^^\n  |\n  = help: give one of the two stories another `slug:` (or rename its file)",
            "content/stories/yaml.md:2:8: wrong type: found sequence, expected text\n  |\n2 | title: [unclosed\n  |        ^",
    ];
    reports(&site, &expected);
    // The related check runs once the rest of the file is valid.
    site.write(
        "content/stories/rules.md",
        &story_with(
            "Rules",
            "2025-05-15",
            &["left-daily"],
            "related: [no-such-story]",
        ),
    );
    expected.retain(|e| !e.starts_with("content/stories/rules.md:"));
    let at = expected
        .iter()
        .position(|e| e.starts_with("content/stories/types.md:"))
        .unwrap();
    expected.insert(
        at,
        "content/stories/rules.md:4:11: related[0]: no story has the slug 'no-such-story'\n  |\n4 | related: [no-such-story]\n  |           ^^^^^^^^^^^^^",
    );
    reports(&site, &expected);
}

#[test]
fn bad_outlets_site_yaml_and_pages() {
    let site = TestSite::new();
    site.write("site.yaml", "title: X\nbase_url: ftp://x\nstories_per_page: 0\nblindspot:\n  max_share: 2\nthemee: dark\n");
    // An unknown key does not hide the file's other errors.
    reports(
        &site,
        &[
            "site.yaml:2:1: base_url: expected an absolute http or https URL, found 'ftp://x'\n  |\n2 | base_url: ftp://x\n  | ^^^^^^^^",
            "site.yaml:3:1: stories_per_page: expected a whole number of at least 1, found 0\n  |\n3 | stories_per_page: 0\n  | ^^^^^^^^^^^^^^^^",
            "site.yaml:5:3: blindspot.max_share: expected a share between 0 and 1, found 2\n  |\n5 |   max_share: 2\n  |   ^^^^^^^^^",
            "site.yaml:6:1: unknown key 'themee' (expected one of: title, base_url, language, description, image, theme, stories_per_page, newsletter, blindspot, feed_limit, similar_stories, allow_raw_html, report_issue_url, search, corrections_policy, share_cards)\n  |\n6 | themee: dark\n  | ^^^^^^\n  |\n  = help: did you mean 'theme'?",
        ],
    );

    site.write("site.yaml", "title: X\nbase_url: ftp://x\nstories_per_page: 0\nblindspot:\n  max_share: 2\ntheme: nope\n");
    site.write("content/outlets.yaml", "Bad Id:\n  name: X\nok-id:\n  bias: centre\n  factuality: great\n  homepage: javascript:x\n");
    site.write("content/pages/stories.md", "---\ntitle: Clash\n---\n");
    site.write("content/pages/untitled.md", "---\ndescription: d\n---\n");
    reports(
        &site,
        &[
            "content/outlets.yaml:1:1: Bad Id: outlet id 'Bad Id' must be lowercase letters, digits and single dashes (it is part of a URL)\n  |\n1 | Bad Id:\n  | ^^^",
            "content/outlets.yaml:3:1: ok-id: missing key 'name' (expected the outlet's name)\n  |\n3 | ok-id:\n  | ^^^^^",
            "content/outlets.yaml:4:3: ok-id.bias: unknown bias 'centre' (expected one of: far-left, left, lean-left, center, lean-right, right, far-right)\n  |\n4 |   bias: centre\n  |   ^^^^\n  |\n  = help: did you mean 'center'?",
            "content/outlets.yaml:5:3: ok-id.factuality: unknown factuality 'great' (expected one of: very-high, high, mixed, low, very-low)\n  |\n5 |   factuality: great\n  |   ^^^^^^^^^^",
            "content/outlets.yaml:6:3: ok-id.homepage: expected an http or https URL, found 'javascript:x'\n  |\n6 |   homepage: javascript:x\n  |   ^^^^^^^^",
            "content/pages/stories.md:1:1: the page would be written to 'stories/', which the build uses itself: rename the file\n  |\n1 | ---\n  | ^^^",
            "content/pages/untitled.md:2:1: missing key 'title' (expected a non-empty string)\n  |\n2 | description: d\n  | ^^^^^^^^^^^",
            "site.yaml:2:1: base_url: expected an absolute http or https URL, found 'ftp://x'\n  |\n2 | base_url: ftp://x\n  | ^^^^^^^^",
            "site.yaml:3:1: stories_per_page: expected a whole number of at least 1, found 0\n  |\n3 | stories_per_page: 0\n  | ^^^^^^^^^^^^^^^^",
            "site.yaml:5:3: blindspot.max_share: expected a share between 0 and 1, found 2\n  |\n5 |   max_share: 2\n  |   ^^^^^^^^^",
            "site.yaml:6:1: theme: no theme 'nope': expected a folder themes/nope/ (or 'default' for the built-in theme)\n  |\n6 | theme: nope\n  | ^^^^^",
        ],
    );
}

#[test]
fn template_errors_name_the_template() {
    let site = TestSite::without_warnings();
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}{% block main %}{{ story.title }{% endblock main %}",
    );
    reports(
        &site,
        &["templates/story.html:1:57: Found `}` but expected }}."],
    );

    // Errors found once all templates are loaded: every one of them, each at
    // its own file, line and column.
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}{% block main %}\n{{ story.title | no_such_filter }}{% endblock main %}",
    );
    site.write("templates/topic.html", "{% include \"no_such.html\" %}");
    reports(
        &site,
        &[
            "templates/story.html:2:18: Unknown filter `no_such_filter`",
            "templates/topic.html:1:12: Unknown template `no_such.html`",
        ],
    );
    std::fs::remove_file(site.path("templates/topic.html")).unwrap();

    // A variable the page's data lacks: found when rendering, which check
    // does too (in memory).
    site.write("templates/story.html", "{% extends \"base.html\" %}{% block main %}\n<p>{{ story.no_such_field.deeper }}</p>{% endblock main %}");
    reports(
        &site,
        &["templates/story.html:2:13: cannot render: Field `no_such_field` is not defined. Available fields: ai_summary, blindspot, corrected, corrections, coverage, date, factuality, faq, filters, first_reported, image, json_ld, json_path, last_updated, location, overview_html, ownership, path, perspectives, share, share_card, similar, slug, sources, summary, timeline, title, topics, updated, url"],
    );
    assert!(!site.exists("index.html"), "a failed render writes nothing");
}

/// Columns count characters, not bytes (what serde_yaml and yaml-rust2
/// report, for syntax, type and rule errors alike), and CRLF line endings
/// count as one line break.
#[test]
fn positions_count_characters_and_crlf_lines() {
    let site = TestSite::new();
    site.write(
        "content/stories/crlf.md",
        "---\r\ntitle: T\r\ndate: 2025-05-15\r\nsorces: []\r\n---\r\nBody\r\n",
    );
    site.write(
        "content/stories/crlf-type.md",
        "---\r\ntitle: T\r\ndate: 2025-05-15\r\ndraft: maybe\r\n---\r\n",
    );
    site.write(
        "content/stories/crlf-rules.md",
        "---\r\ntitle: T\r\ndate: 2025-05-15\r\ntopics: [\"ok\", \"!!!\"]\r\nsources:\r\n  - outlet: left-daily\r\n    title: x\r\n    url: ftp://x\r\n    published: 2025-05-15\r\n---\r\nBody\r\n",
    );
    // Non-ASCII before the error on the same line: "Café ☕" is 8
    // characters and 11 bytes.
    site.write(
        "content/stories/utf8.md",
        "---\ntitle: \"Café ☕\"\ndate: 2025-05-15\ntopics: [\"Café ☕\", \"!!!\"]\nsources:\n  - {outlet: left-daily, title: \"Café ☕\", url: \"ftp://x\", published: 2025-05-15}\n---\n",
    );
    site.write(
        "content/stories/utf8-type.md",
        "---\ntitle: T\ndate: 2025-05-15\nimage: {alt: \"Café ☕\", src: [x]}\n---\n",
    );
    site.write(
        "content/stories/utf8-syntax.md",
        "---\ntitle: \"Café ☕\" x: y\n---\n",
    );
    reports(
        &site,
        &[
            "content/stories/crlf-rules.md:4:16: topics[1]: topic '!!!' has no letters or digits, so it cannot have a page\n  |\n4 | topics: [\"ok\", \"!!!\"]\n  |                ^^^^^",
            "content/stories/crlf-rules.md:8:5: sources[0].url: expected an http or https URL, found 'ftp://x'\n  |\n8 |     url: ftp://x\n  |     ^^^",
            "content/stories/crlf-type.md:2:1: missing key 'sources' (expected a list of at least one source)\n  |\n2 | title: T\n  | ^^^^^",
            "content/stories/crlf-type.md:4:8: draft: wrong type: found string \"maybe\", expected a boolean\n  |\n4 | draft: maybe\n  |        ^^^^^",
            "content/stories/crlf.md:2:1: missing key 'sources' (expected a list of at least one source)\n  |\n2 | title: T\n  | ^^^^^",
            "content/stories/crlf.md:4:1: unknown key 'sorces' (expected one of: title, summary, date, updated, slug, draft, topics, location, image, ai_summary, perspectives, sources, faq, history, corrections, related)\n  |\n4 | sorces: []\n  | ^^^^^^\n  |\n  = help: did you mean 'sources'?",
            "content/stories/utf8-syntax.md:2:17: did not find expected key\n  |\n2 | title: \"Café ☕\" x: y\n  |                  ^",
            "content/stories/utf8-type.md:2:1: missing key 'sources' (expected a list of at least one source)\n  |\n2 | title: T\n  | ^^^^^",
            "content/stories/utf8-type.md:4:29: image.src: wrong type: found sequence, expected text\n  |\n4 | image: {alt: \"Café ☕\", src: [x]}\n  |                              ^",
            "content/stories/utf8.md:4:20: topics[1]: topic '!!!' has no letters or digits, so it cannot have a page\n  |\n4 | topics: [\"Café ☕\", \"!!!\"]\n  |                     ^^^^^",
            "content/stories/utf8.md:6:43: sources[0].url: expected an http or https URL, found 'ftp://x'\n  |\n6 |   - {outlet: left-daily, title: \"Café ☕\", url: \"ftp://x\", published: 2025-05-15}\n  |                                            ^^^",
        ],
    );
}

/// The caret of a code frame sits under the reported character, whatever
/// the characters before it: a wide one (☕ takes two columns) and a tab
/// (shown as four spaces) move it as far as they move the text above.
#[test]
fn the_caret_sits_under_the_reported_character() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story_with(
            "A",
            "2025-05-15",
            &["left-daily"],
            "topics: [\"Café ☕\",\t\"!!!\"]",
        ),
    );
    let out = site.cmd(&["check"]).assert().code(1);
    assert_eq!(
        stderr(&out),
        "error: content/stories/a.md:4:20: topics[1]: topic '!!!' has no letters or digits, so it cannot have a page\n  |\n4 | topics: [\"Café ☕\",    \"!!!\"]\n  |                        ^^^^^\n1 error in 1 file; nothing was written\n"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily", "right-post"]),
    );
    site.write(
        "content/stories/b.md",
        &story("B", "2025-05-16", &["center-wire"]),
    );
    site.build_ok();
    let before = snapshot(&site.path("public"));

    site.write(
        "content/stories/b.md",
        "---\ntitle: B\ndate: whenever\n---\n",
    );
    site.write(
        "content/stories/c.md",
        &story("C", "2025-05-17", &["left-daily"]),
    );
    site.build().code(1);
    assert!(
        snapshot(&site.path("public")) == before,
        "output changed after a failed build"
    );

    // A template that fails at render time, after validation passed.
    site.write(
        "content/stories/b.md",
        &story("B", "2025-05-16", &["center-wire"]),
    );
    site.write("templates/topic.html", "{{ nope.nope }}");
    site.write(
        "content/stories/c.md",
        &story("C", "2025-05-17", &["left-daily"]).replace("sources:", "topics: [X]\nsources:"),
    );
    site.build().code(1);
    assert!(
        snapshot(&site.path("public")) == before,
        "output changed after a failed render"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folder left behind: {leftovers:?}"
    );
}

#[test]
fn check_reports_without_writing() {
    let site = TestSite::with_one_story();
    site.cmd(&["check"]).assert().success();
    assert!(!site.path("public").exists());
    site.write("content/stories/a.md", "---\ntitle: A\n---\n");
    reports(
        &site,
        &[
            "content/stories/a.md:2:1: missing key 'date' (expected an RFC 3339 date-time or YYYY-MM-DD)\n  |\n2 | title: A\n  | ^^^^^",
            "content/stories/a.md:2:1: missing key 'sources' (expected a list of at least one source)\n  |\n2 | title: A\n  | ^^^^^",
        ],
    );
    assert!(!site.path("public").exists());
}

#[test]
fn bad_usage_exits_2() {
    let site = TestSite::new();
    site.cmd(&["build", "--no-such-flag"]).assert().code(2);
    site.cmd(&["frobnicate"]).assert().code(2);
}

#[test]
fn a_bad_story_is_one_error_not_one_more_per_story_related_to_it() {
    let site = TestSite::new();
    site.write(
        "content/stories/talks.md",
        &story("Talks", "2025-13-01", &["left-daily"]),
    );
    site.write(
        "content/stories/renamed.md",
        &story_with("Renamed", "2025-13-01", &["left-daily"], "slug: summit\n"),
    );
    site.write(
        "content/stories/after.md",
        &story_with(
            "After",
            "2025-05-16",
            &["left-daily"],
            "related: [talks, summit, gone]\n",
        ),
    );
    // Only `gone` is reported: `talks` and `summit` are the slugs of
    // stories that have errors of their own.
    reports(
        &site,
        &[
            "content/stories/after.md:4:26: related[2]: no story has the slug 'gone'\n  |\n4 | related: [talks, summit, gone]\n  |                          ^^^^",
            "content/stories/renamed.md:3:1: date: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '2025-13-01'\n  |\n3 | date: 2025-13-01\n  | ^^^^",
            "content/stories/renamed.md:10:5: sources[0].published: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '2025-13-01'\n   |\n10 |     published: 2025-13-01\n   |     ^^^^^^^^^",
            "content/stories/talks.md:3:1: date: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '2025-13-01'\n  |\n3 | date: 2025-13-01\n  | ^^^^",
            "content/stories/talks.md:8:5: sources[0].published: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '2025-13-01'\n  |\n8 |     published: 2025-13-01\n  |     ^^^^^^^^^",
        ],
    );
}
