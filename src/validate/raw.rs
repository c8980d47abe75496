//! The YAML as written: serde structs that mirror site.yaml, outlets.yaml
//! and front matter key for key, with unknown keys an error (`deny_unknown_fields`).
//! Owns only the shape of the input; no rule of the site format is checked
//! here, and nothing here is seen past validation.
//!
//! The names and field order below are part of the messages editors see:
//! serde_yaml says "expected struct RawImage" (reworded to "a mapping
//! Image" by `problems`) and lists the expected keys in field order.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// Free text from YAML. Editors write `title: 1984` and mean the words, so
/// numbers and booleans are read back as the text they were written as.
#[derive(Debug, Clone, Default)]
pub(super) struct Text(pub(super) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    /// The trimmed text, or `None` when blank.
    pub(super) fn non_empty(&self) -> Option<String> {
        let trimmed = self.0.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) title: Option<Text>,
    pub(super) base_url: Option<Text>,
    pub(super) language: Option<Text>,
    pub(super) description: Option<Text>,
    pub(super) image: Option<Text>,
    pub(super) theme: Option<Text>,
    pub(super) stories_per_page: Option<i64>,
    pub(super) newsletter: Option<RawNewsletter>,
    pub(super) blindspot: Option<RawBlindspot>,
    pub(super) feed_limit: Option<i64>,
    pub(super) similar_stories: Option<i64>,
    pub(super) allow_raw_html: Option<bool>,
    pub(super) report_issue_url: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNewsletter {
    pub(super) text: Option<Text>,
    pub(super) url: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBlindspot {
    pub(super) min_sources: Option<i64>,
    pub(super) max_share: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutlet {
    pub(super) name: Option<Text>,
    pub(super) bias: Option<String>,
    pub(super) factuality: Option<String>,
    pub(super) owner: Option<Text>,
    pub(super) homepage: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStory {
    pub(super) title: Option<Text>,
    pub(super) summary: Option<Text>,
    pub(super) date: Option<Text>,
    pub(super) updated: Option<Text>,
    pub(super) slug: Option<Text>,
    pub(super) draft: Option<bool>,
    pub(super) topics: Option<Vec<Text>>,
    pub(super) location: Option<Text>,
    pub(super) image: Option<RawImage>,
    pub(super) ai_summary: Option<bool>,
    pub(super) perspectives: Option<RawPerspectives>,
    pub(super) sources: Option<Vec<RawSource>>,
    pub(super) faq: Option<Vec<RawFaq>>,
    pub(super) history: Option<Vec<RawHistory>>,
    pub(super) related: Option<Vec<Text>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImage {
    pub(super) src: Option<Text>,
    pub(super) alt: Option<Text>,
    pub(super) credit: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPerspectives {
    pub(super) left: Option<Vec<Text>>,
    pub(super) center: Option<Vec<Text>>,
    pub(super) right: Option<Vec<Text>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub(super) outlet: Option<Text>,
    pub(super) title: Option<Text>,
    pub(super) url: Option<Text>,
    pub(super) published: Option<Text>,
    pub(super) excerpt: Option<Text>,
    pub(super) bias: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFaq {
    pub(super) q: Option<Text>,
    pub(super) a: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHistory {
    pub(super) date: Option<Text>,
    pub(super) text: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPage {
    pub(super) title: Option<Text>,
    pub(super) description: Option<Text>,
    pub(super) draft: Option<bool>,
}
