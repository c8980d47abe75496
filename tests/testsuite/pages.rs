//! What each kind of page carries: story elements, listings, pagination,
//! drafts, the feed, the sitemap, robots.txt and the 404 page.

use crate::support::*;

fn rich_story() -> String {
    "---
title: Talks in Istanbul
summary: Delegations meet.
date: 2025-05-15T08:00:00Z
updated: 2025-05-15T12:30:00Z
topics: [Diplomacy, Turkey]
location: Istanbul, Turkey
ai_summary: true
perspectives:
  left:
    - Point **one**.
  right: []
sources:
  - outlet: left-daily
    title: Left headline
    url: https://example.org/l
    published: 2025-05-14T19:05:00Z
    excerpt: Left excerpt.
  - outlet: right-post
    title: Right headline
    url: https://example.org/r
    published: 2025-05-13T09:00:00Z
  - outlet: right-post
    bias: center
    title: Overridden
    url: https://example.org/o
    published: 2025-05-14T10:00:00Z
  - outlet: unrated-news
    title: Unrated headline
    url: https://example.org/u
    published: 2025-05-15T07:00:00Z
faq:
  - q: Who leads?
    a: An **aide**.
history:
  - date: 2025-05-11
    text: A call for talks.
  - date: 2025-05-14
    text: Delegations named.
---
The overview.

## A subheading
"
    .to_string()
}

#[test]
fn a_story_page_has_every_element_the_spec_lists() {
    let site = TestSite::new();
    site.write("site.yaml", "title: T\nbase_url: https://test.example.org/briefs\nnewsletter:\n  text: Sign up\n  url: https://test.example.org/n\nreport_issue_url: https://test.example.org/report\n");
    site.write("content/stories/2025-05-15-talks.md", &rich_story());
    site.write(
        "content/stories/other.md",
        &story("Other", "2025-05-10", &["left-daily"])
            .replace("sources:", "topics: [Turkey]\nsources:"),
    );
    site.build_ok();
    let doc = site.html("stories/talks/index.html");
    let text = |css: &str| {
        select(&doc, css)
            .iter()
            .map(text_of)
            .collect::<Vec<_>>()
            .join(" | ")
    };

    assert_eq!(text("h1"), "Talks in Istanbul");
    assert_eq!(text(".summary"), "Delegations meet.");
    assert_eq!(text(".chips a"), "Diplomacy | Turkey");
    assert_eq!(
        select(&doc, ".chips a")[1].value().attr("href"),
        Some("/briefs/topics/turkey/")
    );
    assert!(text(".meta").contains("Istanbul, Turkey"));
    assert!(text(".meta").contains("15 May 2025, 08:00 UTC"));
    assert!(text(".ai-disclosure").contains("Report an issue"));
    assert_eq!(text(".newsletter"), "Sign up");
    assert_eq!(text("#perspective-left li"), "Point one.");
    assert_eq!(
        select(&doc, "#perspective-left li strong").len(),
        1,
        "points are Markdown"
    );
    for side in ["center", "right"] {
        assert_eq!(
            text(&format!("#perspective-{side} .empty")),
            "There are not enough sources from this perspective to provide an analysis."
        );
    }
    // Coverage: left 1, center 1 (override), right 1, untracked 1.
    let legend = text(".coverage .bias-legend");
    assert_eq!(
        legend,
        "Left 34% · Center 33% · Right 33% · 1 untracked bias"
    );
    assert!(text(".coverage .facts").contains("Total sources 4"));
    assert!(text(".first-reported").starts_with("First reported by Right Post"));
    let breakdowns: Vec<Vec<String>> = select(&doc, ".breakdown")
        .iter()
        .map(|ul| {
            ul.children()
                .filter_map(scraper::ElementRef::wrap)
                .map(|li| text_of(&li))
                .collect()
        })
        .collect();
    assert_eq!(
        breakdowns[0],
        ["High: 1 (25%)", "Mixed: 2 (50%)", "Unknown: 1 (25%)"]
    );
    assert_eq!(
        breakdowns[1],
        [
            "Right Holdings: 2 (50%)",
            "Left Media: 1 (25%)",
            "Unknown: 1 (25%)"
        ]
    );
    assert_eq!(text("#articles-h"), "Articles (4)");
    let buckets: Vec<_> = select(&doc, ".article-list li")
        .iter()
        .map(|li| li.value().attr("data-bucket").unwrap().to_string())
        .collect();
    assert_eq!(buckets, ["left", "right", "center", "untracked"]);
    assert_eq!(text(".faq summary"), "Who leads?");
    assert_eq!(select(&doc, ".faq details strong").len(), 1);
    // History: newest day first, events before the day's article count.
    let timeline: Vec<String> = select(&doc, ".timeline li").iter().map(text_of).collect();
    assert_eq!(
        timeline,
        [
            "15 May 2025 1 article published",
            "14 May 2025 Delegations named.",
            "14 May 2025 2 articles published",
            "13 May 2025 1 article published",
            "11 May 2025 A call for talks.",
        ]
    );
    assert_eq!(text(".similar a"), "Other");
    assert_eq!(
        select(&doc, ".overview h3").len(),
        1,
        "body headings sit below the page's h2"
    );
    assert_eq!(
        select(&doc, "link[rel=canonical]")[0].value().attr("href"),
        Some("https://test.example.org/briefs/stories/talks/")
    );
    assert_eq!(
        select(&doc, "meta[property='og:url']")[0]
            .value()
            .attr("content"),
        Some("https://test.example.org/briefs/stories/talks/")
    );
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("en"));

    let json = site.json("stories/talks/index.json");
    assert_eq!(
        json["coverage"],
        serde_json::json!({"left": 1, "center": 1, "right": 1, "untracked": 1, "total": 4, "percent": {"left": 34, "center": 33, "right": 33}})
    );
    assert_eq!(json["blindspot"], serde_json::Value::Null);
    assert_eq!(json["sources"][2]["bias"], "center");
    assert_eq!(json["sources"][2]["name"], "Right Post");
    assert_eq!(json["sources"][3]["bias"], serde_json::Value::Null);
    assert_eq!(
        json["url"],
        "https://test.example.org/briefs/stories/talks/"
    );
    assert_eq!(json["date"], "2025-05-15T08:00:00Z");
    assert_eq!(json["topics"], serde_json::json!(["Diplomacy", "Turkey"]));
}

