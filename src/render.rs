//! Rendering: turns the model and the derived data into output files, in
//! memory. Pure: it reads no file and writes none; every finished page goes to
//! the sink the caller passes. Story cards are rendered once and reused by
//! every listing that shows them.

use crate::derive::{Coverage, Derived, Share, StoryFacts, TimelineEntry};
use crate::diag::Diagnostic;
use crate::load::Template;
use crate::model::*;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tera::{Context, ErrorKind, Tera};
use xxhash_rust::xxh3::xxh3_128;

/// One file of the output.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative to the output folder, `/`-separated, never with `..`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Which output of the site a file is, by the index of what it shows in
/// `Site` and `Derived`. What it was made from is its key (see
/// `render_site`): a hash of the settings, its templates and every story,
/// outlet and card it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    StoryPage(usize),
    StoryJson(usize),
    /// Index page N, from 1.
    Index(usize),
    Topics,
    Topic(usize),
    Outlets,
    Outlet(usize),
    Blindspots,
    Page(usize),
    Feed,
    /// `sitemap.xml` (0), and `sitemap-N.xml` when there are more URLs than
    /// one sitemap may hold.
    Sitemap(usize),
    Robots,
    NotFound,
}

/// Templates every theme must provide (a site may override any of them).
pub const REQUIRED_TEMPLATES: [&str; 13] = [
    "base.html",
    "card.html",
    "index.html",
    "story.html",
    "topics.html",
    "topic.html",
    "outlets.html",
    "outlet.html",
    "blindspots.html",
    "page.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
];

/// Compiled templates plus the site-wide values every page sees.
pub struct Renderer {
    tera: Tera,
    origins: Vec<(String, PathBuf)>,
    /// Per template: a hash of its text and of every template it may use.
    closures: FxHashMap<String, u128>,
    /// A hash of all of them.
    fingerprint: u128,
}

/// Per template, a hash of its text and of every template it names as a
/// quoted string (`extends` and `include` take only literal names), followed
/// transitively: a page's key changes when any template it may use does, and
/// only then. Components are called by their own name, from any template, so
/// a template that defines one counts as used by every template.
fn template_closures(templates: &[Template]) -> FxHashMap<String, u128> {
    let names_in = |t: &Template| -> Vec<usize> {
        templates
            .iter()
            .enumerate()
            .filter(|(_, u)| {
                u.name != t.name
                    && (t.text.contains(&format!("\"{}\"", u.name))
                        || t.text.contains(&format!("'{}'", u.name))
                        || defines_a_component(&u.text))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let direct: Vec<Vec<usize>> = templates.iter().map(names_in).collect();
    templates
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut seen = vec![false; templates.len()];
            let mut stack = vec![i];
            while let Some(j) = stack.pop() {
                if !std::mem::replace(&mut seen[j], true) {
                    stack.extend(&direct[j]);
                }
            }
            let mut buf = Vec::new();
            for u in templates
                .iter()
                .zip(&seen)
                .filter(|(_, s)| **s)
                .map(|(u, _)| u)
            {
                buf.extend_from_slice(u.name.as_bytes());
                buf.push(0);
                buf.extend_from_slice(&xxh3_128(u.text.as_bytes()).to_le_bytes());
            }
            (t.name.clone(), xxh3_128(&buf))
        })
        .collect()
}

/// Whether the text has a `{% component NAME(...) %}` tag (or its `{%-`
/// form), however it is spaced.
fn defines_a_component(text: &str) -> bool {
    text.match_indices("{%").any(|(i, _)| {
        text[i + 2..]
            .trim_start_matches('-')
            .trim_start()
            .starts_with("component ")
    })
}

fn error_chain(err: &tera::Error) -> String {
    let mut message = match err.kind() {
        // The report's own text is a multi-line excerpt; the diagnostic shows
        // the file, line and column on its own.
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => r.message().to_string(),
        _ => err.to_string(),
    };
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Where in which template an error sits, when Tera knows: the template's
/// name, and the 1-based line and column.
fn error_place(err: &tera::Error) -> Option<(&str, usize, usize)> {
    match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            Some((r.filename(), span.start_line, span.start_col + 1))
        }
        _ => None,
    }
}

/// The checks Tera makes once all templates are loaded (unknown filters,
/// functions, tests and included templates, in every template at once) come
/// as one message of reports, each starting "error: MESSAGE" then
/// "--> NAME:LINE:COLUMN". Returns (name, line, column, message) for each.
fn reported_places(text: &str) -> Vec<(&str, usize, usize, &str)> {
    text.split("\n\n")
        .filter_map(|report| {
            let mut lines = report.lines();
            let message = lines.next()?.strip_prefix("error: ")?;
            let locus = lines.next()?.trim_start().strip_prefix("--> ")?;
            let mut parts = locus.rsplitn(3, ':');
            let col = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some((parts.next()?, line, col, message))
        })
        .collect()
}

/// Where the template `name` came from, for messages.
fn origin_in<'a>(mut origins: impl Iterator<Item = (&'a str, &'a PathBuf)>, name: &str) -> PathBuf {
    origins
        .find(|(n, _)| *n == name)
        .map(|(_, o)| o.clone())
        .unwrap_or_else(|| PathBuf::from("templates").join(name))
}

impl Renderer {
    pub fn new(templates: &[Template]) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(write_escaped_html);
        let mut diags = Vec::new();
        let diagnostic = |origin: &Path, err: &tera::Error| {
            let (line, col) = error_place(err).map_or((0, 0), |(_, line, col)| (line, col));
            Diagnostic::new(origin, line, col, error_chain(err))
        };
        // Check each alone first, so that every template's own error is
        // reported, each naming its file.
        for t in templates {
            let mut alone = Tera::default();
            if let Err(e) = alone.add_raw_template(&t.name, &t.text) {
                // Only syntax errors are this template's alone; the rest
                // (a parent or include not loaded here) are checked below.
                if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                    diags.push(diagnostic(&t.origin, &e));
                }
            }
        }
        for name in REQUIRED_TEMPLATES {
            if !templates.iter().any(|t| t.name == name) {
                diags.push(Diagnostic::new(
                    &PathBuf::from("templates").join(name),
                    0,
                    0,
                    "missing template: the theme and the site both lack it",
                ));
            }
        }
        if diags.is_empty() {
            if let Err(e) =
                tera.add_raw_templates(templates.iter().map(|t| (t.name.as_str(), t.text.as_str())))
            {
                let origin_of = |name: &str| {
                    origin_in(templates.iter().map(|t| (t.name.as_str(), &t.origin)), name)
                };
                if let Some((name, _, _)) = error_place(&e) {
                    diags.push(diagnostic(&origin_of(name), &e));
                } else {
                    let text = e.to_string();
                    let places = reported_places(&text);
                    if places.is_empty() {
                        let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        diags.push(Diagnostic::new(&PathBuf::from("templates"), 0, 0, one_line));
                    }
                    for (name, line, col, message) in places {
                        diags.push(Diagnostic::new(&origin_of(name), line, col, message));
                    }
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let origins = templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        let closures = template_closures(templates);
        let mut named: Vec<(&String, &u128)> = closures.iter().collect();
        named.sort();
        let mut k = Key::new(0);
        for (name, hash) in named {
            k.str(name).num(*hash);
        }
        let fingerprint = k.done();
        Ok(Renderer {
            tera,
            origins,
            closures,
            fingerprint,
        })
    }

    /// Changes whenever any template does.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// Changes whenever the template, or any template it may use, does.
    pub fn closure_hash(&self, name: &str) -> u128 {
        self.closures.get(name).copied().unwrap_or(0)
    }

    fn origin(&self, name: &str) -> PathBuf {
        origin_in(self.origins.iter().map(|(n, o)| (n.as_str(), o)), name)
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| {
            // The error may sit in a template this one extends or includes.
            let (origin, line, col) = match error_place(&e) {
                Some((at, line, col)) => (self.origin(at), line, col),
                None => (self.origin(name), 0, 0),
            };
            Diagnostic::new(
                &origin,
                line,
                col,
                format!("cannot render: {}", error_chain(&e)),
            )
        })
    }
}

