//! Publishing: a site at any path of any host (every link of every page
//! resolves in the output), the feeds parsed by real parsers (Atom, JSON
//! Feed, the Google News sitemap) and corrections shown in the open.

use crate::support::*;
use std::path::Path;

use crate::example_site::example;

/// Every `href`, `src` and `action` of every page that points into the site
/// (`https://user.github.io/briefs/…` or a path), resolved as a browser
/// would from the page's own URL and looked up in the output folder. Returns
/// what did not resolve, and how many links were checked.
fn broken_links(output: &Path, host: &str, base_path: &str) -> (Vec<String>, usize) {
    let (mut broken, mut checked) = (Vec::new(), 0);
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.expect("walk");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = path.strip_prefix(output).expect("inside").to_string_lossy();
        let page = format!("{host}{base_path}{rel}");
        let page = url::Url::parse(&page).expect("page URL");
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(path).expect("read"));
        for el in select(&doc, "[href], [src], [action]") {
            for attr in ["href", "src", "action"] {
                let Some(link) = el.value().attr(attr) else {
                    continue;
                };
                let target = page.join(link).expect("a link a browser can resolve");
                if target.origin() != page.origin() {
                    continue;
                }
                checked += 1;
                let Some(under) = target.path().strip_prefix(base_path) else {
                    broken.push(format!("{rel}: {link} is outside {base_path}"));
                    continue;
                };
                let mut file = output.join(percent_decode(under));
                if under.is_empty() || under.ends_with('/') {
                    file = file.join("index.html");
                }
                if !file.is_file() {
                    broken.push(format!("{rel}: {link} (no {})", file.display()));
                }
            }
        }
    }
    (broken, checked)
}

/// `%XX` escapes back to their bytes (a path as the file system names it).
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if bytes[i] == b'%' => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn the_example_site_at_a_subpath_has_no_broken_link() {
    let site = example();
    site.cmd(&["build", "--base-url", "https://user.github.io/briefs/"])
        .assert()
        .success();
    let output = site.path("public");
    let (broken, checked) = broken_links(&output, "https://user.github.io", "/briefs/");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(checked > 500, "only {checked} links checked");

    // Absolute URLs carry the path too.
    let story = site.html("stories/putin-skips-istanbul-talks/index.html");
    let base = "https://user.github.io/briefs/";
    for css in ["link[rel=canonical]", "meta[property='og:url']"] {
        let el = select(&story, css).into_iter().next().expect(css);
        let url = el
            .value()
            .attr("href")
            .or(el.value().attr("content"))
            .unwrap();
        assert_eq!(
            url,
            format!("{base}stories/putin-skips-istanbul-talks/"),
            "{css}"
        );
    }
    let json = site.json("stories/putin-skips-istanbul-talks/index.json");
    assert_eq!(
        json["url"],
        format!("{base}stories/putin-skips-istanbul-talks/")
    );
    for file in ["sitemap.xml", "feed.xml", "news-sitemap.xml"] {
        let xml = site.read(file);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        for node in doc
            .descendants()
            .filter(|n| n.has_tag_name("loc") || n.has_tag_name("id"))
        {
            let text = node.text().unwrap_or_default();
            assert!(text.starts_with(base), "{file}: {text}");
        }
    }
    let search = site.html("search/index.html");
    let index = select(&search, "[data-index]")[0]
        .value()
        .attr("data-index");
    assert_eq!(index, Some("/briefs/pagefind/"));
    assert!(site.exists("pagefind/pagefind.js"));
    // A root-relative link an editor wrote lands under the path as well.
    let about = site.read("about/index.html");
    assert!(
        !about.contains("href=\"/stories/"),
        "a link lost the base path"
    );
}

