//! A second `parallax build` with a warm cache folder (validated stories and
//! the saved render memo) writes exactly what a cold build writes, after
//! every kind of change: compared file by file and folder by folder with a
//! build of a copy of the site, which has no cache folder, into a new folder.

use crate::sitegen::{copy_inputs, theme_template, tree, tree_difference};
use crate::support::*;

/// The site every case starts from: stories in folders, one related to
/// another, a draft, a page, a static file, a template override and a
/// partial it includes, and a theme folder that is not selected.
fn base_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story_with(
            "Alpha",
            "2025-05-15",
            &["left-daily", "right-post"],
            "topics: [NATO]\nrelated: [b]",
        ),
    );
    site.write(
        "content/stories/2025/b.md",
        &story_with(
            "Bravo",
            "2025-05-16",
            &["center-wire"],
            "topics: [NATO, Courts]",
        ),
    );
    site.write(
        "content/stories/2025/c.md",
        &story("Charlie", "2025-05-17", &["unrated-news"]),
    );
    site.write(
        "content/stories/d.md",
        &story_with("Delta draft", "2025-05-18", &["left-daily"], "draft: true"),
    );
    site.write("content/pages/about.md", "---\ntitle: About\n---\nUs.\n");
    site.write("static/files/notes.txt", "notes");
    site.write(
        "templates/card.html",
        &theme_template("card.html").replacen(
            "</article>",
            "{% include \"note.html\" %}</article>",
            1,
        ),
    );
    site.write("templates/note.html", "<p class=\"note\">note</p>");
    let repo_theme = repo_theme();
    copy_tree(&repo_theme, &site.path("themes/alt"));
    site
}