/// Escapes the five characters that matter in HTML and XML text and
/// attributes. (Tera's own escaper also rewrites `/`, which bloats every URL.)
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    escape_runs(input, |run| out.push_str(run));
    out
}

/// `escape_html` as Tera's autoescape calls it, straight into the page.
fn write_escaped_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_runs(input, |run| {
        if result.is_ok() {
            result = out.write_all(run.as_bytes());
        }
    });
    result
}

/// Hands `emit` the input with the five characters replaced, as the runs
/// between them (copied whole) and their entities.
fn escape_runs(input: &str, mut emit: impl FnMut(&str)) {
    // The five characters are ASCII, so byte offsets are char boundaries.
    let mut start = 0;
    for (i, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        emit(&input[start..i]);
        emit(entity);
        start = i + 1;
    }
    emit(&input[start..]);
}

// ---------------------------------------------------------------------------
// What templates see. Field names here are the theme's API (docs/templates.md).

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    image: Option<String>,
    newsletter: Option<&'a Newsletter>,
    report_issue_url: Option<&'a str>,
    feed_url: String,
}

#[derive(Serialize, Clone)]
struct When {
    iso: String,
    display: String,
    day: String,
}

fn when(dt: &DateTime<FixedOffset>) -> When {
    let utc = dt.naive_utc();
    let day = day_text(&utc.date());
    When {
        iso: rfc3339(dt),
        display: format!("{day}, {:02}:{:02} UTC", utc.hour(), utc.minute()),
        day,
    }
}

fn when_day(day: &NaiveDate) -> When {
    let text = day_text(day);
    When {
        iso: day.format("%Y-%m-%d").to_string(),
        display: text.clone(),
        day: text,
    }
}

/// "7 May 2025": what `%-d %B %Y` gives, without parsing a format string
/// for each of the dozens of dates a story page shows.
fn day_text(day: &NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if (0..=9999).contains(&day.year()) {
        format!(
            "{} {} {:04}",
            day.day(),
            MONTHS[day.month0() as usize],
            day.year()
        )
    } else {
        day.format("%-d %B %Y").to_string()
    }
}

/// RFC 3339 with `Z` for UTC, seconds only: the form the site format shows.
pub fn rfc3339(dt: &DateTime<FixedOffset>) -> String {
    dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Serialize)]
struct Link<'a> {
    name: &'a str,
    path: String,
}

#[derive(Serialize)]
struct BarSegment {
    id: &'static str,
    label: &'static str,
    count: u32,
    percent: u32,
}

#[derive(Serialize)]
struct CoverageView {
    left: u32,
    center: u32,
    right: u32,
    untracked: u32,
    total: u32,
    rated: u32,
    bar: Vec<BarSegment>,
}

fn coverage_view(c: &Coverage) -> CoverageView {
    CoverageView {
        left: c.left,
        center: c.center,
        right: c.right,
        untracked: c.untracked,
        total: c.total,
        rated: c.rated(),
        bar: Bucket::ALL
            .iter()
            .map(|&b| BarSegment {
                id: b.id(),
                label: b.label(),
                count: c.count(b),
                percent: c.percent_of(b),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct BlindspotView {
    /// The side with too few sources: "left" or "right".
    side: &'static str,
    label: &'static str,
    percent: u32,
    count: u32,
}

fn blindspot_view(f: &StoryFacts) -> Option<BlindspotView> {
    f.blindspot.map(|b| BlindspotView {
        side: b.id(),
        label: b.label(),
        percent: f.coverage.percent_of(b),
        count: f.coverage.count(b),
    })
}

#[derive(Serialize)]
struct CardView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    path: String,
    date: When,
    location: Option<&'a str>,
    topics: Vec<Link<'a>>,
    coverage: CoverageView,
    blindspot: Option<BlindspotView>,
}

#[derive(Serialize)]
struct BiasView {
    id: &'static str,
    label: &'static str,
    bucket: &'static str,
}

fn bias_view(b: Option<Bias>) -> Option<BiasView> {
    b.map(|b| BiasView {
        id: b.id(),
        label: b.label(),
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
    bias: Option<BiasView>,
    factuality: Option<Labelled>,
}

#[derive(Serialize)]
struct Labelled {
    id: &'static str,
    label: &'static str,
}

fn outlet_view<'a>(o: &'a Outlet, base_path: &str) -> OutletView<'a> {
    OutletView {
        id: &o.id,
        name: &o.name,
        path: format!("{base_path}outlets/{}/", o.id),
        homepage: o.homepage.as_deref(),
        owner: o.owner.as_deref(),
        bias: bias_view(o.bias),
        factuality: o.factuality.map(|f| Labelled {
            id: f.id(),
            label: f.label(),
        }),
    }
}

#[derive(Serialize)]
struct SourceView<'a> {
    outlet: OutletView<'a>,
    bias: Option<BiasView>,
    /// "left", "center", "right" or "untracked": the filter it belongs to.
    bucket: &'static str,
    title: &'a str,
    url: &'a str,
    published: When,
    excerpt: Option<&'a str>,
}

#[derive(Serialize)]
struct PerspectiveView<'a> {
    id: &'static str,
    label: &'static str,
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

#[derive(Serialize)]
struct SimilarView<'a> {
    title: &'a str,
    path: String,
    date: When,
    sources: u32,
}

#[derive(Serialize)]
struct ShareLink {
    label: &'static str,
    url: String,
}

#[derive(Serialize)]
struct FilterView {
    id: &'static str,
    label: &'static str,
    count: u32,
}

#[derive(Serialize)]
struct StoryView<'a> {
    slug: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    url: String,
    path: String,
    json_path: String,
    date: When,
    updated: Option<When>,
    last_updated: When,
    location: Option<&'a str>,
    ai_summary: bool,
    image: Option<ImageView<'a>>,
    topics: Vec<Link<'a>>,
    overview_html: &'a str,
    perspectives: Vec<PerspectiveView<'a>>,
    coverage: CoverageView,
    blindspot: Option<BlindspotView>,
    factuality: &'a [Share],
    ownership: &'a [Share],
    sources: Vec<SourceView<'a>>,
    filters: Vec<FilterView>,
    first_reported: SourceView<'a>,
    faq: Vec<FaqView<'a>>,
    timeline: Vec<TimelineView<'a>>,
    similar: Vec<SimilarView<'a>>,
    share: Vec<ShareLink>,
    json_ld: String,
}

#[derive(Serialize)]
struct ImageView<'a> {
    src: String,
    alt: &'a str,
    credit: Option<&'a str>,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
}

// ---------------------------------------------------------------------------

struct Ctx<'a> {
    site: &'a Site,
    derived: &'a Derived,
    renderer: &'a Renderer,
    site_view: Context,
    /// Per story: slug, card key and card (the memo's).
    cards: &'a [(String, u128, Arc<str>)],
}

