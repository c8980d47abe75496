//! Scheduled stories: a story dated later than the build's clock is held
//! back from every output until its time, unless `--future`; `--now` sets
//! the clock; watch mode publishes it when it falls due, with no save.

use crate::support::{stderr, story, wait_for, Running, TestSite};

const NOW: &str = "2026-12-01T12:00:00Z";

/// One story out already, one due at 2026-12-02 06:00 UTC, one later.
fn site_with_scheduled() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org\nsearch: false\n",
    );
    site.write(
        "content/stories/out.md",
        &story("Out already", "2026-11-30T08:00:00Z", &["left-daily"])
            .replace("sources:", "topics: [Budget]\nsources:"),
    );
    site.write(
        "content/stories/soon.md",
        &story("Due soon", "2026-12-02T07:00:00+01:00", &["left-daily"])
            .replace("sources:", "topics: [Budget]\nsources:"),
    );
    site.write(
        "content/stories/later.md",
        &story("Due later", "2027-01-01", &["center-wire"]),
    );
    site
}

#[test]
fn a_story_dated_later_than_now_is_in_no_output() {
    let site = site_with_scheduled();
    let built = site.cmd(&["build", "--now", NOW]).assert().success();
    let log = stderr(&built);
    assert!(
        log.contains(
            "built 1 story (2 scheduled stories held back: --future includes them) and 0 pages"
        ),
        "{log}"
    );
    assert!(
        log.ends_with("next scheduled story: 2026-12-02 06:00 UTC (soon)\n"),
        "{log}"
    );
    assert!(site.exists("stories/out/index.html"));
    for slug in ["soon", "later"] {
        assert!(
            !site.exists(&format!("stories/{slug}/index.html")),
            "{slug}"
        );
        assert!(
            !site.exists(&format!("stories/{slug}/index.json")),
            "{slug}"
        );
    }
    let outputs = [
        "index.html",
        "feed.xml",
        "sitemap.xml",
        "topics/budget/index.html",
        "outlets/left-daily/index.html",
    ];
    for file in outputs {
        let text = site.read(file);
        assert!(
            text.contains("stories/out/"),
            "{file} lists the published story"
        );
        assert!(
            !text.contains("stories/soon/"),
            "{file} lists a scheduled story"
        );
        assert!(
            !text.contains("Due later"),
            "{file} names a scheduled story"
        );
    }
    // The only story citing it is held back.
    assert!(!site
        .read("outlets/center-wire/index.html")
        .contains("Due later"));
}

#[test]
fn future_publishes_every_date_and_json_names_the_next_story() {
    let site = site_with_scheduled();
    site.cmd(&["build", "--now", NOW, "--future"])
        .assert()
        .success();
    for slug in ["out", "soon", "later"] {
        assert!(site.exists(&format!("stories/{slug}/index.html")), "{slug}");
    }

    let json = site
        .cmd(&["build", "--now", NOW, "--format", "json"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&json.get_output().stdout).to_string();
    let summary: serde_json::Value =
        serde_json::from_str(out.lines().last().expect("a summary line")).expect("JSON");
    assert_eq!(summary["summary"]["scheduled_skipped"], 2);
    assert_eq!(
        summary["summary"]["next_scheduled"],
        serde_json::json!({"date": "2026-12-02T06:00:00Z", "slug": "soon"})
    );
    // The build took the stories back out.
    assert!(!site.exists("stories/soon/index.html"));

    // Once every date has passed, nothing is scheduled.
    let past = site
        .cmd(&["build", "--now", "2030-01-01T00:00:00Z", "--format", "json"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&past.get_output().stdout).to_string();
    let summary: serde_json::Value =
        serde_json::from_str(out.lines().last().expect("a summary line")).expect("JSON");
    assert_eq!(summary["summary"]["scheduled_skipped"], 0);
    assert_eq!(
        summary["summary"]["next_scheduled"],
        serde_json::Value::Null
    );
}

#[test]
fn check_counts_scheduled_stories_and_a_bad_now_is_a_usage_error() {
    let site = site_with_scheduled();
    let checked = site.cmd(&["check", "--now", NOW]).assert().success();
    let log = stderr(&checked);
    assert!(
        log.ends_with(
            "ok: 1 story, 0 pages, 4 outlets (2 scheduled stories held back: --future includes them); \
             4 warnings in 2 files\nnext scheduled story: 2026-12-02 06:00 UTC (soon)\n"
        ),
        "{log}"
    );
    let bad = site.cmd(&["build", "--now", "tomorrow"]).assert().code(2);
    assert!(
        stderr(&bad).contains("expected an RFC 3339 time such as 2026-12-02T06:00:00Z"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn watch_publishes_a_scheduled_story_when_it_falls_due() {
    let site = site_with_scheduled();
    // Two seconds before `soon` is due; the clock runs on from there.
    let watch = Running::start(&site, &["watch", "--now", "2026-12-02T05:59:58Z"]);
    watch.wait_line("the first build", |l| l.starts_with("built in"));
    assert!(!site.exists("stories/soon/index.html"));
    wait_for("the scheduled story's page", || {
        site.exists("stories/soon/index.html")
    });
    watch.wait_line("the rebuild", |l| {
        l.starts_with("rebuilt in") && l.contains("a scheduled time came")
    });
    assert!(site.read("index.html").contains("stories/soon/"));
    assert!(!site.exists("stories/later/index.html"));
    watch.stop();
}
