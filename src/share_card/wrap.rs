//! Wrapping a title into lines: at spaces, a word too wide for a line
//! broken between characters, and when the text needs more lines than
//! there are, the last one cut back to end in an ellipsis. Measuring is the
//! caller's (`width`), so this knows no font.

/// What ends a title that does not fit.
pub(super) const ELLIPSIS: &str = "\u{2026}";

/// More characters than any card's lines can hold: the rest of a longer
/// text is cut off unmeasured (front matter allows a megabyte).
const MAX_CHARS: usize = 400;

/// Lines of `text` (its runs of white space as one space), each at most
/// `max_width` wide as `width` measures text, at most `max_lines` of them.
/// Returns the lines and whether the text was cut (then the last line ends
/// in `ELLIPSIS`).
pub(super) fn wrap(
    text: &str,
    max_width: f32,
    max_lines: usize,
    width: &dyn Fn(&str) -> f32,
) -> (Vec<String>, bool) {
    let clipped = text
        .char_indices()
        .nth(MAX_CHARS)
        .map(|(at, _)| &text[..at]);
    let text = clipped.unwrap_or(text);
    let space = width(" ");
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let word_width = width(word);
        if !line.is_empty() && line_width + space + word_width <= max_width {
            line.push(' ');
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if word_width <= max_width {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // A word wider than a line: as many characters as fit on each.
        let mut pieces = break_word(word, max_width, width);
        line = pieces.pop().unwrap_or_default();
        line_width = width(&line);
        lines.extend(pieces);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() <= max_lines && clipped.is_none() {
        return (lines, false);
    }
    lines.truncate(max_lines.max(1));
    if let Some(last) = lines.last_mut() {
        *last = with_ellipsis(last, max_width, width);
    }
    (lines, true)
}

/// `word` in pieces that each fit `max_width` (at least one character
/// each), measured a character at a time.
fn break_word(word: &str, max_width: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut piece_width = 0.0;
    let mut buf = [0u8; 4];
    for c in word.chars() {
        let w = width(c.encode_utf8(&mut buf));
        if !piece.is_empty() && piece_width + w > max_width {
            pieces.push(std::mem::take(&mut piece));
            piece_width = 0.0;
        }
        piece.push(c);
        piece_width += w;
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// `line` cut back, whole words first, until it and the ellipsis fit;
/// punctuation and space left at the cut go too ("war, …" reads "war…").
fn with_ellipsis(line: &str, max_width: f32, width: &dyn Fn(&str) -> f32) -> String {
    let mut kept = line.to_string();
    let fits = |text: &str| width(&format!("{text}{ELLIPSIS}")) <= max_width;
    while !kept.is_empty() && !fits(&kept) {
        match kept.rfind(' ') {
            Some(i) => kept.truncate(i),
            None => {
                kept.pop();
            }
        }
    }
    let trimmed =
        kept.trim_end_matches(|c: char| c.is_whitespace() || ",;:-\u{2013}\u{2014}".contains(c));
    format!("{trimmed}{ELLIPSIS}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide.
    fn chars(text: &str) -> f32 {
        text.chars().count() as f32
    }

    #[test]
    fn a_long_title_takes_three_lines_then_an_ellipsis() {
        let title = "Council approves the new river crossing after a decade of delays, \
                     lawsuits and three referendums on the cost";
        let (lines, cut) = wrap(title, 24.0, 3, &chars);
        assert!(cut);
        assert_eq!(
            lines,
            [
                "Council approves the new",
                "river crossing after a",
                "decade of delays…",
            ]
        );
        assert!(lines.iter().all(|l| chars(l) <= 24.0));
    }

    #[test]
    fn a_title_that_fits_is_kept_whole() {
        let (lines, cut) = wrap("  Short   title ", 24.0, 3, &chars);
        assert_eq!((lines, cut), (vec!["Short title".to_string()], false));
        let (lines, cut) = wrap("", 24.0, 3, &chars);
        assert!(lines.is_empty() && !cut);
    }

    #[test]
    fn a_word_wider_than_a_line_is_broken() {
        let (lines, cut) = wrap("a Donaudampfschifffahrt b", 8.0, 3, &chars);
        assert_eq!(lines, ["a", "Donaudam", "pfschif…"]);
        assert!(cut);
        let (lines, _) = wrap("Donaudampfschifffahrt", 8.0, 1, &chars);
        assert_eq!(lines, ["Donauda…"]);
    }

    #[test]
    fn a_huge_title_is_cut_before_it_is_measured() {
        let huge = "x".repeat(1 << 20);
        let calls = std::cell::Cell::new(0);
        let counted = |t: &str| {
            calls.set(calls.get() + 1);
            chars(t)
        };
        let (lines, cut) = wrap(&huge, 24.0, 3, &counted);
        assert!(cut && lines.len() == 3 && lines[2].ends_with('…'));
        assert!(calls.get() < 1_000, "{} measures", calls.get());
        // Cut off unmeasured, but on one line it would have fitted.
        let (lines, cut) = wrap(&"x ".repeat(MAX_CHARS), 10_000.0, 3, &chars);
        assert!(cut && lines.len() == 1 && lines[0].ends_with('…'));
    }
}