impl<'a> Ctx<'a> {
    fn base(&self) -> &'a str {
        &self.site.config.base_path
    }
    fn abs(&self, path_under_root: &str) -> String {
        format!("{}/{}", self.site.config.base_url, path_under_root)
    }
    fn story_path(&self, i: usize) -> String {
        format!("{}stories/{}/", self.base(), self.site.stories[i].slug)
    }
    fn topic_links(&self, f: &StoryFacts) -> Vec<Link<'a>> {
        f.topics
            .iter()
            .map(|&t| {
                let topic = &self.derived.topics[t];
                Link {
                    name: &topic.name,
                    path: format!("{}topics/{}/", self.base(), topic.slug),
                }
            })
            .collect()
    }
    fn context(&self, page_url: &str) -> Context {
        let mut c = self.site_view.clone();
        c.insert("page_url", page_url);
        c
    }
    fn image_src(&self, src: &str) -> String {
        if src.starts_with("https://") {
            src.to_string()
        } else {
            format!("{}{}", self.base(), src.trim_start_matches('/'))
        }
    }
    fn image_abs(&self, src: &str) -> String {
        if src.starts_with("https://") {
            src.to_string()
        } else {
            self.abs(src.trim_start_matches('/'))
        }
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
}

/// JSON that is safe inside a `<script>` element: no `<` at all, so neither
/// `</script>` nor `<!--` can end or confuse it.
// JSON-LD, fields in alphabetical order (as it was when built as JSON maps).
#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: OrganizationLd<'a>,
    url: &'a str,
}

#[derive(Serialize)]
struct OrganizationLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct FaqPageLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "mainEntity")]
    main_entity: Vec<QuestionLd<'a>>,
}

#[derive(Serialize)]
struct QuestionLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "acceptedAnswer")]
    accepted_answer: AnswerLd<'a>,
    name: &'a str,
}

#[derive(Serialize)]
struct AnswerLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
}

fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// What the previous render made, for rendering again only what changed:
/// each output's path and key (a hash of everything it was made from), in
/// render order, and each story's card.
#[derive(Default, Clone, serde::Deserialize, Serialize)]
pub struct Memo {
    /// A hash of the list of outputs (their identities, in order): when it
    /// is the previous one, keys are compared by position, no path is
    /// formatted or looked up.
    layout: u128,
    pub outputs: Vec<(String, u128)>,
    /// Per story, in `Site::stories` order: its slug, card key and card.
    cards: Vec<(String, u128, Arc<str>)>,
    /// The derived data these outputs were made from (see
    /// `derive::Derived::generation`); in memory only.
    #[serde(skip)]
    derived_generation: u64,
    /// A hash of everything but the stories that pages are made from:
    /// settings, templates, outlets, plain pages; in memory only.
    #[serde(skip)]
    context: u128,
}

/// What `render_site` did.
pub struct Rendered {
    pub memo: Memo,
    pub errors: Vec<Diagnostic>,
    /// Outputs rendered (the others were unchanged since `previous`).
    pub rendered: usize,
    /// Per output of `memo.outputs`: whether it was rendered in this run
    /// (else it did not change since `previous` and was not rendered).
    pub fresh: Vec<bool>,
}

/// A 128-bit hash of the inputs of one output. The inputs are gathered in a
/// buffer and hashed at once: many tiny updates of a streaming hasher cost
/// more than the hashing itself.
struct Key(Vec<u8>);

impl Key {
    fn new(seed: u128) -> Key {
        let mut buf = Vec::with_capacity(512);
        buf.extend_from_slice(&seed.to_le_bytes());
        Key(buf)
    }
    fn str(&mut self, s: &str) -> &mut Key {
        self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self
    }
    fn num(&mut self, n: u128) -> &mut Key {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }
    fn hash<T: Hash>(&mut self, value: &T) -> &mut Key {
        value.hash(self);
        self
    }
    fn done(&self) -> u128 {
        xxh3_128(&self.0)
    }
}

impl std::hash::Hasher for Key {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
    fn finish(&self) -> u64 {
        self.done() as u64
    }
}

/// Position of each item by its name (slug, id, path).
fn index_by<'a, T>(
    items: &'a [T],
    name: impl Fn(&'a T) -> &'a String,
) -> FxHashMap<&'a str, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (name(item).as_str(), i))
        .collect()
}

fn output_path(site: &Site, derived: &Derived, job: Job) -> String {
    match job {
        Job::StoryPage(i) => format!("stories/{}/index.html", site.stories[i].slug),
        Job::StoryJson(i) => format!("stories/{}/index.json", site.stories[i].slug),
        Job::Index(1) => "index.html".to_string(),
        Job::Index(n) => format!("page/{n}/index.html"),
        Job::Topics => "topics/index.html".to_string(),
        Job::Topic(t) => format!("topics/{}/index.html", derived.topics[t].slug),
        Job::Outlets => "outlets/index.html".to_string(),
        Job::Outlet(o) => format!("outlets/{}/index.html", site.outlets[o].id),
        Job::Blindspots => "blindspots/index.html".to_string(),
        Job::Page(p) => format!("{}/index.html", site.pages[p].path),
        Job::Feed => "feed.xml".to_string(),
        Job::Sitemap(0) => "sitemap.xml".to_string(),
        Job::Sitemap(n) => format!("sitemap-{n}.xml"),
        Job::Robots => "robots.txt".to_string(),
        Job::NotFound => "404.html".to_string(),
    }
}

