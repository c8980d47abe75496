//! A drawn card as PNG bytes. A card is a few flat colours and the
//! anti-aliased edges between them, so it is written as a palette image (a
//! quarter of RGBA's bytes to compress, and a third of its file size): the
//! flat colours first, as the caller names them, then the edges' colours
//! as they appear; past 256, an edge pixel takes the nearest colour already
//! in the palette (a shade off at the rim of a letter). Compressed by
//! fdeflate, the png crate's fast deflate, each row filtered as suits it.
//! The bytes depend on the pixels alone: no time, no text chunk, nothing
//! from the machine.

use super::style::Rgb;
use png::{BitDepth, ColorType, DeflateCompression, Encoder, Filter};
use rustc_hash::FxHashMap;
use tiny_skia::Pixmap;

/// `pixmap`, opaque, as a PNG whose palette starts with `flat`.
pub(super) fn png(pixmap: &Pixmap, flat: &[Rgb]) -> Result<Vec<u8>, png::EncodingError> {
    let (palette, indices) = indexed(pixmap, flat);
    let mut bytes = Vec::with_capacity(48 * 1024);
    let mut encoder = Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(ColorType::Indexed);
    encoder.set_depth(BitDepth::Eight);
    encoder.set_palette(palette);
    encoder.set_deflate_compression(DeflateCompression::FdeflateUltraFast);
    encoder.set_filter(Filter::Adaptive);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&indices)?;
    writer.finish()?;
    Ok(bytes)
}

/// The palette (RGB triples) and each pixel's index in it. Most of a card
/// repeats the row above it: a row equal to the one above takes its indices
/// from there, and so does each block of 16 pixels equal to the one above
/// it; the others are looked up pixel by pixel.
fn indexed(pixmap: &Pixmap, flat: &[Rgb]) -> (Vec<u8>, Vec<u8>) {
    const BLOCK: usize = 16 * 4;
    let row_bytes = pixmap.width() as usize * 4;
    let data = pixmap.data();
    let mut palette = Palette::default();
    for c in flat {
        palette.index([c.0, c.1, c.2]);
    }
    let mut indices: Vec<u8> = Vec::with_capacity(data.len() / 4);
    let mut above: &[u8] = &[];
    for row in data.chunks_exact(row_bytes) {
        let row_start = indices.len();
        if row == above {
            indices.extend_from_within(row_start - row_bytes / 4..row_start);
            continue;
        }
        for (b, block) in row.chunks(BLOCK).enumerate() {
            let at = b * BLOCK;
            if above.get(at..at + block.len()) == Some(block) {
                let from = row_start - row_bytes / 4 + at / 4;
                indices.extend_from_within(from..from + block.len() / 4);
                continue;
            }
            for px in block.chunks_exact(4) {
                indices.push(palette.index([px[0], px[1], px[2]]));
            }
        }
        above = row;
    }
    (palette.rgb, indices)
}

/// The colours met so far, each with its index.
#[derive(Default)]
struct Palette {
    rgb: Vec<u8>,
    /// Every colour looked up, with its index (its own, or the nearest's
    /// once the palette is full).
    index: FxHashMap<[u8; 3], u8>,
    /// The last colour looked up, and its index: runs of one colour skip
    /// the map.
    last: Option<([u8; 3], u8)>,
}

impl Palette {
    fn index(&mut self, colour: [u8; 3]) -> u8 {
        if let Some((last, i)) = self.last {
            if last == colour {
                return i;
            }
        }
        let i = match self.index.get(&colour) {
            Some(&i) => i,
            None => {
                let i = match u8::try_from(self.rgb.len() / 3) {
                    Ok(i) => {
                        self.rgb.extend_from_slice(&colour);
                        i
                    }
                    Err(_) => self.nearest(colour),
                };
                self.index.insert(colour, i);
                i
            }
        };
        self.last = Some((colour, i));
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

    fn decoded(bytes: &[u8]) -> (ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut pixels).expect("a frame");
        (
            reader.info().color_type,
            pixels[..info.buffer_size()].to_vec(),
        )
    }

    #[test]
    fn a_card_is_a_palette_image_with_its_flat_colours_exact() {
        let mut few = Pixmap::new(40, 30).expect("a pixmap");
        few.fill(tiny_skia::Color::from_rgba8(10, 20, 30, 255));
        let (kind, pixels) = decoded(&png(&few, &[]).expect("encoded"));
        assert_eq!(kind, ColorType::Indexed);
        assert_eq!(&pixels[..6], [10, 20, 30, 10, 20, 30]);

        // 1,200 colours: past 256, each takes the nearest; the flat ones
        // named first stay exact wherever they are.
        let mut many = Pixmap::new(40, 30).expect("a pixmap");
        for (n, px) in many.data_mut().chunks_exact_mut(4).enumerate() {
            px.copy_from_slice(&[n as u8, (n / 256) as u8 * 4, 7, 255]);
        }
        let last = many.data().len() - 4;
        many.data_mut()[last..].copy_from_slice(&[200, 100, 50, 255]);
        let flat = [Rgb(200, 100, 50)];
        let bytes = png(&many, &flat).expect("encoded");
        let (kind, pixels) = decoded(&bytes);
        assert_eq!(kind, ColorType::Indexed);
        assert_eq!(pixels[pixels.len() - 3..], [200, 100, 50]);
        let off = pixels
            .chunks_exact(3)
            .zip(many.data().chunks_exact(4))
            .map(|(a, b)| {
                a.iter()
                    .zip(b)
                    .map(|(x, y)| x.abs_diff(*y))
                    .max()
                    .unwrap_or(0)
            })
            .max();
        assert!(off.is_some_and(|off| off <= 20), "{off:?}");
        assert_eq!(
            bytes,
            png(&many, &flat).expect("encoded"),
            "the same bytes again"
        );
    }
}
