//! Themes: the built-in default when the site has none, `theme:` picking
//! `themes/NAME/`, the site's `templates/` overriding by name, and static
//! files copied theme first, then the site's.

use crate::support::*;

#[test]
fn built_in_theme_site_overrides_and_static_order() {
    let site = TestSite::with_one_story();
    site.build_ok();
    assert!(
        site.read("parallax.css").contains("prefers-color-scheme"),
        "the embedded theme's CSS"
    );

    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost?</h1>{% endblock main %}",
    );
    site.write("static/parallax.css", "body{}");
    site.write("static/images/logo.svg", "<svg/>");
    site.build_ok();
    assert_eq!(text_of(&select(&site.html("404.html"), "h1")[0]), "Lost?");
    assert_eq!(site.read("parallax.css"), "body{}");
    assert_eq!(site.read("images/logo.svg"), "<svg/>");
    // Other templates still come from the theme.
    assert_eq!(
        select(&site.html("stories/a/index.html"), "#articles-h").len(),
        1
    );
}

#[test]
fn a_named_theme_folder() {
    let site = TestSite::with_one_story();
    let repo_theme = repo_theme();
    copy_tree(&repo_theme, &site.path("themes/plain"));
    site.write(
        "themes/plain/templates/card.html",
        "<p class=\"plain-card\">{{ story.title }}</p>",
    );
    site.write("themes/plain/static/plain.css", "p{}");
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://test.example.org\ntheme: plain\n",
    );
    site.build_ok();
    assert_eq!(select(&site.html("index.html"), ".plain-card").len(), 1);
    assert_eq!(site.read("plain.css"), "p{}");
}

/// docs/templates.md's list of what every template receives, checked
/// field by field: tests/fixtures/template-api/site overrides every template
/// with one that prints each documented variable (Tera fails on a field that
/// is not there), and the pages it makes must be exactly the reviewed ones in
/// tests/fixtures/template-api/expected/.
#[test]
fn every_documented_template_variable_reaches_its_template() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/template-api");
    let site = TestSite {
        dir: tempfile::TempDir::new().unwrap(),
    };
    copy_tree(&fixture.join("site"), site.root());
    site.build_ok();
    let expected = snapshot(&fixture.join("expected"));
    assert_eq!(expected.len(), 16);
    for (rel, bytes) in expected {
        let got = site.read(&rel);
        let want = String::from_utf8(bytes).unwrap();
        assert!(got == want, "{rel}:\n{got}\nexpected:\n{want}");
    }
}

#[test]
fn a_site_themes_default_folder_takes_the_place_of_the_built_in_theme() {
    let site = TestSite::with_one_story();
    let repo_theme = repo_theme();
    copy_tree(&repo_theme, &site.path("themes/default"));
    site.write(
        "themes/default/templates/base.html",
        &std::fs::read_to_string(repo_theme.join("templates/base.html"))
            .unwrap()
            .replace("</footer>", "<p class=\"site-theme\">ours</p></footer>"),
    );
    site.write("themes/default/static/parallax.css", "/* ours */");
    // A theme without robots.txt: the build writes its own.
    std::fs::remove_file(site.path("themes/default/templates/robots.txt")).unwrap();
    site.build_ok();
    assert_eq!(select(&site.html("index.html"), ".site-theme").len(), 1);
    assert_eq!(site.read("parallax.css"), "/* ours */");
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://test.example.org/sitemap.xml\nSitemap: https://test.example.org/news-sitemap.xml\n"
    );
}

#[test]
fn a_component_defined_in_its_own_file_is_called_from_another_template() {
    let site = TestSite::with_one_story();
    site.write(
        "templates/chip.html",
        "{% component chip(label) %}<b class=\"chip-x\">{{ label }}</b>{% endcomponent chip %}",
    );
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{{<chip label=\"Gone\" />}}{% endblock main %}",
    );
    site.build_ok();
    assert_eq!(
        text_of(&select(&site.html("404.html"), "b.chip-x")[0]),
        "Gone"
    );
}

#[test]
fn the_built_in_sitemap_reads_as_its_template_draws_it() {
    // The built-in theme's sitemap.xml is written without Tera; a copy of
    // the template that differs by a comment alone goes through Tera.
    let site = TestSite::with_one_story();
    site.build_ok();
    let built_in = site.read("sitemap.xml");
    assert!(built_in.contains("</loc><lastmod>"), "{built_in}");
    let template = std::fs::read_to_string(repo_theme().join("templates/sitemap.xml")).unwrap();
    site.write(
        "templates/sitemap.xml",
        &format!("{template}{{# the site's own copy #}}"),
    );
    site.build_ok();
    assert_eq!(site.read("sitemap.xml"), built_in);
    // A site's own sitemap template is the one drawn.
    site.write(
        "templates/sitemap.xml",
        &template.replace("<urlset", "<!-- ours --><urlset"),
    );
    site.build_ok();
    assert!(site.read("sitemap.xml").contains("<!-- ours --><urlset"));
}
