//! Language tags as site.yaml's `language` writes them (`en`, `fr`,
//! `pt-BR`, `sr-Latn`): whether a value is one, its primary subtag, the
//! tags whose translation tables apply to it, and its writing direction.

/// Whether `tag` has the form of a BCP 47 language tag: a primary subtag
/// of 2 to 8 letters, then subtags of 1 to 8 letters or digits, joined by
/// `-`. (The form, not the registry: `xx` passes.) Only such a tag names
/// translation files, so no value can reach outside `i18n/`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The primary subtag, lowercase: `pt` for `pt-BR`.
pub fn primary_subtag(tag: &str) -> String {
    tag.split('-').next().unwrap_or("").to_ascii_lowercase()
}

/// The names of the translation files that apply to `tag`, least specific
/// first: `en` (what everything falls back to), then the primary subtag,
/// then the whole tag (`en`, `pt`, `pt-BR`). Only `en` for a value that is
/// not a language tag.
pub fn table_names(tag: &str) -> Vec<String> {
    let mut names = vec!["en".to_string()];
    if is_language_tag(tag) {
        for name in [primary_subtag(tag), tag.to_string()] {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                names.push(name);
            }
        }
    }
    names
}

/// Which way a language is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// `ltr` or `rtl`, as HTML's `dir` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// Languages written right to left, by primary subtag.
const RTL_LANGUAGES: [&str; 14] = [
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi",
];
/// Scripts written right to left, by script subtag (lowercase).
const RTL_SCRIPTS: [&str; 7] = ["arab", "adlm", "hebr", "nkoo", "rohg", "syrc", "thaa"];

/// The direction of `tag`: a script subtag decides (`az-Arab` is right to
/// left, `ku-Latn` left to right), else the language.
pub fn direction(tag: &str) -> Direction {
    let script = tag
        .split('-')
        .skip(1)
        .find(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rtl = match script {
        Some(script) => RTL_SCRIPTS.contains(&script.to_ascii_lowercase().as_str()),
        None => RTL_LANGUAGES.contains(&primary_subtag(tag).as_str()),
    };
    if rtl {
        Direction::Rtl
    } else {
        Direction::Ltr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_their_tables() {
        for tag in ["en", "fr", "pt-BR", "sr-Latn-RS", "zh-Hant", "de-CH-1996"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for not in [
            "",
            "e",
            "en_US",
            "fr/../../x",
            "en-",
            "-en",
            "toolongtag",
            "é",
        ] {
            assert!(!is_language_tag(not), "{not}");
        }
        assert_eq!(table_names("fr"), ["en", "fr"]);
        assert_eq!(table_names("pt-BR"), ["en", "pt", "pt-BR"]);
        assert_eq!(table_names("en-GB"), ["en", "en-GB"]);
        assert_eq!(table_names("EN"), ["en"]);
        assert_eq!(table_names("../x"), ["en"]);
    }

    #[test]
    fn right_to_left_by_language_or_script() {
        for rtl in ["ar", "he", "fa", "ur", "ar-EG", "AR", "az-Arab", "yi"] {
            assert_eq!(direction(rtl), Direction::Rtl, "{rtl}");
        }
        for ltr in ["en", "fr", "ku-Latn", "tr", "az", "x"] {
            assert_eq!(direction(ltr), Direction::Ltr, "{ltr}");
        }
    }
}
