//! The share cards' fonts and text: the default theme's two faces (embedded
//! with the theme, `themes/default/fonts/`), text shaped by rustybuzz
//! (kerning and ligatures as the font defines them) and drawn glyph by
//! glyph (`glyphs`). No system font is ever looked at, so the fonts a
//! machine has installed never change a card. A card is drawn only for
//! text the fonts cover (`Fonts::covers`), so none shows a missing-glyph
//! box.

use super::canvas::Canvas;
use super::glyphs::Cache;
use super::style::Rgb;
use crate::load::DEFAULT_THEME;
use crate::paths::{CARD_FONT_BOLD, CARD_FONT_REGULAR, THEME_FONTS_DIR};
use rustybuzz::ttf_parser::GlyphId;
use rustybuzz::{Face, UnicodeBuffer};
use std::sync::OnceLock;

/// The two faces a card uses.
pub(super) struct Fonts {
    pub(super) regular: Font,
    pub(super) bold: Font,
    /// A hash of both files: part of every card's key.
    pub(super) fingerprint: u128,
}

pub(super) struct Font {
    face: Face<'static>,
    glyphs: Cache,
}

/// The fonts, parsed once; None if the embedded files are missing or
/// unreadable (a broken build of the binary, never an editor's doing).
pub(super) fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let file = |name: &str| {
                DEFAULT_THEME
                    .get_file(format!("{THEME_FONTS_DIR}/{name}"))
                    .map(|f| f.contents())
            };
            let (regular, bold) = (file(CARD_FONT_REGULAR)?, file(CARD_FONT_BOLD)?);
            let mut both = regular.to_vec();
            both.extend_from_slice(bold);
            Some(Fonts {
                regular: Font::new(regular)?,
                bold: Font::new(bold)?,
                fingerprint: xxhash_rust::xxh3::xxh3_128(&both),
            })
        })
        .as_ref()
}

impl Fonts {
    /// Whether both faces have a glyph for every character of `text` that
    /// is drawn (not a space or a control character).
    pub(super) fn covers(&self, text: &str) -> bool {
        text.chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .all(|c| self.regular.has(c) && self.bold.has(c))
    }
}

/// A piece of text shaped at a size: each glyph and where it goes, relative
/// to the start of its baseline.
pub(super) struct Shaped<'f> {
    font: &'f Font,
    glyphs: Vec<(GlyphId, f32, f32)>,
    /// How far the pen moved, in pixels.
    pub(super) width: f32,
    scale: f32,
}

impl Font {
    fn new(data: &'static [u8]) -> Option<Font> {
        Some(Font {
            face: Face::from_slice(data, 0)?,
            glyphs: Cache::default(),
        })
    }

    pub(super) fn shape(&self, text: &str, size: f32) -> Shaped<'_> {
        let scale = size / f32::from(self.face.units_per_em() as u16).max(1.0);
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let mut pen = 0.0;
        let mut glyphs = Vec::with_capacity(shaped.len());
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            let x = pen + pos.x_offset as f32 * scale;
            let y = pos.y_offset as f32 * scale;
            glyphs.push((GlyphId(info.glyph_id as u16), x, y));
            pen += pos.x_advance as f32 * scale;
        }
        Shaped {
            font: self,
            glyphs,
            width: pen,
            scale,
        }
    }

    fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// The width of `text` at `size`, in pixels.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text, size).width
    }
}

impl Shaped<'_> {
    /// Draws the text with its baseline starting at (`x`, `baseline`), the
    /// baseline on a whole pixel.
    pub(super) fn draw(&self, canvas: &mut Canvas, x: f32, baseline: f32, colour: Rgb) {
        let baseline = baseline.round();
        for &(glyph, gx, gy) in &self.glyphs {
            let at = (x + gx, baseline - gy.round());
            let font = self.font;
            font.glyphs
                .draw(&font.face, (glyph, self.scale), at, canvas, colour);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_fonts_load_and_shape() {
        let fonts = fonts().expect("the embedded fonts");
        let wide = fonts.bold.width("Parallax", 60.0);
        assert!(wide > 150.0 && wide < 400.0, "{wide}");
        assert!(
            fonts.regular.width("Parallax", 60.0) < wide,
            "bold is wider"
        );
        assert!(
            fonts.bold.width("\u{2026}", 60.0) > 0.0,
            "the font has an ellipsis"
        );
    }
}
