//! Share cards: the 1200×630 PNG a story page names as its `og:image` when
//! the story has no image of its own. It shows the site's name, the title
//! (at most three lines, then an ellipsis), the coverage bar with its
//! percentages and the source count, in the theme's colours (`style`) and
//! the theme's font (`fonts`). Pure: a card's bytes are a function of its
//! `Card` and `Style` alone (and of the binary, which carries the fonts).
//! What goes where is `parts`; text wrapping `wrap`; the file `encode`.

mod canvas;
mod encode;
mod fonts;
mod glyphs;
mod parts;
mod style;
mod wrap;

pub use style::Style;

use crate::i18n::Translations;
use crate::model::{Config, Story};
use canvas::Canvas;
use std::sync::Mutex;

/// The size Open Graph and large Twitter cards ask for.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// What one card shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Card<'a> {
    pub site_name: &'a str,
    pub title: &'a str,
    /// Each side's whole percent of the rated sources, as the story page
    /// shows them: they add up to 100, or are all 0 when none is rated.
    pub percents: [u32; 3],
    pub words: Words,
}

/// The words a card shows besides the site's name and the title, already
/// in the site's language (the theme's translation table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Words {
    /// How many sources: "7 sources".
    pub sources: String,
    /// Each side's name: left, center, right.
    pub sides: [String; 3],
    /// Each side's share as the language writes it: "43%", "43 %".
    pub percents: [String; 3],
    /// The bar's text when no source is rated.
    pub no_rated: String,
    /// "1 untracked bias", when a source's outlet has no bias rating.
    pub untracked: Option<String>,
    /// The blindspot badge, when the story has one.
    pub blindspot: Option<String>,
}

/// The translation keys of a card's words.
pub mod keys {
    pub const BLINDSPOT_LABEL: &str = "blindspot_label";
    /// Followed by a side's id: `blindspot_card_left`.
    pub const BLINDSPOT_SIDE: &str = "blindspot_card_";
    pub const SOURCES_COUNT: &str = "sources_count";
    pub const UNTRACKED_BIAS_COUNT: &str = "untracked_bias_count";
    pub const NO_RATED_SOURCES: &str = "card_no_rated_sources";
    pub const PERCENT: &str = "percent";
    pub const SIDES: [&str; 3] = ["side_left", "side_center", "side_right"];
}

/// Why a story has no share card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCard {
    /// site.yaml says `share_cards: false`.
    Off,
    /// The story has an image of its own: that is its `og:image`.
    OwnImage,
    /// The theme's font lacks a character of the title, of the site's name
    /// or of the card's words in the site's language.
    Font,
}

impl NoCard {
    pub fn reason(self) -> &'static str {
        match self {
            NoCard::Off => "share_cards is false in site.yaml",
            NoCard::OwnImage => "it has an image of its own",
            NoCard::Font => "the card font cannot draw its title or the site's words",
        }
    }
}

/// Which stories get a card: the one rule, decided once a build from the
/// settings and the site's words, then story by story.
#[derive(Debug, Clone, Copy)]
pub struct Cards {
    on: bool,
    site_drawable: bool,
}

impl Cards {
    pub fn new(config: &Config, t: &Translations) -> Cards {
        let mut words = vec![config.title.as_str()];
        words.extend(
            [
                keys::BLINDSPOT_LABEL,
                keys::SOURCES_COUNT,
                keys::UNTRACKED_BIAS_COUNT,
                keys::NO_RATED_SOURCES,
                keys::PERCENT,
            ]
            .into_iter()
            .chain(keys::SIDES)
            .map(|key| t.text(key)),
        );
        let sides = ["left", "right"].map(|side| format!("{}{side}", keys::BLINDSPOT_SIDE));
        words.extend(sides.iter().map(|key| t.text(key)));
        Cards {
            on: config.share_cards,
            site_drawable: words.into_iter().all(font_covers),
        }
    }

    /// Ok when `story` has a card.
    pub fn for_story(&self, story: &Story) -> Result<(), NoCard> {
        if !self.on {
            Err(NoCard::Off)
        } else if story.image.is_some() {
            Err(NoCard::OwnImage)
        } else if !self.site_drawable || !story.card_draws_title {
            Err(NoCard::Font)
        } else {
            Ok(())
        }
    }
}

