//! Share cards: each story without an image of its own gets a 1200×630 PNG
//! beside its page, named by its og:image; decoded here and looked at pixel
//! by pixel (size, colours, the title's ink, the coverage bar's sides). The
//! same bytes from two fresh builds; a story's own image wins; `share_cards:
//! false` draws none; a card is drawn again only when what it shows changes.

use crate::support::*;
use parallax::build::{Builder, Change, Options};

/// The default theme's light colours (parallax.css).
const FG: [u8; 3] = [0x16, 0x18, 0x1d];
const LEFT: [u8; 3] = [0x1d, 0x4e, 0xd8];
const CENTER: [u8; 3] = [0x5a, 0x62, 0x70];
const RIGHT: [u8; 3] = [0xb9, 0x1c, 0x1c];

/// A decoded card: its size and RGB pixels.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Image {
    fn decode(bytes: &[u8]) -> Image {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
        let frame = reader.next_frame(&mut buf).expect("a frame");
        let channels = frame.color_type.samples();
        let rgb = buf[..frame.buffer_size()]
            .chunks_exact(channels)
            .map(|px| [px[0], px[1], px[2]])
            .collect();
        Image {
            width: frame.width,
            height: frame.height,
            rgb,
        }
    }

    /// The pixels of the rows `top..bottom`.
    fn rows(&self, top: u32, bottom: u32) -> &[[u8; 3]] {
        let w = self.width as usize;
        &self.rgb[top as usize * w..bottom as usize * w]
    }

    fn count(&self, top: u32, bottom: u32, colour: [u8; 3]) -> usize {
        self.rows(top, bottom)
            .iter()
            .filter(|&&c| c == colour)
            .count()
    }
}

