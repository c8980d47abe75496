//! The share cards' fonts and text: the default theme's two faces (embedded
//! with the theme, `themes/default/fonts/`), text shaped by rustybuzz
//! (kerning and ligatures as the font defines them) and drawn as glyph
//! outlines. No system font is ever looked at, so a card is the same on
//! every machine. A character the font lacks shows as its missing-glyph box.

use super::style::Rgb;
use crate::load::DEFAULT_THEME;
use crate::paths::{CARD_FONT_BOLD, CARD_FONT_REGULAR, THEME_FONTS_DIR};
use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use rustybuzz::{Face, UnicodeBuffer};
use std::sync::OnceLock;
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Transform};

/// The two faces a card uses.
pub(super) struct Fonts {
    pub(super) regular: Font,
    pub(super) bold: Font,
    /// A hash of both files: part of every card's key.
    pub(super) fingerprint: u128,
}

pub(super) struct Font {
    face: Face<'static>,
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

    /// The width of `text` at `size`, in pixels.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text, size).width
    }
}

impl Shaped<'_> {
    /// Fills the text with its baseline starting at (`x`, `baseline`).
    pub(super) fn draw(&self, pixmap: &mut Pixmap, x: f32, baseline: f32, colour: Rgb) {
        let mut pen = Pen {
            path: PathBuilder::new(),
            x: 0.0,
            y: 0.0,
            scale: self.scale,
        };
        for &(glyph, gx, gy) in &self.glyphs {
            pen.x = x + gx;
            pen.y = baseline - gy;
            self.font.face.outline_glyph(glyph, &mut pen);
        }
        if let Some(path) = pen.path.finish() {
            let paint = solid(colour);
            pixmap.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }
}

/// An anti-aliased solid paint.
pub(super) fn solid(colour: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(colour.0, colour.1, colour.2, 255);
    paint.anti_alias = true;
    paint
}

/// Turns a glyph's outline (font units, y up) into path segments in pixels
/// (y down) at the pen's place.
struct Pen {
    path: PathBuilder,
    x: f32,
    y: f32,
    scale: f32,
}

impl Pen {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x * self.scale, self.y - y * self.scale)
    }
}

impl OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let ((x1, y1), (x, y)) = (self.at(x1, y1), self.at(x, y));
        self.path.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (p1, p2, p) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
        self.path.cubic_to(p1.0, p1.1, p2.0, p2.1, p.0, p.1);
    }
    fn close(&mut self) {
        self.path.close();
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
