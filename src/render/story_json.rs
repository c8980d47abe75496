//! A story's `index.json`: the front matter as written plus what the build
//! derived, for readers that want data rather than a page. Its fields are a
//! published format: add, never rename or reorder. Serialised straight from
//! borrowed text; it uses no template.

use super::dates::rfc3339;
use super::views::{story_text, Ctx};
use crate::derive::StoryFacts;
use crate::diag::Diagnostic;
use crate::model::{Bias, Bucket, Factuality, Site, Story, StoryText};
use crate::paths::SitePath;
use serde::Serialize;

/// Fields are in alphabetical order, the order the format has always had (it
/// was once built as a JSON map, which sorts its keys).
#[derive(Serialize)]
struct StoryJson<'a> {
    ai_summary: bool,
    blindspot: Option<&'static str>,
    /// Newest first; left out when there are none (as it was before
    /// corrections existed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    corrections: Vec<CorrectionJson<'a>>,
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
struct CorrectionJson<'a> {
    date: String,
    text: &'a str,
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

/// The story as data, one line of JSON.
pub(super) fn story_json(ctx: &Ctx, i: usize) -> Result<String, Diagnostic> {
    let site = ctx.site;
    let story = &site.stories[i];
    let words = story_text(ctx, i)?;
    let words = &*words;
    let facts = &ctx.derived.stories[i];
    let first = &story.sources[facts.first_source];
    let first_outlet = &site.outlets[first.outlet];
    // Small derived values go through `Value`, which sorts their keys.
    fn sorted<T: Serialize>(value: &T) -> serde_json::Value {
        serde_json::to_value(value).unwrap_or_default()
    }
    let value = StoryJson {
        ai_summary: story.ai_summary,
        blindspot: facts.blindspot.map(Bucket::id),
        corrections: story
            .corrections
            .iter()
            .map(|c| CorrectionJson {
                date: rfc3339(&c.date),
                text: &c.text,
            })
            .collect(),
        coverage: sorted(&facts.coverage),
        date: rfc3339(&story.date),
        factuality: sorted(&facts.factuality),
        faq: words
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
        history: words
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
            src: ctx.image_absolute(&img.src),
        }),
        location: &story.location,
        overview_html: &words.body_html,
        ownership: sorted(&facts.ownership),
        perspectives: PerspectivesJson {
            center: &words.perspectives[1],
            left: &words.perspectives[0],
            right: &words.perspectives[2],
        },
        related: &story.related,
        similar: facts
            .similar
            .iter()
            .map(|&j| site.stories[j].slug.as_str())
            .collect(),
        slug: &story.slug,
        sources: sources_json(site, story, words, facts),
        summary: &story.summary,
        title: &story.title,
        topics: story.topics.iter().map(|t| t.name.as_str()).collect(),
        updated: story.updated.as_ref().map(rfc3339),
        url: ctx.absolute(SitePath::Story(&story.slug)),
    };
    let mut text = serde_json::to_string(&value).unwrap_or_default();
    text.push('\n');
    Ok(text)
}

fn sources_json<'a>(
    site: &'a Site,
    story: &'a Story,
    words: &'a StoryText,
    facts: &StoryFacts,
) -> Vec<SourceJson<'a>> {
    story
        .sources
        .iter()
        .zip(&words.sources)
        .enumerate()
        .map(|(k, (source, text))| {
            let outlet = &site.outlets[source.outlet];
            let bias = facts.source_bias[k];
            SourceJson {
                bias: bias.map(Bias::id),
                bucket: bias.map(|b| b.bucket().id()),
                excerpt: &text.excerpt,
                factuality: outlet.factuality.map(Factuality::id),
                name: &outlet.name,
                outlet: &outlet.id,
                owner: &outlet.owner,
                published: rfc3339(&source.published),
                title: &text.title,
                url: &text.url,
            }
        })
        .collect()
}
