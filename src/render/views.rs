//! What templates see: one struct per kind of value, and how each is made
//! from the model and the derived data. Field names here are the theme's
//! API (docs/templates.md): renaming one breaks themes. Also `Ctx`, what
//! every page function is given. Nothing here renders a template or decides
//! which page shows what (`pages`, `feeds`).

use super::dates::{day_text, rfc3339, when, when_day, When};
use super::jobs::Layout;
use super::labels::{self, ShareView};
use super::memo::Card;
use super::templates::Renderer;
use crate::derive::{Coverage, Derived, StoryFacts, TimelineEntry};
use crate::diag::Diagnostic;
use crate::i18n::Translations;
use crate::model::{Bias, Bucket, Correction, Newsletter, Outlet, Page, Site, Story, StoryText};
use crate::paths::{self, SitePath};
use crate::share_card::{self, Style};
use chrono::{DateTime, FixedOffset};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Serialize;
use std::sync::Arc;
use tera::Context;

/// What every page function is given.
pub(super) struct Ctx<'a> {
    pub(super) site: &'a Site,
    pub(super) derived: &'a Derived,
    pub(super) renderer: &'a Renderer,
    /// The share cards' colours.
    pub(super) card_style: &'a Style,
    pub(super) layout: &'a Layout,
    /// A template context holding `site` alone, cloned for each page.
    pub(super) site_context: Context,
    /// Per story, its card (the memo's).
    pub(super) cards: &'a [Card],
}

impl<'a> Ctx<'a> {
    /// Story `i`'s card, rendered the first time a page shows it; the
    /// template's error, when it failed (each page that shows the card
    /// fails with it, and the build reports it once).
    pub(super) fn card(&self, i: usize) -> Result<&'a str, Diagnostic> {
        let cards: &'a [Card] = self.cards;
        match cards[i].html.get_or_init(|| {
            super::pages::render_card(self, i)
                .map(Arc::from)
                .map_err(Box::new)
        }) {
            Ok(html) => Ok(html),
            Err(diag) => Err((**diag).clone()),
        }
    }

    /// The theme's words in the site's language.
    pub(super) fn words(&self) -> &'a Translations {
        &self.site.translations
    }
    fn base_path(&self) -> &'a str {
        &self.site.config.base_path
    }
    pub(super) fn link(&self, to: SitePath) -> String {
        paths::link(self.base_path(), to)
    }
    pub(super) fn absolute(&self, to: SitePath) -> String {
        paths::absolute(&self.site.config.base_url, to)
    }
    fn story_link(&self, i: usize) -> String {
        self.link(SitePath::Story(&self.site.stories[i].slug))
    }
    fn topic_links(&self, facts: &StoryFacts) -> Vec<Link<'a>> {
        facts
            .topics
            .iter()
            .map(|&t| {
                let topic = &self.derived.topics[t];
                Link {
                    name: &topic.name,
                    path: self.link(SitePath::Topic(&topic.slug)),
                }
            })
            .collect()
    }
    /// The context of one page: `site` and `page_url`.
    pub(super) fn context(&self, page_url: &str) -> Context {
        let mut context = self.site_context.clone();
        context.insert("page_url", page_url);
        context
    }
    fn image_link(&self, src: &str) -> String {
        paths::static_link(self.base_path(), src)
    }
    pub(super) fn image_absolute(&self, src: &str) -> String {
        paths::static_absolute(&self.site.config.base_url, src)
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    /// `ltr` or `rtl`, the language's direction.
    direction: &'static str,
    base_url: &'a str,
    base_path: &'a str,
    image: Option<String>,
    newsletter: Option<&'a Newsletter>,
    report_issue_url: Option<&'a str>,
    feed_url: String,
    json_feed_url: String,
    /// The page listing every correction.
    corrections_path: String,
    corrections_policy: Option<&'a str>,
    /// The search page's path, when the site has search.
    search_path: Option<String>,
}

/// The context every template starts from: `site`.
pub(super) fn site_context(site: &Site) -> Context {
    let config = &site.config;
    let site = SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        direction: site.translations.direction().name(),
        base_url: &config.base_url,
        base_path: &config.base_path,
        image: config
            .image
            .as_ref()
            .map(|src| paths::static_absolute(&config.base_url, src)),
        newsletter: config.newsletter.as_ref(),
        report_issue_url: config.report_issue_url.as_deref(),
        feed_url: paths::absolute(&config.base_url, SitePath::Feed),
        json_feed_url: paths::absolute(&config.base_url, SitePath::JsonFeed),
        corrections_path: paths::link(&config.base_path, SitePath::Corrections),
        corrections_policy: config.corrections_policy.as_deref(),
        search_path: config
            .search
            .then(|| paths::link(&config.base_path, SitePath::Search)),
    };
    let mut context = Context::new();
    context.insert("site", &site);
    context
}

