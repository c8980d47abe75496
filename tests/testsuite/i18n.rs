//! The site's language: site.yaml's `language` picks the theme's words and
//! date formats from its translation tables (themes/default/i18n/), a site's
//! own i18n/LANG.yaml overrides any of them, a key no table has falls back
//! to English with a warning from `check`, a right-to-left language sets
//! `dir="rtl"`, and `<html lang>`, the feed and the JSON-LD say the
//! language.

use crate::support::*;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example site of the repository, in `language`.
fn example_in(language: &str) -> TestSite {
    let site = TestSite {
        dir: tempfile::TempDir::new().expect("temp"),
    };
    copy_tree(&repo().join("content"), &site.path("content"));
    let yaml = std::fs::read_to_string(repo().join("site.yaml")).expect("site.yaml");
    site.write(
        "site.yaml",
        &yaml.replace("language: en", &format!("language: {language}")),
    );
    site
}

/// A site without warnings (one story, one outlet) in `language`.
fn small_site_in(language: &str) -> TestSite {
    let site = TestSite::without_warnings();
    site.write(
        "site.yaml",
        &format!("title: T\nbase_url: https://test.example.org\nlanguage: {language}\n"),
    );
    site
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css).iter().map(text_of).collect()
}

fn attr(doc: &scraper::Html, css: &str, name: &str) -> Option<String> {
    select(doc, css)
        .first()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

fn check_stderr(site: &TestSite, code: i32) -> String {
    let out = site
        .cmd(&["check"])
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .assert()
        .code(code);
    stderr(&out)
}

const STORY: &str = "stories/putin-skips-istanbul-talks/index.html";

#[test]
fn a_french_site_reads_french_on_every_kind_of_page() {
    let site = example_in("fr");
    site.build_ok();
    let story = site.html(STORY);
    assert_eq!(attr(&story, "html", "lang").as_deref(), Some("fr"));
    assert_eq!(attr(&story, "html", "dir"), None, "French is left to right");
    assert_eq!(
        texts(&story, ".site-header nav a"),
        ["À la une", "Thèmes", "Médias", "Angles morts"]
    );
    let meta = text_of(&select(&story, ".story-header .meta")[0]);
    assert!(
        meta.starts_with(
            "Publié le 15 mai 2025 à 08:00 UTC · Mis à jour le 15 mai 2025 à 16:45 UTC"
        ),
        "{meta}"
    );
    assert_eq!(texts(&story, "#overview-h"), ["Vue d’ensemble"]);
    assert_eq!(texts(&story, "#articles-h"), ["Articles (6)"]);
    assert_eq!(
        texts(&story, "#perspective-center .empty"),
        ["Il n’y a pas assez de sources de cette sensibilité pour en proposer une analyse."]
    );
    assert_eq!(
        texts(&story, ".perspective h3"),
        ["Gauche", "Centre", "Droite"]
    );
    // French puts a narrow no-break space before %.
    assert_eq!(
        texts(&story, ".coverage .bias-legend"),
        ["Gauche 50 % · Centre 0 % · Droite 50 %"]
    );
    assert!(site.read(STORY).contains("Gauche 50\u{202f}%</span>"));
    assert_eq!(
        attr(&story, ".coverage .bias-bar", "aria-label").as_deref(),
        Some("Couverture\u{a0}: Gauche 50\u{202f}%, Centre 0\u{202f}%, Droite 50\u{202f}%")
    );
    assert_eq!(
        texts(&story, ".first-reported"),
        ["Rapporté en premier par CNN, le 13 mai 2025 à 11:20 UTC"]
    );
    assert_eq!(
        attr(&story, "[data-filter=center]", "data-status").as_deref(),
        Some("Aucun article du centre.")
    );
    assert_eq!(
        texts(&story, ".timeline li time")[0],
        "15 mai 2025",
        "timeline days"
    );
    let ld: String = select(&story, "script[type='application/ld+json']")[0]
        .text()
        .collect();
    let ld: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD");
    assert_eq!(ld[0]["inLanguage"], "fr");

    let index = site.html("index.html");
    assert_eq!(texts(&index, "h1"), ["Derniers sujets"]);
    assert!(texts(&index, ".card-meta")
        .iter()
        .all(|m| m.contains("mai 2025") && m.ends_with(" sources")));
    let topic = site.html("topics/nato/index.html");
    let cards = select(&topic, ".card").len();
    assert_eq!(
        texts(&topic, ".lede"),
        [format!("{cards} sujets, du plus récent au plus ancien.")]
    );
    assert_eq!(texts(&topic, ".crumbs a"), ["Thèmes"]);
    assert_eq!(texts(&site.html("404.html"), "h1"), ["Page introuvable"]);
    let outlet = site.html("outlets/the-guardian/index.html");
    assert_eq!(texts(&outlet, ".facts dt")[0], "Orientation");
    assert_eq!(texts(&outlet, ".chip"), ["Centre gauche"]);

    let feed = site.read("feed.xml");
    let xml = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let lang = xml
        .root_element()
        .attribute(("http://www.w3.org/XML/1998/namespace", "lang"));
    assert_eq!(lang, Some("fr"));

    let search = site.html("search/index.html");
    let words: serde_json::Value =
        serde_json::from_str(&attr(&search, "[data-search]", "data-i18n").expect("data-i18n"))
            .expect("JSON");
    assert_eq!(words["side_left"], "Gauche");
    assert_eq!(words["sources_count"]["one"], "{count} source");
    assert_eq!(texts(&search, "h1"), ["Recherche"]);

    assert!(
        !check_stderr(&site, 0).contains("warning"),
        "fr is complete"
    );
}

#[test]
fn each_shipped_language_writes_dates_its_own_way() {
    for (language, published) in [
        ("fr", "Publié le 1er mai 2025 à 08:00 UTC"),
        ("de", "Veröffentlicht am 1. Mai 2025, 08:00 UTC"),
        ("es", "Publicado el 1 de mayo de 2025, 08:00 UTC"),
        ("en", "Published 1 May 2025, 08:00 UTC"),
    ] {
        let site = small_site_in(language);
        site.write(
            "content/stories/a.md",
            &story("A", "2025-05-01T08:00:00Z", &["center-wire"])
                .replace("sources:", "perspectives:\n  center: [Calm.]\nsources:"),
        );
        site.build_ok();
        let page = site.html("stories/a/index.html");
        assert_eq!(
            texts(&page, ".story-header .meta"),
            [published],
            "{language}"
        );
        assert!(!check_stderr(&site, 0).contains("warning"), "{language}");
    }
}

#[test]
fn a_string_of_the_sites_own_table_wins_over_the_themes() {
    let site = example_in("fr");
    site.write(
        "i18n/fr.yaml",
        "nav_latest: L’essentiel\nno_perspective: \"Rien de ce bord <pour l’instant>.\"\n",
    );
    site.build_ok();
    let story = site.html(STORY);
    assert_eq!(
        texts(&story, ".site-header nav a"),
        ["L’essentiel", "Thèmes", "Médias", "Angles morts"]
    );
    assert_eq!(
        texts(&story, "#perspective-center .empty"),
        ["Rien de ce bord <pour l’instant>."]
    );
    assert!(
        site.read(STORY)
            .contains("Rien de ce bord &lt;pour l’instant&gt;."),
        "escaped"
    );
    // English sites take their own table the same way.
    let english = example_in("en");
    english.write("i18n/en.yaml", "nav_latest: Newest\n");
    english.build_ok();
    assert_eq!(
        texts(&english.html("index.html"), ".site-header nav a")[0],
        "Newest"
    );
}

#[test]
fn a_key_missing_from_a_translation_falls_back_to_english_and_check_warns() {
    let site = small_site_in("it");
    // A table that lacks one key: the French one, without `nav_topics`.
    let french = std::fs::read_to_string(repo().join("themes/default/i18n/fr.yaml")).unwrap();
    let partial: String = french
        .lines()
        .filter(|l| !l.starts_with("nav_topics:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("i18n/it.yaml", &partial);
    assert_eq!(
        check_stderr(&site, 0),
        "warning: i18n/it.yaml: missing key 'nav_topics' for language 'it': the English text is used\n\
         ok: 1 story, 0 pages, 1 outlet; 1 warning in 1 file\n"
    );
    site.build_ok();
    let index = site.html("index.html");
    assert_eq!(
        texts(&index, ".site-header nav a"),
        ["À la une", "Topics", "Médias", "Angles morts"]
    );
    assert_eq!(attr(&index, "html", "lang").as_deref(), Some("it"));
}

#[test]
fn a_language_no_table_knows_is_english_with_one_warning() {
    let site = small_site_in("xx");
    assert_eq!(
        check_stderr(&site, 0),
        "warning: site.yaml:3:1: language: the theme has no translation into 'xx': its words are in English\n  \
         |\n\
         3 | language: xx\n  \
         | ^^^^^^^^\n  \
         |\n  \
         = help: translate them in i18n/xx.yaml (the keys are those of the theme's i18n/en.yaml)\n\
         ok: 1 story, 0 pages, 1 outlet; 1 warning in 1 file\n"
    );
    site.build_ok();
    let index = site.html("index.html");
    assert_eq!(attr(&index, "html", "lang").as_deref(), Some("xx"));
    assert_eq!(texts(&index, "h1"), ["Latest stories"]);
    // Not a language tag: no file is looked for, and check says why.
    let odd = small_site_in("\"../en_US\"");
    assert!(check_stderr(&odd, 0)
        .contains("language: '../en_US' is not a language tag: the theme's words are in English"));
}

#[test]
fn unknown_keys_placeholders_and_plural_forms_are_warnings_with_a_hint() {
    let site = small_site_in("fr");
    site.write(
        "i18n/fr.yaml",
        "nav_lates: Accueil\nsources_count:\n  one: \"{count} source\"\n  onne: x\n  other: \"{cuont} sources\"\n",
    );
    let err = check_stderr(&site, 0);
    for expected in [
        "warning: i18n/fr.yaml:1:1: nav_lates: no such key in the theme's i18n/en.yaml: ignored",
        "= help: did you mean 'nav_latest'?",
        "warning: i18n/fr.yaml:4:3: sources_count.onne: unknown plural form 'onne' (expected one of: zero, one, two, few, many, other)",
        "= help: did you mean 'one'?",
        "warning: i18n/fr.yaml:5:3: sources_count.other: unknown placeholder {cuont} (the English text has {count}): the English text is used",
        "= help: did you mean {count}?",
        "3 warnings in 1 file",
    ] {
        assert!(err.contains(expected), "{expected}\nin:\n{err}");
    }
    // The theme's French stands where the site's own entry was left out.
    site.build_ok();
    let card = site.html("index.html");
    assert!(texts(&card, ".card-meta")[0].ends_with("1 source"));
}

#[test]
fn a_table_that_is_not_yaml_is_an_error_at_its_place() {
    let site = small_site_in("fr");
    site.write(
        "i18n/fr.yaml",
        "nav_latest: \"Accueil\nnav_topics: Thèmes\n",
    );
    let err = check_stderr(&site, 1);
    assert!(err.starts_with("error: i18n/fr.yaml:1:13: "), "{err}");
    site.write("i18n/fr.yaml", "nav_latest:\n  - Accueil\n");
    let err = check_stderr(&site, 1);
    assert!(
        err.starts_with(
            "error: i18n/fr.yaml:2:3: nav_latest: wrong type: found sequence, expected text, or plural forms (one: …, other: …)"
        ),
        "{err}"
    );
    site.cmd(&["build"]).assert().code(1);
    assert!(!site.exists("index.html"), "nothing was written");
}

#[test]
fn a_template_asking_for_a_key_the_theme_lacks_fails_at_its_line() {
    let site = small_site_in("en");
    for (call, says) in [
        (
            "t(key=\"not_found_titel\")",
            "t(key=\"not_found_titel\"): no such key in the theme's i18n/en.yaml (did you mean 'not_found_title'?)",
        ),
        (
            "words.not_found_titel",
            "Field `not_found_titel` is not defined. Available fields: ",
        ),
    ] {
        site.write(
            "templates/404.html",
            &format!("{{% extends \"base.html\" %}}\n{{% block main %}}{{{{ {call} }}}}{{% endblock main %}}"),
        );
        let out = site.cmd(&["build"]).assert().code(1);
        let err = stderr(&out);
        assert!(
            err.contains("templates/404.html:2:") && err.contains(says),
            "{call}: {err}"
        );
        assert!(!site.exists("index.html"), "{call}: nothing was written");
    }
}

#[test]
fn an_arabic_site_is_right_to_left_and_in_arabic() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: موجز\nbase_url: https://ar.example.org\nlanguage: ar\n",
    );
    let outlets = std::fs::read_to_string(repo().join("content/outlets.yaml")).unwrap();
    site.write("content/outlets.yaml", &outlets);
    copy_tree(
        &repo().join("tests/fixtures/i18n/ar"),
        &site.path("content/stories"),
    );
    site.build_ok();
    let story = site.html(STORY);
    assert_eq!(attr(&story, "html", "lang").as_deref(), Some("ar"));
    assert_eq!(attr(&story, "html", "dir").as_deref(), Some("rtl"));
    assert_eq!(
        texts(&story, ".site-header nav a"),
        ["الأحدث", "المواضيع", "وسائل الإعلام", "النقاط العمياء"]
    );
    assert_eq!(texts(&story, "#articles-h"), ["المقالات (6)"]);
    // Arabic counts take their six forms.
    let timeline = texts(&story, ".timeline-articles span");
    assert_eq!(timeline, ["نُشرت 3 مقالات", "نُشر مقالان", "نُشر مقال واحد"]);
    assert!(texts(&site.html("index.html"), ".card-meta")[0].ends_with("6 مصادر"));
    let ld: String = select(&story, "script[type='application/ld+json']")[0]
        .text()
        .collect();
    assert!(ld.contains("\"inLanguage\":\"ar\""));
    let err = check_stderr(&site, 0);
    assert!(
        !err.contains("i18n") && !err.contains("language"),
        "ar is complete: {err}"
    );
}

#[test]
fn hebrew_is_right_to_left_in_english_words_and_check_says_so() {
    let site = small_site_in("he");
    let err = check_stderr(&site, 0);
    assert!(
        err.contains("language: the theme has no translation into 'he': its words are in English"),
        "{err}"
    );
    site.build_ok();
    let index = site.html("index.html");
    assert_eq!(attr(&index, "html", "dir").as_deref(), Some("rtl"));
    assert_eq!(texts(&index, "h1"), ["Latest stories"]);
}

#[test]
fn the_english_words_are_the_ones_the_theme_always_had() {
    let site = example_in("en");
    site.build_ok();
    let story = site.html(STORY);
    assert_eq!(attr(&story, "html", "dir"), None);
    assert_eq!(
        texts(&story, ".coverage .bias-legend"),
        ["Left 50% · Center 0% · Right 50%"]
    );
    assert_eq!(
        attr(&story, ".coverage .bias-bar", "aria-label").as_deref(),
        Some("Coverage: Left 50%, Center 0%, Right 50%")
    );
    assert_eq!(
        texts(&story, ".breakdown li")[0],
        "High: 2 (33%)",
        "breakdowns"
    );
    assert_eq!(
        texts(&story, ".story-header .meta")[0],
        "Published 15 May 2025, 08:00 UTC · Updated 15 May 2025, 16:45 UTC · Istanbul, Turkey"
    );
    assert_eq!(
        texts(&story, ".first-reported"),
        ["First reported by CNN, 13 May 2025, 11:20 UTC"]
    );
    assert_eq!(
        texts(&story, ".timeline-articles span"),
        [
            "3 articles published",
            "2 articles published",
            "1 article published"
        ]
    );
    assert_eq!(
        attr(&story, "[data-filter=all]", "data-status").as_deref(),
        Some("Showing all 6 articles.")
    );
    assert_eq!(
        attr(&story, "[data-filter=left]", "data-status").as_deref(),
        Some("Showing 3 of 6 articles, from the left.")
    );
    let blind = site.html("stories/eu-adopts-17th-sanctions-package/index.html");
    let badge = texts(&blind, ".coverage .blindspot-badge");
    assert!(
        badge[0].starts_with("Blindspot: few sources from the right cover this story: "),
        "{badge:?}"
    );
    let topics = site.html("topics/index.html");
    assert!(texts(&topics, ".topic-list .count")
        .iter()
        .all(|c| c.ends_with(" story") || c.ends_with(" stories")));
}

#[test]
fn watch_rebuilds_the_pages_when_a_table_is_written_edited_or_removed() {
    let site = small_site_in("fr");
    let watch = Running::start(&site, &["watch"]);
    watch.wait_line("the first build", |l| l.starts_with("built in"));
    let nav = |site: &TestSite| {
        let page =
            std::fs::read_to_string(site.path("public/stories/a/index.html")).unwrap_or_default();
        texts(&scraper::Html::parse_document(&page), ".site-header nav a")
            .first()
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(nav(&site), "À la une");
    // i18n/ did not exist when the watch began.
    site.write("i18n/fr.yaml", "nav_latest: Accueil\n");
    wait_for("the new table", || nav(&site) == "Accueil");
    site.write("i18n/fr.yaml", "nav_latest: L’essentiel\n");
    wait_for("the edited table", || nav(&site) == "L’essentiel");
    site.remove("i18n/fr.yaml");
    wait_for("the table removed", || nav(&site) == "À la une");
    assert!(watch
        .log()
        .iter()
        .any(|l| l.starts_with("rebuilt") && l.contains("after i18n/")));
    watch.stop();
}