type Case = (&'static str, fn(&TestSite));

const CASES: &[Case] = &[
    ("story retitled in place", |s| {
        s.write(
            "content/stories/2025/b.md",
            &std::fs::read_to_string(s.path("content/stories/2025/b.md"))
                .unwrap()
                .replace("Bravo", "Bravo two"),
        );
    }),
    ("story redated", |s| {
        s.write(
            "content/stories/2025/c.md",
            &story("Charlie", "2025-04-01", &["unrated-news"]),
        );
    }),
    ("story added", |s| {
        s.write(
            "content/stories/new/e.md",
            &story("Echo", "2025-05-19", &["right-post"]),
        );
    }),
    ("story deleted", |s| {
        s.remove("content/stories/2025/c.md");
    }),
    ("story renamed (a new slug)", |s| {
        std::fs::rename(
            s.path("content/stories/2025/c.md"),
            s.path("content/stories/2025/c2.md"),
        )
        .unwrap();
    }),
    ("story folder deleted", |s| {
        std::fs::remove_dir_all(s.path("content/stories/2025")).unwrap();
        s.write(
            "content/stories/a.md",
            &story("Alpha", "2025-05-15", &["left-daily"]),
        );
    }),
    ("story becomes a draft", |s| {
        s.write(
            "content/stories/2025/c.md",
            &story_with("Charlie", "2025-05-17", &["unrated-news"], "draft: true"),
        );
    }),
    ("story gets an explicit slug", |s| {
        s.write(
            "content/stories/2025/c.md",
            &story_with(
                "Charlie",
                "2025-05-17",
                &["unrated-news"],
                "slug: charlie-slug",
            ),
        );
    }),
    ("a topic's most used spelling changes", |s| {
        s.write(
            "content/stories/2025/b.md",
            &story_with(
                "Bravo",
                "2025-05-16",
                &["center-wire"],
                "topics: [nato, Courts]",
            ),
        );
        s.write(
            "content/stories/2025/c.md",
            &story_with("Charlie", "2025-05-17", &["unrated-news"], "topics: [nato]"),
        );
    }),
    ("outlet re-rated", |s| {
        s.write(
            "content/outlets.yaml",
            &OUTLETS.replacen("bias: center", "bias: right", 1),
        );
    }),
    ("outlet renamed", |s| {
        s.write(
            "content/outlets.yaml",
            &OUTLETS.replace("name: Center Wire", "name: \"Wire & <Co>\""),
        );
    }),
    ("outlet added", |s| {
        s.write(
            "content/outlets.yaml",
            &format!("{OUTLETS}new-outlet:\n  name: New\n  bias: left\n"),
        );
    }),
    ("outlet removed", |s| {
        s.write(
            "content/outlets.yaml",
            &OUTLETS.replace("unrated-news:\n  name: Unrated News\n", ""),
        );
        s.write(
            "content/stories/2025/c.md",
            &story("Charlie", "2025-05-17", &["left-daily"]),
        );
    }),
    ("page added", |s| {
        s.write(
            "content/pages/legal/Privacy Policy.md",
            "---\ntitle: Privacy\n---\nNone.\n",
        );
    }),
    ("page edited", |s| {
        s.write(
            "content/pages/about.md",
            "---\ntitle: About us\ndescription: Who\n---\nUs.\n",
        );
    }),
    ("page deleted", |s| {
        s.remove("content/pages/about.md");
    }),
    ("static file added", |s| {
        s.write("static/files/deep/more.txt", "more");
    }),
    ("static file edited", |s| {
        s.write("static/files/notes.txt", "other");
    }),
    ("static file deleted", |s| {
        s.remove("static/files/notes.txt");
    }),
    ("static file overrides the theme's", |s| {
        s.write("static/parallax.css", "body{}");
    }),
    ("site.yaml title", |s| {
        s.write(
            "site.yaml",
            "title: Other & <Title>\nbase_url: https://test.example.org\n",
        );
    }),
    ("site.yaml stories_per_page and base_url", |s| {
        s.write(
            "site.yaml",
            "title: Test Briefs\nbase_url: https://test.example.org/briefs\nstories_per_page: 1\n",
        );
    }),
    ("site.yaml selects a theme folder", |s| {
        s.write(
            "site.yaml",
            "title: Test Briefs\nbase_url: https://test.example.org\ntheme: alt\n",
        );
    }),
    ("site.yaml turns search off", |s| {
        s.write(
            "site.yaml",
            "title: Test Briefs\nbase_url: https://test.example.org\nsearch: false\n",
        );
    }),
    ("search page override added", |s| {
        s.write(
            "templates/search.html",
            &theme_template("search.html").replacen(
                "{% block main %}",
                "{% block main %}<p class=\"mark\">search</p>",
                1,
            ),
        );
    }),
    ("template override added", |s| {
        s.write(
            "templates/story.html",
            &theme_template("story.html").replacen(
                "{% block main %}",
                "{% block main %}<p>override</p>",
                1,
            ),
        );
    }),
    ("template override edited", |s| {
        s.write(
            "templates/card.html",
            &theme_template("card.html").replacen(
                "<article class=\"card\">",
                "<article class=\"card\"><p>edited</p>",
                1,
            ),
        );
    }),
    ("template override deleted", |s| {
        s.remove("templates/card.html");
    }),
    ("included partial edited", |s| {
        s.write("templates/note.html", "<p class=\"note\">another note</p>");
    }),
    ("theme folder stands in for the built-in theme", |s| {
        let repo_theme = repo_theme();
        copy_tree(&repo_theme, &s.path("themes/default"));
        s.write(
            "themes/default/templates/base.html",
            &theme_template("base.html").replace("</footer>", "<p>site theme</p></footer>"),
        );
    }),
];

#[test]
fn a_warm_cache_rebuild_equals_a_cold_build_after_every_kind_of_change() {
    for (what, change) in CASES {
        let site = base_site();
        site.build_ok();
        assert!(
            site.path(".parallax-cache").is_dir(),
            "{what}: no cache folder"
        );
        change(&site);
        site.build_ok();
        let warm = tree(&site.path("public"));

        let cold = tempfile::TempDir::new().unwrap();
        copy_inputs(site.root(), &cold.path().join("site"));
        assert!(!cold.path().join("site/.parallax-cache").exists());
        let out = cold.path().join("out");
        let mut cmd = assert_cmd::Command::cargo_bin("parallax").unwrap();
        cmd.arg("--root")
            .arg(cold.path().join("site"))
            .args(["build", "--output"])
            .arg(&out)
            .assert()
            .success();
        if let Some(diff) = tree_difference(&warm, &tree(&out)) {
            panic!("after '{what}', the warm rebuild against a cold build: {diff}");
        }
    }
}
