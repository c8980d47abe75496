//! Bad input: every error of every file in one run, each as
//! `path:line:col: message` naming the key and what was expected; exit 1; and
//! the previous output left byte-identical.

use crate::support::*;

fn errors_of(site: &TestSite) -> Vec<String> {
    let assert = site.build().code(1);
    stderr(&assert)
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .map(str::to_string)
        .collect()
}

fn has(errors: &[String], expected: &str) {
    assert!(
        errors.iter().any(|e| e == expected),
        "expected the error\n  {expected}\namong\n  {}",
        errors.join("\n  ")
    );
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
    let errors = errors_of(&site);

    has(&errors, "content/stories/typo.md:4:1: unknown key 'sorces' (expected one of: title, summary, date, updated, slug, draft, topics, location, image, ai_summary, perspectives, sources, faq, history, related)");
    has(&errors, "content/stories/types.md:4:8: draft: wrong type: found string \"maybe\", expected a boolean");
    has(&errors, "content/stories/rules.md:3:1: date: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '2025-13-01'");
    has(&errors, "content/stories/rules.md:5:1: slug: expected lowercase letters, digits and single dashes (like 'putin-skips-talks'), found 'Bad_Slug'");
    has(&errors, "content/stories/rules.md:6:10: topics[0]: topic '!!!' has no letters or digits, so it cannot have a page");
    has(&errors, "content/stories/rules.md:8:5: sources[0].outlet: unknown outlet 'nowhere' (expected an id from content/outlets.yaml)");
    has(&errors, "content/stories/rules.md:10:5: sources[0].url: expected an http or https URL, found 'ftp://example.org/x'");
    has(&errors, "content/stories/rules.md:11:5: sources[0].published: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found 'yesterday'");
    has(&errors, "content/stories/rules.md:12:5: sources[0].bias: unknown bias 'centre' (expected one of: far-left, left, lean-left, center, lean-right, right, far-right)");
    has(&errors, "content/stories/rules.md:13:5: sources[1]: missing key 'title' (expected the article's headline)");
    has(
        &errors,
        "content/stories/rules.md:17:5: faq[0]: missing key 'a' (expected the answer, in Markdown)",
    );
    has(&errors, "content/stories/nested.md:6:5: in 'sources[0]': unknown key 'titel' (expected one of: outlet, title, url, published, excerpt, bias)");
    has(
        &errors,
        "content/stories/missing.md:2:1: missing key 'title' (expected a non-empty string)",
    );
    has(&errors, "content/stories/missing.md:2:1: missing key 'date' (expected an RFC 3339 date-time or YYYY-MM-DD)");
    has(&errors, "content/stories/missing.md:2:1: missing key 'sources' (expected a list of at least one source)");
    has(&errors, "content/stories/no-front-matter.md:1:1: expected front matter: the file must start with a line '---'");
    has(&errors, "content/stories/unclosed.md:1:1: front matter is not closed: expected a line '---' after it");
    has(&errors, "content/stories/x/2025-01-02-dup.md:2:1: slug: 'dup' is already used by content/stories/2025-01-01-dup.md");
    has(&errors, "content/stories/before.md:4:1: updated: is before 'date' (2025-05-15T00:00:00+00:00): expected a time at or after it");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/stories/yaml.md:2:8: ")),
        "{errors:?}"
    );
    // The related check runs once the rest of the file is valid.
    site.write(
        "content/stories/rules.md",
        &story("Rules", "2025-05-15", &["left-daily"])
            .replace("sources:", "related: [no-such-story]\nsources:"),
    );
    let errors = errors_of(&site);
    has(
        &errors,
        "content/stories/rules.md:4:11: related[0]: no story has the slug 'no-such-story'",
    );
}

