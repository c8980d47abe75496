//! The example site in the repository builds, and its pages say what the
//! content says.

use crate::support::*;
use std::path::Path;

/// The example site of the repository, in a temporary folder.
pub(crate) fn example() -> TestSite {
    let site = TestSite {
        dir: tempfile::TempDir::new().expect("temp"),
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("content"), &site.path("content"));
    std::fs::copy(repo.join("site.yaml"), site.path("site.yaml")).expect("site.yaml");
    site
}

#[test]
fn the_istanbul_story_page() {
    let site = example();
    site.build_ok();
    let doc = site.html("stories/putin-skips-istanbul-talks/index.html");
    assert!(text_of(&select(&doc, "h1")[0]).contains("Istanbul"));
    // The center has no analysis: the exact fallback sentence.
    let center = text_of(&select(&doc, "#perspective-center")[0]);
    assert!(
        center
            .contains("There are not enough sources from this perspective to provide an analysis."),
        "{center}"
    );
    assert_eq!(select(&doc, "#perspective-left li").len(), 3);
    assert_eq!(select(&doc, "#perspective-right li").len(), 3);
    assert_eq!(
        select(&doc, ".ai-disclosure").len(),
        1,
        "ai_summary: true shows the disclosure"
    );
    assert_eq!(
        select(&doc, ".newsletter a").len(),
        1,
        "site.yaml has a newsletter"
    );
    let articles = select(&doc, ".article-list > li");
    let json = site.json("stories/putin-skips-istanbul-talks/index.json");
    assert_eq!(
        articles.len() as u64,
        json["coverage"]["total"].as_u64().unwrap()
    );
    assert_eq!(
        text_of(&select(&doc, "#articles-h")[0]),
        format!("Articles ({})", articles.len())
    );
    for a in select(&doc, ".article-title a") {
        assert_eq!(a.value().attr("rel"), Some("noopener"));
        assert!(a.value().attr("href").unwrap().starts_with("https://"));
    }
    assert!(select(&doc, ".faq details summary").len() >= 3);
    assert!(!select(&doc, ".timeline li").is_empty());
    assert_eq!(
        select(&doc, "link[rel=canonical]")[0].value().attr("href"),
        Some("https://briefs.example.org/stories/putin-skips-istanbul-talks/")
    );
    assert_eq!(
        select(&doc, "meta[property='og:type']")[0]
            .value()
            .attr("content"),
        Some("article")
    );
    let ld: String = select(&doc, "script[type='application/ld+json']")[0]
        .text()
        .collect();
    let ld: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD");
    assert_eq!(ld[0]["@type"], "NewsArticle");
    assert_eq!(ld[1]["@type"], "FAQPage");
    assert!(
        !select(&doc, ".similar li").is_empty(),
        "the other stories share topics"
    );
}

#[test]
fn the_blindspot_and_the_unrated_outlet() {
    let site = example();
    site.build_ok();
    let json = site.json("stories/eu-adopts-17th-sanctions-package/index.json");
    assert_eq!(json["blindspot"], "right");
    let blind = site.html("blindspots/index.html");
    let titles: Vec<String> = select(&blind, ".card-title").iter().map(text_of).collect();
    assert_eq!(titles.len(), 1, "{titles:?}");
    let nato = site.json("stories/nato-foreign-ministers-meet-in-antalya/index.json");
    assert_eq!(nato["coverage"]["untracked"], 1);
    let about = site.html("about/index.html");
    assert_eq!(text_of(&select(&about, "h1")[0]), "About");
}
