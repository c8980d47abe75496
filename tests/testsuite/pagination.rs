//! Listings are paginated: the index, each topic and each outlet show
//! `stories_per_page` stories a page, newest first, linked with rel=prev
//! and rel=next, so no page grows with the site.

use crate::support::*;

/// Five stories on one topic, all citing `center-wire`, two a page.
fn five_stories() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org\nstories_per_page: 2\n",
    );
    for day in 1..=5 {
        site.write(
            &format!("content/stories/s{day}.md"),
            &story(
                &format!("Story {day}"),
                &format!("2025-05-0{day}"),
                &["center-wire"],
            )
            .replace("sources:", "topics: [Budget]\nsources:"),
        );
    }
    site.build_ok();
    site
}

/// The story links of a listing page, in order, and its prev/next links.
fn page(site: &TestSite, file: &str, rows: &str) -> (Vec<String>, Option<String>, Option<String>) {
    let doc = site.html(file);
    let titles = select(&doc, rows).iter().map(text_of).collect();
    let rel = |r: &str| {
        select(&doc, &format!(".pagination a[rel={r}]"))
            .first()
            .and_then(|a| a.value().attr("href").map(str::to_string))
    };
    (titles, rel("prev"), rel("next"))
}

#[test]
fn topic_pages_show_their_share_of_stories_linked_in_order() {
    let site = five_stories();
    let rows = ".cards .card-title";
    let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let some = |p: &str| Some(p.to_string());
    assert_eq!(
        page(&site, "topics/budget/index.html", rows),
        (
            s(&["Story 5", "Story 4"]),
            None,
            some("/topics/budget/page/2/")
        )
    );
    assert_eq!(
        page(&site, "topics/budget/page/2/index.html", rows),
        (
            s(&["Story 3", "Story 2"]),
            some("/topics/budget/"),
            some("/topics/budget/page/3/")
        )
    );
    assert_eq!(
        page(&site, "topics/budget/page/3/index.html", rows),
        (s(&["Story 1"]), some("/topics/budget/page/2/"), None)
    );
    assert!(!site.exists("topics/budget/page/4/index.html"));
    assert!(
        !site.exists("topics/budget/page/1/index.html"),
        "page 1 is the topic's own URL"
    );
    let title = text_of(&select(&site.html("topics/budget/page/2/index.html"), "title")[0]);
    assert_eq!(title, "Budget, page 2 · Test Briefs");
    // The topic's feed still has them all.
    assert_eq!(
        site.read("topics/budget/feed.xml")
            .matches("<entry>")
            .count(),
        5
    );
}

#[test]
fn outlet_pages_list_their_share_and_the_total() {
    let site = five_stories();
    let rows = ".story-rows a";
    let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let some = |p: &str| Some(p.to_string());
    assert_eq!(
        page(&site, "outlets/center-wire/index.html", rows),
        (
            s(&["Story 5", "Story 4"]),
            None,
            some("/outlets/center-wire/page/2/")
        )
    );
    assert_eq!(
        page(&site, "outlets/center-wire/page/3/index.html", rows),
        (s(&["Story 1"]), some("/outlets/center-wire/page/2/"), None)
    );
    let heading = text_of(&select(&site.html("outlets/center-wire/page/3/index.html"), "h2")[0]);
    assert_eq!(heading, "Stories citing Center Wire (5)");
    // An outlet no story cites has one page, saying so.
    assert!(site
        .read("outlets/right-post/index.html")
        .contains("No story cites this outlet yet."));
    assert!(!site.exists("outlets/right-post/page/2/index.html"));

    let sitemap = site.read("sitemap.xml");
    for url in [
        "topics/budget/page/2/",
        "topics/budget/page/3/",
        "outlets/center-wire/page/3/",
        "page/3/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://test.example.org/{url}</loc>")),
            "{url}"
        );
    }
}

#[test]
fn a_link_to_a_topic_or_outlet_page_is_checked_by_name() {
    let site = five_stories();
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n[older](/topics/budget/page/2/) [wrong](/topics/budgte/page/2/) [out](/outlets/nobody/page/2/)\n",
    );
    let out = site.cmd(&["check"]).assert().code(1);
    let errors: Vec<String> = stderr(&out)
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(str::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "error: content/pages/about.md:4:33: broken link '/topics/budgte/page/2/': no published story has the topic 'budgte'",
            "error: content/pages/about.md:4:65: broken link '/outlets/nobody/page/2/': no outlet 'nobody' in content/outlets.yaml",
        ]
    );
}