#[derive(Serialize)]
struct Link<'a> {
    name: &'a str,
    path: String,
}

#[derive(Serialize)]
struct BarSegment<'a> {
    id: &'static str,
    label: &'a str,
    count: u32,
    percent: u32,
}

#[derive(Serialize)]
struct CoverageView<'a> {
    left: u32,
    center: u32,
    right: u32,
    untracked: u32,
    total: u32,
    rated: u32,
    bar: Vec<BarSegment<'a>>,
}

fn coverage_view<'a>(t: &'a Translations, coverage: &Coverage) -> CoverageView<'a> {
    CoverageView {
        left: coverage.left,
        center: coverage.center,
        right: coverage.right,
        untracked: coverage.untracked,
        total: coverage.total,
        rated: coverage.rated(),
        bar: Bucket::ALL
            .iter()
            .map(|&b| BarSegment {
                id: b.id(),
                label: labels::side(t, b),
                count: coverage.count(b),
                percent: coverage.percent_of(b),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct BlindspotView<'a> {
    /// The side with too few sources: "left" or "right".
    side: &'static str,
    label: &'a str,
    percent: u32,
    count: u32,
}

fn blindspot_view<'a>(t: &'a Translations, facts: &StoryFacts) -> Option<BlindspotView<'a>> {
    facts.blindspot.map(|b| BlindspotView {
        side: b.id(),
        label: labels::side(t, b),
        percent: facts.coverage.percent_of(b),
        count: facts.coverage.count(b),
    })
}

#[derive(Serialize)]
pub(super) struct CardView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    path: String,
    date: When,
    location: Option<&'a str>,
    topics: Vec<Link<'a>>,
    coverage: CoverageView<'a>,
    blindspot: Option<BlindspotView<'a>>,
}

pub(super) fn card_view<'a>(ctx: &Ctx<'a>, i: usize) -> CardView<'a> {
    let story = &ctx.site.stories[i];
    let facts = &ctx.derived.stories[i];
    let t = ctx.words();
    CardView {
        title: &story.title,
        summary: story.summary.as_deref(),
        path: ctx.story_link(i),
        date: when(t, &story.date),
        location: story.location.as_deref(),
        topics: ctx.topic_links(facts),
        coverage: coverage_view(t, &facts.coverage),
        blindspot: blindspot_view(t, facts),
    }
}

#[derive(Serialize)]
struct BiasView<'a> {
    id: &'static str,
    label: &'a str,
    bucket: &'static str,
}

fn bias_view(t: &Translations, bias: Option<Bias>) -> Option<BiasView<'_>> {
    bias.map(|b| BiasView {
        id: b.id(),
        label: labels::bias(t, b),
        bucket: b.bucket().id(),
    })
}

#[derive(Serialize)]
struct OutletView<'a> {
    id: &'a str,
    name: &'a str,
    path: String,
    homepage: Option<&'a str>,
    owner: Option<&'a str>,
    bias: Option<BiasView<'a>>,
    factuality: Option<Labelled<'a>>,
}

#[derive(Serialize)]
struct Labelled<'a> {
    id: &'static str,
    label: &'a str,
}

fn outlet_view<'a>(ctx: &Ctx<'a>, outlet: &'a Outlet) -> OutletView<'a> {
    let t = ctx.words();
    OutletView {
        id: &outlet.id,
        name: &outlet.name,
        path: ctx.link(SitePath::Outlet(&outlet.id)),
        homepage: outlet.homepage.as_deref(),
        owner: outlet.owner.as_deref(),
        bias: bias_view(t, outlet.bias),
        factuality: outlet.factuality.map(|f| Labelled {
            id: f.id(),
            label: labels::factuality(t, f),
        }),
    }
}

/// An outlet on `outlets.html` and `outlet.html`: with its story count.
#[derive(Serialize)]
pub(super) struct OutletListItem<'a> {
    #[serde(flatten)]
    outlet: OutletView<'a>,
    stories: usize,
}

impl<'a> OutletListItem<'a> {
    /// What `outlets.html` is sorted by: the name, then the id.
    pub(super) fn name_and_id(&self) -> (&'a str, &'a str) {
        (self.outlet.name, self.outlet.id)
    }
}

