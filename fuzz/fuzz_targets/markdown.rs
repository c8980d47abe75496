//! Markdown rendering, as a body and as an inline text. The first byte
//! chooses the settings (bit 0: raw HTML allowed; bits 1-2: how far the
//! headings move down); the rest is the text.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&flags, text)) = data.split_first() else {
            return;
        };
        if let Ok(text) = std::str::from_utf8(text) {
            let allow_raw_html = flags & 1 == 1;
            let heading_shift = usize::from((flags >> 1) & 3);
            parallax::fuzzing::markdown(text, allow_raw_html, heading_shift);
        }
    });
}
