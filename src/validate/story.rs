//! One story file on its own: every rule that its front matter and body can
//! be checked against without the other stories, one checking function per
//! key (title, dates, slug form, topics, image, sources against the outlet
//! ids, FAQ, history, related slugs in slug form). Rules across stories
//! (unique slugs, related slugs that name a story) belong to `listing`: a
//! story's result must depend only on its file and its `StoryCheck`, so that
//! it can be reused while both are unchanged.

use super::front_matter::{check_title, parse_front_matter};
use super::limits::{too_long, TOPICS_MAX, URL_SEGMENT_MAX};
use super::positions::KeyPath;
use super::problems::Problems;
use super::raw::{
    RawCorrection, RawFaq, RawHistory, RawImage, RawPerspectives, RawSource, RawStory, Text,
};
use super::suggest::did_you_mean;
use super::values::{
    check_bias, check_date, check_required_date, check_required_text, check_required_web_url,
};
use crate::diag::Diagnostic;
use crate::load::{StaticFile, TextFile};
use crate::markdown::{is_web_url, Links, Markdown};
use crate::model::*;
use crate::scaffold::STUB_TEXTS;
use crate::share_card;
use crate::slug::{is_slug, slug_from_file_name, topic_slug};
use chrono::{DateTime, FixedOffset};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use xxhash_rust::xxh3::Xxh3;

/// What a story's validation looks up besides its own file.
pub(super) struct StoryCheck<'a> {
    /// Sources point at outlets by index into the registry.
    pub(super) outlet_ids: HashMap<&'a str, usize>,
    /// False when outlets.yaml could not be read: sources' outlets are then
    /// not checked (that one error says enough).
    pub(super) outlets_readable: bool,
    /// Output paths of the static files, which local image paths must name.
    pub(super) statics: HashSet<&'a str>,
    pub(super) markdown: Markdown,
    /// A hash of all of the above: part of every story's identity.
    pub(super) context: u128,
}

impl<'a> StoryCheck<'a> {
    pub(super) fn new(
        outlets: &'a [Outlet],
        outlets_readable: bool,
        statics: &'a [StaticFile],
        markdown: Markdown,
    ) -> Self {
        let outlet_ids = outlets
            .iter()
            .enumerate()
            .map(|(index, outlet)| (outlet.id.as_str(), index))
            .collect();
        let static_paths = statics.iter().map(|file| file.out.as_str()).collect();
        let mut context = Xxh3::new();
        for outlet in outlets {
            context.update(outlet.id.as_bytes());
            context.update(b"\n");
        }
        for file in statics {
            context.update(file.out.as_bytes());
            context.update(b"\n");
        }
        context.update(&[markdown.allow_raw_html as u8, outlets_readable as u8]);
        StoryCheck {
            outlet_ids,
            outlets_readable,
            statics: static_paths,
            markdown,
            context: context.digest128(),
        }
    }
}

/// A story's identity: its file (`content_hash`) and what its validation
/// looked up (so that, say, switching `allow_raw_html` changes every
/// story's).
pub(super) fn story_key(context: u128, content: u128) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(&context.to_le_bytes());
    hasher.update(&content.to_le_bytes());
    hasher.digest128()
}

/// The hash of a story file's path and text.
pub(crate) fn content_hash(file: &TextFile) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(file.rel.as_os_str().as_encoded_bytes());
    hasher.update(b"\0");
    hasher.update(file.text.as_bytes());
    hasher.digest128()
}

