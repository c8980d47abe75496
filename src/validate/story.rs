//! One story file on its own: every rule that its front matter and body can
//! be checked against without the other stories (required keys, dates,
//! slug form, topics, image, sources against the outlet ids, FAQ, history,
//! related slugs in slug form). Rules across stories (unique slugs, related
//! slugs that exist) belong to the site, not here: a story's result must
//! depend only on its text and `StoryCheck`, so that it can be reused.

use super::front_matter::parse_front_matter;
use super::positions::KeyPath;
use super::problems::Problems;
use super::raw::{RawStory, Text};
use super::values::date_or_problem;
use crate::diag::Diagnostic;
use crate::load::TextFile;
use crate::markdown::{is_web_url, Markdown};
use crate::model::*;
use crate::slug::{is_slug, slug_from_file_name, topic_slug};
use std::collections::{HashMap, HashSet};
use xxhash_rust::xxh3::Xxh3;

pub(super) struct StoryCheck<'a> {
    pub(super) outlet_ids: &'a HashMap<&'a str, usize>,
    pub(super) statics: &'a HashSet<&'a str>,
    pub(super) markdown: Markdown,
    /// A hash of all of the above: part of every story's identity.
    pub(super) context: u128,
}

/// A story's identity: its path and text, and what its validation looked up
/// (so that, say, switching `allow_raw_html` changes every story's).
pub(super) fn story_key(context: u128, file: &TextFile) -> u128 {
    let mut h = Xxh3::new();
    h.update(&context.to_le_bytes());
    h.update(file.rel.as_os_str().as_encoded_bytes());
    h.update(b"\0");
    h.update(file.text.as_bytes());
    h.digest128()
}