#[test]
fn bad_outlets_site_yaml_and_pages() {
    let site = TestSite::new();
    site.write("site.yaml", "title: X\nbase_url: ftp://x\nstories_per_page: 0\nblindspot:\n  max_share: 2\nthemee: dark\n");
    let errors = errors_of(&site);
    has(&errors, "site.yaml:6:1: unknown key 'themee' (expected one of: title, base_url, language, description, image, theme, stories_per_page, newsletter, blindspot, feed_limit, similar_stories, allow_raw_html, report_issue_url, search, share_cards)");

    site.write("site.yaml", "title: X\nbase_url: ftp://x\nstories_per_page: 0\nblindspot:\n  max_share: 2\ntheme: nope\n");
    site.write("content/outlets.yaml", "Bad Id:\n  name: X\nok-id:\n  bias: centre\n  factuality: great\n  homepage: javascript:x\n");
    site.write("content/pages/stories.md", "---\ntitle: Clash\n---\n");
    site.write("content/pages/untitled.md", "---\ndescription: d\n---\n");
    let errors = errors_of(&site);
    has(
        &errors,
        "site.yaml:2:1: base_url: expected an absolute http or https URL, found 'ftp://x'",
    );
    has(
        &errors,
        "site.yaml:3:1: stories_per_page: expected a whole number of at least 1, found 0",
    );
    has(
        &errors,
        "site.yaml:5:3: blindspot.max_share: expected a share between 0 and 1, found 2",
    );
    has(&errors, "site.yaml:6:1: theme: no theme 'nope': expected a folder themes/nope/ (or 'default' for the built-in theme)");
    has(&errors, "content/outlets.yaml:1:1: Bad Id: outlet id 'Bad Id' must be lowercase letters, digits and single dashes (it is part of a URL)");
    has(
        &errors,
        "content/outlets.yaml:3:1: ok-id: missing key 'name' (expected the outlet's name)",
    );
    has(&errors, "content/outlets.yaml:4:3: ok-id.bias: unknown bias 'centre' (expected one of: far-left, left, lean-left, center, lean-right, right, far-right)");
    has(&errors, "content/outlets.yaml:5:3: ok-id.factuality: unknown factuality 'great' (expected one of: very-high, high, mixed, low, very-low)");
    has(&errors, "content/outlets.yaml:6:3: ok-id.homepage: expected an http or https URL, found 'javascript:x'");
    has(&errors, "content/pages/stories.md:1:1: the page would be written to 'stories/', which the build uses itself: rename the file");
    has(
        &errors,
        "content/pages/untitled.md:2:1: missing key 'title' (expected a non-empty string)",
    );
}

#[test]
fn template_errors_name_the_template() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}{% block main %}{{ story.title }{% endblock main %}",
    );
    let errors = errors_of(&site);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("templates/story.html:1:57: ")),
        "{errors:?}"
    );

    // Errors found once all templates are loaded: every one of them, each at
    // its own file, line and column.
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}{% block main %}\n{{ story.title | no_such_filter }}{% endblock main %}",
    );
    site.write("templates/topic.html", "{% include \"no_such.html\" %}");
    let errors = errors_of(&site);
    has(
        &errors,
        "templates/story.html:2:18: Unknown filter `no_such_filter`",
    );
    has(
        &errors,
        "templates/topic.html:1:12: Unknown template `no_such.html`",
    );
    std::fs::remove_file(site.path("templates/topic.html")).unwrap();

    site.write("templates/story.html", "{% extends \"base.html\" %}{% block main %}\n<p>{{ story.no_such_field.deeper }}</p>{% endblock main %}");
    let errors = errors_of(&site);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("templates/story.html:2:13: cannot render: Field `no_such_field` is not defined. Available fields: ai_summary, ")),
        "{errors:?}"
    );
    assert!(!site.exists("index.html"), "a failed render writes nothing");
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
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
    site.cmd(&["check"]).assert().success();
    assert!(!site.path("public").exists());
    site.write("content/stories/a.md", "---\ntitle: A\n---\n");
    let assert = site.cmd(&["check"]).assert().code(1);
    assert!(stderr(&assert).contains("content/stories/a.md:2:1: missing key 'date'"));
}

#[test]
fn bad_usage_exits_2() {
    let site = TestSite::new();
    site.cmd(&["build", "--no-such-flag"]).assert().code(2);
    site.cmd(&["frobnicate"]).assert().code(2);
}
