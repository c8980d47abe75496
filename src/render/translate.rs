//! The templates' one way to the theme's words: the Tera function `t`.
//!
//! - `t(key="nav_latest")`: the key's text in the site's language.
//! - `count=N` chooses the plural form (by the language's rules) and fills
//!   `{count}`; any other argument fills the placeholder of its name.
//! - `t(keys=["a", "b"])`: those keys' texts as a JSON object, a plural
//!   phrase as its forms by category, for a page's script to fill in.
//!
//! In `.html` and `.xml` templates the text is escaped, and so is each
//! argument unless it is HTML already (a `{% set %}` block, or `| safe`),
//! so that a translation can put a link where its sentence needs it; the
//! result is not escaped again. A key the table lacks, or a placeholder
//! left without its argument, is an error at the template's line. Texts
//! are cut into their pieces once per table, not at each call.
//!
//! A text without placeholders is also in `words` (for a phrase with
//! plural forms, its `other` form, as `t` without `count` gives it), one
//! map for the whole build (`{{ words.nav_latest }}`): a page reads a
//! dozen of them, and a map lookup costs a fraction of a function call.

use crate::i18n::{parts, Category, Part, Phrase, Translations};
use crate::render::escape_html;
use crate::validate::did_you_mean;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;
use tera::{Error, Function, Kwargs, State, TeraResult, Value};

/// `t`, over one table.
pub(super) struct Translate {
    table: Arc<Translations>,
    phrases: FxHashMap<String, Prepared>,
}

/// A phrase cut into pieces: its one text, or its forms by category.
struct Prepared {
    forms: Vec<(Category, Form)>,
}

/// One text: its pieces, and for a text without placeholders the values a
/// call returns, plain and escaped.
struct Form {
    pieces: Vec<Piece>,
    whole: Option<(Value, Value)>,
}

enum Piece {
    /// As written, and escaped.
    Text(String, String),
    Slot(String),
}

impl Translate {
    pub(super) fn new(table: Arc<Translations>) -> Translate {
        let phrases = table
            .keys()
            .filter_map(|key| Some((key.to_string(), prepare(table.phrase(key)?))))
            .collect();
        Translate { table, phrases }
    }

    fn text(&self, kwargs: &Kwargs, state: &State, key: &str) -> TeraResult<Value> {
        let Some(phrase) = self.phrases.get(key) else {
            return Err(self.unknown(key));
        };
        let count = match kwargs.get::<&Value>("count")? {
            Some(value) => Some(count_of(value)?),
            None => None,
        };
        let category = count.map_or(Category::Other, |n| self.table.category(n));
        let form = phrase.form(category);
        let escape = state.autoescaping_enabled();
        if let Some((plain, escaped)) = &form.whole {
            return Ok(if escape {
                escaped.clone()
            } else {
                plain.clone()
            });
        }
        let mut out = String::new();
        for piece in &form.pieces {
            match piece {
                Piece::Text(plain, escaped) => out.push_str(if escape { escaped } else { plain }),
                Piece::Slot(name) => {
                    let Some(value) = kwargs.get::<&Value>(name)? else {
                        return Err(Error::message(format!(
                            "t(key=\"{key}\"): no value for {{{name}}} (pass {name}=…)"
                        )));
                    };
                    let text = value.to_string();
                    if escape && !(value.is_safe() && value.as_str().is_some()) {
                        out.push_str(&escape_html(&text));
                    } else {
                        out.push_str(&text);
                    }
                }
            }
        }
        Ok(Value::safe_string(&out))
    }

    /// The JSON object a script reads: each key's text, or its forms.
    fn json(&self, state: &State, keys: &[Value]) -> TeraResult<Value> {
        let mut object = serde_json::Map::new();
        for key in keys {
            let key = key
                .as_str()
                .ok_or_else(|| Error::message("t(keys=[…]): each key is a string"))?;
            let phrase = self.table.phrase(key).ok_or_else(|| self.unknown(key))?;
            let value = match phrase {
                Phrase::Text(text) => serde_json::Value::from(text.as_str()),
                Phrase::Plural(forms) => forms
                    .iter()
                    .map(|(c, text)| (c.name().to_string(), serde_json::Value::from(text.as_str())))
                    .collect::<serde_json::Map<_, _>>()
                    .into(),
            };
            object.insert(key.to_string(), value);
        }
        let json = serde_json::Value::Object(object).to_string();
        Ok(Value::safe_string(&match state.autoescaping_enabled() {
            true => escape_html(&json),
            false => json,
        }))
    }

