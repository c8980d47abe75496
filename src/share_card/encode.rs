//! A drawn card as PNG bytes. A card is a few flat colours and the
//! anti-aliased edges between them (about 200 colours in all), so it is
//! written as an exact palette image when it has at most 256 colours, a
//! third the size of RGB and quicker to compress; else as RGBA. The bytes
//! depend on the pixels alone: the palette is in order of first appearance,
//! and there is no time, text chunk or anything else from the machine, so
//! the same card is the same file on every build.

use png::{BitDepth, ColorType, DeflateCompression, Encoder, Filter};
use rustc_hash::FxHashMap;
use tiny_skia::Pixmap;

/// zlib level 3: measured on cards, within a tenth of level 6's size for
/// two thirds of its time.
const LEVEL: u8 = 3;

pub(super) fn png(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::with_capacity(48 * 1024);
    let mut encoder = Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_depth(BitDepth::Eight);
    encoder.set_deflate_compression(DeflateCompression::Level(LEVEL));
    let (data, filter) = match indexed(pixmap) {
        Some((palette, indices)) => {
            encoder.set_color(ColorType::Indexed);
            encoder.set_palette(palette);
            // Filters predict smooth colour, not palette indices.
            (indices, Filter::NoFilter)
        }
        None => {
            // Opaque pixels: premultiplied RGBA is plain RGBA.
            encoder.set_color(ColorType::Rgba);
            (pixmap.data().to_vec(), Filter::Adaptive)
        }
    };
    encoder.set_filter(filter);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(bytes)
}

/// The palette (RGB triples, in order of first appearance) and each pixel's
/// index in it; None past 256 colours. Most of a card repeats the row above
/// it, so each row goes in blocks of 16 pixels, and a block equal to the one
/// above takes its indices from there; the others are looked up pixel by
/// pixel.
fn indexed(pixmap: &Pixmap) -> Option<(Vec<u8>, Vec<u8>)> {
    const BLOCK: usize = 16 * 4;
    let row_bytes = pixmap.width() as usize * 4;
    let data = pixmap.data();
    let mut palette = Palette::default();
    let mut indices: Vec<u8> = Vec::with_capacity(data.len() / 4);
    let mut above: &[u8] = &[];
    for row in data.chunks_exact(row_bytes) {
        let row_start = indices.len();
        for (b, block) in row.chunks(BLOCK).enumerate() {
            let at = b * BLOCK;
            if above.get(at..at + block.len()) == Some(block) {
                let from = row_start - row_bytes / 4 + at / 4;
                indices.extend_from_within(from..from + block.len() / 4);
                continue;
            }
            for px in block.chunks_exact(4) {
                indices.push(palette.index([px[0], px[1], px[2]])?);
            }
        }
        above = row;
    }
    Some((palette.rgb, indices))
}

/// The colours met so far, each with its index.
#[derive(Default)]
struct Palette {
    rgb: Vec<u8>,
    index: FxHashMap<[u8; 3], u8>,
    /// The last colour looked up, and its index: runs of one colour skip
    /// the map.
    last: Option<([u8; 3], u8)>,
}

impl Palette {
    /// The index of `colour`, added if new; None when 256 are taken.
    fn index(&mut self, colour: [u8; 3]) -> Option<u8> {
        if let Some((last, i)) = self.last {
            if last == colour {
                return Some(i);
            }
        }
        let i = match self.index.get(&colour) {
            Some(&i) => i,
            None => {
                let i = u8::try_from(self.rgb.len() / 3).ok()?;
                self.rgb.extend_from_slice(&colour);
                self.index.insert(colour, i);
                i
            }
        };
        self.last = Some((colour, i));
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (png::ColorType, Vec<u8>) {
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
    fn few_colours_make_a_palette_image_and_many_an_rgba_one() {
        let mut few = Pixmap::new(40, 30).expect("a pixmap");
        few.fill(tiny_skia::Color::from_rgba8(10, 20, 30, 255));
        let (kind, pixels) = decoded(&png(&few).expect("encoded"));
        assert_eq!(kind, ColorType::Indexed);
        assert_eq!(&pixels[..6], [10, 20, 30, 10, 20, 30]);

        let mut many = Pixmap::new(40, 30).expect("a pixmap");
        for (n, px) in many.data_mut().chunks_exact_mut(4).enumerate() {
            px.copy_from_slice(&[n as u8, (n / 256) as u8, 7, 255]);
        }
        let bytes = png(&many).expect("encoded");
        let (kind, pixels) = decoded(&bytes);
        assert_eq!(kind, ColorType::Rgba);
        assert_eq!(pixels, many.data());
        assert_eq!(bytes, png(&many).expect("encoded"), "the same bytes again");
    }
}