/// Renders every page whose inputs changed since `previous` and passes it to
/// `sink`; the others are listed in `Rendered::unchanged`. With no
/// `previous`, renders everything. Returns the new memo and the problems met
/// (a template that fails at run time), at most one per template.
pub fn render_site(
    site: &Site,
    derived: &Derived,
    renderer: &Renderer,
    previous: Option<Memo>,
    sink: &(dyn Fn(Output) + Sync),
) -> Rendered {
    // The memo is updated in place: most of it stays as it was.
    let mut memo = previous.unwrap_or_default();
    let config = &site.config;
    let site_view = SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        base_url: &config.base_url,
        base_path: &config.base_path,
        image: config.image.as_ref().map(|src| {
            if src.starts_with("https://") {
                src.clone()
            } else {
                format!("{}/{}", config.base_url, src.trim_start_matches('/'))
            }
        }),
        newsletter: config.newsletter.as_ref(),
        report_issue_url: config.report_issue_url.as_deref(),
        feed_url: format!("{}/feed.xml", config.base_url),
    };
    let mut base_context = Context::new();
    base_context.insert("site", &site_view);
    let errors: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let report = |d: Diagnostic| {
        let mut list = errors.lock().unwrap_or_else(|e| e.into_inner());
        if !list.iter().any(|x| x.path == d.path) {
            list.push(d);
        }
    };

    // Every key starts from the settings; each page's also from its templates.
    let config_key = xxh3_128(format!("{config:?}").as_bytes());
    let seed = |template: &str| Key::new(config_key ^ renderer.closure_hash(template));
    let outlet_hashes: Vec<u128> = site
        .outlets
        .iter()
        .map(|o| Key::new(0).hash(o).done())
        .collect();
    let topic_hashes: Vec<u128> = derived
        .topics
        .iter()
        .map(|t| Key::new(0).str(&t.name).str(&t.slug).done())
        .collect();
    let topic_names = |k: &mut Key, f: &StoryFacts| {
        for &t in &f.topics {
            k.num(topic_hashes[t]);
        }
    };
    let sources_key = |k: &mut Key, story: &Story| {
        for s in &story.sources {
            k.num(outlet_hashes[s.outlet]);
        }
    };

    let card_key = |i: usize| {
        let story = &site.stories[i];
        let mut k = seed("card.html");
        k.num(story.hash).str(&story.slug);
        sources_key(&mut k, story);
        topic_names(&mut k, &derived.stories[i]);
        k.done()
    };
    let context = {
        let mut k = Key::new(config_key);
        k.num(renderer.fingerprint());
        for h in &outlet_hashes {
            k.num(*h);
        }
        for p in &site.pages {
            k.hash(p);
        }
        k.done()
    };
    // When the derived data is the last render's, patched for a few stories
    // that kept their place (an edit in place), and nothing else changed,
    // the outputs those stories reach are all that can have changed.
    let patched = derived.patched.as_ref().filter(|p| {
        memo.derived_generation == p.from
            && memo.context == context
            && memo.cards.len() == site.stories.len()
    });

    let card_ctx = Ctx {
        site,
        derived,
        renderer,
        site_view: base_context.clone(),
        cards: &[],
    };
    let render_card_or_report = |i: usize| -> Arc<str> {
        match render_card(&card_ctx, i) {
            Ok(html) => Arc::from(html),
            Err(d) => {
                report(d);
                Arc::from("")
            }
        }
    };
    if let Some(p) = patched {
        for &i in &p.stories {
            let key = card_key(i);
            if memo.cards[i].1 != key {
                memo.cards[i] = (site.stories[i].slug.clone(), key, render_card_or_report(i));
            }
        }
    } else {
        // The previous cards by position when the stories are the same ones
        // in the same order (any edit but a new, deleted or redated story),
        // else by slug.
        let previous_cards = std::mem::take(&mut memo.cards);
        let same_stories = previous_cards.len() == site.stories.len()
            && previous_cards
                .iter()
                .zip(&site.stories)
                .all(|(c, s)| c.0 == s.slug);
        let by_slug: FxHashMap<&str, usize> = if same_stories {
            FxHashMap::default()
        } else {
            index_by(&previous_cards, |c| &c.0)
        };
        memo.cards = (0..site.stories.len())
            .into_par_iter()
            .map(|i| {
                let key = card_key(i);
                let slug = &site.stories[i].slug;
                let previous = if same_stories {
                    previous_cards.get(i)
                } else {
                    by_slug.get(slug.as_str()).map(|&j| &previous_cards[j])
                };
                match previous.filter(|c| c.1 == key) {
                    Some(hit) => (slug.clone(), key, hit.2.clone()),
                    None => (slug.clone(), key, render_card_or_report(i)),
                }
            })
            .collect();
    }
    let ctx = &Ctx {
        site,
        derived,
        renderer,
        site_view: base_context,
        cards: &memo.cards,
    };

    let per_page = config.stories_per_page;
    let index_pages = site.stories.len().div_ceil(per_page).max(1);
    let story_key = |i: usize| {
        let story = &site.stories[i];
        let f = &derived.stories[i];
        let mut k = seed("story.html");
        k.num(story.hash).str(&story.slug);
        sources_key(&mut k, story);
        topic_names(&mut k, f);
        // A similar story shows its title, date and source count: any change
        // to its file re-renders this page (cheap to know, never stale).
        for &j in &f.similar {
            k.num(site.stories[j].hash);
        }
        k.done()
    };
    let json_key = |i: usize| {
        let story = &site.stories[i];
        let f = &derived.stories[i];
        let mut k = Key::new(config_key);
        k.str("index.json").num(story.hash).str(&story.slug);
        sources_key(&mut k, story);
        for &j in &f.similar {
            k.str(&site.stories[j].slug);
        }
        k.done()
    };
    let listing_key = |template: &str, extra: &str, stories: &[usize]| {
        let mut k = seed(template);
        k.str(extra);
        for &i in stories {
            k.num(ctx.cards[i].1);
        }
        k.done()
    };

    let mut jobs: Vec<Job> = Vec::with_capacity(2 * site.stories.len() + 1024);
    for i in 0..site.stories.len() {
        jobs.push(Job::StoryPage(i));
        jobs.push(Job::StoryJson(i));
    }
    jobs.extend((1..=index_pages).map(Job::Index));
    jobs.push(Job::Topics);
    jobs.extend((0..derived.topics.len()).map(Job::Topic));
    jobs.push(Job::Outlets);
    jobs.extend((0..site.outlets.len()).map(Job::Outlet));
    jobs.push(Job::Blindspots);
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend([Job::Feed, Job::Robots, Job::NotFound]);

    // As `render_sitemap` lists them: the index pages, the stories, the
    // topics, outlets and blindspots pages, the plain pages.
    let sitemap_urls = index_pages
        + site.stories.len()
        + 1
        + derived.topics.len()
        + 1
        + site.outlets.len()
        + 1
        + site.pages.len();
    jobs.extend((0..=sitemap_parts(sitemap_urls, SITEMAP_LIMIT)).map(Job::Sitemap));

    // Under a patch, the outputs are the last render's: the same stories,
    // topics, outlets and pages.
    let patched = patched.filter(|_| memo.outputs.len() == jobs.len());
    // The topic, outlet and plain pages, by what names them.
    let other_pages = |k: &mut Key| {
        for t in &derived.topics {
            k.str(&t.slug);
        }
        for o in &site.outlets {
            k.str(&o.id);
        }
        for p in &site.pages {
            k.str(&p.path);
        }
    };
    // The identity of every output, in order (what decides their paths).
    let layout = if patched.is_some() {
        memo.layout
    } else {
        let mut k = Key::new(jobs.len() as u128);
        for s in &site.stories {
            k.str(&s.slug);
        }
        other_pages(&mut k);
        k.done()
    };

    let key_of = |job: Job| -> u128 {
        match job {
            Job::StoryPage(i) => story_key(i),
            Job::StoryJson(i) => json_key(i),
            Job::Index(n) => {
                let start = (n - 1) * per_page;
                let end = (start + per_page).min(site.stories.len());
                let ids: Vec<usize> = (start..end).collect();
                listing_key("index.html", &format!("{n}/{index_pages}"), &ids)
            }
            Job::Topics => {
                let mut k = seed("topics.html");
                for t in &derived.topics {
                    k.str(&t.name).str(&t.slug).num(t.stories.len() as u128);
                }
                k.done()
            }
            Job::Topic(t) => {
                let t = &derived.topics[t];
                listing_key("topic.html", &format!("{}\0{}", t.name, t.slug), &t.stories)
            }
            Job::Outlets => {
                let mut k = seed("outlets.html");
                for (i, o) in site.outlets.iter().enumerate() {
                    k.num(outlet_hashes[i])
                        .num(derived.outlet_stories[i].len() as u128);
                    k.str(&o.id);
                }
                k.done()
            }
            Job::Outlet(o) => {
                let mut k = seed("outlet.html");
                k.num(outlet_hashes[o]);
                for &j in &derived.outlet_stories[o] {
                    k.num(site.stories[j].hash);
                }
                k.done()
            }
            Job::Blindspots => listing_key("blindspots.html", "", &derived.blindspots),
            Job::Page(p) => {
                let mut k = seed("page.html");
                k.hash(&site.pages[p]);
                k.done()
            }
            Job::Feed => {
                let mut k = seed("feed.xml");
                for s in site.stories.iter().take(config.feed_limit) {
                    k.str(&s.slug)
                        .str(&s.title)
                        .hash(&s.summary)
                        .hash(&s.date)
                        .hash(&s.updated);
                    for t in &s.topics {
                        k.str(&t.name);
                    }
                }
                k.done()
            }
            Job::Sitemap(part) => {
                let mut k = seed("sitemap.xml");
                k.num(part as u128);
                k.num(index_pages as u128);
                for s in site.stories.iter() {
                    k.str(&s.slug).hash(&s.date).hash(&s.updated);
                }
                other_pages(&mut k);
                k.done()
            }
            Job::Robots => seed("robots.txt").done(),
            Job::NotFound => seed("404.html").done(),
        }
    };

    // Renders one output into the sink; false (reported) if its template
    // failed.
    let emit = |job: Job, path: String| match render_job(ctx, job, index_pages) {
        Ok(text) => {
            sink(Output {
                path,
                bytes: text.into_bytes(),
            });
            true
        }
        Err(d) => {
            report(d);
            false
        }
    };

    if let Some(patch) = patched {
        if let Some(reach) = reach(patch, site, derived, &jobs, index_pages) {
            let results: Vec<(usize, u128, Option<bool>)> = reach
                .par_iter()
                .map(|&n| {
                    let job = jobs[n];
                    let key = key_of(job);
                    if memo.outputs[n].1 == key {
                        return (n, key, Some(false));
                    }
                    let ok = emit(job, memo.outputs[n].0.clone());
                    (n, key, ok.then_some(true))
                })
                .collect();
            let mut fresh = vec![false; jobs.len()];
            let mut rendered = 0;
            for (n, key, outcome) in results {
                if let Some(new) = outcome {
                    memo.outputs[n].1 = key;
                    fresh[n] = new;
                }
                rendered += usize::from(outcome != Some(false));
            }
            memo.derived_generation = derived.generation;
            return Rendered {
                memo,
                errors: errors.into_inner().unwrap_or_default(),
                rendered,
                fresh,
            };
        }
    }

    // The previous key of each output: by position when the outputs are the
    // previous ones, else by path.
    let previous = std::mem::take(&mut memo.outputs);
    let same_layout = memo.layout == layout && previous.len() == jobs.len();
    let previous_by_path: FxHashMap<&str, u128> = if same_layout {
        FxHashMap::default()
    } else {
        previous.iter().map(|(p, k)| (p.as_str(), *k)).collect()
    };

    let rendered = std::sync::atomic::AtomicUsize::new(0);
    // Per output: its path if it is new to the memo, its key, whether it was
    // rendered now, and whether it could be (a template error drops it).
    let results: Vec<(Option<String>, u128, bool, bool)> = jobs
        .par_iter()
        .enumerate()
        .map(|(n, &job)| {
            let key = key_of(job);
            let (path, old_key) = if same_layout {
                (None, Some(previous[n].1))
            } else {
                let path = output_path(site, derived, job);
                let old = previous_by_path.get(path.as_str()).copied();
                (Some(path), old)
            };
            if old_key == Some(key) {
                return (path, key, false, true);
            }
            rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = path.unwrap_or_else(|| previous[n].0.clone());
            let ok = emit(job, path.clone());
            (Some(path), key, true, ok)
        })
        .collect();
    drop(previous_by_path);
    let rendered = rendered.into_inner();
    let mut outputs = Vec::with_capacity(results.len());
    let mut fresh = Vec::with_capacity(results.len());
    let mut previous = previous.into_iter();
    for (path, key, new, ok) in results {
        let old = if same_layout { previous.next() } else { None };
        if !ok {
            continue;
        }
        let path = match (path, old) {
            (Some(path), _) => path,
            (None, Some((path, _))) => path,
            (None, None) => continue, // cannot be: a kept key came from `previous`
        };
        outputs.push((path, key));
        fresh.push(new);
    }
    memo.layout = layout;
    memo.outputs = outputs;
    memo.derived_generation = derived.generation;
    memo.context = context;
    Rendered {
        memo,
        errors: errors.into_inner().unwrap_or_default(),
        rendered,
        fresh,
    }
}