/// Whether the theme's font has a glyph for every character of `text`
/// (spaces and controls aside): a card is drawn only then, rather than
/// one showing missing-glyph boxes. A lookup per character: validation
/// asks it once per story (`Story::card_draws_title`), not each build.
pub fn font_covers(text: &str) -> bool {
    fonts::fonts().is_some_and(|f| f.covers(text))
}

/// Draws `card` and encodes it as PNG. Fails only if the binary's fonts are
/// broken or the encoder fails, never because of what the card says.
pub fn draw(card: &Card, style: &Style) -> Result<Vec<u8>, String> {
    let fonts = fonts::fonts().ok_or("the share card fonts could not be read")?;
    let mut canvas = base(fonts, style, card.site_name);
    parts::paint(&mut canvas, fonts, style, card);
    encode::png(&canvas).map_err(|e| format!("share card: {e}"))
}

/// The parts all the cards of a site share, drawn once and copied for each
/// card (the last site's are kept: a build has one).
fn base(fonts: &fonts::Fonts, style: &Style, site_name: &str) -> Canvas {
    static LAST: Mutex<Option<(String, Style, Canvas)>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    match &*last {
        Some((name, kept, canvas)) if name == site_name && kept == style => canvas.clone(),
        _ => {
            let canvas = parts::base(fonts, style, site_name);
            *last = Some((site_name.to_string(), *style, canvas.clone()));
            canvas
        }
    }
}

/// A hash of what every card is drawn with besides its `Card` and `Style`:
/// the fonts. Part of each card's key.
pub fn fonts_fingerprint() -> u128 {
    fonts::fonts().map_or(0, |f| f.fingerprint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card<'a>(title: &'a str, counts: [u32; 3], percents: [u32; 3]) -> Card<'a> {
        let sides = ["Left", "Center", "Right"];
        Card {
            site_name: "Parallax Briefs",
            title,
            percents,
            words: Words {
                sources: format!("{} sources", counts.iter().sum::<u32>() + 1),
                sides: sides.map(str::to_string),
                percents: percents.map(|p| format!("{p}%")),
                no_rated: "No rated sources".into(),
                untracked: Some("1 untracked bias".into()),
                blindspot: None,
            },
        }
    }

    fn blindspot(card: Card<'_>) -> Card<'_> {
        let mut card = card;
        card.words.blindspot = Some("Blindspot: few sources from the right (0%)".into());
        card
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_and_the_same_bytes_each_time() {
        let style = Style::from_css(None);
        let c = card("Council approves river crossing", [3, 2, 2], [43, 29, 28]);
        let bytes = draw(&c, &style).expect("drawn");
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let info = decoder.read_info().expect("a PNG");
        assert_eq!((info.info().width, info.info().height), (WIDTH, HEIGHT));
        assert_eq!(bytes, draw(&c, &style).expect("drawn"));
        let other = blindspot(c.clone());
        assert_ne!(bytes, draw(&other, &style).expect("drawn"));
    }

    /// Writes sample cards for a person to look at, with
    /// `PARALLAX_CARD_SAMPLES=/some/folder cargo test --lib sample_cards`;
    /// without it, does nothing.
    #[test]
    fn sample_cards() {
        let Some(dir) = std::env::var_os("PARALLAX_CARD_SAMPLES") else {
            return;
        };
        let long = "Council approves the new river crossing after a decade of delays, \
                    lawsuits, three referendums and a public inquiry into the cost";
        let samples = [
            (
                "short",
                card("Council approves river crossing", [3, 2, 2], [43, 29, 28]),
            ),
            ("long", card(long, [5, 4, 3], [42, 33, 25])),
            (
                "blindspot",
                blindspot(card(
                    "Wildfire season starts early in the west",
                    [6, 2, 0],
                    [75, 25, 0],
                )),
            ),
            (
                "one-side",
                card("Only the left covers this", [4, 0, 0], [100, 0, 0]),
            ),
            (
                "unrated",
                card("A story nobody rated", [0, 0, 0], [0, 0, 0]),
            ),
        ];
        for (name, c) in samples {
            let bytes = draw(&c, &Style::from_css(None)).expect("drawn");
            let path = std::path::Path::new(&dir).join(format!("{name}.png"));
            std::fs::write(path, bytes).expect("written");
        }
    }
}