#[test]
fn a_generated_corpus_at_a_subpath_has_no_broken_link() {
    let site = TestSite::new();
    crate::corpus::generate(&site, 60, 7);
    site.cmd(&["build", "--base-url", "https://user.github.io/deep/briefs"])
        .assert()
        .success();
    let (broken, checked) = broken_links(
        &site.path("public"),
        "https://user.github.io",
        "/deep/briefs/",
    );
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn atom_feeds_site_wide_and_per_topic_parse_and_are_advertised() {
    let site = example();
    site.build_ok();
    let feed: atom_syndication::Feed = site.read("feed.xml").parse().expect("Atom");
    assert_eq!(feed.title().as_str(), "Parallax Briefs");
    assert_eq!(feed.entries().len(), 4);
    assert_eq!(feed.lang(), Some("en"));

    let topic: atom_syndication::Feed = site
        .read("topics/diplomacy/feed.xml")
        .parse()
        .expect("Atom");
    assert_eq!(topic.title().as_str(), "Diplomacy · Parallax Briefs");
    assert_eq!(
        topic.id(),
        "https://briefs.example.org/topics/diplomacy/feed.xml"
    );
    let html = site.html("topics/diplomacy/index.html");
    let in_topic = html.root_element().html();
    let doc = scraper::Html::parse_document(&in_topic);
    for e in topic.entries() {
        let url = e.links()[0].href();
        let path = url.trim_start_matches("https://briefs.example.org");
        assert!(
            !select(&doc, &format!("a[href='{path}']")).is_empty(),
            "{url} is not on the topic page"
        );
    }
    let alternates: Vec<(String, String)> = select(&html, "link[rel=alternate]")
        .iter()
        .map(|l| {
            let v = l.value();
            (
                v.attr("type").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "application/atom+xml",
            "https://briefs.example.org/feed.xml",
        ),
        (
            "application/feed+json",
            "https://briefs.example.org/feed.json",
        ),
        (
            "application/atom+xml",
            "https://briefs.example.org/topics/diplomacy/feed.xml",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(t, h)| (t.to_string(), h.to_string()))
        .collect();
    assert_eq!(alternates, expected);
    // Every topic has its feed.
    for entry in std::fs::read_dir(site.path("public/topics")).expect("topics") {
        let dir = entry.expect("entry").path();
        if dir.is_dir() {
            assert!(dir.join("feed.xml").is_file(), "{}", dir.display());
        }
    }
}

#[test]
fn the_json_feed_has_every_required_field() {
    let site = example();
    site.build_ok();
    let feed = site.json("feed.json");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["title"], "Parallax Briefs");
    assert_eq!(feed["home_page_url"], "https://briefs.example.org/");
    assert_eq!(feed["feed_url"], "https://briefs.example.org/feed.json");
    assert_eq!(feed["language"], "en");
    let items = feed["items"].as_array().expect("items");
    let atom: atom_syndication::Feed = site.read("feed.xml").parse().expect("Atom");
    assert_eq!(items.len(), atom.entries().len());
    for (item, entry) in items.iter().zip(atom.entries()) {
        // Required: an id, and content_html or content_text.
        assert!(item["id"].as_str().is_some_and(|id| !id.is_empty()));
        assert!(item["content_text"].is_string() || item["content_html"].is_string());
        assert_eq!(item["url"], entry.links()[0].href());
        assert_eq!(item["title"], entry.title().as_str());
        for date in ["date_published", "date_modified"] {
            let text = item[date].as_str().expect(date);
            chrono::DateTime::parse_from_rfc3339(text).expect("RFC 3339");
        }
        assert_eq!(
            item["date_modified"].as_str(),
            Some(
                entry
                    .updated()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    .as_str()
            )
        );
    }
}

#[test]
fn the_news_sitemap_lists_the_last_two_days_and_robots_names_it() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: The \"Daily\" & Co\nbase_url: https://test.example.org\nlanguage: en-GB\n",
    );
    let dated = [
        ("old", "2026-11-28T11:59:00Z"),
        ("yesterday", "2026-11-30T09:00:00Z"),
        ("today", "2026-12-01T08:00:00Z"),
    ];
    for (slug, date) in dated {
        site.write(
            &format!("content/stories/{slug}.md"),
            &story(&format!("Story <{slug}>"), date, &["center-wire"]),
        );
    }
    site.cmd(&["build", "--now", "2026-12-01T12:00:00Z"])
        .assert()
        .success();
    let xml = site.read("news-sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    let news = "http://www.google.com/schemas/sitemap-news/0.9";
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    let text = |url: &roxmltree::Node, name: &str| -> String {
        url.descendants()
            .find(|n| n.tag_name().name() == name && n.tag_name().namespace() == Some(news))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    let listed: Vec<(String, String, String, String, String)> = urls
        .iter()
        .map(|u| {
            let loc = u
                .descendants()
                .find(|n| n.has_tag_name("loc"))
                .and_then(|n| n.text());
            (
                loc.unwrap_or_default().to_string(),
                text(u, "name"),
                text(u, "language"),
                text(u, "publication_date"),
                text(u, "title"),
            )
        })
        .collect();
    let row = |slug: &str, date: &str| {
        (
            format!("https://test.example.org/stories/{slug}/"),
            "The \"Daily\" & Co".to_string(),
            "en".to_string(),
            date.to_string(),
            format!("Story <{slug}>"),
        )
    };
    assert_eq!(
        listed,
        [
            row("today", "2026-12-01T08:00:00Z"),
            row("yesterday", "2026-11-30T09:00:00Z")
        ]
    );
    let robots = site.read("robots.txt");
    assert!(robots.contains("Sitemap: https://test.example.org/sitemap.xml\n"));
    assert!(robots.contains("Sitemap: https://test.example.org/news-sitemap.xml\n"));
}

fn corrected_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org\ncorrections_policy: https://test.example.org/about/corrections/\n",
    );
    site.write(
        "content/stories/a.md",
        &story("Story A", "2025-05-10T08:00:00Z", &["center-wire"]).replace(
            "sources:",
            "updated: 2025-05-11T09:00:00Z\ncorrections:\n  - date: 2025-05-12\n    text: \"The vote was *51–49*, not 52–48.\"\n  - date: 2025-05-16T10:00:00Z\n    text: The minister's name is spelled Hakan.\nsources:",
        ),
    );
    site.write(
        "content/stories/b.md",
        &story("Story B", "2025-05-13", &["center-wire"]).replace(
            "sources:",
            "corrections:\n  - date: 2025-05-14\n    text: An earlier version misdated the summit.\nsources:",
        ),
    );
    site
}

