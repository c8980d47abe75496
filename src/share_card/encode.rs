//! A drawn card as PNG bytes: a palette image (`Canvas` already holds one),
//! compressed by fdeflate, the png crate's fast deflate, each row filtered
//! as suits it. The bytes depend on the pixels alone: no time, no text
//! chunk, nothing from the machine.

use super::canvas::Canvas;
use png::{BitDepth, ColorType, DeflateCompression, Encoder, Filter};

pub(super) fn png(canvas: &Canvas) -> Result<Vec<u8>, png::EncodingError> {
    let (palette, indices) = canvas.parts();
    let mut bytes = Vec::with_capacity(48 * 1024);
    let mut encoder = Encoder::new(&mut bytes, canvas.width(), canvas.height());
    encoder.set_color(ColorType::Indexed);
    encoder.set_depth(BitDepth::Eight);
    encoder.set_palette(palette.to_vec());
    encoder.set_deflate_compression(DeflateCompression::FdeflateUltraFast);
    encoder.set_filter(Filter::Adaptive);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(indices)?;
    writer.finish()?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share_card::style::Rgb;

    #[test]
    fn a_canvas_is_a_palette_png_of_its_pixels() {
        let mut canvas = Canvas::new(40, 30, &[Rgb(10, 20, 30), Rgb(200, 100, 50)]);
        canvas.fill_rect(0.0, 29.0, 40.0, 1.0, Rgb(200, 100, 50));
        let bytes = png(&canvas).expect("encoded");
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("a PNG");
        assert_eq!(reader.info().color_type, ColorType::Indexed);
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        let frame = reader.next_frame(&mut pixels).expect("a frame");
        let pixels = &pixels[..frame.buffer_size()];
        assert_eq!(&pixels[..3], [10, 20, 30]);
        assert_eq!(&pixels[pixels.len() - 3..], [200, 100, 50]);
        assert_eq!(
            bytes,
            png(&canvas).expect("encoded"),
            "the same bytes again"
        );
    }
}
