//! Bounds on what one input file may hold, checked before it is parsed, so
//! that every input gives an answer in time and memory in proportion to its
//! size: a file size, how deep lists and mappings may nest, how many YAML
//! aliases a document may use (each can copy a large anchor), the
//! characters XML cannot carry (a feed or sitemap with one is ill-formed),
//! and line endings that the parsers and the code frames count alike.
//! Labels that become file names are bounded where they are checked
//! (`URL_SEGMENT_MAX`).

use crate::diag::Diagnostic;
use std::path::Path;

/// A story, page or site.yaml larger than this is refused (the largest
/// brief of the example site is 11 KB).
pub const FILE_MAX: usize = 1 << 20;
/// outlets.yaml lists every outlet a site has ever cited.
pub const REGISTRY_MAX: usize = 16 << 20;
/// Nesting deeper than this is no story brief (the format needs 3 levels).
pub const DEPTH_MAX: usize = 64;
/// Aliases (`*name`) one document may use.
pub const ALIASES_MAX: usize = 16;
/// Bytes in one URL segment (a slug, a topic's slug, an outlet id, a page's
/// file name): file systems refuse names over 255 bytes.
pub const URL_SEGMENT_MAX: usize = 200;
/// Topics one story may have (each pairs with every other for similar
/// stories).
pub const TOPICS_MAX: usize = 64;

/// The message for a label that would make too long a file name.
pub fn too_long(what: &str, bytes: usize) -> String {
    format!("the {what} is {bytes} bytes long: at most {URL_SEGMENT_MAX} (it becomes a file name, and file systems refuse longer ones)")
}

/// The first bound `text` breaks, as an error; `None` when it keeps them.
/// `max` is the file's size bound; `first_line` the line the YAML starts on.
pub fn check_file(file: &Path, text: &str, max: usize) -> Option<Diagnostic> {
    if text.len() > max {
        return Some(Diagnostic::new(
            file,
            0,
            0,
            format!(
                "{} bytes: a file may have at most {max} (split it, or remove what is not the story's)",
                text.len()
            ),
        ));
    }
    if !may_break_a_bound(text.as_bytes()) {
        return None;
    }
    if let Some((line, col, c)) = forbidden_char(text) {
        return Some(
            Diagnostic::new(
                file,
                line,
                col,
                format!(
                    "control character U+{:04X}: feeds and sitemaps (XML) cannot carry it",
                    c as u32
                ),
            )
            .with_help(
                "delete it (it is invisible in most editors; it often comes with pasted text)",
            ),
        );
    }
    if let Some(offset) = lone_carriage_return(text) {
        let (line, col) = line_col(text, offset);
        return Some(
            Diagnostic::new(
                file,
                line,
                col,
                "a carriage return (U+000D) without a line feed after it: lines end with LF or CR LF",
            )
            .with_help("save the file with Unix (LF) or Windows (CR LF) line endings"),
        );
    }
    None
}

/// Whether `bytes` may hold what the checks below look for: a control
/// byte other than tab and line feed (so also every `\r`), or 0xEF, the
/// first byte of U+FFFE and U+FFFF. Nearly every file holds none, and this
/// one pass, without an early exit inside a block so that it vectorises,
/// spares them the three character-by-character scans.
fn may_break_a_bound(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| {
        block.iter().fold(false, |suspect, &b| {
            suspect | ((b < 0x20) & (b != b'\t') & (b != b'\n')) | (b == 0xEF)
        })
    })
}

/// Where a `\r` stands that does not start a `\r\n`. The YAML parser and
/// Markdown take it for a line break, the code frames and most editors do
/// not: the lines of an error would not be the lines the editor sees.
fn lone_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// The first bound a YAML document breaks: nesting, aliases.
pub fn check_yaml(file: &Path, yaml: &str, first_line: usize) -> Option<Diagnostic> {
    let at = |offset: usize, message: String| {
        let (line, col) = line_col(yaml, offset);
        Some(Diagnostic::new(file, line + first_line - 1, col, message))
    };
    if let Some(offset) = too_deep(yaml) {
        return at(
            offset,
            format!("nested deeper than {DEPTH_MAX} levels: a story brief needs a few"),
        );
    }
    if let Some(offset) = too_many_aliases(yaml) {
        return at(
            offset,
            format!("more than {ALIASES_MAX} aliases (`*name`) in one document"),
        );
    }
    None
}

/// XML 1.0 allows tab, line feed and carriage return among the controls,
/// and neither U+FFFE nor U+FFFF.
fn forbidden_char(text: &str) -> Option<(usize, usize, char)> {
    let suspect = text
        .bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        || text.contains(['\u{FFFE}', '\u{FFFF}']);
    if !suspect {
        return None;
    }
    let (offset, c) = text.char_indices().find(|&(_, c)| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    })?;
    let (line, col) = line_col(text, offset);
    Some((line, col, c))
}

/// The 1-based line and character column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Where the nesting first goes past `DEPTH_MAX`: flow collections (`[`,
/// `{`) counted outside quotes, block ones by the `- ` items and keys that
/// open on one line. A cheap over-estimate is fine: no brief comes near.
fn too_deep(yaml: &str) -> Option<usize> {
    // Flow nesting past the bound needs more brackets than the bound in
    // all: most documents have a handful, counted in one vectorised pass
    // (the walk below was 2 % of a build).
    let brackets = yaml.bytes().filter(|&b| b == b'[' || b == b'{').count();
    if brackets > DEPTH_MAX {
        if let Some(offset) = too_deep_flow(yaml) {
            return Some(offset);
        }
    }
    too_deep_block(yaml)
}

