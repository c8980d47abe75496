//! The checked model: what validation produces and what deriving and rendering
//! read. Everything here is already resolved (outlets looked up, dates parsed,
//! Markdown turned into safe HTML), so later stages never see raw input.

use crate::i18n::Translations;
pub use crate::story_text::Body;
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// An outlet's rating on the seven-point scale of the site format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bias {
    FarLeft,
    Left,
    LeanLeft,
    Center,
    LeanRight,
    Right,
    FarRight,
}

impl Bias {
    pub const ALL: [(&'static str, Bias); 7] = [
        ("far-left", Bias::FarLeft),
        ("left", Bias::Left),
        ("lean-left", Bias::LeanLeft),
        ("center", Bias::Center),
        ("lean-right", Bias::LeanRight),
        ("right", Bias::Right),
        ("far-right", Bias::FarRight),
    ];

    pub fn parse(text: &str) -> Option<Bias> {
        Bias::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, b)| *b)
    }

    pub fn id(self) -> &'static str {
        Bias::ALL[self as usize].0
    }

    pub fn label(self) -> &'static str {
        [
            "Far left",
            "Left",
            "Lean left",
            "Center",
            "Lean right",
            "Right",
            "Far right",
        ][self as usize]
    }

    pub fn bucket(self) -> Bucket {
        match self {
            Bias::FarLeft | Bias::Left | Bias::LeanLeft => Bucket::Left,
            Bias::Center => Bucket::Center,
            Bias::LeanRight | Bias::Right | Bias::FarRight => Bucket::Right,
        }
    }
}

/// The three sides a story is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Left,
    Center,
    Right,
}

impl Bucket {
    pub const ALL: [Bucket; 3] = [Bucket::Left, Bucket::Center, Bucket::Right];

    pub fn id(self) -> &'static str {
        ["left", "center", "right"][self as usize]
    }

    pub fn label(self) -> &'static str {
        ["Left", "Center", "Right"][self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Factuality {
    VeryHigh,
    High,
    Mixed,
    Low,
    VeryLow,
}

impl Factuality {
    pub const ALL: [(&'static str, Factuality); 5] = [
        ("very-high", Factuality::VeryHigh),
        ("high", Factuality::High),
        ("mixed", Factuality::Mixed),
        ("low", Factuality::Low),
        ("very-low", Factuality::VeryLow),
    ];

    pub fn parse(text: &str) -> Option<Factuality> {
        Factuality::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, f)| *f)
    }

    pub fn id(self) -> &'static str {
        Factuality::ALL[self as usize].0
    }

    pub fn label(self) -> &'static str {
        ["Very high", "High", "Mixed", "Low", "Very low"][self as usize]
    }
}

/// The site settings, with every default applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    /// The path part of `base_url`, with leading and trailing slash ("/" or
    /// "/briefs/"): internal links start with it.
    pub base_path: String,
    pub base_url_is_default: bool,
    pub language: String,
    pub description: String,
    pub image: Option<String>,
    pub theme: String,
    pub stories_per_page: usize,
    pub newsletter: Option<Newsletter>,
    pub blindspot_min_sources: usize,
    pub blindspot_max_share: f64,
    pub feed_limit: usize,
    pub similar_limit: usize,
    pub allow_raw_html: bool,
    pub report_issue_url: Option<String>,
    /// Build the search index and the search page (`search:`, default true).
    pub search: bool,
    /// An http(s) URL: how the site corrects its stories.
    pub corrections_policy: Option<String>,
    /// Draw a share card for each story without an image of its own
    /// (`share_cards:`, default true).
    pub share_cards: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Newsletter {
    pub text: String,
    pub url: String,
}

#[derive(Debug, Clone, Hash)]
pub struct Outlet {
    pub id: String,
    pub name: String,
    pub bias: Option<Bias>,
    pub factuality: Option<Factuality>,
    pub owner: Option<String>,
    pub homepage: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub credit: Option<String>,
}

/// A source as the site's figures see it; its words are in `StoryText`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    /// Index into `Site::outlets`.
    pub outlet: usize,
    pub published: DateTime<FixedOffset>,
    /// The article's own rating, when the editor overrode the outlet's.
    pub bias_override: Option<Bias>,
}

/// A source's words, which only its story's own outputs show.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceText {
    pub title: String,
    pub url: String,
    pub excerpt: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Faq {
    pub question: String,
    /// The answer as written (Markdown) and as rendered.
    pub answer: String,
    pub answer_html: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryEvent {
    pub date: DateTime<FixedOffset>,
    /// As written (Markdown) and as rendered.
    pub text: String,
    pub html: String,
}

/// A correction made to a story after it was published.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Correction {
    pub date: DateTime<FixedOffset>,
    /// What was corrected, as written (Markdown) and as rendered.
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub slug: String,
}

