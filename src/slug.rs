//! Slugs: the URL segments that names and file names become. Validation
//! checks and makes them, scaffolding names new story files with them, so
//! the rules live here, apart from both. Pure text functions: nothing here
//! knows about files, YAML or diagnostics.

/// Whether `text` is already a slug: lowercase ASCII letters, digits and
/// single dashes, neither starting nor ending with one.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The slug a story's file name gives: a leading `YYYY-MM-DD-` dropped, the
/// rest lowercased, every run of characters other than `a-z0-9` one `-`.
pub fn slug_from_file_name(stem: &str) -> String {
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-';
    let rest = if dated { &stem[11..] } else { stem };
    collapse(rest.to_lowercase().chars(), |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit()
    })
}

/// A topic's URL segment: lowercased, letters and digits of any script kept,
/// every other run of characters one `-`.
pub fn topic_slug(name: &str) -> String {
    collapse(name.to_lowercase().chars(), char::is_alphanumeric)
}

/// The kept characters, each run of the others one `-`; none at either end,
/// so that a slug never starts or ends with a dash.
fn collapse(chars: impl Iterator<Item = char>, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in chars {
        if keep(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_file_names() {
        assert_eq!(
            slug_from_file_name("2025-05-15-putin-skips-talks"),
            "putin-skips-talks"
        );
        assert_eq!(slug_from_file_name("Hello, World!"), "hello-world");
        assert_eq!(slug_from_file_name("2025-05-15"), "2025-05-15");
        assert_eq!(slug_from_file_name("--x__y--"), "x-y");
    }

    #[test]
    fn topic_slugs_keep_any_script() {
        assert_eq!(topic_slug("Russia-Ukraine War"), "russia-ukraine-war");
        assert_eq!(topic_slug("Économie & Société"), "économie-société");
        assert_eq!(topic_slug("../.."), "");
    }
}