pub(super) fn story(file: &TextFile, check: &StoryCheck) -> (Option<Story>, Vec<Diagnostic>) {
    let (fm, raw) = match parse_front_matter::<RawStory>(file) {
        Ok(parsed) => parsed,
        Err(diag) => return (None, vec![diag]),
    };
    let mut p = Problems::new(&file.rel, fm.yaml, 2);
    let root = KeyPath::root();
    let md = &check.markdown;

    let title = raw.title.as_ref().and_then(Text::non_empty);
    if title.is_none() {
        p.at(
            root.clone(),
            "missing key 'title' (expected a non-empty string)",
        );
    }
    let date = match raw.date.as_ref().and_then(Text::non_empty) {
        None => {
            p.at(
                root.clone(),
                "missing key 'date' (expected an RFC 3339 date-time or YYYY-MM-DD)",
            );
            None
        }
        Some(d) => date_or_problem(&mut p, root.key("date"), &d),
    };
    let updated = raw
        .updated
        .as_ref()
        .and_then(Text::non_empty)
        .and_then(|d| date_or_problem(&mut p, root.key("updated"), &d));
    if let (Some(date), Some(up)) = (date, updated) {
        if up < date {
            p.at(
                root.key("updated"),
                format!(
                    "is before 'date' ({}): expected a time at or after it",
                    date.to_rfc3339()
                ),
            );
        }
    }

    let slug = match raw.slug.as_ref().and_then(Text::non_empty) {
        Some(slug) => {
            if !is_slug(&slug) {
                p.at(root.key("slug"), format!("expected lowercase letters, digits and single dashes (like 'putin-skips-talks'), found '{slug}'"));
            }
            slug
        }
        None => {
            let stem = file
                .rel
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            let slug = slug_from_file_name(&stem);
            if slug.is_empty() {
                p.at(root.clone(), format!("the file name '{stem}' gives an empty slug: rename the file or add a 'slug:' key"));
            }
            slug
        }
    };

    let mut topics = Vec::new();
    for (i, t) in raw.topics.iter().flatten().enumerate() {
        let Some(name) = t.non_empty() else {
            p.at(root.key("topics").index(i), "empty topic: expected a name");
            continue;
        };
        let slug = topic_slug(&name);
        if slug.is_empty() {
            p.at(
                root.key("topics").index(i),
                format!("topic '{name}' has no letters or digits, so it cannot have a page"),
            );
        } else if !topics.iter().any(|t: &Topic| t.slug == slug) {
            topics.push(Topic { name, slug });
        }
    }

    let image = raw.image.as_ref().and_then(|img| {
        let key = root.key("image");
        let src = img.src.as_ref().and_then(Text::non_empty);
        let alt = img.alt.as_ref().and_then(Text::non_empty);
        match &src {
            None => p.at(
                key.clone(),
                "missing key 'src' (expected a path under static/ or an https URL)",
            ),
            Some(s) if s.starts_with("https://") => {
                if !is_web_url(s) {
                    p.at(
                        key.key("src"),
                        format!("expected an https URL, found '{s}'"),
                    );
                }
            }
            Some(s) => {
                let local = s.trim_start_matches('/');
                if !check.statics.contains(local) {
                    p.at(
                        key.key("src"),
                        format!(
                            "no file static/{local}: expected a path under static/ or an https URL"
                        ),
                    );
                }
            }
        }
        if alt.is_none() {
            p.at(
                key.clone(),
                "missing key 'alt' (expected a description of the image)",
            );
        }
        Some(Image {
            src: src?,
            alt: alt?,
            credit: img.credit.as_ref().and_then(Text::non_empty),
        })
    });

    let persp = raw.perspectives.unwrap_or_default();
    let perspectives = [persp.left, persp.center, persp.right].map(|side| {
        side.unwrap_or_default()
            .iter()
            .filter_map(Text::non_empty)
            .collect::<Vec<_>>()
    });
    let perspectives_html = perspectives.each_ref().map(|side| {
        side.iter()
            .map(|point| md.inline(point))
            .collect::<Vec<_>>()
    });

    let mut sources = Vec::new();
    let raw_sources = raw.sources.unwrap_or_default();
    if raw_sources.is_empty() {
        p.at(
            root.clone(),
            "missing key 'sources' (expected a list of at least one source)",
        );
    }
    for (i, s) in raw_sources.iter().enumerate() {
        let key = root.key("sources").index(i);
        let outlet = match s.outlet.as_ref().and_then(Text::non_empty) {
            None => {
                p.at(
                    key.clone(),
                    "missing key 'outlet' (expected an outlet id from content/outlets.yaml)",
                );
                None
            }
            Some(id) => {
                let found = check.outlet_ids.get(id.as_str()).copied();
                if found.is_none() {
                    p.at(
                        key.key("outlet"),
                        format!("unknown outlet '{id}' (expected an id from content/outlets.yaml)"),
                    );
                }
                found
            }
        };
        let title = s.title.as_ref().and_then(Text::non_empty);
        if title.is_none() {
            p.at(
                key.clone(),
                "missing key 'title' (expected the article's headline)",
            );
        }
        let url = s.url.as_ref().and_then(Text::non_empty);
        match &url {
            None => p.at(
                key.clone(),
                "missing key 'url' (expected an http or https URL)",
            ),
            Some(u) if !is_web_url(u) => p.at(
                key.key("url"),
                format!("expected an http or https URL, found '{u}'"),
            ),
            _ => {}
        }
        let published = match s.published.as_ref().and_then(Text::non_empty) {
            None => {
                p.at(
                    key.clone(),
                    "missing key 'published' (expected an RFC 3339 date-time or YYYY-MM-DD)",
                );
                None
            }
            Some(d) => date_or_problem(&mut p, key.key("published"), &d),
        };
        let bias_override = s.bias.as_deref().and_then(|b| {
            let parsed = Bias::parse(b.trim());
            if parsed.is_none() {
                p.at(key.key("bias"), format!("unknown bias '{b}' (expected one of: far-left, left, lean-left, center, lean-right, right, far-right)"));
            }
            parsed
        });
        if let (Some(outlet), Some(title), Some(url), Some(published)) =
            (outlet, title, url, published)
        {
            sources.push(Source {
                outlet,
                title,
                url,
                published,
                excerpt: s.excerpt.as_ref().and_then(Text::non_empty),
                bias_override,
            });
        }
    }

    let mut faq = Vec::new();
    for (i, f) in raw.faq.iter().flatten().enumerate() {
        let key = root.key("faq").index(i);
        let q = f.q.as_ref().and_then(Text::non_empty);
        let a = f.a.as_ref().and_then(Text::non_empty);
        if q.is_none() {
            p.at(key.clone(), "missing key 'q' (expected the question)");
        }
        if a.is_none() {
            p.at(
                key.clone(),
                "missing key 'a' (expected the answer, in Markdown)",
            );
        }
        if let (Some(q), Some(a)) = (q, a) {
            faq.push(Faq {
                question: q,
                answer_html: md.block(&a, 3),
                answer: a,
            });
        }
    }

    let mut history = Vec::new();
    for (i, h) in raw.history.iter().flatten().enumerate() {
        let key = root.key("history").index(i);
        let date = match h.date.as_ref().and_then(Text::non_empty) {
            None => {
                p.at(
                    key.clone(),
                    "missing key 'date' (expected YYYY-MM-DD or an RFC 3339 date-time)",
                );
                None
            }
            Some(d) => date_or_problem(&mut p, key.key("date"), &d),
        };
        let text = h.text.as_ref().and_then(Text::non_empty);
        if text.is_none() {
            p.at(
                key.clone(),
                "missing key 'text' (expected what happened, in Markdown)",
            );
        }
        if let (Some(date), Some(text)) = (date, text) {
            history.push(HistoryEvent {
                date,
                html: md.inline(&text),
                text,
            });
        }
    }

    let mut related = Vec::new();
    for (i, r) in raw.related.iter().flatten().enumerate() {
        match r.non_empty() {
            Some(s) if is_slug(&s) => related.push(s),
            other => p.at(
                root.key("related").index(i),
                format!(
                    "expected a story slug, found '{}'",
                    other.unwrap_or_default()
                ),
            ),
        }
    }

    let diags = p.finish();
    if !diags.is_empty() {
        return (None, diags);
    }
    let (Some(title), Some(date)) = (title, date) else {
        return (None, diags);
    };
    let story = Story {
        file: file.rel.clone(),
        hash: story_key(check.context, file),
        slug,
        title,
        summary: raw.summary.as_ref().and_then(Text::non_empty),
        date,
        updated,
        draft: raw.draft.unwrap_or(false),
        topics,
        location: raw.location.as_ref().and_then(Text::non_empty),
        image,
        ai_summary: raw.ai_summary.unwrap_or(false),
        perspectives,
        perspectives_html,
        sources,
        faq,
        history,
        related,
        body_html: md.block(fm.body, 1),
    };
    (Some(story), diags)
}
