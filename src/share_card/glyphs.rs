//! Glyph bitmaps: each glyph is rasterised once per face, size and
//! quarter-pixel offset (its coverage, as tiny-skia's anti-aliasing makes
//! it) and blended into every card that shows it. Thousands of cards repeat
//! the same few hundred glyphs, and scan-converting their outlines was most
//! of a card's drawing. The cache only saves work: a glyph's bitmap is the
//! same whichever card, thread or order made it first.

use super::canvas::Canvas;
use super::style::Rgb;
use rustc_hash::FxHashMap;
use rustybuzz::ttf_parser::{Face, GlyphId, OutlineBuilder};
use std::sync::{Arc, Mutex};
use tiny_skia::{FillRule, Mask, PathBuilder, Transform};

/// Horizontal positions are kept to a quarter of a pixel.
const SUBPIXELS: f32 = 4.0;

/// One glyph's coverage, 0 to 255, with its top left corner relative to the
/// pen's whole-pixel position on the baseline.
pub(super) struct Bitmap {
    left: i32,
    top: i32,
    width: usize,
    coverage: Vec<u8>,
}

/// A glyph, a scale (its bits) and a quarter-pixel offset.
type Key = (u16, u32, u8);

/// Bitmaps by `Key`; None for a glyph with no outline (a space).
type Bitmaps = FxHashMap<Key, Option<Arc<Bitmap>>>;

/// A face's bitmaps.
#[derive(Default)]
pub(super) struct Cache {
    bitmaps: Mutex<Bitmaps>,
}

impl Cache {
    /// Draws `glyph` of `face` at `scale` (pixels per font unit) with its
    /// origin at `(x, y)`, `y` a whole pixel.
    pub(super) fn draw(
        &self,
        face: &Face,
        (glyph, scale): (GlyphId, f32),
        (x, y): (f32, f32),
        canvas: &mut Canvas,
        colour: Rgb,
    ) {
        let whole = x.floor();
        let sub = ((x - whole) * SUBPIXELS)
            .floor()
            .clamp(0.0, SUBPIXELS - 1.0) as u8;
        let key: Key = (glyph.0, scale.to_bits(), sub);
        let cached = self.lock().get(&key).cloned();
        let bitmap = match cached {
            Some(bitmap) => bitmap,
            None => {
                let made = rasterise(face, glyph, scale, f32::from(sub) / SUBPIXELS).map(Arc::new);
                self.lock().insert(key, made.clone());
                made
            }
        };
        if let Some(b) = bitmap {
            let at = (whole as i32 + b.left, y as i32 + b.top);
            canvas.blend(&b.coverage, b.width, at, colour);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Bitmaps> {
        self.bitmaps.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The glyph's outline at `scale`, its origin `dx` right of a whole pixel,
/// filled with anti-aliasing into a bitmap just large enough.
fn rasterise(face: &Face, glyph: GlyphId, scale: f32, dx: f32) -> Option<Bitmap> {
    let mut pen = Pen {
        path: PathBuilder::new(),
        x: dx,
        scale,
    };
    face.outline_glyph(glyph, &mut pen)?;
    let path = pen.path.finish()?;
    let bounds = path.bounds();
    let (left, top) = (bounds.left().floor() as i32, bounds.top().floor() as i32);
    let width = (bounds.right().ceil() as i32 - left).max(1) as u32;
    let height = (bounds.bottom().ceil() as i32 - top).max(1) as u32;
    let mut mask = Mask::new(width, height)?;
    let to_mask = Transform::from_translate(-left as f32, -top as f32);
    mask.fill_path(&path, FillRule::Winding, true, to_mask);
    Some(Bitmap {
        left,
        top,
        width: width as usize,
        coverage: mask.take(),
    })
}

/// Turns a glyph's outline (font units, y up) into path segments in pixels
/// (y down), the origin `x` right of 0 on the baseline y = 0.
struct Pen {
    path: PathBuilder,
    x: f32,
    scale: f32,
}

impl Pen {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x * self.scale, -y * self.scale)
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
