//! The card being drawn, as the PNG will hold it: one palette index per
//! pixel. A card is a few flat colours and the anti-aliased edges between
//! them, so it is painted straight into palette indices: rectangles on
//! whole pixels are runs of one index, and everything with an edge (a
//! glyph, a rounded corner) is a coverage bitmap blended over what is
//! there, each blended colour looked up in (or added to) the palette. The
//! palette starts with the card's flat colours; past 256 colours a blend
//! takes the nearest one already there (a shade off at the rim of a
//! letter). There is no RGBA image, so nothing has to be mapped to the
//! palette afterwards.

use super::style::Rgb;
use rustc_hash::FxHashMap;
use tiny_skia::{FillRule, Mask, Path, Transform};

#[derive(Clone)]
pub(super) struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
    palette: Palette,
}

impl Canvas {
    /// A canvas of `flat[0]`, whose palette starts with `flat`.
    pub(super) fn new(width: u32, height: u32, flat: &[Rgb]) -> Canvas {
        let mut palette = Palette::default();
        for &c in flat {
            palette.index(c);
        }
        let (width, height) = (width as usize, height as usize);
        let background = flat.first().map_or(0, |&c| palette.index(c));
        Canvas {
            width,
            height,
            pixels: vec![background; width * height],
            palette,
        }
    }

    pub(super) fn width(&self) -> u32 {
        self.width as u32
    }

    pub(super) fn height(&self) -> u32 {
        self.height as u32
    }

    /// The palette (RGB triples) and the pixels' indices, row by row.
    pub(super) fn parts(&self) -> (&[u8], &[u8]) {
        (&self.palette.rgb, &self.pixels)
    }

    /// Fills a rectangle, its edges rounded to whole pixels.
    pub(super) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Rgb) {
        let clamp = |v: f32, max: usize| (v.round().max(0.0) as usize).min(max);
        let (left, right) = (clamp(x, self.width), clamp(x + w, self.width));
        let (top, bottom) = (clamp(y, self.height), clamp(y + h, self.height));
        let index = self.palette.index(colour);
        for row in top..bottom {
            self.pixels[row * self.width + left..row * self.width + right].fill(index);
        }
    }

    /// Fills `path` with anti-aliased edges.
    pub(super) fn fill_path(&mut self, path: &Option<Path>, colour: Rgb) {
        let Some(path) = path else {
            return;
        };
        let bounds = path.bounds();
        let (left, top) = (bounds.left().floor() as i32, bounds.top().floor() as i32);
        let width = (bounds.right().ceil() as i32 - left).max(1) as u32;
        let height = (bounds.bottom().ceil() as i32 - top).max(1) as u32;
        let Some(mut mask) = Mask::new(width, height) else {
            return;
        };
        let to_mask = Transform::from_translate(-left as f32, -top as f32);
        mask.fill_path(path, FillRule::Winding, true, to_mask);
        self.blend(mask.data(), width as usize, (left, top), colour);
    }

    /// Lays `colour` over the canvas as `coverage` (0 to 255, rows of
    /// `stride`) covers it, its top left corner at `(left, top)`.
    pub(super) fn blend(
        &mut self,
        coverage: &[u8],
        stride: usize,
        (left, top): (i32, i32),
        colour: Rgb,
    ) {
        let solid = self.palette.index(colour);
        for (r, row) in coverage.chunks_exact(stride.max(1)).enumerate() {
            let y = top + r as i32;
            if y < 0 || y as usize >= self.height {
                continue;
            }
            let line = y as usize * self.width;
            for (c, &a) in row.iter().enumerate() {
                let x = left + c as i32;
                if a == 0 || x < 0 || x as usize >= self.width {
                    continue;
                }
                let at = line + x as usize;
                self.pixels[at] = match a {
                    255 => solid,
                    _ => self.palette.blend(self.pixels[at], colour, a),
                };
            }
        }
    }
}

/// The colours met so far, each with its index.
#[derive(Default, Clone)]
struct Palette {
    rgb: Vec<u8>,
    /// Every colour looked up, with its index (its own, or the nearest's
    /// once the palette is full).
    index: FxHashMap<[u8; 3], u8>,
    /// Blends already worked out: (what was there, the colour laid over
    /// it, its coverage) to the index of the result.
    blends: FxHashMap<(u8, Rgb, u8), u8>,
}

