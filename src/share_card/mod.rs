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

use crate::model::Bucket;
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
    /// Sources per side: left, center, right.
    pub counts: [u32; 3],
    /// Each side's whole percent of the rated sources, as the story page
    /// shows them: they add up to 100, or are all 0 when none is rated.
    pub percents: [u32; 3],
    /// Sources whose outlet has no bias rating.
    pub untracked: u32,
    pub sources: u32,
    /// The side too few sources come from, if the story has a blindspot.
    pub blindspot: Option<Bucket>,
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
        Card {
            site_name: "Parallax Briefs",
            title,
            counts,
            percents,
            untracked: 1,
            sources: counts.iter().sum::<u32>() + 1,
            blindspot: None,
        }
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
        let other = Card {
            blindspot: Some(Bucket::Right),
            ..c.clone()
        };
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
                Card {
                    blindspot: Some(Bucket::Right),
                    ..card(
                        "Wildfire season starts early in the west",
                        [6, 2, 0],
                        [75, 25, 0],
                    )
                },
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