fn card_bytes(site: &TestSite, slug: &str) -> Vec<u8> {
    let path = site.path("public").join(format!("stories/{slug}/card.png"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn meta(site: &TestSite, page: &str, property: &str) -> Option<String> {
    let doc = site.html(page);
    let css = format!("meta[property=\"{property}\"], meta[name=\"{property}\"]");
    select(&doc, &css)
        .first()
        .and_then(|m| m.value().attr("content").map(str::to_string))
}

/// Stories citing every side, one side only, and an image of their own.
fn site_with_stories() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/stories/every-side.md",
        &story(
            "Council approves the river crossing after a decade of delays",
            "2025-05-15",
            &["left-daily", "center-wire", "right-post", "unrated-news"],
        ),
    );
    site.write(
        "content/stories/one-side.md",
        &story("Only the left covers this", "2025-05-14", &["left-daily"]),
    );
    site.write(
        "content/stories/pictured.md",
        &story("A story with a photo", "2025-05-13", &["center-wire"]).replace(
            "sources:",
            "image:\n  src: /img/photo.jpg\n  alt: The river at dawn\nsources:",
        ),
    );
    site.write("static/img/photo.jpg", "not really a JPEG");
    site
}

#[test]
fn a_story_without_an_image_gets_a_card_with_its_title_and_coverage() {
    let site = site_with_stories();
    site.build_ok();
    let card = Image::decode(&card_bytes(&site, "every-side"));
    assert_eq!((card.width, card.height), (1200, 630));
    let mut colours: Vec<[u8; 3]> = card.rgb.clone();
    colours.sort();
    colours.dedup();
    assert!(
        colours.len() > 50,
        "{} colours: a blank card?",
        colours.len()
    );
    // The title's ink, between the header and the coverage panel.
    let ink = card.count(128, 404, FG);
    assert!(ink > 5_000, "{ink} title pixels");
    // The bar: every side in the theme's colour.
    for (side, colour) in [("left", LEFT), ("center", CENTER), ("right", RIGHT)] {
        let n = card.count(478, 540, colour);
        assert!(n > 10_000, "{n} pixels of the {side} side");
    }
    // One side only: the bar is that side's colour alone.
    let one = Image::decode(&card_bytes(&site, "one-side"));
    assert!(one.count(478, 540, LEFT) > 50_000);
    assert_eq!(one.count(478, 540, RIGHT), 0);

    let page = "stories/every-side/index.html";
    let url = "https://test.example.org/stories/every-side/card.png";
    assert_eq!(meta(&site, page, "og:image").as_deref(), Some(url));
    assert_eq!(
        meta(&site, page, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert_eq!(meta(&site, page, "og:image:width").as_deref(), Some("1200"));
    assert_eq!(meta(&site, page, "og:image:height").as_deref(), Some("630"));
    let alt = meta(&site, page, "og:image:alt").expect("an alt text");
    assert!(
        alt.contains("Left 34%, Center 33%, Right 33%; 4 sources"),
        "{alt}"
    );
    assert!(
        site.read(page).contains(&format!("\"image\":\"{url}\"")),
        "JSON-LD"
    );
}

#[test]
fn a_story_with_its_own_image_shares_it_and_gets_no_card() {
    let site = site_with_stories();
    site.build_ok();
    let page = "stories/pictured/index.html";
    assert_eq!(
        meta(&site, page, "og:image").as_deref(),
        Some("https://test.example.org/img/photo.jpg")
    );
    assert_eq!(
        meta(&site, page, "og:image:alt").as_deref(),
        Some("The river at dawn")
    );
    assert_eq!(meta(&site, page, "og:image:width"), None);
    assert!(!site.exists("stories/pictured/card.png"));
}

#[test]
fn cards_are_the_same_bytes_in_two_fresh_builds() {
    let site = site_with_stories();
    let mut outputs = Vec::new();
    for out in [site.path("out-one"), site.path("out-two")] {
        let out_arg = out.to_str().expect("a UTF-8 path");
        site.cmd(&["build", "--output", out_arg]).assert().success();
        let _ = std::fs::remove_dir_all(site.path(".parallax-cache"));
        let card = std::fs::read(out.join("stories/every-side/card.png"));
        outputs.push(card.expect("a card"));
    }
    assert!(outputs[0] == outputs[1]);
}

#[test]
fn share_cards_false_draws_none_and_the_site_image_is_shared() {
    let site = site_with_stories();
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org/briefs\nshare_cards: false\nimage: /social.png\n",
    );
    site.write("static/social.png", "not really a PNG");
    site.build_ok();
    let cards: Vec<String> = snapshot(&site.path("public"))
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.ends_with("card.png"))
        .collect();
    assert!(cards.is_empty(), "{cards:?}");
    assert_eq!(
        meta(&site, "stories/every-side/index.html", "og:image").as_deref(),
        Some("https://test.example.org/briefs/social.png")
    );
    assert_eq!(
        meta(&site, "stories/pictured/index.html", "og:image").as_deref(),
        Some("https://test.example.org/briefs/img/photo.jpg")
    );
}

#[test]
fn the_card_url_is_absolute_under_a_base_path() {
    let site = site_with_stories();
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org/briefs/\n",
    );
    site.build_ok();
    assert_eq!(
        meta(&site, "stories/one-side/index.html", "og:image").as_deref(),
        Some("https://test.example.org/briefs/stories/one-side/card.png")
    );
}

#[test]
fn cards_take_the_colours_of_the_sites_stylesheet() {
    let site = site_with_stories();
    let css = include_str!("../../themes/default/static/parallax.css");
    site.write(
        "static/parallax.css",
        &css.replacen("--left:#1d4ed8", "--left:#00aa44", 1),
    );
    site.build_ok();
    let card = Image::decode(&card_bytes(&site, "one-side"));
    assert!(card.count(478, 540, [0x00, 0xaa, 0x44]) > 50_000);
    assert_eq!(card.count(478, 540, LEFT), 0);
}