/// The story in `file`, or every problem found in it.
pub(super) fn story(file: &TextFile, check: &StoryCheck) -> (Option<Story>, Vec<Diagnostic>) {
    let (front_matter, raw, misfits) = match parse_front_matter::<RawStory>(file) {
        Ok(parsed) => parsed,
        Err(diags) => return (None, diags),
    };
    let mut problems = Problems::new(&file.rel, front_matter.yaml, 2);
    let markdown = &check.markdown;
    let title = check_title(&mut problems, raw.title.as_ref());
    let stub_body =
        !raw.draft.unwrap_or(false) && check_no_stub_text(&mut problems, &raw, front_matter.body);
    let (date, updated) = check_dates(&mut problems, raw.date.as_ref(), raw.updated.as_ref());
    let slug = check_slug(&mut problems, raw.slug.as_ref(), &file.rel);
    let topics = check_topics(&mut problems, raw.topics.as_deref().unwrap_or_default());
    let image = raw
        .image
        .as_ref()
        .and_then(|image| check_image(&mut problems, image, &check.statics));
    let mut texts = Texts {
        markdown,
        links: Vec::new(),
    };
    let (perspectives, perspectives_html) =
        read_perspectives(raw.perspectives.unwrap_or_default(), &mut texts);
    let (sources, source_texts) = check_sources(
        &mut problems,
        raw.sources.as_deref().unwrap_or_default(),
        check.outlets_readable.then_some(&check.outlet_ids),
    );
    let faq = check_faq(
        &mut problems,
        raw.faq.as_deref().unwrap_or_default(),
        &mut texts,
    );
    let history = check_history(
        &mut problems,
        raw.history.as_deref().unwrap_or_default(),
        &mut texts,
    );
    let corrections = check_corrections(
        &mut problems,
        raw.corrections.as_deref().unwrap_or_default(),
        &mut texts,
        date,
    );
    let related = check_related(&mut problems, raw.related.as_deref().unwrap_or_default());

    let mut diags = problems.finish_after(misfits);
    if stub_body {
        diags.push(stub_overview(file, front_matter.yaml));
    }
    if !diags.is_empty() {
        return (None, diags);
    }
    let (Some(title), Some(date)) = (title, date) else {
        return (None, diags);
    };
    let body_html = texts.block(front_matter.body, 1, TextAt::Body);
    let story = Story {
        file: file.rel.clone(),
        hash: story_key(check.context, content_hash(file)),
        slug,
        card_draws_title: share_card::font_covers(&title),
        title,
        summary: raw.summary.as_ref().and_then(Text::non_empty),
        date,
        updated,
        draft: raw.draft.unwrap_or(false),
        topics,
        location: raw.location.as_ref().and_then(Text::non_empty),
        image,
        ai_summary: raw.ai_summary.unwrap_or(false),
        sources,
        history_dates: history.iter().map(|event| event.date).collect(),
        corrections,
        related,
        text: Body::held(StoryText {
            perspectives,
            perspectives_html,
            sources: source_texts,
            faq,
            history,
            body_html,
        }),
        links: texts.links,
    };
    (Some(story), diags)
}

/// The story's Markdown renderer: every text's links go to one list, in
/// the order rendered (an `@/` link's marker is its index there).
struct Texts<'a> {
    markdown: &'a Markdown,
    links: Vec<Link>,
}

impl Texts<'_> {
    fn block(&mut self, text: &str, heading_shift: usize, at: TextAt) -> String {
        let links = Links {
            list: &mut self.links,
            at,
        };
        self.markdown.block_with(text, heading_shift, Some(links))
    }

    fn inline(&mut self, text: &str, at: TextAt) -> String {
        let links = Links {
            list: &mut self.links,
            at,
        };
        self.markdown.inline_with(text, Some(links))
    }
}

/// A published story keeps nothing of the `new story` template: its
/// placeholder texts are for the editor, not the reader. Whether the
/// overview (outside the YAML) is the placeholder is returned.
fn check_no_stub_text(problems: &mut Problems, raw: &RawStory, body: &str) -> bool {
    let is_stub = |text: &str| STUB_TEXTS.contains(&text.trim());
    let root = KeyPath::root();
    let mut found: Vec<KeyPath> = Vec::new();
    let mut text_at = |key: KeyPath, text: Option<&Text>| {
        if text.is_some_and(|t| is_stub(&t.0)) {
            found.push(key);
        }
    };
    text_at(root.key("summary"), raw.summary.as_ref());
    text_at(root.key("location"), raw.location.as_ref());
    if let Some(perspectives) = &raw.perspectives {
        let sides = [
            ("left", &perspectives.left),
            ("center", &perspectives.center),
            ("right", &perspectives.right),
        ];
        for (side, points) in sides {
            for (index, point) in points.iter().flatten().enumerate() {
                text_at(root.key("perspectives").key(side).index(index), Some(point));
            }
        }
    }
    for (index, source) in raw.sources.iter().flatten().enumerate() {
        let key = root.key("sources").index(index);
        text_at(key.key("title"), source.title.as_ref());
        text_at(key.key("url"), source.url.as_ref());
        text_at(key.key("excerpt"), source.excerpt.as_ref());
    }
    for (index, entry) in raw.faq.iter().flatten().enumerate() {
        text_at(root.key("faq").index(index).key("q"), entry.q.as_ref());
        text_at(root.key("faq").index(index).key("a"), entry.a.as_ref());
    }
    for (index, event) in raw.history.iter().flatten().enumerate() {
        text_at(
            root.key("history").index(index).key("text"),
            event.text.as_ref(),
        );
    }
    for key in found {
        problems.at_with_help(
            key,
            "still holds the placeholder text of `parallax new story`",
            Some(STUB_HELP.to_string()),
        );
    }
    is_stub(body)
}

