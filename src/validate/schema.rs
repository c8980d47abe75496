//! The JSON Schemas (draft 2020-12) of the files editors write: a story's
//! front matter, content/outlets.yaml and site.yaml, generated with
//! schemars from the structs in `raw` that validation reads, so that the
//! keys, their types and their descriptions (the structs' doc comments) are
//! written once. Values that `raw` reads as plain text but the rules check
//! further (dates, slugs, bias and factuality names) get a stricter schema
//! here, from the same definitions the rules use (`Bias::ALL`,
//! `Factuality::ALL`, `is_slug`, `parse_date`; the tests hold the patterns
//! to them). The schemas are for editors' tools; `parallax check` stays the
//! judge.

use super::raw::{RawConfig, RawOutlet, RawStory};
use crate::model::{Bias, Factuality};
use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;
use std::collections::BTreeMap;

/// The schema files, by name, each with its text (pretty JSON and a final
/// newline): what `parallax schema` writes and the repository's `schemas/`
/// holds.
pub fn files() -> [(&'static str, String); 3] {
    [
        (
            "story.schema.json",
            text::<RawStory>("Parallax story front matter"),
        ),
        (
            "outlets.schema.json",
            text::<Outlets>("Parallax content/outlets.yaml"),
        ),
        ("site.schema.json", text::<RawConfig>("Parallax site.yaml")),
    ]
}

fn text<T: JsonSchema>(title: &str) -> String {
    let mut schema =
        SchemaGenerator::new(SchemaSettings::draft2020_12()).into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    let mut value = schema.to_value();
    unwrap_descriptions(&mut value);
    // Back to a `Schema`, which writes its keywords in a readable order.
    let schema = Schema::try_from(value).expect("still a schema");
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
    text.push('\n');
    text
}

/// Doc comments are wrapped for the source: each description becomes one
/// line (a blank line, a paragraph break, stays).
fn unwrap_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(text) if key == "description" => {
                        *text = text
                            .split("\n\n")
                            .map(|paragraph| paragraph.replace('\n', " "))
                            .collect::<Vec<_>>()
                            .join("\n\n");
                    }
                    _ => unwrap_descriptions(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_descriptions),
        _ => {}
    }
}

/// `is_slug` as a regular expression: lowercase ASCII letters and digits in
/// runs joined by single dashes.
const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// The shape of the two forms `parse_date` reads, as documented: an RFC
/// 3339 date-time or `YYYY-MM-DD` (chrono also takes a one-digit month or
/// day; the schema asks for two). Not a calendar: 2025-02-30 matches.
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$";

/// content/outlets.yaml: the outlet registry, a mapping from each outlet's
/// id to what is known of it. Ids are part of URLs (outlets/ID/), so they
/// are slugs: lowercase letters, digits and single dashes.
#[derive(JsonSchema)]
#[schemars(rename = "Outlets", extend("propertyNames" = { "pattern": SLUG_PATTERN }))]
#[allow(dead_code)] // only its schema is used: the registry is read as the map itself
struct Outlets(BTreeMap<String, RawOutlet>);

/// A `JsonSchema` impl for a type whose schema is written where it is used
/// (not in `$defs`): the type, its name, its schema.
macro_rules! inline_schema {
    ($type:ty, $name:literal, $schema:expr) => {
        impl schemars::JsonSchema for $type {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $schema
            }
        }
    };
}
pub(super) use inline_schema;

/// A date or date-time, for keys that `raw` reads as `Text`.
pub(super) struct Date;
inline_schema!(
    Date,
    "Date",
    json_schema!({ "type": "string", "pattern": DATE_PATTERN })
);

/// A slug, for keys that `raw` reads as `Text` (so a number is one too):
/// `pattern` applies to strings only, `minimum` to numbers only.
pub(super) struct Slug;
inline_schema!(
    Slug,
    "Slug",
    json_schema!({ "type": ["string", "integer"], "pattern": SLUG_PATTERN, "minimum": 0 })
);

/// One of the bias names of `Bias::ALL`.
pub(super) struct BiasName;
inline_schema!(BiasName, "Bias", one_of(Bias::ALL.map(|(name, _)| name)));

/// One of the factuality names of `Factuality::ALL`.
pub(super) struct FactualityName;
inline_schema!(
    FactualityName,
    "Factuality",
    one_of(Factuality::ALL.map(|(name, _)| name))
);

/// A string that is one of `names`.
fn one_of(names: impl IntoIterator<Item = &'static str>) -> Schema {
    let names: Vec<&str> = names.into_iter().collect();
    json_schema!({ "type": "string", "enum": names })
}

#[cfg(test)]
mod tests {
    use super::super::values::parse_date;
    use super::*;
    use crate::slug::is_slug;

    fn matcher(pattern: &str) -> jsonschema::Validator {
        jsonschema::validator_for(&serde_json::json!({ "pattern": pattern })).unwrap()
    }

    #[test]
    fn the_slug_pattern_is_is_slug() {
        let pattern = matcher(SLUG_PATTERN);
        for text in [
            "a", "abc", "a-b", "a1-2b-c3", "2025", "", "-a", "a-", "a--b", "A", "a_b", "a b",
            "café", "a-b-",
        ] {
            assert_eq!(pattern.is_valid(&text.into()), is_slug(text), "{text:?}");
        }
    }

    #[test]
    fn the_date_pattern_is_what_parse_date_reads() {
        let pattern = matcher(DATE_PATTERN);
        // Both read these…
        for text in [
            "2025-05-15",
            "2025-05-15T08:00:00Z",
            "2025-05-15T08:00:00z",
            "2025-05-15t08:00:00Z",
            "2025-05-15 08:00:00Z",
            "2025-05-15T08:00:00.125+02:00",
            "2025-05-15T08:00:00-05:30",
        ] {
            assert!(pattern.is_valid(&text.into()), "{text:?}");
            assert!(parse_date(text).is_some(), "{text:?}");
        }
        // …and neither these.
        for text in [
            "2025-05-15T08:00Z",
            "2025-05-15T08:00:00",
            "15/05/2025",
            "2025-05-15Z",
            "20250515",
            "May 15, 2025",
        ] {
            assert!(!pattern.is_valid(&text.into()), "{text:?}");
            assert!(parse_date(text).is_none(), "{text:?}");
        }
        // chrono also takes a one-digit month or day; the schema asks for
        // the documented YYYY-MM-DD.
        assert!(!pattern.is_valid(&"2025-5-15".into()));
        assert!(parse_date("2025-5-15").is_some());
    }
}