fn render_job(ctx: &Ctx, job: Job, index_pages: usize) -> Result<String, Diagnostic> {
    match job {
        Job::StoryPage(i) => render_story(ctx, i),
        Job::StoryJson(i) => Ok(story_json(ctx, i)),
        Job::Index(n) => render_index(ctx, n, index_pages),
        Job::Topics => render_topics(ctx),
        Job::Topic(t) => render_topic(ctx, t),
        Job::Outlets => render_outlets(ctx),
        Job::Outlet(o) => render_outlet(ctx, o),
        Job::Blindspots => render_blindspots(ctx),
        Job::Page(p) => render_page(ctx, p),
        Job::Feed => render_feed(ctx),
        Job::Sitemap(part) => render_sitemap(ctx, index_pages, part),
        Job::Robots => render_robots(ctx),
        Job::NotFound => render_not_found(ctx),
    }
}

/// The positions in `jobs` of every output the patched stories can reach:
/// their pages and JSON, the listings that show their cards (their index
/// page, topics, outlets, blindspots, the feed), the stories that list them
/// as similar, and the sitemap when an `updated` date moved; plus the
/// topic and outlet indexes. None if `jobs` is not laid out as expected.
fn reach(
    patch: &crate::derive::Patched,
    site: &Site,
    derived: &Derived,
    jobs: &[Job],
    index_pages: usize,
) -> Option<Vec<usize>> {
    let n = site.stories.len();
    let topics = derived.topics.len();
    let outlets = site.outlets.len();
    // As `render_site` lists them.
    let topics_at = 2 * n + index_pages;
    let outlets_at = topics_at + 1 + topics;
    let blindspots_at = outlets_at + 1 + outlets;
    let feed_at = blindspots_at + 1 + site.pages.len();
    let sitemap_at = feed_at + 3;
    let mut reach: Vec<(usize, Job)> = Vec::new();
    for &i in &patch.stories {
        reach.push((2 * i, Job::StoryPage(i)));
        reach.push((2 * i + 1, Job::StoryJson(i)));
        let page = i / site.config.stories_per_page + 1;
        reach.push((2 * n + page - 1, Job::Index(page)));
        for &t in &derived.stories[i].topics {
            reach.push((topics_at + 1 + t, Job::Topic(t)));
        }
        for s in &site.stories[i].sources {
            reach.push((outlets_at + 1 + s.outlet, Job::Outlet(s.outlet)));
        }
        for &j in &derived.similar_of[i] {
            reach.push((2 * j, Job::StoryPage(j)));
        }
    }
    if !patch.stories.is_empty() {
        reach.push((topics_at, Job::Topics));
        reach.push((outlets_at, Job::Outlets));
        reach.push((blindspots_at, Job::Blindspots));
        reach.push((feed_at, Job::Feed));
        if patch.updated_moved {
            for (k, job) in jobs.iter().enumerate().skip(sitemap_at) {
                reach.push((k, *job));
            }
        }
    }
    let mut at = Vec::with_capacity(reach.len());
    for (k, job) in reach {
        if jobs.get(k) != Some(&job) {
            return None;
        }
        at.push(k);
    }
    at.sort_unstable();
    at.dedup();
    Some(at)
}

fn render_card(ctx: &Ctx, i: usize) -> Result<String, Diagnostic> {
    let story = &ctx.site.stories[i];
    let f = &ctx.derived.stories[i];
    let card = CardView {
        title: &story.title,
        summary: story.summary.as_deref(),
        path: ctx.story_path(i),
        date: when(&story.date),
        location: story.location.as_deref(),
        topics: ctx.topic_links(f),
        coverage: coverage_view(&f.coverage),
        blindspot: blindspot_view(f),
    };
    let mut c = ctx.site_view.clone();
    c.insert("story", &card);
    ctx.renderer.render("card.html", &c)
}

fn source_view<'a>(ctx: &Ctx<'a>, story: &'a Story, f: &StoryFacts, i: usize) -> SourceView<'a> {
    let s = &story.sources[i];
    let bias = f.source_bias[i];
    SourceView {
        outlet: outlet_view(&ctx.site.outlets[s.outlet], ctx.base()),
        bias: bias_view(bias),
        bucket: bias.map_or("untracked", |b| b.bucket().id()),
        title: &s.title,
        url: &s.url,
        published: when(&s.published),
        excerpt: s.excerpt.as_deref(),
    }
}

