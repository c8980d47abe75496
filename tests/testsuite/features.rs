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
        &story_with(
            "A",
            "2025-05-15",
            &["left-daily"],
            "image:\n  src: img/lead.png\n  alt: \"Delegates <at> the table & \\\"more\\\"\"\n  credit: \"Photo: A & B\"",
        ),
    );
    site.write(
        "content/stories/b.md",
        &story_with(
            "B",
            "2025-05-14",
            &["left-daily"],
            "image:\n  src: https://img.example.org/b.jpg\n  alt: B",
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

    // Without one, a story shares its card (tests/testsuite/cards.rs), and
    // every other page has the site's image.
    let c = site.html("stories/c/index.html");
    assert!(select(&c, "figure.lead-image").is_empty());
    assert_eq!(
        site.json("stories/c/index.json")["image"],
        serde_json::Value::Null
    );
    assert_eq!(
        attr(&c, "meta[property='og:image']", "content"),
        ["https://test.example.org/briefs/stories/c/card.png"]
    );
    for page in ["index.html", "topics/index.html"] {
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
    let with =
        |title: &str, date: &str, extra: &str| story_with(title, date, &["left-daily"], extra);
    site.write(
        "content/stories/a.md",
        &with(
            "Alpha",
            "2025-05-10",
            "topics: [NATO]\nrelated: [charlie, bravo]",
        ),
    );
    for (slug, title, date, extra) in [
        ("bravo", "Bravo", "2025-05-11", "topics: []"),
        ("charlie", "Charlie", "2025-05-12", "topics: []"),
        ("delta", "Delta", "2025-05-13", "topics: [NATO]"),
        ("echo", "Echo", "2025-05-14", "topics: [NATO]"),
        (
            "draft",
            "Draft",
            "2025-05-15",
            "topics: [NATO]\ndraft: true",
        ),
    ] {
        site.write(
            &format!("content/stories/{slug}.md"),
            &with(title, date, extra),
        );
    }
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
        &story_with("A", "2025-05-15", &["left-daily"], "topics: [X]"),
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
        &story_with("A", "2025-05-15", &["nasty", "right-post"], "topics: [X]"),
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

#[test]
fn without_site_yaml_the_defaults_hold() {
    let site = TestSite::new();
    std::fs::remove_file(site.path("site.yaml")).unwrap();
    for i in 1..=21 {
        site.write(
            &format!("content/stories/s{i}.md"),
            &story(
                &format!("S{i}"),
                &format!("2025-05-{i:02}"),
                &["left-daily"],
            ),
        );
    }
    let assert = site.build().success();
    assert!(
        stderr(&assert).starts_with("warning: site.yaml: base_url: no base_url: absolute URLs (feed, sitemap, canonical links) use http://127.0.0.1:1111\nhelp: add `base_url: https://your.site/` to site.yaml, or pass --base-url\nbuilt 21 stories"),
        "{}",
        stderr(&assert)
    );
    let index = site.html("index.html");
    assert_eq!(text_of(&select(&index, "title")[0]), "Parallax");
    assert_eq!(attr(&index, "html", "lang"), ["en"]);
    assert_eq!(
        attr(&index, "link[rel=canonical]", "href"),
        ["http://127.0.0.1:1111/"]
    );
    // 20 stories a page, 20 feed entries, 5 similar stories.
    assert_eq!(select(&index, ".card").len(), 20);
    assert!(site.exists("page/2/index.html"));
    let feed = site.read("feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 20);
    assert_eq!(
        select(&site.html("stories/s1/index.html"), ".similar li").len(),
        0,
        "no topics in common, none related"
    );
}

#[test]
fn blindspot_thresholds_come_from_site_yaml() {
    let site = TestSite::new();
    // Two rated sources, both left: below the default min_sources (5).
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily", "left-daily"]),
    );
    // Three sources: left, left, right: right's share is 1/3.
    site.write(
        "content/stories/b.md",
        &story(
            "B",
            "2025-05-16",
            &["left-daily", "left-daily", "right-post"],
        ),
    );
    site.build_ok();
    assert_eq!(
        site.json("stories/a/index.json")["blindspot"],
        serde_json::Value::Null
    );
    assert_eq!(
        site.json("stories/b/index.json")["blindspot"],
        serde_json::Value::Null
    );
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nblindspot:\n  min_sources: 2\n  max_share: 0.34\n",
    );
    site.build_ok();
    assert_eq!(site.json("stories/a/index.json")["blindspot"], "right");
    assert_eq!(site.json("stories/b/index.json")["blindspot"], "right");
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nblindspot:\n  min_sources: 3\n  max_share: 0.3\n",
    );
    site.build_ok();
    assert_eq!(
        site.json("stories/a/index.json")["blindspot"],
        serde_json::Value::Null
    );
    assert_eq!(
        site.json("stories/b/index.json")["blindspot"],
        serde_json::Value::Null
    );
}

#[test]
fn what_the_stories_folder_may_hold_and_how_front_matter_reads() {
    let site = TestSite::new();
    // Unquoted values YAML would read as a number or a boolean stay text;
    // a date with an offset is shown in UTC.
    site.write(
        "content/stories/a.md",
        "---\ntitle: 1984\nsummary: yes\nlocation: 3.14\ndate: 2025-05-15T10:30:00+02:00\nsources:\n  - outlet: left-daily\n    title: 2001\n    url: https://example.org/a\n    published: 2025-05-14\n---\nText.\n",
    );
    // Other files, and editors' litter, are not stories.
    site.write("content/stories/photo.jpg", "not a story");
    site.write("content/stories/notes.txt", "---\ntitle: [broken\n");
    for litter in [
        ".a.md.swp",
        "a.md~",
        "#a.md#",
        ".hidden.md",
        "4913",
        "a.md.tmp",
    ] {
        site.write(
            &format!("content/stories/{litter}"),
            "---\ntitle: [broken\n",
        );
    }
    site.build_ok();
    let doc = site.html("stories/a/index.html");
    assert_eq!(text_of(&select(&doc, "h1")[0]), "1984");
    assert_eq!(text_of(&select(&doc, ".summary")[0]), "yes");
    assert!(text_of(&select(&doc, ".meta")[0]).contains("3.14"));
    assert!(text_of(&select(&doc, ".meta")[0]).contains("15 May 2025, 08:30 UTC"));
    // The JSON keeps the time as written.
    assert_eq!(
        site.json("stories/a/index.json")["date"],
        "2025-05-15T10:30:00+02:00"
    );
    assert_eq!(
        site.json("stories/a/index.json")["sources"][0]["title"],
        "2001"
    );
    let stories: Vec<_> = std::fs::read_dir(site.path("public/stories"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(stories, ["a"]);
}

#[test]
fn topic_names_ties_and_first_reported_ties() {
    let site = TestSite::new();
    let with_topics = |title: &str, topics: &str| {
        story_with(
            title,
            "2025-05-15",
            &["left-daily", "right-post"],
            &format!("topics: [{topics}]"),
        )
    };
    // One story each: the tie goes to the first spelling alphabetically.
    site.write(
        "content/stories/a.md",
        &with_topics("A", "\"data privacy\""),
    );
    site.write(
        "content/stories/b.md",
        &with_topics("B", "\"Data Privacy\""),
    );
    site.build_ok();
    let names: Vec<String> = select(&site.html("topics/index.html"), ".topic-list a")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(names, ["Data Privacy"]);
    // Both sources published at the same time: the first written is first.
    let doc = site.html("stories/a/index.html");
    assert!(
        text_of(&select(&doc, ".first-reported")[0]).starts_with("First reported by Left Daily"),
        "{}",
        text_of(&select(&doc, ".first-reported")[0])
    );
}

#[test]
fn slugs_are_unique_across_drafts_too() {
    let site = TestSite::with_one_story();
    site.write(
        "content/stories/b.md",
        &story("B", "2025-05-16", &["left-daily"]).replacen(
            "title:",
            "draft: true\nslug: a\ntitle:",
            1,
        ),
    );
    let assert = site.build().code(1);
    assert_eq!(
        stderr(&assert),
        "error: content/stories/b.md:3:1: slug: 'a' is already used by content/stories/a.md\n  |\n3 | slug: a\n  | ^^^^\n  |\n  = help: give one of the two stories another `slug:` (or rename its file)\n1 error in 1 file; nothing was written\n"
    );
}

#[test]
fn markdown_tables_strikethrough_and_heading_levels() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nreport_issue_url: mailto:desk@test.example.org\n",
    );
    let body = "## Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n";
    site.write(
        "content/stories/a.md",
        &format!(
            "{}{body}",
            story("A", "2025-05-15", &["left-daily"])
                .replacen("title:", "ai_summary: true\ntitle:", 1)
                .replace("The overview.\n", "")
        ),
    );
    site.write(
        "content/pages/about.md",
        &format!("---\ntitle: About\ndescription: \"Who we are\"\n---\n{body}"),
    );
    site.write(
        "content/pages/secret.md",
        "---\ntitle: Secret\ndraft: true\n---\nNo.\n",
    );
    site.build_ok();
    let story_page = site.html("stories/a/index.html");
    assert_eq!(select(&story_page, ".overview table td").len(), 2);
    assert_eq!(text_of(&select(&story_page, ".overview del")[0]), "gone");
    assert_eq!(
        select(&story_page, ".overview h3").len(),
        1,
        "moved down a level"
    );
    assert_eq!(
        attr(&story_page, ".ai-disclosure a", "href"),
        ["mailto:desk@test.example.org"]
    );
    let page = site.html("about/index.html");
    assert_eq!(select(&page, "article h2").len(), 1, "kept as written");
    assert_eq!(select(&page, "article table td").len(), 2);
    assert_eq!(text_of(&select(&page, "article del")[0]), "gone");
    assert_eq!(
        attr(&page, "meta[name=description]", "content"),
        ["Who we are"]
    );
    assert!(
        !site.exists("secret/index.html"),
        "a draft page is not built"
    );
}

#[test]
fn a_story_image_may_be_a_static_file_of_the_theme() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story_with(
            "A",
            "2025-05-15",
            &["left-daily"],
            "image:\n  src: favicon.svg\n  alt: Logo",
        ),
    );
    site.build_ok();
    assert_eq!(
        attr(
            &site.html("stories/a/index.html"),
            "figure.lead-image img",
            "src"
        ),
        ["/favicon.svg"]
    );
}

#[test]
fn a_newsletter_needs_both_its_text_and_its_url() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nnewsletter:\n  text: Join\n",
    );
    let assert = site.cmd(&["check"]).assert().code(1);
    assert_eq!(
        stderr(&assert),
        "error: site.yaml:3:1: newsletter: missing key 'url' (expected an http or https URL)\n  |\n3 | newsletter:\n  | ^^^^^^^^^^\n1 error in 1 file; nothing was written\n"
    );
}