const STUB_HELP: &str = "write the real text, or keep `draft: true` until it is ready";

/// The overview is the Markdown after the front matter: its first line is
/// the one after the closing `---`.
fn stub_overview(file: &TextFile, yaml: &str) -> Diagnostic {
    let line = yaml.lines().count() + 3;
    Diagnostic::new(
        &file.rel,
        line,
        1,
        "the overview still holds the placeholder text of `parallax new story`",
    )
    .with_help(STUB_HELP)
}

/// `date`, which is required, and `updated`, which may not be before it.
fn check_dates(
    problems: &mut Problems,
    date: Option<&Text>,
    updated: Option<&Text>,
) -> (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>) {
    let root = KeyPath::root();
    let date = check_required_date(
        problems,
        date,
        &root,
        "date",
        "missing key 'date' (expected an RFC 3339 date-time or YYYY-MM-DD)",
    );
    let updated = updated
        .and_then(Text::non_empty)
        .and_then(|text| check_date(problems, root.key("updated"), &text));
    if let (Some(date), Some(updated)) = (date, updated) {
        if updated < date {
            problems.at(
                root.key("updated"),
                format!(
                    "is before 'date' ({}): expected a time at or after it",
                    date.to_rfc3339()
                ),
            );
        }
    }
    (date, updated)
}

/// The `slug:` as written, which must already be a slug, or else the one
/// the file name gives, which must not be empty.
fn check_slug(problems: &mut Problems, written: Option<&Text>, file: &Path) -> String {
    if let Some(slug) = written.and_then(Text::non_empty) {
        if !is_slug(&slug) {
            problems.at(KeyPath::root().key("slug"), format!("expected lowercase letters, digits and single dashes (like 'putin-skips-talks'), found '{slug}'"));
        } else if slug.len() > URL_SEGMENT_MAX {
            problems.at(KeyPath::root().key("slug"), too_long("slug", slug.len()));
        }
        return slug;
    }
    let stem = file
        .file_stem()
        .map(|stem| stem.to_string_lossy())
        .unwrap_or_default();
    let slug = slug_from_file_name(&stem);
    if slug.len() > URL_SEGMENT_MAX {
        problems.at(
            KeyPath::root(),
            too_long("slug the file name gives", slug.len()),
        );
    } else if slug.is_empty() {
        problems.at(
            KeyPath::root(),
            format!(
                "the file name '{stem}' gives an empty slug: rename the file or add a 'slug:' key"
            ),
        );
    }
    slug
}

/// The topics, each named and with a slug; a second spelling of the same
/// slug in one story is dropped.
fn check_topics(problems: &mut Problems, written: &[Text]) -> Vec<Topic> {
    if written.len() > TOPICS_MAX {
        problems.at(
            KeyPath::root().key("topics"),
            format!(
                "{} topics: a story may have at most {TOPICS_MAX}",
                written.len()
            ),
        );
        return Vec::new();
    }
    let mut topics = Vec::with_capacity(written.len());
    for (index, topic) in written.iter().enumerate() {
        let Some(name) = topic.non_empty() else {
            problems.at(
                KeyPath::root().key("topics").index(index),
                "empty topic: expected a name",
            );
            continue;
        };
        let slug = topic_slug(&name);
        if slug.is_empty() {
            problems.at(
                KeyPath::root().key("topics").index(index),
                format!("topic '{name}' has no letters or digits, so it cannot have a page"),
            );
        } else if slug.len() > URL_SEGMENT_MAX {
            problems.at(
                KeyPath::root().key("topics").index(index),
                too_long("topic's URL segment", slug.len()),
            );
        } else if !topics.iter().any(|known: &Topic| known.slug == slug) {
            topics.push(Topic { name, slug });
        }
    }
    topics
}