fn render_story(ctx: &Ctx, i: usize) -> Result<String, Diagnostic> {
    let site = ctx.site;
    let story = &site.stories[i];
    let f = &ctx.derived.stories[i];
    let url = ctx.abs(&format!("stories/{}/", story.slug));
    let last_updated = story.updated.unwrap_or(story.date);

    let image = story
        .image
        .as_ref()
        .map(|i| ctx.image_abs(&i.src))
        .or_else(|| site.config.image.as_ref().map(|i| ctx.image_abs(i)));
    let keywords = (!story.topics.is_empty()).then(|| {
        story
            .topics
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let site_url = format!("{}/", site.config.base_url);
    let article = ArticleLd {
        context: "https://schema.org",
        kind: "NewsArticle",
        date_modified: rfc3339(&last_updated),
        date_published: rfc3339(&story.date),
        description: story.summary.as_deref(),
        headline: &story.title,
        image: image.as_deref(),
        keywords: keywords.as_deref(),
        main_entity_of_page: &url,
        publisher: OrganizationLd {
            kind: "Organization",
            name: &site.config.title,
            url: &site_url,
        },
        url: &url,
    };
    let mut json_ld = script_json(&article);
    if !story.faq.is_empty() {
        let faq = FaqPageLd {
            context: "https://schema.org",
            kind: "FAQPage",
            main_entity: story
                .faq
                .iter()
                .map(|q| QuestionLd {
                    kind: "Question",
                    accepted_answer: AnswerLd {
                        kind: "Answer",
                        text: q.answer_html.trim(),
                    },
                    name: &q.question,
                })
                .collect(),
        };
        json_ld = format!("[{},{}]", json_ld, script_json(&faq));
    }

    let enc_url = encode(&url);
    let enc_title = encode(&story.title);
    let share = vec![
        ShareLink {
            label: "Email",
            url: format!("mailto:?subject={enc_title}&body={enc_url}"),
        },
        ShareLink {
            label: "Bluesky",
            url: format!(
                "https://bsky.app/intent/compose?text={}",
                encode(&format!("{} {}", story.title, url))
            ),
        },
        ShareLink {
            label: "Mastodon",
            url: format!("https://mastodonshare.com/?text={enc_title}&url={enc_url}"),
        },
        ShareLink {
            label: "X",
            url: format!("https://x.com/intent/post?text={enc_title}&url={enc_url}"),
        },
        ShareLink {
            label: "Facebook",
            url: format!("https://www.facebook.com/sharer/sharer.php?u={enc_url}"),
        },
        ShareLink {
            label: "LinkedIn",
            url: format!("https://www.linkedin.com/sharing/share-offsite/?url={enc_url}"),
        },
    ];

    let sources: Vec<SourceView> = (0..story.sources.len())
        .map(|k| source_view(ctx, story, f, k))
        .collect();
    let c = &f.coverage;
    let filters = vec![
        FilterView {
            id: "all",
            label: "All",
            count: c.total,
        },
        FilterView {
            id: "left",
            label: "Left",
            count: c.left,
        },
        FilterView {
            id: "center",
            label: "Center",
            count: c.center,
        },
        FilterView {
            id: "right",
            label: "Right",
            count: c.right,
        },
    ];
    let view = StoryView {
        slug: &story.slug,
        title: &story.title,
        summary: story.summary.as_deref(),
        path: ctx.story_path(i),
        json_path: format!("{}index.json", ctx.story_path(i)),
        url: url.clone(),
        date: when(&story.date),
        updated: story.updated.as_ref().map(when),
        last_updated: when(&last_updated),
        location: story.location.as_deref(),
        ai_summary: story.ai_summary,
        image: story.image.as_ref().map(|img| ImageView {
            src: ctx.image_src(&img.src),
            alt: &img.alt,
            credit: img.credit.as_deref(),
        }),
        topics: ctx.topic_links(f),
        overview_html: &story.body_html,
        perspectives: Bucket::ALL
            .iter()
            .map(|&b| PerspectiveView {
                id: b.id(),
                label: b.label(),
                points: &story.perspectives_html[b as usize],
            })
            .collect(),
        coverage: coverage_view(&f.coverage),
        blindspot: blindspot_view(f),
        factuality: &f.factuality,
        ownership: &f.ownership,
        first_reported: source_view(ctx, story, f, f.first_source),
        sources,
        filters,
        faq: story
            .faq
            .iter()
            .map(|q| FaqView {
                question: &q.question,
                answer_html: &q.answer_html,
            })
            .collect(),
        timeline: f
            .timeline
            .iter()
            .map(|e| match e {
                TimelineEntry::Event { day, html } => TimelineView {
                    date: when_day(day),
                    kind: "event",
                    html: Some(html),
                    count: 0,
                },
                TimelineEntry::Articles { day, count } => TimelineView {
                    date: when_day(day),
                    kind: "articles",
                    html: None,
                    count: *count,
                },
            })
            .collect(),
        similar: f
            .similar
            .iter()
            .map(|&j| {
                let s = &site.stories[j];
                SimilarView {
                    title: &s.title,
                    path: ctx.story_path(j),
                    date: when(&s.date),
                    sources: s.sources.len() as u32,
                }
            })
            .collect(),
        share,
        json_ld,
    };
    let mut c = ctx.context(&url);
    c.insert("story", &view);
    c.insert("og_image", &image);
    ctx.renderer.render("story.html", &c)
}

/// `index.json`, serialised straight from borrowed text. Fields are in
/// alphabetical order, the order the format has always had (it was once
/// built as a JSON map, which sorts its keys).
#[derive(Serialize)]
struct StoryJson<'a> {
    ai_summary: bool,
    blindspot: Option<&'static str>,
    coverage: serde_json::Value,
    date: String,
    factuality: serde_json::Value,
    faq: Vec<FaqJson<'a>>,
    first_reported_by: FirstJson<'a>,
    history: Vec<HistoryJson<'a>>,
    image: Option<ImageJson<'a>>,
    location: &'a Option<String>,
    overview_html: &'a str,
    ownership: serde_json::Value,
    perspectives: PerspectivesJson<'a>,
    related: &'a [String],
    similar: Vec<&'a str>,
    slug: &'a str,
    sources: Vec<SourceJson<'a>>,
    summary: &'a Option<String>,
    title: &'a str,
    topics: Vec<&'a str>,
    updated: Option<String>,
    url: String,
}

#[derive(Serialize)]
struct FaqJson<'a> {
    a: &'a str,
    q: &'a str,
}

#[derive(Serialize)]
struct FirstJson<'a> {
    name: &'a str,
    outlet: &'a str,
    published: String,
}

#[derive(Serialize)]
struct HistoryJson<'a> {
    date: String,
    text: &'a str,
}

#[derive(Serialize)]
struct ImageJson<'a> {
    alt: &'a str,
    credit: &'a Option<String>,
    src: String,
}

#[derive(Serialize)]
struct PerspectivesJson<'a> {
    center: &'a [String],
    left: &'a [String],
    right: &'a [String],
}

#[derive(Serialize)]
struct SourceJson<'a> {
    bias: Option<&'static str>,
    bucket: Option<&'static str>,
    excerpt: &'a Option<String>,
    factuality: Option<&'static str>,
    name: &'a str,
    outlet: &'a str,
    owner: &'a Option<String>,
    published: String,
    title: &'a str,
    url: &'a str,
}