/// With share cards on or off: how many outputs an edit of the overview
/// renders, then one of the title; and the card's bytes before and after.
fn rendered_after_edits(share_cards: bool) -> (usize, usize, Vec<Vec<u8>>) {
    let site = site_with_stories();
    site.write(
        "site.yaml",
        &format!("title: T\nbase_url: https://test.example.org\nshare_cards: {share_cards}\n"),
    );
    let mut builder = Builder::new(Options {
        root: site.root().to_path_buf(),
        output: site.path("public"),
        base_url: None,
        drafts: false,
    });
    builder.load_all();
    builder.build().expect("first build");
    let mut cards = Vec::new();
    let mut keep_card = || {
        if share_cards {
            cards.push(card_bytes(&site, "every-side"));
        }
    };
    keep_card();
    let file = "content/stories/every-side.md";
    let text = std::fs::read_to_string(site.path(file)).expect("story");
    let mut rebuild = |text: &str| {
        site.write(file, text);
        builder.reload(&[Change::Story(file.into())]);
        builder.build().expect("rebuild").rendered
    };
    let overview = rebuild(&text.replace("The overview.", "A new overview."));
    keep_card();
    let title = rebuild(&text.replace("after a decade of delays", "at last"));
    keep_card();
    rebuild(&text);
    keep_card();
    (overview, title, cards)
}

#[test]
fn a_card_is_drawn_again_only_when_what_it_shows_changes() {
    let (overview, title, cards) = rendered_after_edits(true);
    let (overview_without, title_without, _) = rendered_after_edits(false);
    assert_eq!(overview, overview_without, "a new overview leaves the card");
    assert_eq!(title, title_without + 1, "a new title draws the card again");
    assert!(cards[0] == cards[1]);
    assert!(cards[1] != cards[2]);
    assert!(cards[3] == cards[0], "the first title's card again");
}

#[test]
fn a_link_to_a_card_is_checked_like_any_output() {
    let site = site_with_stories();
    site.write(
        "content/pages/press.md",
        "---\ntitle: Press\n---\n[Card](/stories/one-side/card.png) and [none](/stories/pictured/card.png).\n",
    );
    let assert = site.cmd(&["check"]).assert().failure();
    let err = stderr(&assert);
    assert!(
        err.contains("the story 'pictured' has no share card: it has an image of its own"),
        "{err}"
    );
    assert!(
        err.contains("1 error in 1 file"),
        "one-side's card exists: {err}"
    );
}

#[test]
fn a_card_says_its_words_in_the_sites_language() {
    let site = site_with_stories();
    site.build_ok();
    let english = card_bytes(&site, "every-side");
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org\nlanguage: fr\n",
    );
    site.build_ok();
    let french = card_bytes(&site, "every-side");
    assert!(english != french, "the legend reads Gauche, Centre, Droite");
    // A site's own words for the language redraw its cards.
    site.write(
        "i18n/fr.yaml",
        "sources_count:\n  one: \"{count} article\"\n  other: \"{count} articles\"\n",
    );
    site.build_ok();
    assert!(card_bytes(&site, "every-side") != french);
    assert!(card_bytes(&site, "one-side") != english);
}

#[test]
fn a_title_the_card_font_cannot_draw_gets_no_card_but_the_site_image() {
    let site = site_with_stories();
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org\nimage: /social.png\n",
    );
    site.write("static/social.png", "not really a PNG");
    site.write(
        "content/stories/arabic.md",
        &story(
            "مجلس المدينة يوافق على الجسر",
            "2025-05-12",
            &["center-wire"],
        ),
    );
    site.write(
        "content/pages/press.md",
        "---\ntitle: Press\n---\n[Card](/stories/arabic/card.png).\n",
    );
    let assert = site.cmd(&["check"]).assert().failure();
    let err = stderr(&assert);
    assert!(
        err.contains("the story 'arabic' has no share card: the card font cannot draw its title or the site's words"),
        "{err}"
    );
    site.write("content/pages/press.md", "---\ntitle: Press\n---\nPress.\n");
    site.build_ok();
    assert!(!site.exists("stories/arabic/card.png"));
    assert_eq!(
        meta(&site, "stories/arabic/index.html", "og:image").as_deref(),
        Some("https://test.example.org/social.png")
    );
    assert!(site.exists("stories/every-side/card.png"));

    // A language whose words the font cannot draw: no card at all.
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org\nimage: /social.png\nlanguage: ar\n",
    );
    site.build_ok();
    assert!(!site.exists("stories/every-side/card.png"));
    assert_eq!(
        meta(&site, "stories/every-side/index.html", "og:image").as_deref(),
        Some("https://test.example.org/social.png")
    );
}