#[test]
fn pagination_feed_sitemap_robots_and_404() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nstories_per_page: 2\nfeed_limit: 3\n",
    );
    for i in 1..=5 {
        site.write(
            &format!("content/stories/s{i}.md"),
            &story(
                &format!("Story {i}"),
                &format!("2025-05-{i:02}"),
                &["center-wire"],
            ),
        );
    }
    site.write(
        "content/stories/draft.md",
        &story("Draft", "2025-05-30", &["center-wire"]).replacen(
            "title:",
            "draft: true\ntitle:",
            1,
        ),
    );
    site.build_ok();
    let titles = |page: &str| {
        select(&site.html(page), ".card-title")
            .iter()
            .map(text_of)
            .collect::<Vec<_>>()
    };
    assert_eq!(titles("index.html"), ["Story 5", "Story 4"]);
    assert_eq!(titles("page/2/index.html"), ["Story 3", "Story 2"]);
    assert_eq!(titles("page/3/index.html"), ["Story 1"]);
    assert!(!site.exists("page/4/index.html"));
    assert!(
        !site.exists("stories/draft/index.html"),
        "drafts are not built"
    );
    let p2 = site.html("page/2/index.html");
    assert_eq!(
        select(&p2, "a[rel=prev]")[0].value().attr("href"),
        Some("/")
    );
    assert_eq!(
        select(&p2, "a[rel=next]")[0].value().attr("href"),
        Some("/page/3/")
    );

    let feed_text = site.read("feed.xml");
    let feed = roxmltree::Document::parse(&feed_text).expect("feed is XML");
    let root = feed.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(root.tag_name().name(), "feed");
    for required in ["id", "title", "updated", "author"] {
        assert!(
            root.children().any(|c| c.tag_name().name() == required),
            "feed lacks {required}"
        );
    }
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 3);
    for e in &entries {
        for required in ["id", "title", "updated", "link"] {
            assert!(
                e.children().any(|c| c.tag_name().name() == required),
                "entry lacks {required}"
            );
        }
    }
    let updated = root
        .children()
        .find(|c| c.tag_name().name() == "updated")
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(updated, "2025-05-05T00:00:00Z");

    let sitemap_text = site.read("sitemap.xml");
    let sitemap = roxmltree::Document::parse(&sitemap_text).expect("sitemap is XML");
    let locs: Vec<&str> = sitemap
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://test.example.org/")),
        "{locs:?}"
    );
    assert!(locs.contains(&"https://test.example.org/stories/s3/"));
    assert!(locs.contains(&"https://test.example.org/page/3/"));
    assert!(!locs
        .iter()
        .any(|l| l.contains("draft") || l.contains("404")));
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://test.example.org/sitemap.xml"));
    assert_eq!(
        text_of(&select(&site.html("404.html"), "h1")[0]),
        "Page not found"
    );

    site.cmd(&[
        "build",
        "--drafts",
        "--base-url",
        "https://other.example.org/",
    ])
    .assert()
    .success();
    assert!(site.exists("stories/draft/index.html"));
    assert!(site
        .read("sitemap.xml")
        .contains("https://other.example.org/stories/draft/"));
}

#[test]
fn topics_outlets_and_plain_pages() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily", "right-post"])
            .replace("sources:", "topics: [NATO, Élections]\nsources:"),
    );
    site.write(
        "content/stories/b.md",
        &story("B", "2025-05-16", &["left-daily"]).replace("sources:", "topics: [nato]\nsources:"),
    );
    site.write(
        "content/pages/legal/Privacy Policy.md",
        "---\ntitle: Privacy\n---\nNo cookies.\n",
    );
    site.build_ok();
    let topics = site.html("topics/index.html");
    let names: Vec<String> = select(&topics, ".topic-list a")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(
        names,
        ["Élections", "NATO"],
        "one topic per URL, named by its most common spelling"
    );
    let nato = site.html("topics/nato/index.html");
    assert_eq!(select(&nato, ".card").len(), 2);
    let outlet = site.html("outlets/left-daily/index.html");
    assert!(text_of(&select(&outlet, ".facts")[0]).contains("Left"));
    assert_eq!(select(&outlet, ".story-rows li").len(), 2);
    let unrated = site.html("outlets/unrated-news/index.html");
    assert!(text_of(&select(&unrated, ".facts")[0]).contains("Unrated"));
    let outlets = site.html("outlets/index.html");
    assert_eq!(select(&outlets, "tbody tr").len(), 4);
    assert_eq!(
        text_of(&select(&site.html("legal/privacy-policy/index.html"), "h1")[0]),
        "Privacy"
    );
}
