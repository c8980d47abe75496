//! Translation tables (`i18n/LANG.yaml`, the theme's and the site's): each
//! file read, checked, and laid over the others into the `Translations` of
//! the site's language. English is under everything: the theme's English
//! (the built-in theme's, then a theme folder's) names the keys there are,
//! and a site's `i18n/en.yaml` may reword it; then each table of the site's
//! language, the theme's before the site's, the primary subtag's before
//! the whole tag's (`pt`, then `pt-BR`), gives the keys their texts.
//!
//! A file that is not YAML, or not a mapping of keys to texts, is an error
//! at its line and column. What is wrong inside one that is — a key the
//! theme does not have (with the closest one it does), a plural form that
//! is not one, a placeholder the English text lacks — is a warning, and the
//! entry is left out: English stands in. So does a key no table of the
//! language has (a warning naming the file, the key and the language), and
//! a language with no table at all (one warning, at site.yaml's
//! `language`).

use super::config::site_yaml_problem;
use super::positions::KeyPath;
use super::problems::Problems;
use super::raw::Text;
use super::reading::read_yaml;
use super::suggest::did_you_mean;
use crate::diag::Diagnostic;
use crate::i18n::{self, Category, Phrase, Translations};
use crate::load::{I18nFile, I18nLayer, TextFile};
use crate::paths::I18N_DIR;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// One key's text as written: one text, or a text per plural form.
enum RawPhrase {
    Text(Text),
    Forms(BTreeMap<String, Text>),
}