pub(super) fn outlet_item<'a>(ctx: &Ctx<'a>, o: usize) -> OutletListItem<'a> {
    OutletListItem {
        outlet: outlet_view(ctx, &ctx.site.outlets[o]),
        stories: ctx.derived.outlet_stories[o].len(),
    }
}

/// A story on an outlet's page, which lists hundreds: a row, not a card.
#[derive(Serialize)]
pub(super) struct StoryRow<'a> {
    title: &'a str,
    path: String,
    date: String,
    day: String,
}

pub(super) fn story_row<'a>(ctx: &Ctx<'a>, i: usize) -> StoryRow<'a> {
    let story = &ctx.site.stories[i];
    StoryRow {
        title: &story.title,
        path: ctx.story_link(i),
        date: rfc3339(&story.date),
        day: day_text(ctx.words(), &story.date.naive_utc().date()),
    }
}

/// A topic on `topics.html` and `topic.html`.
#[derive(Serialize)]
pub(super) struct TopicListItem<'a> {
    pub(super) name: &'a str,
    path: String,
    count: usize,
}

pub(super) fn topic_item<'a>(ctx: &Ctx<'a>, t: usize) -> TopicListItem<'a> {
    let topic = &ctx.derived.topics[t];
    TopicListItem {
        name: &topic.name,
        path: ctx.link(SitePath::Topic(&topic.slug)),
        count: topic.stories.len(),
    }
}

#[derive(Serialize)]
pub(super) struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
}

/// Index page `n` among `total`: newer stories are on the page before.
/// Page `n` of `total` of a listing whose page K is at `page(K)`.
pub(super) fn pagination<'p>(
    ctx: &Ctx,
    n: usize,
    total: usize,
    page: impl Fn(usize) -> SitePath<'p>,
) -> Pagination {
    Pagination {
        current: n,
        total,
        prev: (n > 1).then(|| ctx.link(page(n - 1))),
        next: (n < total).then(|| ctx.link(page(n + 1))),
    }
}

/// `page` on `page.html`. A JSON map, whose keys come out sorted, as they
/// always have.
pub(super) fn page_view(ctx: &Ctx, page: &Page) -> serde_json::Value {
    serde_json::json!({
        "title": page.title,
        "description": page.description,
        "body_html": page.body_html,
        "path": ctx.link(SitePath::Page(&page.path)),
    })
}

#[derive(Serialize)]
pub(super) struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    published: String,
    updated: String,
    topics: Vec<&'a str>,
}

pub(super) fn feed_entry<'a>(ctx: &Ctx, story: &'a Story) -> FeedEntry<'a> {
    FeedEntry {
        title: &story.title,
        url: ctx.absolute(SitePath::Story(&story.slug)),
        summary: story.summary.as_deref(),
        published: rfc3339(&story.date),
        updated: rfc3339(&story.last_changed()),
        topics: story.topics.iter().map(|t| t.name.as_str()).collect(),
    }
}

#[derive(Serialize)]
pub(super) struct SitemapEntry {
    pub(super) url: String,
    pub(super) lastmod: Option<String>,
}

pub(super) fn sitemap_entry(
    ctx: &Ctx,
    path: SitePath,
    lastmod: Option<DateTime<FixedOffset>>,
) -> SitemapEntry {
    SitemapEntry {
        url: ctx.absolute(path),
        lastmod: lastmod.as_ref().map(rfc3339),
    }
}

/// One correction: on a story page, and on the corrections page with the
/// story it was made to.
#[derive(Serialize)]
pub(super) struct CorrectionView<'a> {
    date: When,
    html: &'a str,
}

pub(super) fn correction_view<'a>(
    t: &Translations,
    correction: &'a Correction,
) -> CorrectionView<'a> {
    CorrectionView {
        date: when(t, &correction.date),
        html: &correction.html,
    }
}

/// An entry of the corrections page: a correction and its story.
#[derive(Serialize)]
pub(super) struct CorrectedStory<'a> {
    title: &'a str,
    path: String,
    correction: CorrectionView<'a>,
}

