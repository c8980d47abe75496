//! The YAML as written: serde structs that mirror site.yaml, outlets.yaml
//! and front matter key for key, with unknown keys an error (`deny_unknown_fields`).
//! Owns only the shape of the input; no rule of the site format is checked
//! here, and nothing here is seen past validation.
//!
//! The names and field order below are part of the messages editors see:
//! serde_yaml says "expected struct RawImage" (reworded to "a mapping
//! Image" by `problems`) and lists the expected keys in field order.
//!
//! The same structs give the JSON Schemas of `parallax schema` (`schema`):
//! each doc comment below is the description an editor sees for that key,
//! and the `schemars` attributes only shape the schema (never what serde
//! reads): `with` a value's stricter form (a date, a slug, a bias name),
//! `required` for the keys the rules require.

use super::schema::{inline_schema, BiasName, Date, FactualityName, Slug};
use schemars::{json_schema, JsonSchema};
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

// Text in a schema: a string, or a number or boolean read as written.
inline_schema!(
    Text,
    "Text",
    json_schema!({ "type": ["string", "number", "boolean"] })
);

impl Text {
    /// The trimmed text, or `None` when blank.
    pub(super) fn non_empty(&self) -> Option<String> {
        let trimmed = self.0.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    }
}

/// site.yaml: the site's settings. Every key is optional.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Site")]
pub(super) struct RawConfig {
    /// The site's name, in every page's title and header and in the feed.
    /// Default: Parallax.
    pub(super) title: Option<Text>,
    /// The absolute http or https URL the site is published at
    /// (https://briefs.example.org). A path part (https://x.github.io/briefs/)
    /// is kept, and every internal link starts with it; `--base-url` overrides
    /// this key. Default: http://127.0.0.1:1111, with a warning.
    pub(super) base_url: Option<Text>,
    /// The site's language, an IETF language tag (en, fr, pt-BR): every
    /// page's `lang` (and `dir="rtl"` for a language written right to
    /// left), the theme's words and dates (its i18n/LANG.yaml, under the
    /// site's own i18n/LANG.yaml), the feed's and the JSON-LD's language.
    /// Default: en.
    pub(super) language: Option<Text>,
    /// A sentence about the site: shown under the site's name and used as the
    /// description of pages without their own. Default: empty.
    pub(super) description: Option<Text>,
    /// The default share image (og:image) of pages without their own: a path to
    /// a file under static/ (/images/social.png) or an https URL.
    pub(super) image: Option<Text>,
    /// The theme: the name of a folder under themes/, or `default`, the
    /// built-in theme when there is no themes/default/. Default: default.
    pub(super) theme: Option<Text>,
    /// How many stories each index page lists, at least 1. Default: 20.
    pub(super) stories_per_page: Option<i64>,
    /// A call to action under each story's overview, such as a newsletter
    /// sign-up; both `text` and `url` are required.
    pub(super) newsletter: Option<RawNewsletter>,
    /// When a side of the spectrum counts as a blindspot of a story.
    pub(super) blindspot: Option<RawBlindspot>,
    /// How many stories feed.xml lists, at least 1. Default: 20.
    pub(super) feed_limit: Option<i64>,
    /// How many similar stories a story page lists, 0 for none. Default: 5.
    pub(super) similar_stories: Option<i64>,
    /// Pass raw HTML written in Markdown through to the pages; when false, it
    /// is shown as text. Default: false.
    pub(super) allow_raw_html: Option<bool>,
    /// The "report an issue" link beside the notice that a story's overview was
    /// machine-written: an http, https or mailto URL.
    pub(super) report_issue_url: Option<Text>,
    /// Build a search index (Pagefind, into pagefind/) and the search page at
    /// /search/, with a search box in every page's header; false leaves all
    /// three out. Default: true.
    pub(super) search: Option<bool>,
    /// The page that says how the site corrects its stories (an http or https
    /// URL): linked from every page's footer and named as the publisher's
    /// correctionsPolicy in each story's JSON-LD.
    pub(super) corrections_policy: Option<Text>,
    /// Draw a share card for each story without an image of its own: a
    /// 1200×630 PNG beside its page (stories/SLUG/card.png) with the site's
    /// name, the title and the coverage bar, the page's og:image; false
    /// leaves them out (a story without an image then shares the site's
    /// `image`). Default: true.
    pub(super) share_cards: Option<bool>,
}

/// A call to action under each story's overview.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Newsletter")]
pub(super) struct RawNewsletter {
    /// What the call to action says.
    #[schemars(required)]
    pub(super) text: Option<Text>,
    /// Where it links: an http or https URL.
    #[schemars(required)]
    pub(super) url: Option<Text>,
}

/// When a side is a story's blindspot: the story has at least `min_sources`
/// rated sources, and that side's share of them is at most `max_share` (when
/// both the left and the right are, there is none).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Blindspot")]
pub(super) struct RawBlindspot {
    /// A story with fewer rated sources than this never has a blindspot; at
    /// least 0. Default: 5.
    pub(super) min_sources: Option<i64>,
    /// A side with at most this share of a story's rated sources is blind,
    /// between 0 and 1. Default: 0.2.
    pub(super) max_share: Option<f64>,
}

/// An outlet: a publisher that stories' sources name by its id.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Outlet")]
pub(super) struct RawOutlet {
    /// The outlet's name, as readers know it.
    #[schemars(required)]
    pub(super) name: Option<Text>,
    /// The outlet's bias rating, on the seven-point scale from far-left to
    /// far-right. Leave it out for an unrated outlet: its articles count as
    /// untracked bias.
    #[schemars(with = "Option<BiasName>")]
    pub(super) bias: Option<String>,
    /// How factual the outlet's reporting is, from very-high to very-low.
    #[schemars(with = "Option<FactualityName>")]
    pub(super) factuality: Option<String>,
    /// Who owns the outlet, for the stories' ownership figures.
    pub(super) owner: Option<Text>,
    /// The outlet's website: an http or https URL.
    pub(super) homepage: Option<Text>,
}

