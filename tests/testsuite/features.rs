//! Features of the site format that no other module shows: a story's
//! `image`, how `related` stories render, `language`, the site-wide `image`,
//! `similar_stories`, and hostile text in outlet names and site.yaml,
//! escaped on every page it reaches.

use crate::support::*;

fn attr<'a>(doc: &'a scraper::Html, css: &str, name: &str) -> Vec<&'a str> {
    select(doc, css)
        .into_iter()
        .filter_map(|e| e.value().attr(name))
        .collect()
}

#[test]
fn a_story_image_renders_with_its_alt_credit_og_image_and_json() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org/briefs\nimage: img/site.png\n",
    );
    site.write("static/img/lead.png", "png");
    site.write("static/img/site.png", "png");
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]).replacen(
            "sources:",
            "image:\n  src: img/lead.png\n  alt: \"Delegates <at> the table & \\\"more\\\"\"\n  credit: \"Photo: A & B\"\nsources:",
            1,
        ),
    );
    site.write(
        "content/stories/b.md",
        &story("B", "2025-05-14", &["left-daily"]).replacen(
            "sources:",
            "image:\n  src: https://img.example.org/b.jpg\n  alt: B\nsources:",
            1,
        ),
    );
    site.write(
        "content/stories/c.md",
        &story("C", "2025-05-13", &["left-daily"]),
    );
    site.build_ok();

    let a = site.html("stories/a/index.html");
    let img = select(&a, "figure.lead-image img");
    assert_eq!(img.len(), 1);
    assert_eq!(img[0].value().attr("src"), Some("/briefs/img/lead.png"));
    assert_eq!(
        img[0].value().attr("alt"),
        Some("Delegates <at> the table & \"more\"")
    );
    assert_eq!(
        text_of(&select(&a, "figure.lead-image figcaption")[0]),
        "Photo: A & B"
    );
    assert_eq!(
        attr(&a, "meta[property='og:image']", "content"),
        ["https://test.example.org/briefs/img/lead.png"]
    );
    let json = site.json("stories/a/index.json");
    assert_eq!(
        json["image"],
        serde_json::json!({
            "src": "https://test.example.org/briefs/img/lead.png",
            "alt": "Delegates <at> the table & \"more\"",
            "credit": "Photo: A & B"
        })
    );
    let ld: String = select(&a, "script[type='application/ld+json']")[0]
        .text()
        .collect();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    let article = if ld.is_array() { &ld[0] } else { &ld };
    assert_eq!(article["@type"], "NewsArticle", "{ld}");
    assert_eq!(
        article["image"],
        "https://test.example.org/briefs/img/lead.png"
    );
    assert_eq!(
        site.read("img/lead.png"),
        "png",
        "the static file is copied"
    );

    // An https image is used as it is.
    let b = site.html("stories/b/index.html");
    assert_eq!(
        attr(&b, "figure.lead-image img", "src"),
        ["https://img.example.org/b.jpg"]
    );
    assert_eq!(
        attr(&b, "meta[property='og:image']", "content"),
        ["https://img.example.org/b.jpg"]
    );

    // Without one, a story (and every other page) has the site's image.
    let c = site.html("stories/c/index.html");
    assert!(select(&c, "figure.lead-image").is_empty());
    assert_eq!(
        site.json("stories/c/index.json")["image"],
        serde_json::Value::Null
    );
    for page in ["stories/c/index.html", "index.html", "topics/index.html"] {
        assert_eq!(
            attr(&site.html(page), "meta[property='og:image']", "content"),
            ["https://test.example.org/briefs/img/site.png"],
            "{page}"
        );
    }

    // An image that is not under static/ is an error.
    site.remove("static/img/lead.png");
    let assert = site.build().code(1);
    let err = stderr(&assert);
    assert!(err.starts_with("error: content/stories/a.md:"), "{err}");
    assert!(err.contains("image.src"), "{err}");
}

#[test]
fn related_stories_come_first_in_the_order_written_then_shared_topics() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nsimilar_stories: 3\n",
    );
    let with = |title: &str, date: &str, extra: &str| {
        story(title, date, &["left-daily"]).replacen("sources:", &format!("{extra}\nsources:"), 1)
    };
    site.write(
        "content/stories/a.md",
        &with(
            "Alpha",
            "2025-05-10",
            "topics: [NATO]\nrelated: [charlie, bravo]",
        ),
    );
    site.write(
        "content/stories/bravo.md",
        &with("Bravo", "2025-05-11", "topics: []"),
    );
    site.write(
        "content/stories/charlie.md",
        &with("Charlie", "2025-05-12", "topics: []"),
    );
    site.write(
        "content/stories/delta.md",
        &with("Delta", "2025-05-13", "topics: [NATO]"),
    );
    site.write(
        "content/stories/echo.md",
        &with("Echo", "2025-05-14", "topics: [NATO]"),
    );
    site.write(
        "content/stories/draft.md",
        &with("Draft", "2025-05-15", "topics: [NATO]\ndraft: true"),
    );
    site.write(
        "content/stories/f.md",
        &with(
            "Foxtrot",
            "2025-05-16",
            "topics: []\nrelated: [draft, bravo]",
        ),
    );
    site.build_ok();
    let similar = |slug: &str| -> Vec<(String, String)> {
        select(
            &site.html(&format!("stories/{slug}/index.html")),
            ".similar li a",
        )
        .iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect()
    };
    // Related first, as written; then by shared topics, newer first; at
    // most `similar_stories`.
    assert_eq!(
        similar("a"),
        [
            ("Charlie".to_string(), "/stories/charlie/".to_string()),
            ("Bravo".into(), "/stories/bravo/".into()),
            ("Echo".into(), "/stories/echo/".into()),
        ]
    );
    let json = site.json("stories/a/index.json");
    assert_eq!(json["related"], serde_json::json!(["charlie", "bravo"]));
    assert_eq!(
        json["similar"],
        serde_json::json!(["charlie", "bravo", "echo"])
    );
    // A related draft is not listed in a build without drafts…
    assert_eq!(
        similar("f"),
        [("Bravo".to_string(), "/stories/bravo/".to_string())]
    );
    // …and is with --drafts.
    site.cmd(&["build", "--drafts"]).assert().success();
    assert_eq!(
        similar("f"),
        [
            ("Draft".to_string(), "/stories/draft/".to_string()),
            ("Bravo".into(), "/stories/bravo/".into()),
        ]
    );
    // With similar_stories: 0, no list at all.
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nsimilar_stories: 0\n",
    );
    site.build_ok();
    assert!(select(&site.html("stories/a/index.html"), ".similar").is_empty());
}