/// Every correction on the site, newest first (then by story, newest
/// first, as the stories are listed).
pub(super) fn corrections_list<'a>(ctx: &Ctx<'a>) -> Vec<CorrectedStory<'a>> {
    let mut list: Vec<(usize, &Correction)> = ctx
        .site
        .stories
        .iter()
        .enumerate()
        .flat_map(|(i, story)| story.corrections.iter().map(move |c| (i, c)))
        .collect();
    // Stable: a tie keeps the stories' order.
    list.sort_by_key(|entry| std::cmp::Reverse(entry.1.date));
    list.into_iter()
        .map(|(i, correction)| CorrectedStory {
            title: &ctx.site.stories[i].title,
            path: ctx.story_link(i),
            correction: correction_view(&ctx.site.translations, correction),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The story page's `story`.

/// The words of story `i` (see `story_text`), or why they could not be
/// read back.
pub(super) fn story_text(ctx: &Ctx, i: usize) -> Result<Arc<StoryText>, Diagnostic> {
    let story = &ctx.site.stories[i];
    story.text.text().map_err(|e| {
        let why = format!("its text could not be read back from the build's spill file: {e}");
        Diagnostic::new(&story.file, 0, 0, why)
    })
}

#[derive(Serialize)]
struct SourceView<'a> {
    outlet: OutletView<'a>,
    bias: Option<BiasView<'a>>,
    /// "left", "center", "right" or "untracked": the filter it belongs to.
    bucket: &'static str,
    title: &'a str,
    url: &'a str,
    published: When,
    excerpt: Option<&'a str>,
}

fn source_view<'a>(
    ctx: &Ctx<'a>,
    story: &'a Story,
    text: &'a StoryText,
    facts: &StoryFacts,
    k: usize,
) -> SourceView<'a> {
    let source = &story.sources[k];
    let words = &text.sources[k];
    let bias = facts.source_bias[k];
    SourceView {
        outlet: outlet_view(ctx, &ctx.site.outlets[source.outlet]),
        bias: bias_view(ctx.words(), bias),
        bucket: bias.map_or("untracked", |b| b.bucket().id()),
        title: &words.title,
        url: &words.url,
        published: when(ctx.words(), &source.published),
        excerpt: words.excerpt.as_deref(),
    }
}

#[derive(Serialize)]
struct PerspectiveView<'a> {
    id: &'static str,
    label: &'a str,
    points: &'a [String],
}

#[derive(Serialize)]
struct FaqView<'a> {
    question: &'a str,
    answer_html: &'a str,
}

#[derive(Serialize)]
struct TimelineView<'a> {
    date: When,
    /// "event" or "articles".
    kind: &'static str,
    html: Option<&'a str>,
    count: u32,
}

fn timeline_view<'a>(
    t: &Translations,
    text: &'a StoryText,
    entry: &TimelineEntry,
) -> TimelineView<'a> {
    match entry {
        TimelineEntry::Event { day, event } => TimelineView {
            date: when_day(t, day),
            kind: "event",
            html: text.history.get(*event).map(|e| e.html.as_str()),
            count: 0,
        },
        TimelineEntry::Articles { day, count } => TimelineView {
            date: when_day(t, day),
            kind: "articles",
            html: None,
            count: *count,
        },
    }
}

#[derive(Serialize)]
struct SimilarView<'a> {
    title: &'a str,
    path: String,
    date: When,
    sources: u32,
}

fn similar_view<'a>(ctx: &Ctx<'a>, j: usize) -> SimilarView<'a> {
    let story = &ctx.site.stories[j];
    SimilarView {
        title: &story.title,
        path: ctx.story_link(j),
        date: when(ctx.words(), &story.date),
        sources: story.sources.len() as u32,
    }
}

#[derive(Serialize)]
struct ShareLink {
    label: String,
    url: String,
}

/// Links that share the story on other sites, its URL and title encoded.
fn share_links(t: &Translations, url: &str, title: &str) -> Vec<ShareLink> {
    let encode = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
    let enc_url = encode(url);
    let enc_title = encode(title);
    let bluesky_text = encode(&format!("{title} {url}"));
    [
        (
            "email",
            format!("mailto:?subject={enc_title}&body={enc_url}"),
        ),
        (
            "bluesky",
            format!("https://bsky.app/intent/compose?text={bluesky_text}"),
        ),
        (
            "mastodon",
            format!("https://mastodonshare.com/?text={enc_title}&url={enc_url}"),
        ),
        (
            "x",
            format!("https://x.com/intent/post?text={enc_title}&url={enc_url}"),
        ),
        (
            "facebook",
            format!("https://www.facebook.com/sharer/sharer.php?u={enc_url}"),
        ),
        (
            "linkedin",
            format!("https://www.linkedin.com/sharing/share-offsite/?url={enc_url}"),
        ),
    ]
    .into_iter()
    .map(|(id, url)| ShareLink {
        label: labels::share(t, id),
        url,
    })
    .collect()
}

#[derive(Serialize)]
struct FilterView<'a> {
    id: &'static str,
    label: &'a str,
    count: u32,
}