/// A story's front matter: the YAML between the `---` lines at the top of a
/// file under content/stories/.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Story")]
pub(super) struct RawStory {
    /// The story's headline.
    #[schemars(required)]
    pub(super) title: Option<Text>,
    /// One sentence under the title that says what happened; also the page's
    /// description.
    pub(super) summary: Option<Text>,
    /// When the story was first published: an RFC 3339 date-time
    /// (2025-05-15T08:00:00Z) or a date (2025-05-15, taken as midnight UTC).
    #[schemars(required, with = "Option<Date>")]
    pub(super) date: Option<Text>,
    /// When the story was last updated, not before `date`: an RFC 3339
    /// date-time or a date.
    #[schemars(with = "Option<Date>")]
    pub(super) updated: Option<Text>,
    /// The story's URL is /stories/SLUG/: lowercase letters, digits and single
    /// dashes, unique across the site. Default: the file name, without a
    /// leading YYYY-MM-DD-.
    #[schemars(with = "Option<Slug>")]
    pub(super) slug: Option<Text>,
    /// A draft is built only with --drafts. Default: false.
    pub(super) draft: Option<bool>,
    /// The story's topics, each with a page listing its stories; names that
    /// give the same URL are one topic.
    pub(super) topics: Option<Vec<Text>>,
    /// Where the story happened (Istanbul, Turkey).
    pub(super) location: Option<Text>,
    /// The story's picture.
    pub(super) image: Option<RawImage>,
    /// true when the overview was machine-written: the story page says so.
    /// Default: false.
    pub(super) ai_summary: Option<bool>,
    /// What the media on each side emphasise, as Markdown points.
    pub(super) perspectives: Option<RawPerspectives>,
    /// The articles that covered the story: at least one.
    #[schemars(required)]
    pub(super) sources: Option<Vec<RawSource>>,
    /// Questions readers ask, with their answers.
    pub(super) faq: Option<Vec<RawFaq>>,
    /// Editorial events, merged with the number of articles published each day
    /// into the story's timeline.
    pub(super) history: Option<Vec<RawHistory>>,
    /// Corrections made after publication, each with its date: the page lists
    /// them (newest first) and says when it was last corrected.
    pub(super) corrections: Option<Vec<RawCorrection>>,
    /// Slugs of other stories (drafts count) to list first among the similar
    /// stories, in this order.
    #[schemars(with = "Option<Vec<Slug>>")]
    pub(super) related: Option<Vec<Text>>,
}

/// A picture and what it shows.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Image")]
pub(super) struct RawImage {
    /// The picture: a path to a file under static/ (/images/photo.jpg) or an
    /// https URL.
    #[schemars(required)]
    pub(super) src: Option<Text>,
    /// What the picture shows, for readers who cannot see it.
    #[schemars(required)]
    pub(super) alt: Option<Text>,
    /// Who took the picture, or owns it.
    pub(super) credit: Option<Text>,
}

/// What the media on each side emphasise, as Markdown points. A side left empty
/// says there are not enough sources from it.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Perspectives")]
pub(super) struct RawPerspectives {
    /// What outlets on the left (far-left, left, lean-left) emphasise.
    pub(super) left: Option<Vec<Text>>,
    /// What outlets in the center emphasise.
    pub(super) center: Option<Vec<Text>>,
    /// What outlets on the right (lean-right, right, far-right) emphasise.
    pub(super) right: Option<Vec<Text>>,
}

/// An article that covered the story.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Source")]
pub(super) struct RawSource {
    /// The id of the outlet that published it, from content/outlets.yaml.
    #[schemars(required)]
    pub(super) outlet: Option<Text>,
    /// The article's headline.
    #[schemars(required)]
    pub(super) title: Option<Text>,
    /// The article's address: an http or https URL.
    #[schemars(required)]
    pub(super) url: Option<Text>,
    /// When the article was published: an RFC 3339 date-time
    /// (2025-05-15T08:00:00Z) or a date (2025-05-15, taken as midnight UTC).
    #[schemars(required, with = "Option<Date>")]
    pub(super) published: Option<Text>,
    /// A sentence or two quoted from the article.
    pub(super) excerpt: Option<Text>,
    /// This article's bias rating, overriding its outlet's for this article
    /// only.
    #[schemars(with = "Option<BiasName>")]
    pub(super) bias: Option<String>,
}

/// A question readers ask, and its answer.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Faq")]
pub(super) struct RawFaq {
    /// The question.
    #[schemars(required)]
    pub(super) q: Option<Text>,
    /// The answer, in Markdown.
    #[schemars(required)]
    pub(super) a: Option<Text>,
}

/// An editorial event in the story's timeline.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "HistoryEvent")]
pub(super) struct RawHistory {
    /// When it happened: a date (2025-05-15) or an RFC 3339 date-time.
    #[schemars(required, with = "Option<Date>")]
    pub(super) date: Option<Text>,
    /// What happened, in Markdown.
    #[schemars(required)]
    pub(super) text: Option<Text>,
}

/// A correction made to the story after it was published.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Correction")]
pub(super) struct RawCorrection {
    /// When it was corrected: a date (2025-05-16) or an RFC 3339 date-time.
    #[schemars(required, with = "Option<Date>")]
    pub(super) date: Option<Text>,
    /// What was wrong and what is right now, in Markdown.
    #[schemars(required)]
    pub(super) text: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPage {
    pub(super) title: Option<Text>,
    pub(super) description: Option<Text>,
    pub(super) draft: Option<bool>,
}
