//! The theme's words in the site's language. `Translations` is the table a
//! build resolves from the theme's and the site's `i18n/*.yaml`: every key
//! of the theme's English, each with the text of the most specific table
//! that has it. What rendering asks of it is here: a key's text, a
//! phrase's plural form for a count, its `{placeholders}` filled in, the
//! writing direction. Data and lookups only: reading and checking the
//! files is validation's (`validate/i18n.rs`), the templates' function `t`
//! is render's (`render/translate.rs`).

mod language;
mod plural;

pub use language::{direction, is_language_tag, primary_subtag, table_names, Direction};
pub use plural::{category, Category};

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use xxhash_rust::xxh3::xxh3_128;

/// One key's text: the same for every count, or a form per plural category
/// (chosen by the `count` a template gives).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Phrase {
    Text(String),
    /// In category order; `other` is always there (validation sees to it).
    Plural(Vec<(Category, String)>),
}

impl Phrase {
    /// The form for `category`: its own, else `other`.
    pub fn form(&self, category: Category) -> &str {
        match self {
            Phrase::Text(text) => text,
            Phrase::Plural(forms) => forms
                .iter()
                .find(|(c, _)| *c == category)
                .or_else(|| forms.iter().find(|(c, _)| *c == Category::Other))
                .map_or("", |(_, text)| text),
        }
    }

    /// Every text of the phrase (one, or one per form).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let (one, many) = match self {
            Phrase::Text(text) => (Some(text.as_str()), &[][..]),
            Phrase::Plural(forms) => (None, &forms[..]),
        };
        one.into_iter()
            .chain(many.iter().map(|(_, text)| text.as_str()))
    }
}

/// The resolved table of one build.
#[derive(Debug, Clone)]
pub struct Translations {
    language: String,
    primary: String,
    direction: Direction,
    phrases: FxHashMap<String, Phrase>,
    fingerprint: u128,
}

impl Translations {
    /// The table of `language` (as site.yaml writes it), from its phrases.
    pub fn new(language: &str, phrases: impl IntoIterator<Item = (String, Phrase)>) -> Self {
        let phrases: FxHashMap<String, Phrase> = phrases.into_iter().collect();
        let mut sorted: Vec<(&String, &Phrase)> = phrases.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        let mut buf = language.as_bytes().to_vec();
        for (key, phrase) in sorted {
            buf.push(0);
            buf.extend_from_slice(key.as_bytes());
            for (i, text) in phrase.texts().enumerate() {
                buf.push(if i == 0 { 1 } else { 2 });
                buf.extend_from_slice(text.as_bytes());
            }
            if let Phrase::Plural(forms) = phrase {
                buf.extend(forms.iter().map(|(c, _)| *c as u8));
            }
        }
        Translations {
            language: language.to_string(),
            primary: primary_subtag(language),
            direction: direction(language),
            phrases,
            fingerprint: xxh3_128(&buf),
        }
    }

    /// The site's language, as written in site.yaml.
    pub fn language(&self) -> &str {
        &self.language
    }

    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// A hash of the whole table: it changes when any text does.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    pub fn phrase(&self, key: &str) -> Option<&Phrase> {
        self.phrases.get(key)
    }

    /// Every key, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.phrases.keys().map(String::as_str)
    }

    /// The category `n` takes in this language.
    pub fn category(&self, n: u64) -> Category {
        category(&self.primary, n)
    }

    /// A key's text (a plural phrase's `other` form). The key itself when
    /// the table lacks it, which the tests rule out for the keys the build
    /// asks for.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.phrases
            .get(key)
            .map_or(key, |phrase| phrase.form(Category::Other))
    }

    /// A key's text with its placeholders filled from `args` (and `{count}`
    /// from `count`, which also chooses the plural form).
    pub fn fill(&self, key: &str, count: Option<u64>, args: &[(&str, &str)]) -> String {
        let category = count.map_or(Category::Other, |n| self.category(n));
        let text = self.phrases.get(key).map_or(key, |p| p.form(category));
        let count = count.map(|n| n.to_string());
        fill(text, |name| match (name, &count) {
            ("count", Some(n)) => Some(Cow::Borrowed(n.as_str())),
            _ => args
                .iter()
                .find(|(arg, _)| *arg == name)
                .map(|(_, value)| Cow::Borrowed(*value)),
        })
    }
}

/// The placeholders of a text: each `{name}`, `name` lowercase letters,
/// digits and `_`. Other braces are text.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    parts(text).filter_map(|part| match part {
        Part::Slot(name) => Some(name),
        Part::Text(_) => None,
    })
}

/// `text` with each placeholder replaced by what `value` gives for its
/// name; one it gives nothing for stays as written.
pub fn fill<'a>(text: &'a str, value: impl Fn(&str) -> Option<Cow<'a, str>>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for part in parts(text) {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Slot(name) => match value(name) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}

/// A piece of a text: as written, or a placeholder's name.
#[derive(Debug, PartialEq, Eq)]
pub enum Part<'a> {
    Text(&'a str),
    Slot(&'a str),
}

/// A text cut into its pieces, in order.
pub fn parts(text: &str) -> impl Iterator<Item = Part<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut from = 0;
        while let Some(open) = rest[from..].find('{').map(|i| i + from) {
            let name_len = rest[open + 1..]
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                .unwrap_or(rest.len() - open - 1);
            let close = open + 1 + name_len;
            if name_len > 0 && rest[close..].starts_with('}') {
                if open > 0 {
                    let (text, tail) = rest.split_at(open);
                    rest = tail;
                    return Some(Part::Text(text));
                }
                let name = &rest[1..close];
                rest = &rest[close + 1..];
                return Some(Part::Slot(name));
            }
            from = open + 1;
        }
        let text = rest;
        rest = "";
        Some(Part::Text(text))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_cut_at_their_placeholders() {
        let cut: Vec<Part> = parts("Page {current} of {total}").collect();
        assert_eq!(
            cut,
            [
                Part::Text("Page "),
                Part::Slot("current"),
                Part::Text(" of "),
                Part::Slot("total")
            ]
        );
        let cut: Vec<Part> = parts("{a}{b} {C} {} {x-y} {").collect();
        assert_eq!(
            cut,
            [
                Part::Slot("a"),
                Part::Slot("b"),
                Part::Text(" {C} {} {x-y} {")
            ]
        );
        assert_eq!(
            placeholders("« {words} » {count}").collect::<Vec<_>>(),
            ["words", "count"]
        );
        assert_eq!(parts("").count(), 0);
    }

    #[test]
    fn phrases_are_filled_and_take_their_plural_form() {
        let t = Translations::new(
            "fr",
            [
                (
                    "sources".to_string(),
                    Phrase::Plural(vec![
                        (Category::One, "{count} source".into()),
                        (Category::Other, "{count} sources".into()),
                    ]),
                ),
                (
                    "page".to_string(),
                    Phrase::Text("Page {n} sur {total}".into()),
                ),
            ],
        );
        assert_eq!(t.fill("sources", Some(0), &[]), "0 source");
        assert_eq!(t.fill("sources", Some(2), &[]), "2 sources");
        assert_eq!(t.fill("page", None, &[("n", "2")]), "Page 2 sur {total}");
        assert_eq!(t.text("sources"), "{count} sources");
        assert_eq!(t.text("nothing"), "nothing");
        let other = Translations::new("fr", [("page".to_string(), Phrase::Text("P".into()))]);
        assert_ne!(t.fingerprint(), other.fingerprint());
        assert_eq!(t.direction(), Direction::Ltr);
    }
}