/// The image: `src`, an https URL or a file under static/, and `alt` are
/// required.
fn check_image(
    problems: &mut Problems,
    written: &RawImage,
    statics: &HashSet<&str>,
) -> Option<Image> {
    let key = KeyPath::root().key("image");
    let src = written.src.as_ref().and_then(Text::non_empty);
    match &src {
        None => problems.at(
            key.clone(),
            "missing key 'src' (expected a path under static/ or an https URL)",
        ),
        Some(url) if url.starts_with("https://") => {
            if !is_web_url(url) {
                problems.at(
                    key.key("src"),
                    format!("expected an https URL, found '{url}'"),
                );
            }
        }
        Some(path) => {
            let local = path.trim_start_matches('/');
            if !statics.contains(local) {
                problems.at(
                    key.key("src"),
                    format!(
                        "no file static/{local}: expected a path under static/ or an https URL"
                    ),
                );
            }
        }
    }
    let alt = check_required_text(
        problems,
        written.alt.as_ref(),
        &key,
        "missing key 'alt' (expected a description of the image)",
    );
    Some(Image {
        src: src?,
        alt: alt?,
        credit: written.credit.as_ref().and_then(Text::non_empty),
    })
}

/// The points of each side (left, center, right) as written and rendered;
/// any text is a point, so nothing here can be wrong.
fn read_perspectives(
    written: RawPerspectives,
    texts: &mut Texts,
) -> ([Vec<String>; 3], [Vec<String>; 3]) {
    let mut points: [Vec<String>; 3] = Default::default();
    let mut html: [Vec<String>; 3] = Default::default();
    let sides = [written.left, written.center, written.right];
    for (bucket, side) in Bucket::ALL.into_iter().zip(sides) {
        let side = side.unwrap_or_default();
        // Kept for the whole build: no room to spare.
        points[bucket as usize].reserve_exact(side.len());
        html[bucket as usize].reserve_exact(side.len());
        for (index, point) in side.iter().enumerate() {
            let Some(point) = point.non_empty() else {
                continue;
            };
            let at = TextAt::Perspective(bucket, index);
            html[bucket as usize].push(texts.inline(&point, at));
            points[bucket as usize].push(point);
        }
    }
    (points, html)
}

/// The sources: at least one, each complete and citing a known outlet.
fn check_sources(
    problems: &mut Problems,
    written: &[RawSource],
    outlet_ids: Option<&HashMap<&str, usize>>,
) -> (Vec<Source>, Vec<SourceText>) {
    if written.is_empty() {
        problems.at(
            KeyPath::root(),
            "missing key 'sources' (expected a list of at least one source)",
        );
    }
    let checked = check_each(written, "sources", |source, key, _| {
        check_source(problems, source, key, outlet_ids)
    });
    let mut sources = Vec::with_capacity(checked.len());
    let mut texts = Vec::with_capacity(checked.len());
    for (source, text) in checked {
        sources.push(source);
        texts.push(text);
    }
    (sources, texts)
}

/// One source at `key`; None when a required key is missing or wrong.
fn check_source(
    problems: &mut Problems,
    written: &RawSource,
    key: &KeyPath,
    outlet_ids: Option<&HashMap<&str, usize>>,
) -> Option<(Source, SourceText)> {
    let outlet = check_outlet(problems, written.outlet.as_ref(), key, outlet_ids);
    let title = check_required_text(
        problems,
        written.title.as_ref(),
        key,
        "missing key 'title' (expected the article's headline)",
    );
    let url = written.url.as_ref().and_then(Text::non_empty);
    check_required_web_url(problems, key, url.as_deref());
    let published = check_required_date(
        problems,
        written.published.as_ref(),
        key,
        "published",
        "missing key 'published' (expected an RFC 3339 date-time or YYYY-MM-DD)",
    );
    let bias_override = check_bias(problems, key, written.bias.as_deref());
    let source = Source {
        outlet: outlet?,
        published: published?,
        bias_override,
    };
    let text = SourceText {
        title: title?,
        url: url?,
        excerpt: written.excerpt.as_ref().and_then(Text::non_empty),
    };
    Some((source, text))
}

/// The index in the registry of the outlet a source at `key` names (none,
/// and no problem, when the registry could not be read).
fn check_outlet(
    problems: &mut Problems,
    written: Option<&Text>,
    key: &KeyPath,
    outlet_ids: Option<&HashMap<&str, usize>>,
) -> Option<usize> {
    let id = check_required_text(
        problems,
        written,
        key,
        "missing key 'outlet' (expected an outlet id from content/outlets.yaml)",
    )?;
    let outlet_ids = outlet_ids?;
    let found = outlet_ids.get(id.as_str()).copied();
    if found.is_none() {
        problems.at_with_help(
            key.key("outlet"),
            format!("unknown outlet '{id}' (expected an id from content/outlets.yaml)"),
            did_you_mean(&id, outlet_ids.keys().copied()),
        );
    }
    found
}