impl Palette {
    fn index(&mut self, colour: Rgb) -> u8 {
        let key = [colour.0, colour.1, colour.2];
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = match u8::try_from(self.rgb.len() / 3) {
            Ok(i) => {
                self.rgb.extend_from_slice(&key);
                i
            }
            Err(_) => self.nearest(key),
        };
        self.index.insert(key, i);
        i
    }

    /// `colour` at coverage `a` over the colour at index `under`.
    fn blend(&mut self, under: u8, colour: Rgb, a: u8) -> u8 {
        if let Some(&i) = self.blends.get(&(under, colour, a)) {
            return i;
        }
        let at = usize::from(under) * 3;
        let (a32, keep) = (u32::from(a), 255 - u32::from(a));
        let mix = |over: u8, k: usize| {
            let below = u32::from(self.rgb.get(at + k).copied().unwrap_or(0));
            ((u32::from(over) * a32 + below * keep + 127) / 255) as u8
        };
        let mixed = Rgb(mix(colour.0, 0), mix(colour.1, 1), mix(colour.2, 2));
        let i = self.index(mixed);
        self.blends.insert((under, colour, a), i);
        i
    }

    /// The index of the palette's colour nearest `colour` (the first of
    /// equals).
    fn nearest(&self, colour: [u8; 3]) -> u8 {
        let distance = |c: &[u8]| -> u32 {
            c.iter()
                .zip(colour)
                .map(|(&a, b)| (i32::from(a) - i32::from(b)).pow(2) as u32)
                .sum()
        };
        let best = self
            .rgb
            .chunks_exact(3)
            .enumerate()
            .min_by_key(|(i, c)| (distance(c), *i))
            .map_or(0, |(i, _)| i);
        u8::try_from(best).unwrap_or(u8::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(canvas: &Canvas, x: usize, y: usize) -> [u8; 3] {
        let (palette, pixels) = canvas.parts();
        let i = usize::from(pixels[y * canvas.width + x]) * 3;
        [palette[i], palette[i + 1], palette[i + 2]]
    }

    #[test]
    fn rectangles_are_exact_and_edges_blend() {
        let (white, black) = (Rgb(255, 255, 255), Rgb(0, 0, 0));
        let mut canvas = Canvas::new(10, 4, &[white, black]);
        canvas.fill_rect(2.4, 1.0, 3.2, 2.0, black);
        assert_eq!(rgb(&canvas, 1, 1), [255; 3]);
        assert_eq!(rgb(&canvas, 2, 1), [0; 3], "2.4 rounds to 2");
        assert_eq!(rgb(&canvas, 5, 2), [0; 3], "5.6 rounds to 6…");
        assert_eq!(rgb(&canvas, 6, 2), [255; 3], "…the first pixel not filled");
        canvas.blend(&[255, 128, 0], 3, (6, 0), black);
        assert_eq!(rgb(&canvas, 6, 0), [0; 3]);
        assert_eq!(rgb(&canvas, 7, 0), [127; 3]);
        assert_eq!(rgb(&canvas, 8, 0), [255; 3]);
        // Off the canvas: nothing, and no panic.
        canvas.blend(&[255; 4], 2, (-1, 3), black);
        assert_eq!(rgb(&canvas, 0, 3), [0; 3]);
    }

    #[test]
    fn past_256_colours_a_blend_takes_the_nearest() {
        let mut canvas = Canvas::new(300, 1, &[Rgb(0, 0, 0)]);
        let ramp: Vec<u8> = (0..300).map(|x| (x % 255 + 1) as u8).collect();
        for (k, colour) in [Rgb(255, 0, 0), Rgb(0, 255, 0)].into_iter().enumerate() {
            canvas.blend(
                &ramp[k * 150..(k + 1) * 150],
                150,
                (k as i32 * 150, 0),
                colour,
            );
        }
        let (palette, _) = canvas.parts();
        assert_eq!(palette.len(), 256 * 3);
        assert_eq!(rgb(&canvas, 160, 0), [0, 161, 0], "while there is room");
        // (0, 45, 0), once the palette is full: black is nearest.
        assert_eq!(rgb(&canvas, 299, 0), [0, 0, 0]);
    }
}
