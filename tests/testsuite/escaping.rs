//! Safety by default: front-matter text is escaped everywhere it appears,
//! raw HTML in Markdown is shown as text unless site.yaml opts in, and links
//! with a dangerous scheme lose their target.

use crate::support::*;

const HOSTILE: &str = r#"<script>alert("t")</script> & 'q' </script><!--"#;

fn hostile_site() -> TestSite {
    let site = TestSite::new();
    let yaml_hostile = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"");
    site.write(
        "content/stories/2025-05-15-hostile.md",
        &format!(
            "---\ntitle: \"{h}\"\nsummary: \"{h}\"\ndate: 2025-05-15\nlocation: \"{h}\"\ntopics: [\"{h}\"]\nperspectives:\n  left:\n    - \"[click](javascript:alert(1)) <img src=x onerror=alert(1)>\"\nsources:\n  - outlet: left-daily\n    title: \"{h}\"\n    url: \"https://example.org/?a=1&b=\\\"x\"\n    published: 2025-05-15\n    excerpt: \"{h}\"\nfaq:\n  - q: \"{h}\"\n    a: \"[x](data:text/html,boom) <b>bold</b>\"\nhistory:\n  - date: 2025-05-14\n    text: \"<iframe src=https://evil.example></iframe>\"\n---\n<script>alert('body')</script>\n\n[ok](https://example.org) [bad](JaVaScRiPt:alert(1)) [tab](java&#9;script:alert(1))\n\n![img](vbscript:x)\n",
            h = yaml_hostile
        ),
    );
    site
}

#[test]
fn front_matter_text_is_escaped_on_every_page() {
    let site = hostile_site();
    site.build_ok();
    for page in [
        "stories/hostile/index.html",
        "index.html",
        "topics/index.html",
        "outlets/left-daily/index.html",
        "feed.xml",
        "sitemap.xml",
    ] {
        let text = site.read(page);
        assert!(
            !text.contains("<script>alert"),
            "{page} has an unescaped script"
        );
        assert!(!text.contains("<iframe"), "{page} has an unescaped iframe");
        assert!(!text.contains("<img src=x"), "{page} has an unescaped img");
    }
    let doc = site.html("stories/hostile/index.html");
    let h1 = select(&doc, "h1");
    assert_eq!(
        text_of(&h1[0]),
        HOSTILE,
        "the title reads as the editor wrote it"
    );
    // Only the theme's own scripts: the JSON-LD block and parallax.js.
    let scripts = select(&doc, "script");
    assert_eq!(
        scripts.len(),
        2,
        "{:?}",
        scripts.iter().map(|s| s.html()).collect::<Vec<_>>()
    );
    let ld = scripts
        .iter()
        .find(|s| s.value().attr("type") == Some("application/ld+json"))
        .expect("JSON-LD");
    let ld_text: String = ld.text().collect();
    let value: serde_json::Value = serde_json::from_str(&ld_text).expect("JSON-LD parses");
    assert_eq!(value[0]["headline"], HOSTILE);
    for a in select(&doc, "a[href]") {
        let href = a
            .value()
            .attr("href")
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(
            !href.replace(['\t', '\n'], "").starts_with("javascript:")
                && !href.starts_with("data:")
                && !href.starts_with("vbscript:"),
            "dangerous link {href}"
        );
    }
    assert!(
        select(&doc, "img").is_empty(),
        "the vbscript image is dropped"
    );
    let overview = text_of(&select(&doc, ".overview")[0]);
    assert!(
        overview.contains("<script>alert('body')</script>"),
        "raw HTML shows as text: {overview}"
    );
    assert!(
        overview.contains("bad") && overview.contains("tab"),
        "a dropped link keeps its text"
    );
    assert_eq!(
        select(&doc, ".overview a[href='https://example.org']").len(),
        1
    );

    let json = site.json("stories/hostile/index.json");
    assert_eq!(json["title"], HOSTILE, "JSON carries the text as written");
    roxmltree::Document::parse(&site.read("feed.xml")).expect("feed stays well-formed XML");
}

#[test]
fn raw_html_passes_only_when_the_site_opts_in() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &format!(
            "{}<aside class=\"note\">Editor's note</aside>\n",
            story("A", "2025-05-15", &["left-daily"])
        ),
    );
    site.build_ok();
    assert!(select(&site.html("stories/a/index.html"), "aside.note").is_empty());
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\nallow_raw_html: true\n",
    );
    site.build_ok();
    assert_eq!(
        select(&site.html("stories/a/index.html"), "aside.note").len(),
        1
    );
}