    fn unknown(&self, key: &str) -> Error {
        let hint = did_you_mean(key, self.table.keys())
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        Error::message(format!(
            "t(key=\"{key}\"): no such key in the theme's i18n/en.yaml{hint}"
        ))
    }
}

impl Function<TeraResult<Value>> for Translate {
    fn call(&self, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
        if let Some(keys) = kwargs.get::<&[Value]>("keys")? {
            return self.json(state, keys);
        }
        match kwargs.get::<&str>("key")? {
            Some(key) => self.text(&kwargs, state, key),
            None => Err(Error::message(
                "t() needs key=\"…\" (a key of the theme's i18n/en.yaml), or keys=[…]",
            )),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl Prepared {
    fn form(&self, category: Category) -> &Form {
        let found = self.forms.iter().find(|(c, _)| *c == category);
        let other = || self.forms.iter().find(|(c, _)| *c == Category::Other);
        match found.or_else(other).or(self.forms.first()) {
            Some((_, form)) => form,
            None => &EMPTY,
        }
    }
}

static EMPTY: Form = Form {
    pieces: Vec::new(),
    whole: None,
};

fn prepare(phrase: &Phrase) -> Prepared {
    let forms = match phrase {
        Phrase::Text(text) => vec![(Category::Other, form(text))],
        Phrase::Plural(forms) => forms.iter().map(|(c, text)| (*c, form(text))).collect(),
    };
    Prepared { forms }
}

fn form(text: &str) -> Form {
    let pieces: Vec<Piece> = parts(text)
        .map(|part| match part {
            Part::Text(t) => Piece::Text(t.to_string(), escape_html(t)),
            Part::Slot(name) => Piece::Slot(name.to_string()),
        })
        .collect();
    let whole = match &pieces[..] {
        [] => Some((Value::from(""), Value::safe_string(""))),
        [Piece::Text(plain, escaped)] => {
            Some((Value::safe_string(plain), Value::safe_string(escaped)))
        }
        _ => None,
    };
    Form { pieces, whole }
}

/// `words`: each key and what `t(key=…)` without arguments gives for it,
/// for every key whose text has no placeholder (a translation may give a
/// plain English text plural forms: its `other` form, as `t` takes). Tera
/// escapes it as it escapes any variable, so it reads as `t` would.
pub(super) fn plain_words(table: &Translations) -> BTreeMap<&str, &str> {
    table
        .keys()
        .filter_map(|key| {
            let text = table.phrase(key)?.form(Category::Other);
            parts(text)
                .all(|part| matches!(part, Part::Text(_)))
                .then_some((key, text))
        })
        .collect()
}

/// A `count` argument as a whole number of at least 0.
fn count_of(value: &Value) -> TeraResult<u64> {
    value
        .as_u64()
        .or_else(|| value.as_i64().map(|n| n.max(0) as u64))
        .or_else(|| value.as_f64().map(|n| n.max(0.0) as u64))
        .ok_or_else(|| Error::message(format!("t(): count={value} is not a number")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::built_in_translations;
    use tera::{Context, Tera};

    fn tera(language: &str) -> Tera {
        let mut tera = Tera::default();
        tera.set_escape_fn(crate::render::templates::write_escaped_html);
        let table = built_in_translations(language);
        tera.global_context().insert("words", &plain_words(&table));
        tera.register_function("t", Translate::new(Arc::new(table)));
        tera
    }

    fn render(tera: &Tera, template: &str, autoescape: bool) -> Result<String, String> {
        let mut context = Context::new();
        context.insert("name", "<b>Le Monde</b> & co");
        tera.render_str(template, &context, autoescape)
            .map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn texts_are_filled_escaped_and_take_their_plural_form() {
        let en = tera("en");
        let ok = |template: &str| render(&en, template, true).unwrap();
        assert_eq!(ok(r#"{{ t(key="nav_latest") }}"#), "Latest");
        assert_eq!(ok(r#"{{ t(key="sources_count", count=1) }}"#), "1 source");
        assert_eq!(ok(r#"{{ t(key="sources_count", count=0) }}"#), "0 sources");
        assert_eq!(
            ok(r#"{{ t(key="outlet_stories", outlet=name, count=3) }}"#),
            "Stories citing &lt;b&gt;Le Monde&lt;/b&gt; &amp; co (3)",
            "arguments are escaped"
        );
        assert_eq!(
            ok(
                r#"{% set link %}<a href="/x">{{ name }}</a>{% endset %}{{ t(key="first_reported", outlet=link, date="1 May") }}"#
            ),
            "First reported by <a href=\"/x\">&lt;b&gt;Le Monde&lt;/b&gt; &amp; co</a>, 1 May",
            "HTML arguments are kept as they are"
        );
        assert_eq!(
            render(
                &en,
                r#"{{ t(key="outlet_stories", outlet=name, count=1) }}"#,
                false
            )
            .unwrap(),
            "Stories citing <b>Le Monde</b> & co (1)",
            "no escaping outside HTML and XML"
        );
        assert_eq!(
            ok(r#"{{ t(key="blindspot_card_left", percent=t(key="percent", value=12)) }}"#),
            "few sources from the left (12%)"
        );
    }

    #[test]
    fn each_language_takes_its_own_plural_forms() {
        let count = |tera: &Tera, n: u64| {
            render(
                tera,
                &format!(r#"{{{{ t(key="sources_count", count={n}) }}}}"#),
                true,
            )
            .unwrap()
        };
        let fr = tera("fr");
        assert_eq!(
            [0, 1, 2].map(|n| count(&fr, n)),
            ["0 source", "1 source", "2 sources"]
        );
        let ar = tera("ar");
        assert_eq!(
            [0, 1, 2, 3, 11, 100].map(|n| count(&ar, n)),
            [
                "لا مصادر",
                "مصدر واحد",
                "مصدران",
                "3 مصادر",
                "11 مصدرًا",
                "100 مصدر"
            ]
        );
        assert_eq!(
            render(&fr, r#"{{ t(key="percent", value=12) }}"#, true).unwrap(),
            "12\u{202f}%",
            "French puts a narrow no-break space before %"
        );
    }

    #[test]
    fn words_read_as_t_without_arguments() {
        for language in ["en", "fr", "ar"] {
            let tera = tera(language);
            let table = built_in_translations(language);
            let words = plain_words(&table);
            assert!(words.len() > 50, "{language}: {} words", words.len());
            for key in words.keys() {
                let by_t = render(&tera, &format!(r#"{{{{ t(key="{key}") }}}}"#), true);
                let by_words = render(&tera, &format!("{{{{ words.{key} }}}}"), true);
                assert_eq!(by_words, by_t, "{language}: {key}");
            }
        }
        let en = built_in_translations("en");
        let words = plain_words(&en);
        assert_eq!(words.get("nav_latest"), Some(&"Latest"));
        assert!(
            !words.contains_key("page_of") && !words.contains_key("sources_count"),
            "a text with placeholders is only t()'s"
        );
        let fr = tera("fr");
        assert_eq!(
            render(&fr, "{{ words.nav_latest }}", true).unwrap(),
            "À la une"
        );
    }

    #[test]
    fn scripts_get_the_forms_as_json() {
        let en = tera("en");
        let json = render(
            &en,
            r#"{{ t(keys=["side_left", "sources_count"]) }}"#,
            false,
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["side_left"], "Left");
        assert_eq!(value["sources_count"]["one"], "{count} source");
        let escaped = render(&en, r#"{{ t(keys=["side_left"]) }}"#, true).unwrap();
        assert_eq!(escaped, "{&quot;side_left&quot;:&quot;Left&quot;}");
    }

    #[test]
    fn a_wrong_call_says_what_is_wrong() {
        let en = tera("en");
        let err = |template: &str| render(&en, template, true).unwrap_err();
        assert!(err(r#"{{ t(key="nav_lates") }}"#).contains("did you mean 'nav_latest'?"));
        assert!(err(r#"{{ t(key="page_of", current=1) }}"#).contains("no value for {total}"));
        assert!(err(r#"{{ t() }}"#).contains("t() needs key="));
        assert!(err(r#"{{ t(key="sources_count", count="many") }}"#).contains("is not a number"));
        assert!(err(r#"{{ t(keys=[1]) }}"#).contains("each key is a string"));
    }
}
