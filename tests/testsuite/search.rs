//! Search: the Pagefind index in pagefind/, the same bytes for the same
//! input, none with `search: false`; the search page and the header form.

use crate::support::*;

fn site_with_stories() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story(
            "Zanzibar <ferry> & harbour talks",
            "2025-05-15",
            &["left-daily", "right-post"],
        ),
    );
    site.write(
        "content/stories/b.md",
        &story("Budget vote in parliament", "2025-05-16", &["center-wire"]),
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nWho we are.\n",
    );
    site
}

fn index_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    snapshot(&dir.join("pagefind"))
}

#[test]
fn the_index_is_written_and_byte_identical_across_fresh_builds() {
    let site = site_with_stories();
    let one = site.path("out-one");
    let two = site.path("out-two");
    for out in [&one, &two] {
        site.cmd(&["build", "--output", out.to_str().unwrap()])
            .assert()
            .success();
        // A fresh build every time: no cache folder.
        let _ = std::fs::remove_dir_all(site.path(".parallax-cache"));
    }
    let files = index_files(&one);
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    for wanted in [
        "pagefind.js",
        "pagefind-entry.json",
        "wasm.unknown.pagefind",
    ] {
        assert!(names.contains(&wanted), "{wanted} in {names:?}");
    }
    for (folder, ext) in [
        ("index/", ".pf_index"),
        ("fragment/", ".pf_fragment"),
        ("filter/", ".pf_filter"),
    ] {
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(folder) && n.ends_with(ext)),
            "a {ext} file in {names:?}"
        );
    }
    assert!(names.iter().any(|n| n.ends_with(".pf_meta")), "{names:?}");
    assert!(
        !names.iter().any(|n| n.contains("-ui.")),
        "no UI files: {names:?}"
    );
    // Three records: two stories and the plain page.
    let entry: serde_json::Value = serde_json::from_slice(
        &files
            .iter()
            .find(|f| f.0 == "pagefind-entry.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"], 3, "{entry}");
    assert!(
        files == index_files(&two),
        "two builds gave different index files"
    );
    // The manifest lists them, like every output.
    let manifest = std::fs::read_to_string(one.join(".parallax-manifest")).unwrap();
    assert!(manifest.contains(" pagefind/pagefind.js\n"), "{manifest}");
}

#[test]
fn no_index_no_page_and_no_form_with_search_false() {
    let site = site_with_stories();
    site.build_ok();
    assert!(site.exists("pagefind/pagefind.js"));
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org\nsearch: false\n",
    );
    site.build_ok();
    assert!(!site.exists("pagefind"), "the index is removed");
    assert!(!site.exists("search/index.html"));
    assert!(select(&site.html("index.html"), "form[role=search]").is_empty());
}

#[test]
fn the_search_page_and_the_header_form() {
    let site = site_with_stories();
    site.write(
        "site.yaml",
        "title: \"Briefs <b>&amp;</b>\"\nbase_url: https://test.example.org/briefs\n",
    );
    site.build_ok();
    let page = site.read("search/index.html");
    assert!(
        page.contains("Briefs &lt;b&gt;&amp;amp;&lt;&#x2F;b&gt;")
            || page.contains("Briefs &lt;b&gt;&amp;amp;&lt;/b&gt;"),
        "the title is escaped"
    );
    assert!(!page.contains("<b>&amp;</b>"));
    let doc = site.html("search/index.html");
    assert_eq!(select(&doc, "label[for=q]").len(), 1, "a labelled box");
    assert_eq!(select(&doc, "input#q[type=search]").len(), 1);
    assert_eq!(select(&doc, "[role=status][aria-live=polite]").len(), 1);
    let index = select(&doc, "[data-search]")[0]
        .value()
        .attr("data-index")
        .unwrap()
        .to_string();
    assert_eq!(index, "/briefs/pagefind/");
    let nojs = text_of(&select(&doc, "[data-search-nojs]")[0]);
    assert!(nojs.contains("Search needs JavaScript"), "{nojs}");
    let links: Vec<&str> = select(&doc, "[data-search-nojs] a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links, ["/briefs/topics/", "/briefs/outlets/"]);
    for rel in [
        "index.html",
        "stories/a/index.html",
        "about/index.html",
        "search/index.html",
    ] {
        let doc = site.html(rel);
        let form = select(&doc, "header form[role=search]");
        assert_eq!(form.len(), 1, "{rel}");
        assert_eq!(
            form[0].value().attr("action"),
            Some("/briefs/search/"),
            "{rel}"
        );
        assert_eq!(form[0].value().attr("method"), Some("get"), "{rel}");
        assert_eq!(select(&doc, "header input[name=q]").len(), 1, "{rel}");
    }
}

/// The topic filter's choices are on the page itself (each topic's name,
/// the values of the index's `topic` filter), so that opening the page
/// loads none of the index's filters; a new topic is listed at once.
#[test]
fn the_search_page_lists_each_topic_to_filter_by() {
    let site = TestSite::new();
    let with_topics = |title: &str, topics: &str| {
        story_with(
            title,
            "2025-05-15",
            &["left-daily"],
            &format!("topics: [{topics}]"),
        )
    };
    site.write(
        "content/stories/a.md",
        &with_topics("A", "Zoning, \"<Budget>\""),
    );
    site.write("content/stories/b.md", &with_topics("B", "Zoning, Asylum"));
    site.build_ok();
    let options = |site: &TestSite| -> Vec<(Option<String>, String)> {
        select(&site.html("search/index.html"), "select#topic option")
            .iter()
            .map(|o| (o.value().attr("value").map(String::from), text_of(o)))
            .collect()
    };
    let listed = options(&site);
    assert_eq!(listed[0], (Some(String::new()), "Any topic".to_string()));
    let names: Vec<&str> = listed[1..].iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(names, ["<Budget>", "Asylum", "Zoning"]);
    assert!(
        listed[1..].iter().all(|(value, _)| value.is_none()),
        "an option's value is its text: {listed:?}"
    );
    let page = site.read("search/index.html");
    assert!(page.contains("<option>&lt;Budget&gt;</option>"), "escaped");
    site.write("content/stories/c.md", &with_topics("C", "Harbour"));
    site.build_ok();
    assert!(options(&site).iter().any(|(_, name)| name == "Harbour"));
}

#[test]
fn a_page_may_not_be_called_search() {
    let site = TestSite::new();
    site.write("content/pages/search.md", "---\ntitle: S\n---\nx\n");
    let out = stderr(&site.build().failure());
    assert!(out.contains("content/pages/search.md"), "{out}");
}