impl<'de> Deserialize<'de> for RawPhrase {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PhraseVisitor;
        impl<'de> Visitor<'de> for PhraseVisitor {
            type Value = RawPhrase;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text, or plural forms (one: …, other: …)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPhrase, E> {
                Ok(RawPhrase::Text(Text(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawPhrase, E> {
                Ok(RawPhrase::Text(Text(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawPhrase, E> {
                Ok(RawPhrase::Text(Text(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawPhrase, E> {
                Ok(RawPhrase::Text(Text(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawPhrase, E> {
                Ok(RawPhrase::Text(Text(v.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPhrase, A::Error> {
                let mut forms = BTreeMap::new();
                while let Some((form, text)) = map.next_entry::<String, Text>()? {
                    forms.insert(form, text);
                }
                Ok(RawPhrase::Forms(forms))
            }
        }
        deserializer.deserialize_any(PhraseVisitor)
    }
}

type Table = BTreeMap<String, RawPhrase>;

/// The translations of the site's language, and what was found wrong on
/// the way. `site_yaml` is for positioning the warnings about `language`.
pub(super) fn translations(
    language: &str,
    files: &[I18nFile],
    site_yaml: Option<&TextFile>,
) -> (Translations, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let tables: Vec<(&I18nFile, Table)> = files
        .iter()
        .map(|file| {
            let (table, found) = read_yaml::<Table>(&file.file.rel, &file.file.text, 1);
            diags.extend(found);
            (file, table.unwrap_or_default())
        })
        .collect();
    let is_english = |file: &I18nFile| file.language == "en";
    let mut english: BTreeMap<String, Phrase> = BTreeMap::new();
    for (file, table) in tables
        .iter()
        .filter(|(f, _)| is_english(f) && f.layer == I18nLayer::Theme)
    {
        let mut problems = Problems::new(&file.file.rel, &file.file.text, 1);
        for (key, raw) in table {
            if let Some(phrase) = phrase(&mut problems, key, raw) {
                english.insert(key.clone(), phrase);
            }
        }
        diags.extend(problems.finish());
    }
    let mut merged = english.clone();
    let mut translated: BTreeSet<&str> = BTreeSet::new();
    let over_english = tables
        .iter()
        .filter(|(f, _)| is_english(f) && f.layer == I18nLayer::Site);
    let translations = tables.iter().filter(|(f, _)| !is_english(f));
    for (file, table) in over_english.chain(translations) {
        let mut problems = Problems::new(&file.file.rel, &file.file.text, 1);
        for (key, raw) in table {
            if let Some(phrase) = translation(&mut problems, &english, key, raw) {
                merged.insert(key.clone(), phrase);
                if !is_english(file) {
                    translated.insert(key);
                }
            }
        }
        diags.extend(problems.finish());
    }
    if i18n::primary_subtag(language) != "en" {
        let most_specific = tables.iter().rev().find(|(f, _)| !is_english(f));
        match most_specific {
            Some((file, _)) => diags.extend(
                english
                    .keys()
                    .filter(|key| !translated.contains(key.as_str()))
                    .map(|key| missing_key(file, key, language)),
            ),
            None => diags.push(no_table(language, site_yaml)),
        }
    }
    (Translations::new(language, merged), diags)
}

/// A phrase of the theme's English: any key goes (the English names them).
fn phrase(problems: &mut Problems, key: &str, raw: &RawPhrase) -> Option<Phrase> {
    match raw {
        RawPhrase::Text(text) => Some(Phrase::Text(text.0.clone())),
        RawPhrase::Forms(forms) => plural_forms(problems, key, forms),
    }
}

/// A phrase over the English: only for a key the English has, and only
/// with placeholders its English text has.
fn translation(
    problems: &mut Problems,
    english: &BTreeMap<String, Phrase>,
    key: &str,
    raw: &RawPhrase,
) -> Option<Phrase> {
    let at = KeyPath::root().key(key);
    let Some(original) = english.get(key) else {
        let help = did_you_mean(key, english.keys().map(String::as_str));
        problems.warn_with_help(at, "no such key in the theme's i18n/en.yaml: ignored", help);
        return None;
    };
    let phrase = phrase(problems, key, raw)?;
    let mut allowed: BTreeSet<&str> = original.texts().flat_map(i18n::placeholders).collect();
    if matches!(original, Phrase::Plural(_)) {
        allowed.insert("count");
    }
    let texts: Vec<(KeyPath, &str)> = match raw {
        RawPhrase::Text(text) => vec![(at, text.0.as_str())],
        RawPhrase::Forms(forms) => forms
            .iter()
            .map(|(form, text)| (at.key(form), text.0.as_str()))
            .collect(),
    };
    for (path, text) in texts {
        let unknown = i18n::placeholders(text).find(|name| !allowed.contains(name));
        if let Some(name) = unknown {
            let has: Vec<String> = allowed.iter().map(|n| format!("{{{n}}}")).collect();
            let has = if has.is_empty() {
                "none".to_string()
            } else {
                has.join(", ")
            };
            let help = allowed
                .iter()
                .find(|known| did_you_mean(name, [**known]).is_some())
                .map(|known| format!("did you mean {{{known}}}?"));
            problems.warn_with_help(
                path,
                format!("unknown placeholder {{{name}}} (the English text has {has}): the English text is used"),
                help,
            );
            return None;
        }
    }
    Some(phrase)
}

/// Plural forms: each a CLDR category, `other` among them.
fn plural_forms(
    problems: &mut Problems,
    key: &str,
    written: &BTreeMap<String, Text>,
) -> Option<Phrase> {
    let mut forms = Vec::new();
    for (name, text) in written {
        match Category::parse(name) {
            Some(category) => forms.push((category, text.0.clone())),
            None => {
                let names = Category::ALL.map(Category::name);
                problems.warn_with_help(
                    KeyPath::root().key(key).key(name),
                    format!(
                        "unknown plural form '{name}' (expected one of: {})",
                        names.join(", ")
                    ),
                    did_you_mean(name, names),
                );
            }
        }
    }
    if !forms.iter().any(|(c, _)| *c == Category::Other) {
        problems.warn(
            KeyPath::root().key(key),
            format!("'{key}' has no plural form 'other', which every count may take: the English text is used"),
        );
        return None;
    }
    forms.sort();
    Some(Phrase::Plural(forms))
}

/// A key no table of the language has.
fn missing_key(file: &I18nFile, key: &str, language: &str) -> Diagnostic {
    Diagnostic::new(
        &file.file.rel,
        0,
        0,
        format!("missing key '{key}' for language '{language}': the English text is used"),
    )
    .warning()
}

/// A language that no table is for: one warning, at site.yaml's
/// `language`.
fn no_table(language: &str, site_yaml: Option<&TextFile>) -> Diagnostic {
    let (message, help) = if i18n::is_language_tag(language) {
        (
            format!("the theme has no translation into '{language}': its words are in English"),
            format!("translate them in {I18N_DIR}/{language}.yaml (the keys are those of the theme's {I18N_DIR}/en.yaml)"),
        )
    } else {
        (
            format!("'{language}' is not a language tag: the theme's words are in English"),
            "write a tag such as en, fr or pt-BR".to_string(),
        )
    };
    site_yaml_problem(site_yaml, "language", message)
        .with_help(help)
        .warning()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::DEFAULT_THEME;
    use std::path::Path;

    /// The built-in theme's table of `language` (English under it).
    pub(crate) fn built_in(language: &str) -> (Translations, Vec<Diagnostic>) {
        let files: Vec<I18nFile> = i18n::table_names(language)
            .into_iter()
            .filter_map(|name| {
                let rel = Path::new(I18N_DIR).join(format!("{name}.yaml"));
                let file = DEFAULT_THEME.get_file(&rel)?;
                Some(I18nFile {
                    layer: I18nLayer::Theme,
                    language: name,
                    file: TextFile {
                        rel,
                        text: String::from_utf8_lossy(file.contents()).into_owned(),
                    },
                })
            })
            .collect();
        translations(language, &files, None)
    }

    #[test]
    fn the_shipped_tables_are_complete_and_clean() {
        let (english, diags) = built_in("en");
        assert!(diags.is_empty(), "{diags:?}");
        let tables = DEFAULT_THEME.get_dir(I18N_DIR).expect("the theme's i18n/");
        for file in tables.files() {
            let name = file.path().file_stem().unwrap().to_string_lossy();
            let (table, diags) = built_in(&name);
            assert!(diags.is_empty(), "{name}: {diags:#?}");
            assert_eq!(
                table.keys().collect::<BTreeSet<_>>(),
                english.keys().collect::<BTreeSet<_>>(),
                "{name}"
            );
        }
    }
}
