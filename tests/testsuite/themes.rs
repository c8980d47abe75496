//! Themes: the built-in default when the site has none, `theme:` picking
//! `themes/NAME/`, the site's `templates/` overriding by name, and static
//! files copied theme first, then the site's.

use crate::support::*;

#[test]
fn built_in_theme_site_overrides_and_static_order() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
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
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("A", "2025-05-15", &["left-daily"]),
    );
    let repo_theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
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