/// The questions and answers, each with both.
fn check_faq(problems: &mut Problems, written: &[RawFaq], texts: &mut Texts) -> Vec<Faq> {
    check_each(written, "faq", |entry, key, index| {
        let question = check_required_text(
            problems,
            entry.q.as_ref(),
            key,
            "missing key 'q' (expected the question)",
        );
        let answer = check_required_text(
            problems,
            entry.a.as_ref(),
            key,
            "missing key 'a' (expected the answer, in Markdown)",
        );
        let (question, answer) = (question?, answer?);
        Some(Faq {
            question,
            answer_html: texts.block(&answer, 3, TextAt::FaqAnswer(index)),
            answer,
        })
    })
}

/// The editorial events, each with a date and a text.
fn check_history(
    problems: &mut Problems,
    written: &[RawHistory],
    texts: &mut Texts,
) -> Vec<HistoryEvent> {
    check_each(written, "history", |event, key, index| {
        let date = check_required_date(
            problems,
            event.date.as_ref(),
            key,
            "date",
            "missing key 'date' (expected YYYY-MM-DD or an RFC 3339 date-time)",
        );
        let text = check_required_text(
            problems,
            event.text.as_ref(),
            key,
            "missing key 'text' (expected what happened, in Markdown)",
        );
        let (date, text) = (date?, text?);
        Some(HistoryEvent {
            date,
            html: texts.inline(&text, TextAt::History(index)),
            text,
        })
    })
}

/// The corrections, each with a date (not before the story's day) and a text,
/// newest first (in the order written on a tie).
fn check_corrections(
    problems: &mut Problems,
    written: &[RawCorrection],
    texts: &mut Texts,
    published: Option<DateTime<FixedOffset>>,
) -> Vec<Correction> {
    let mut corrections = check_each(written, "corrections", |entry, key, index| {
        let date = check_required_date(
            problems,
            entry.date.as_ref(),
            key,
            "date",
            "missing key 'date' (expected YYYY-MM-DD or an RFC 3339 date-time)",
        );
        let text = check_required_text(
            problems,
            entry.text.as_ref(),
            key,
            "missing key 'text' (expected what was corrected, in Markdown)",
        );
        let (date, text) = (date?, text?);
        // By day: a correction dated only by its day may fall on the day
        // the story came out.
        let day = |t: &DateTime<FixedOffset>| t.to_utc().date_naive();
        if let Some(published) = published.filter(|p| day(&date) < day(p)) {
            problems.at(
                key.key("date"),
                format!(
                    "is before the story's 'date' ({}): expected the day it was corrected, at or after it",
                    published.to_rfc3339()
                ),
            );
            return None;
        }
        Some(Correction {
            date,
            html: texts.inline(&text, TextAt::Correction(index)),
            text,
        })
    });
    corrections.sort_by_key(|c| std::cmp::Reverse(c.date));
    corrections
}

/// Each entry of the list at the top-level key `list`, checked at its own
/// key path (`list[index]`, and its index); an entry with a problem is
/// left out.
fn check_each<Written, Checked>(
    written: &[Written],
    list: &str,
    mut check: impl FnMut(&Written, &KeyPath, usize) -> Option<Checked>,
) -> Vec<Checked> {
    // Kept for the whole build: sized for every entry, not doubled past it.
    let mut checked = Vec::with_capacity(written.len());
    for (index, entry) in written.iter().enumerate() {
        if let Some(entry) = check(entry, &KeyPath::root().key(list).index(index), index) {
            checked.push(entry);
        }
    }
    checked
}

/// The related stories' slugs, each in slug form (whether a story has it is
/// checked across stories).
fn check_related(problems: &mut Problems, written: &[Text]) -> Vec<String> {
    let mut related = Vec::new();
    for (index, slug) in written.iter().enumerate() {
        match slug.non_empty() {
            Some(slug) if is_slug(&slug) => related.push(slug),
            other => problems.at(
                KeyPath::root().key("related").index(index),
                format!(
                    "expected a story slug, found '{}'",
                    other.unwrap_or_default()
                ),
            ),
        }
    }
    related
}