#[test]
fn corrections_show_on_the_page_in_json_ld_index_json_and_the_feed() {
    let site = corrected_site();
    site.build_ok();
    let page = site.html("stories/a/index.html");
    let items: Vec<String> = select(&page, ".corrections li")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(
        items,
        [
            "16 May 2025 The minister's name is spelled Hakan.",
            "12 May 2025 The vote was 51–49, not 52–48.",
        ]
    );
    assert_eq!(
        select(&page, ".corrections li em").len(),
        1,
        "Markdown rendered"
    );
    let meta = text_of(&select(&page, ".story-header .meta")[0]);
    assert!(meta.contains("Corrected 16 May 2025"), "{meta}");

    let ld = select(&page, "script[type='application/ld+json']")[0].inner_html();
    let ld: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD");
    assert_eq!(
        ld["correction"],
        serde_json::json!([
            {"@type": "CorrectionComment", "datePublished": "2025-05-16T10:00:00Z", "text": "The minister's name is spelled Hakan."},
            {"@type": "CorrectionComment", "datePublished": "2025-05-12T00:00:00Z", "text": "The vote was *51–49*, not 52–48."},
        ])
    );
    assert_eq!(ld["dateModified"], "2025-05-16T10:00:00Z");
    assert_eq!(
        ld["publisher"]["correctionsPolicy"],
        "https://test.example.org/about/corrections/"
    );

    let json = site.json("stories/a/index.json");
    assert_eq!(json["corrections"][0]["date"], "2025-05-16T10:00:00Z");
    assert_eq!(
        json["corrections"][1]["text"],
        "The vote was *51–49*, not 52–48."
    );

    let feed: atom_syndication::Feed = site.read("feed.xml").parse().expect("Atom");
    let a = feed
        .entries()
        .iter()
        .find(|e| e.title().as_str() == "Story A")
        .expect("A");
    assert_eq!(a.updated().to_rfc3339(), "2025-05-16T10:00:00+00:00");
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://test.example.org/stories/a/</loc><lastmod>2025-05-16T10:00:00Z</lastmod>"
    ));
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first_and_the_footer_links_it() {
    let site = corrected_site();
    site.build_ok();
    let page = site.html("corrections/index.html");
    let rows: Vec<String> = select(&page, ".corrections-page li")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(
        rows,
        [
            "Story A 16 May 2025 The minister's name is spelled Hakan.",
            "Story B 14 May 2025 An earlier version misdated the summit.",
            "Story A 12 May 2025 The vote was 51–49, not 52–48.",
        ]
    );
    let footer: Vec<(String, String)> = select(&site.html("index.html"), ".site-footer a")
        .iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert!(footer.contains(&("Corrections".to_string(), "/corrections/".to_string())));
    assert!(footer.contains(&(
        "Corrections policy".to_string(),
        "https://test.example.org/about/corrections/".to_string()
    )));
    // The page last changed with the newest correction.
    assert!(site.read("sitemap.xml").contains(
        "<loc>https://test.example.org/corrections/</loc><lastmod>2025-05-16T10:00:00Z</lastmod>"
    ));

    // Without corrections the page says so, and a story has no section.
    let plain = TestSite::new();
    plain.write(
        "content/stories/a.md",
        &story("A", "2025-05-10", &["center-wire"]),
    );
    plain.build_ok();
    let text = text_of(&select(&plain.html("corrections/index.html"), "main")[0]);
    assert!(
        text.contains("No story on this site has been corrected."),
        "{text}"
    );
    assert!(select(&plain.html("stories/a/index.html"), ".corrections").is_empty());
    assert!(!plain.read("stories/a/index.json").contains("corrections"));
}

#[test]
fn a_bad_correction_is_an_error_at_its_key() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-10T08:00:00Z", &["center-wire"]).replace(
            "sources:",
            "corrections:\n  - date: 2025-05-09\n    text: Too early.\n  - text: No date.\n  - date: 2025-05-10\nsources:",
        ),
    );
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://t.example.org\ncorrections_policy: ftp://x\n",
    );
    let out = site.cmd(&["check"]).assert().code(1);
    let log = stderr(&out);
    let errors: Vec<&str> = log.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        errors,
        [
            "error: content/stories/a.md:5:5: corrections[0].date: is before the story's 'date' (2025-05-10T08:00:00+00:00): expected the day it was corrected, at or after it",
            "error: content/stories/a.md:7:5: corrections[1]: missing key 'date' (expected YYYY-MM-DD or an RFC 3339 date-time)",
            "error: content/stories/a.md:8:5: corrections[2]: missing key 'text' (expected what was corrected, in Markdown)",
            "error: site.yaml:3:1: corrections_policy: expected an http or https URL, found 'ftp://x'",
        ],
        "{log}"
    );
}