/// The story as data: the front matter as written plus what the build derived.
fn story_json(ctx: &Ctx, i: usize) -> String {
    let site = ctx.site;
    let story = &site.stories[i];
    let f = &ctx.derived.stories[i];
    let first = &story.sources[f.first_source];
    let first_outlet = &site.outlets[first.outlet];
    // Small derived values go through `Value`, which sorts their keys.
    fn sorted<T: Serialize>(value: &T) -> serde_json::Value {
        serde_json::to_value(value).unwrap_or_default()
    }
    let value = StoryJson {
        ai_summary: story.ai_summary,
        blindspot: f.blindspot.map(Bucket::id),
        coverage: sorted(&f.coverage),
        date: rfc3339(&story.date),
        factuality: sorted(&f.factuality),
        faq: story
            .faq
            .iter()
            .map(|q| FaqJson {
                a: &q.answer,
                q: &q.question,
            })
            .collect(),
        first_reported_by: FirstJson {
            name: &first_outlet.name,
            outlet: &first_outlet.id,
            published: rfc3339(&first.published),
        },
        history: story
            .history
            .iter()
            .map(|h| HistoryJson {
                date: h.date.date_naive().format("%Y-%m-%d").to_string(),
                text: &h.text,
            })
            .collect(),
        image: story.image.as_ref().map(|img| ImageJson {
            alt: &img.alt,
            credit: &img.credit,
            src: ctx.image_abs(&img.src),
        }),
        location: &story.location,
        overview_html: &story.body_html,
        ownership: sorted(&f.ownership),
        perspectives: PerspectivesJson {
            center: &story.perspectives[1],
            left: &story.perspectives[0],
            right: &story.perspectives[2],
        },
        related: &story.related,
        similar: f
            .similar
            .iter()
            .map(|&j| site.stories[j].slug.as_str())
            .collect(),
        slug: &story.slug,
        sources: story
            .sources
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let o = &site.outlets[s.outlet];
                SourceJson {
                    bias: f.source_bias[k].map(Bias::id),
                    bucket: f.source_bias[k].map(|b| b.bucket().id()),
                    excerpt: &s.excerpt,
                    factuality: o.factuality.map(Factuality::id),
                    name: &o.name,
                    outlet: &o.id,
                    owner: &o.owner,
                    published: rfc3339(&s.published),
                    title: &s.title,
                    url: &s.url,
                }
            })
            .collect(),
        summary: &story.summary,
        title: &story.title,
        topics: story.topics.iter().map(|t| t.name.as_str()).collect(),
        updated: story.updated.as_ref().map(rfc3339),
        url: ctx.abs(&format!("stories/{}/", story.slug)),
    };
    let mut text = serde_json::to_string(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn cards<'a>(ctx: &'a Ctx, indexes: &[usize]) -> Vec<&'a str> {
    indexes.iter().map(|&i| &*ctx.cards[i].2).collect()
}

fn render_index(ctx: &Ctx, n: usize, total: usize) -> Result<String, Diagnostic> {
    let per = ctx.site.config.stories_per_page;
    let start = (n - 1) * per;
    let end = (start + per).min(ctx.site.stories.len());
    let page_path = |k: usize| {
        if k == 1 {
            ctx.base().to_string()
        } else {
            format!("{}page/{k}/", ctx.base())
        }
    };
    let pagination = Pagination {
        current: n,
        total,
        prev: (n > 1).then(|| page_path(n - 1)),
        next: (n < total).then(|| page_path(n + 1)),
    };
    let indexes: Vec<usize> = (start..end).collect();
    let url = if n == 1 {
        ctx.abs("")
    } else {
        ctx.abs(&format!("page/{n}/"))
    };
    let mut c = ctx.context(&url);
    c.insert("cards", &cards(ctx, &indexes));
    c.insert("pagination", &pagination);
    ctx.renderer.render("index.html", &c)
}

/// Alphabetical order as a reader expects it: "Élections" beside "Economy",
/// not after "Zoning".
fn collation_key(name: &str) -> String {
    deunicode::deunicode(name).to_lowercase()
}

#[derive(Serialize)]
struct TopicListItem<'a> {
    name: &'a str,
    path: String,
    count: usize,
}

fn render_topics(ctx: &Ctx) -> Result<String, Diagnostic> {
    let mut topics: Vec<TopicListItem> = ctx
        .derived
        .topics
        .iter()
        .map(|t| TopicListItem {
            name: &t.name,
            path: format!("{}topics/{}/", ctx.base(), t.slug),
            count: t.stories.len(),
        })
        .collect();
    topics.sort_by_cached_key(|t| (collation_key(t.name), t.name));
    let mut c = ctx.context(&ctx.abs("topics/"));
    c.insert("topics", &topics);
    ctx.renderer.render("topics.html", &c)
}

fn render_topic(ctx: &Ctx, t: usize) -> Result<String, Diagnostic> {
    let topic = &ctx.derived.topics[t];
    let mut c = ctx.context(&ctx.abs(&format!("topics/{}/", topic.slug)));
    c.insert(
        "topic",
        &TopicListItem {
            name: &topic.name,
            path: format!("{}topics/{}/", ctx.base(), topic.slug),
            count: topic.stories.len(),
        },
    );
    c.insert("cards", &cards(ctx, &topic.stories));
    ctx.renderer.render("topic.html", &c)
}

#[derive(Serialize)]
struct OutletListItem<'a> {
    #[serde(flatten)]
    outlet: OutletView<'a>,
    stories: usize,
}

fn render_outlets(ctx: &Ctx) -> Result<String, Diagnostic> {
    let mut outlets: Vec<OutletListItem> = ctx
        .site
        .outlets
        .iter()
        .enumerate()
        .map(|(i, o)| OutletListItem {
            outlet: outlet_view(o, ctx.base()),
            stories: ctx.derived.outlet_stories[i].len(),
        })
        .collect();
    outlets.sort_by_cached_key(|o| (collation_key(o.outlet.name), o.outlet.id));
    let mut c = ctx.context(&ctx.abs("outlets/"));
    c.insert("outlets", &outlets);
    ctx.renderer.render("outlets.html", &c)
}

#[derive(Serialize)]
struct StoryRow<'a> {
    title: &'a str,
    path: String,
    date: String,
    day: String,
}

/// An outlet is cited by hundreds of stories: its page lists them as compact
/// rows rather than full cards.
fn render_outlet(ctx: &Ctx, i: usize) -> Result<String, Diagnostic> {
    let o = &ctx.site.outlets[i];
    let mut c = ctx.context(&ctx.abs(&format!("outlets/{}/", o.id)));
    c.insert(
        "outlet",
        &OutletListItem {
            outlet: outlet_view(o, ctx.base()),
            stories: ctx.derived.outlet_stories[i].len(),
        },
    );
    let rows: Vec<StoryRow> = ctx.derived.outlet_stories[i]
        .iter()
        .map(|&j| {
            let s = &ctx.site.stories[j];
            StoryRow {
                title: &s.title,
                path: ctx.story_path(j),
                date: rfc3339(&s.date),
                day: day_text(&s.date.naive_utc().date()),
            }
        })
        .collect();
    c.insert("stories", &rows);
    ctx.renderer.render("outlet.html", &c)
}

fn render_blindspots(ctx: &Ctx) -> Result<String, Diagnostic> {
    let mut c = ctx.context(&ctx.abs("blindspots/"));
    c.insert("cards", &cards(ctx, &ctx.derived.blindspots));
    ctx.renderer.render("blindspots.html", &c)
}

fn render_page(ctx: &Ctx, i: usize) -> Result<String, Diagnostic> {
    let p = &ctx.site.pages[i];
    let mut c = ctx.context(&ctx.abs(&format!("{}/", p.path)));
    c.insert(
        "page",
        &serde_json::json!({"title": p.title, "description": p.description, "body_html": p.body_html, "path": format!("{}{}/", ctx.base(), p.path)}),
    );
    ctx.renderer.render("page.html", &c)
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    published: String,
    updated: String,
    topics: Vec<&'a str>,
}