/// The words of a story that only its own outputs show (its page, its
/// JSON, its search record): most of its bytes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoryText {
    /// Points per bucket (left, center, right), as written (Markdown)…
    pub perspectives: [Vec<String>; 3],
    /// …and rendered.
    pub perspectives_html: [Vec<String>; 3],
    /// By index in `Story::sources`.
    pub sources: Vec<SourceText>,
    pub faq: Vec<Faq>,
    pub history: Vec<HistoryEvent>,
    pub body_html: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Story {
    /// Relative to the site root, for messages and dependency tracking.
    pub file: PathBuf,
    /// Hash of the file's path and text and of what validation looked up:
    /// the story's identity for rebuilds.
    pub hash: u128,
    pub slug: String,
    pub title: String,
    /// Whether the share cards' font has every character of the title
    /// (`share_card::Cards`), found once when the story is validated.
    pub card_draws_title: bool,
    pub summary: Option<String>,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub draft: bool,
    pub topics: Vec<Topic>,
    pub location: Option<String>,
    pub image: Option<Image>,
    pub ai_summary: bool,
    /// In the order written; each one's words are `StoryText::sources`.
    pub sources: Vec<Source>,
    /// The dates of `StoryText::history`'s events, in the same order.
    pub history_dates: Vec<DateTime<FixedOffset>>,
    /// Newest first.
    pub corrections: Vec<Correction>,
    pub related: Vec<String>,
    /// What only the story's own outputs show: held, or kept on disk by a
    /// large build (`story_text::Body`).
    pub text: Body,
    /// The links and images of its Markdown worth checking, in the order
    /// written (an `@/` link's marker in the HTML is its index here).
    pub links: Vec<Link>,
}

impl Story {
    /// When the story last changed: `updated` (else `date`), or its latest
    /// correction if that is later. Feeds and sitemaps say this.
    pub fn last_changed(&self) -> DateTime<FixedOffset> {
        let updated = self.updated.unwrap_or(self.date);
        match self.newest_correction() {
            Some(latest) if latest > updated => latest,
            _ => updated,
        }
    }

    /// The date of its newest correction (validation keeps them newest
    /// first).
    pub fn newest_correction(&self) -> Option<DateTime<FixedOffset>> {
        self.corrections.first().map(|c| c.date)
    }
}

#[derive(Debug, Clone, Hash)]
pub struct Page {
    pub file: PathBuf,
    /// Output path without slashes at either end, e.g. `about` or `legal/privacy`.
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub body_html: String,
    /// As a story's.
    pub links: Vec<Link>,
}

/// Which Markdown text of a story or page a link is in. Indexes count the
/// entries as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextAt {
    /// The body after the front matter.
    Body,
    /// `perspectives.SIDE[N]`.
    Perspective(Bucket, usize),
    /// `faq[N].a`.
    FaqAnswer(usize),
    /// `history[N].text`.
    History(usize),
    /// `corrections[N].text`.
    Correction(usize),
}

/// A link or image written in Markdown (root-relative, `@/`, a relative
/// image, http or https), and where.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    /// The target as written.
    pub dest: String,
    pub image: bool,
    pub at: TextAt,
    /// Of the link's first character (`[`, `!` or `<`) in that text.
    pub offset: usize,
}

/// Everything validation checked, ready to derive from.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Sorted by id.
    pub outlets: Vec<Outlet>,
    /// Only the stories this build publishes (drafts only with `--drafts`),
    /// sorted newest first, then by slug.
    pub stories: Vec<Arc<Story>>,
    /// Sorted by path.
    pub pages: Vec<Page>,
    /// Valid stories left out because they are drafts (0 with `--drafts`).
    pub drafts_skipped: usize,
    /// The theme's words in the site's language (`i18n/`).
    pub translations: Arc<Translations>,
    /// Valid stories left out because their date is still to come (0 with
    /// `--future`).
    pub scheduled_skipped: usize,
    /// The scheduled story due first: the next build that should publish.
    pub next_scheduled: Option<Scheduled>,
    /// The clock this build published by (`Publish::now`).
    pub now: DateTime<Utc>,
}

/// Which valid stories a build publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publish {
    /// Drafts too (`--drafts`).
    pub drafts: bool,
    /// Stories dated after `now` too (`--future`).
    pub future: bool,
    /// The time the build publishes at: a story dated later is scheduled.
    pub now: DateTime<Utc>,
}

impl Publish {
    /// Whether the draft flag alone lets `story` in.
    pub fn admits_draft(&self, story: &Story) -> bool {
        self.drafts || !story.draft
    }

    /// Whether `story` is dated later than this build publishes.
    pub fn is_scheduled(&self, story: &Story) -> bool {
        !self.future && story.date > self.now
    }

    pub fn publishes(&self, story: &Story) -> bool {
        self.admits_draft(story) && !self.is_scheduled(story)
    }
}

/// A story held back until its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub date: DateTime<FixedOffset>,
    pub slug: String,
}