#[test]
fn language_is_the_pages_lang_and_the_feeds_language() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nlanguage: fr-CA\n",
    );
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]).replacen("sources:", "topics: [X]\nsources:", 1),
    );
    site.write("content/pages/about.md", "---\ntitle: About\n---\nUs.\n");
    site.build_ok();
    for page in [
        "index.html",
        "stories/a/index.html",
        "topics/index.html",
        "topics/x/index.html",
        "outlets/index.html",
        "outlets/left-daily/index.html",
        "blindspots/index.html",
        "about/index.html",
        "404.html",
    ] {
        assert_eq!(attr(&site.html(page), "html", "lang"), ["fr-CA"], "{page}");
    }
    let feed = site.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    assert_eq!(
        doc.root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("fr-CA")
    );
}

const NASTY: &str = r#"<script>alert("x")</script> & 'q' </title><!--"#;

fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

#[test]
fn hostile_outlet_names_and_site_text_are_escaped_everywhere() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!(
            "title: {t}\ndescription: {t}\nbase_url: https://test.example.org\nnewsletter:\n  text: {t}\n  url: https://test.example.org/n\n",
            t = yaml(NASTY)
        ),
    );
    site.write(
        "content/outlets.yaml",
        &format!(
            "{OUTLETS}nasty:\n  name: {t}\n  owner: {t}\n  bias: left\n  homepage: \"https://example.org/?a=1&b=<2>\"\n",
            t = yaml(NASTY)
        ),
    );
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["nasty", "right-post"]).replacen(
            "sources:",
            "topics: [X]\nsources:",
            1,
        ),
    );
    site.write("content/pages/about.md", "---\ntitle: About\n---\nUs.\n");
    site.build_ok();

    let pages = [
        "index.html",
        "stories/a/index.html",
        "topics/index.html",
        "topics/x/index.html",
        "outlets/index.html",
        "outlets/nasty/index.html",
        "blindspots/index.html",
        "about/index.html",
        "404.html",
    ];
    for page in pages {
        let raw = site.read(page);
        assert!(!raw.contains("<script>alert"), "{page}: unescaped script");
        assert!(!raw.contains("</title><!--"), "{page}: unescaped title end");
        let doc = site.html(page);
        // The page's title and the site title in the header read as written.
        assert!(
            text_of(&select(&doc, "title")[0]).contains(NASTY),
            "{page}: <title> {}",
            text_of(&select(&doc, "title")[0])
        );
        assert_eq!(text_of(&select(&doc, ".brand")[0]), NASTY, "{page}");
        assert_eq!(
            attr(&doc, "meta[property='og:site_name']", "content"),
            [NASTY],
            "{page}"
        );
        // Only the theme's scripts.
        for s in select(&doc, "script") {
            let v = s.value();
            assert!(
                v.attr("src").is_some_and(|s| s.ends_with("parallax.js"))
                    || v.attr("type") == Some("application/ld+json"),
                "{page}: a script that is not the theme's: {}",
                s.html()
            );
        }
    }
    let story = site.html("stories/a/index.html");
    assert_eq!(text_of(&select(&story, ".newsletter")[0]), NASTY);
    let outlet_names: Vec<String> = select(&story, ".article-list li")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        outlet_names.iter().any(|t| t.contains(NASTY)),
        "{outlet_names:?}"
    );
    let outlet = site.html("outlets/nasty/index.html");
    assert_eq!(text_of(&select(&outlet, "h1")[0]), NASTY);
    assert!(
        text_of(&select(&outlet, ".facts")[0]).contains(NASTY),
        "owner"
    );
    let outlets = site.html("outlets/index.html");
    assert!(select(&outlets, "tbody tr")
        .iter()
        .any(|tr| text_of(tr).contains(NASTY)));
    let json = site.json("stories/a/index.json");
    assert_eq!(json["sources"][0]["name"], NASTY);
    assert_eq!(json["sources"][0]["owner"], NASTY);

    for xml in ["feed.xml", "sitemap.xml"] {
        let text = site.read(xml);
        assert!(!text.contains("<script>alert"), "{xml}");
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{xml}: {e}"));
    }
    let feed_text = site.read("feed.xml");
    let feed = roxmltree::Document::parse(&feed_text).unwrap();
    let child = |name: &str| {
        feed.root_element()
            .children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    assert_eq!(child("title").as_deref(), Some(NASTY));
    assert_eq!(child("subtitle").as_deref(), Some(NASTY));
}