/// Where flow collections (`[`, `{`) first nest past `DEPTH_MAX`.
fn too_deep_flow(yaml: &str) -> Option<usize> {
    let mut flow = 0usize;
    let mut quote: Option<u8> = None;
    let mut line_start = 0usize;
    // Bytes, not characters: every byte looked for is ASCII, and no byte of
    // a multi-byte UTF-8 character is, so the offsets are the same.
    for (offset, c) in yaml.bytes().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if flow > 0 || starts_value(&yaml[line_start..offset]) => {
                quote = Some(c)
            }
            (None, b'[' | b'{') => {
                flow += 1;
                if flow > DEPTH_MAX {
                    return Some(offset);
                }
            }
            (None, b']' | b'}') => flow = flow.saturating_sub(1),
            (None, b'\n') => line_start = offset + 1,
            _ => {}
        }
        if c == b'\n' {
            quote = quote.filter(|_| flow > 0);
            line_start = offset + 1;
        }
    }
    None
}

/// Where block collections first nest past `DEPTH_MAX`.
fn too_deep_block(yaml: &str) -> Option<usize> {
    // Block nesting: `- - - x` opens one sequence per dash on a line, and
    // indentation opens one level per step.
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let dashes = line.as_bytes()[indent..]
            .chunks(2)
            .take_while(|pair| pair == b"- " || *pair == b"-\n" || *pair == b"-")
            .count();
        if indent / 2 + dashes > DEPTH_MAX {
            return Some(offset + indent);
        }
        offset += line.len();
    }
    None
}

/// Whether a quote at the end of `before` (the line so far) starts a
/// quoted scalar: after a `: `, `- `, or at the line's start.
fn starts_value(before: &str) -> bool {
    let trimmed = before.trim_end();
    trimmed.is_empty() || trimmed.ends_with(':') || trimmed.ends_with('-') || trimmed.ends_with(',')
}

/// Where the alias after `ALIASES_MAX` stands. Only a document with an
/// anchor (`&name`) can have aliases, so most are not looked at.
fn too_many_aliases(yaml: &str) -> Option<usize> {
    if !yaml.contains('&') {
        return None;
    }
    let bytes = yaml.as_bytes();
    let mut seen = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let opens = i == 0 || matches!(bytes[i - 1], b' ' | b'[' | b',' | b'{' | b'\n');
        let named = bytes
            .get(i + 1)
            .is_some_and(|n| n.is_ascii_alphanumeric() || matches!(n, b'_' | b'-'));
        if b == b'*' && opens && named {
            seen += 1;
            if seen > ALIASES_MAX {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_past_the_bound_is_found_where_it_happens() {
        let flow = format!("title: {}x{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(too_deep(&flow), Some(7 + DEPTH_MAX));
        let quoted = format!("title: \"{}\"\n", "[".repeat(100));
        assert_eq!(too_deep(&quoted), None, "brackets in a quoted title");
        let block = format!("topics:\n{}x\n", "- ".repeat(100));
        assert_eq!(too_deep(&block), Some(8));
        assert_eq!(too_deep("a:\n  b:\n    - [c, {d: e}]\n"), None);
        // At the bound exactly, and one past it, as the bracket count's
        // shortcut must see them.
        let at_bound = format!("t: {}x{}\n", "[".repeat(DEPTH_MAX), "]".repeat(DEPTH_MAX));
        assert_eq!(too_deep(&at_bound), None);
        let past = format!(
            "t: {}x{}\n",
            "{".repeat(DEPTH_MAX + 1),
            "}".repeat(DEPTH_MAX + 1)
        );
        assert_eq!(too_deep(&past), Some(3 + DEPTH_MAX));
    }

    #[test]
    fn aliases_past_the_bound_are_refused() {
        let many = format!("a: &x [1]\nb: [{}]\n", ["*x"; 20].join(", "));
        assert!(too_many_aliases(&many).is_some());
        let few = format!("a: &x [1]\nb: [{}]\n", ["*x"; 3].join(", "));
        assert_eq!(too_many_aliases(&few), None);
        assert_eq!(too_many_aliases("title: 2 * 3 stars\n"), None);
    }

    #[test]
    fn xml_forbidden_characters_are_placed() {
        assert_eq!(forbidden_char("title: a\u{1}b\n"), Some((1, 9, '\u{1}')));
        assert_eq!(forbidden_char("é\nab\u{FFFF}"), Some((2, 3, '\u{FFFF}')));
        assert_eq!(forbidden_char("tab\tand\r\nnewline\n"), None);
    }

    #[test]
    fn the_fast_path_lets_no_suspect_byte_through() {
        for suspect in ["\r", "\u{1}", "\u{FFFE}", "\u{FFFF}", "\u{F000}"] {
            let text = format!("{}{suspect}{}", "a".repeat(100), "b".repeat(100));
            assert!(may_break_a_bound(text.as_bytes()), "{suspect:?}");
        }
        assert!(!may_break_a_bound(
            "title: é\tà\n- [x]\n".repeat(50).as_bytes()
        ));
    }

    #[test]
    fn a_carriage_return_ends_a_line_only_before_a_line_feed() {
        assert_eq!(lone_carriage_return("a: b\r\nc: d\r\n"), None);
        assert_eq!(lone_carriage_return("a: b\r\nc\rd: e\n"), Some(7));
        assert_eq!(lone_carriage_return("a: b\r"), Some(4));
        let diagnostic = check_file(Path::new("s.md"), "---\ntitle: A\r  x\n", FILE_MAX);
        let diagnostic = diagnostic.expect("an error");
        assert_eq!((diagnostic.line, diagnostic.col), (2, 9));
    }
}