/// The source list's filters: all sources, then each side.
fn filters<'a>(t: &'a Translations, coverage: &Coverage) -> Vec<FilterView<'a>> {
    let all = FilterView {
        id: "all",
        label: t.text(labels::FILTER_ALL),
        count: coverage.total,
    };
    let sides = Bucket::ALL.map(|b| FilterView {
        id: b.id(),
        label: labels::side(t, b),
        count: coverage.count(b),
    });
    std::iter::once(all).chain(sides).collect()
}

#[derive(Serialize)]
struct ImageView<'a> {
    src: String,
    alt: &'a str,
    credit: Option<&'a str>,
}

/// A story's share card, its page's `og:image` when it has one.
#[derive(Serialize)]
struct ShareCardView {
    /// Absolute.
    url: String,
    width: u32,
    height: u32,
}

#[derive(Serialize)]
pub(super) struct StoryView<'a> {
    slug: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    url: String,
    path: String,
    json_path: String,
    date: When,
    updated: Option<When>,
    /// The latest correction's date, when there is one.
    corrected: Option<When>,
    last_updated: When,
    location: Option<&'a str>,
    ai_summary: bool,
    image: Option<ImageView<'a>>,
    share_card: Option<ShareCardView>,
    topics: Vec<Link<'a>>,
    overview_html: &'a str,
    perspectives: Vec<PerspectiveView<'a>>,
    coverage: CoverageView<'a>,
    blindspot: Option<BlindspotView<'a>>,
    factuality: Vec<ShareView<'a>>,
    ownership: Vec<ShareView<'a>>,
    sources: Vec<SourceView<'a>>,
    filters: Vec<FilterView<'a>>,
    first_reported: SourceView<'a>,
    faq: Vec<FaqView<'a>>,
    /// Newest first.
    corrections: Vec<CorrectionView<'a>>,
    timeline: Vec<TimelineView<'a>>,
    similar: Vec<SimilarView<'a>>,
    share: Vec<ShareLink>,
    json_ld: String,
}

/// `story` on `story.html`; `url` is its absolute URL, `json_ld` its
/// JSON-LD (see `json_ld`), `share_card` its card's absolute URL, if it has
/// one.
pub(super) fn story_view<'a>(
    ctx: &Ctx<'a>,
    i: usize,
    text: &'a StoryText,
    url: String,
    json_ld: String,
    share_card: Option<String>,
) -> StoryView<'a> {
    let story = &ctx.site.stories[i];
    let facts = &ctx.derived.stories[i];
    let t = ctx.words();
    StoryView {
        slug: &story.slug,
        title: &story.title,
        summary: story.summary.as_deref(),
        path: ctx.story_link(i),
        json_path: ctx.link(SitePath::StoryJson(&story.slug)),
        share: share_links(t, &url, &story.title),
        url,
        date: when(t, &story.date),
        updated: story.updated.as_ref().map(|d| when(t, d)),
        corrected: story.corrections.first().map(|c| when(t, &c.date)),
        last_updated: when(t, &story.last_changed()),
        location: story.location.as_deref(),
        ai_summary: story.ai_summary,
        image: story.image.as_ref().map(|img| ImageView {
            src: ctx.image_link(&img.src),
            alt: &img.alt,
            credit: img.credit.as_deref(),
        }),
        share_card: share_card.map(|url| ShareCardView {
            url,
            width: share_card::WIDTH,
            height: share_card::HEIGHT,
        }),
        topics: ctx.topic_links(facts),
        overview_html: &text.body_html,
        perspectives: Bucket::ALL
            .iter()
            .map(|&b| PerspectiveView {
                id: b.id(),
                label: labels::side(t, b),
                points: &text.perspectives_html[b as usize],
            })
            .collect(),
        coverage: coverage_view(t, &facts.coverage),
        blindspot: blindspot_view(t, facts),
        factuality: labels::factuality_rows(t, &facts.factuality),
        ownership: labels::ownership_rows(t, &facts.ownership),
        sources: (0..story.sources.len())
            .map(|k| source_view(ctx, story, text, facts, k))
            .collect(),
        filters: filters(t, &facts.coverage),
        first_reported: source_view(ctx, story, text, facts, facts.first_source),
        faq: text
            .faq
            .iter()
            .map(|q| FaqView {
                question: &q.question,
                answer_html: &q.answer_html,
            })
            .collect(),
        corrections: story
            .corrections
            .iter()
            .map(|c| correction_view(t, c))
            .collect(),
        timeline: facts
            .timeline
            .iter()
            .map(|e| timeline_view(t, text, e))
            .collect(),
        similar: facts
            .similar
            .iter()
            .map(|&j| similar_view(ctx, j))
            .collect(),
        json_ld,
    }
}