fn render_feed(ctx: &Ctx) -> Result<String, Diagnostic> {
    let stories = &ctx.site.stories;
    let entries: Vec<FeedEntry> = stories
        .iter()
        .take(ctx.site.config.feed_limit)
        .map(|s| FeedEntry {
            title: &s.title,
            url: ctx.abs(&format!("stories/{}/", s.slug)),
            summary: s.summary.as_deref(),
            published: rfc3339(&s.date),
            updated: rfc3339(&s.updated.unwrap_or(s.date)),
            topics: s.topics.iter().map(|t| t.name.as_str()).collect(),
        })
        .collect();
    // The feed changes when its newest entry does; never the build time, so
    // the same input gives the same bytes.
    let updated = stories
        .iter()
        .take(ctx.site.config.feed_limit)
        .map(|s| s.updated.unwrap_or(s.date))
        .max()
        .map(|d| rfc3339(&d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut c = ctx.context(&ctx.abs("feed.xml"));
    c.insert("entries", &entries);
    c.insert("updated", &updated);
    ctx.renderer.render("feed.xml", &c)
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

/// The most URLs one sitemap may list (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// How many `sitemap-N.xml` files `urls` URLs need: none when they fit in
/// `sitemap.xml` itself; otherwise `sitemap.xml` is an index of the parts.
pub fn sitemap_parts(urls: usize, limit: usize) -> usize {
    if urls <= limit {
        0
    } else {
        urls.div_ceil(limit)
    }
}

/// A sitemap index listing `sitemap-1.xml` … `sitemap-N.xml`.
pub fn sitemap_index(base_url: &str, parts: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=parts {
        xml.push_str(&format!(
            "<sitemap><loc>{}/sitemap-{n}.xml</loc></sitemap>\n",
            escape_html(base_url)
        ));
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

fn render_sitemap(ctx: &Ctx, index_pages: usize, part: usize) -> Result<String, Diagnostic> {
    let mut urls = Vec::new();
    let plain = |p: String| SitemapEntry {
        url: ctx.abs(&p),
        lastmod: None,
    };
    urls.push(plain(String::new()));
    urls.extend((2..=index_pages).map(|n| plain(format!("page/{n}/"))));
    for s in &ctx.site.stories {
        urls.push(SitemapEntry {
            url: ctx.abs(&format!("stories/{}/", s.slug)),
            lastmod: Some(rfc3339(&s.updated.unwrap_or(s.date))),
        });
    }
    urls.push(plain("topics/".into()));
    urls.extend(
        ctx.derived
            .topics
            .iter()
            .map(|t| plain(format!("topics/{}/", t.slug))),
    );
    urls.push(plain("outlets/".into()));
    urls.extend(
        ctx.site
            .outlets
            .iter()
            .map(|o| plain(format!("outlets/{}/", o.id))),
    );
    urls.push(plain("blindspots/".into()));
    urls.extend(ctx.site.pages.iter().map(|p| plain(format!("{}/", p.path))));
    let parts = sitemap_parts(urls.len(), SITEMAP_LIMIT);
    if parts > 0 && part == 0 {
        return Ok(sitemap_index(&ctx.site.config.base_url, parts));
    }
    let chunk = if parts == 0 {
        &urls[..]
    } else {
        let start = ((part - 1) * SITEMAP_LIMIT).min(urls.len());
        &urls[start..(start + SITEMAP_LIMIT).min(urls.len())]
    };
    let name = if part == 0 {
        "sitemap.xml".to_string()
    } else {
        format!("sitemap-{part}.xml")
    };
    let mut c = ctx.context(&ctx.abs(&name));
    c.insert("urls", chunk);
    ctx.renderer.render("sitemap.xml", &c)
}

fn render_robots(ctx: &Ctx) -> Result<String, Diagnostic> {
    if ctx
        .renderer
        .tera
        .get_template_names()
        .any(|n| n == "robots.txt")
    {
        return ctx
            .renderer
            .render("robots.txt", &ctx.context(&ctx.abs("robots.txt")));
    }
    Ok(format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        ctx.abs("sitemap.xml")
    ))
}

fn render_not_found(ctx: &Ctx) -> Result<String, Diagnostic> {
    ctx.renderer
        .render("404.html", &ctx.context(&ctx.abs("404.html")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_strftime_writes_them() {
        for text in [
            "2025-05-07T09:05:00Z",
            "1999-12-31T23:59:59+02:00",
            "0042-01-01T00:00:00Z",
        ] {
            let dt = DateTime::parse_from_rfc3339(text).unwrap();
            let utc = dt.naive_utc();
            let w = when(&dt);
            assert_eq!(w.day, utc.format("%-d %B %Y").to_string());
            assert_eq!(w.display, utc.format("%-d %B %Y, %H:%M UTC").to_string());
            let d = when_day(&utc.date());
            assert_eq!(d.display, utc.format("%-d %B %Y").to_string());
        }
    }

    #[test]
    fn a_template_depends_on_what_it_names_and_on_every_component() {
        let t = |name: &str, text: &str| Template {
            name: name.into(),
            text: text.into(),
            origin: PathBuf::from(name),
        };
        let before = [
            t("base.html", "{% block main %}{% endblock main %}"),
            t("story.html", "{% extends \"base.html\" %}"),
            t("topic.html", "plain"),
            t(
                "parts.html",
                "{%- component chip(label) %}{{ label }}{% endcomponent chip %}",
            ),
            t("feed.xml", "{% include 'parts.html' %}"),
        ];
        let mut after = before.clone();
        after[0].text.push(' ');
        after[3].text.push(' ');
        let (a, b) = (
            template_closures(&before[..3]),
            template_closures(&after[..3]),
        );
        assert_ne!(a["story.html"], b["story.html"], "base.html is extended");
        assert_eq!(a["topic.html"], b["topic.html"], "topic.html names nothing");
        let (a, b) = (template_closures(&before), template_closures(&after));
        assert_ne!(
            a["topic.html"], b["topic.html"],
            "any template may call the component"
        );
        assert!(!defines_a_component("{{<chip label=\"x\" />}}"));
    }

    #[test]
    fn escapes_the_five_characters_and_nothing_else() {
        assert_eq!(
            escape_html("é<b>&\"c\"'/€>"),
            "é&lt;b&gt;&amp;&quot;c&quot;&#39;/€&gt;"
        );
        assert_eq!(escape_html("plain / text"), "plain / text");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn a_template_key_follows_what_it_extends_and_includes() {
        let t = |name: &str, text: &str| Template {
            name: name.into(),
            text: text.into(),
            origin: name.into(),
        };
        let site = |index: &str| {
            template_closures(&[
                t(
                    "base.html",
                    "<html>{% block main %}{% endblock main %}</html>",
                ),
                t("index.html", index),
                t("404.html", "{% extends \"index.html\" %}"),
                t(
                    "story.html",
                    "{% extends 'base.html' %}{% include \"bar.html\" %}",
                ),
                t("bar.html", "bar"),
            ])
        };
        let (a, b) = (
            site("{% extends \"base.html\" %}v1"),
            site("{% extends \"base.html\" %}v2"),
        );
        assert_ne!(a["404.html"], b["404.html"], "404 extends index");
        assert_eq!(a["story.html"], b["story.html"], "story does not use index");
        assert_eq!(a["bar.html"], b["bar.html"]);
    }

    #[test]
    fn large_sitemaps_are_split_with_an_index() {
        assert_eq!(sitemap_parts(50_000, SITEMAP_LIMIT), 0);
        assert_eq!(sitemap_parts(50_001, SITEMAP_LIMIT), 2);
        assert_eq!(sitemap_parts(210_000, SITEMAP_LIMIT), 5);
        let xml = sitemap_index("https://x.example.org", 3);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let locs: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            locs,
            [
                "https://x.example.org/sitemap-1.xml",
                "https://x.example.org/sitemap-2.xml",
                "https://x.example.org/sitemap-3.xml"
            ]
        );
        assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    }
}
