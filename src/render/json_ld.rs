//! The story page's JSON-LD: a schema.org NewsArticle, and an FAQPage when
//! the story has questions, as one string a template puts in a `<script>`
//! as it is. It must stay safe there: `script_json` is the only way out.

use super::dates::rfc3339;
use crate::model::{Site, Story, StoryText};
use crate::paths::{self, SitePath};
use serde::Serialize;

/// A NewsArticle. Fields are in alphabetical order, as they were when this
/// was built as JSON maps (which sort their keys).
#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    /// Newest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correction: Vec<CorrectionLd<'a>>,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    /// The site's language (site.yaml's `language`).
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: OrganizationLd<'a>,
    url: &'a str,
}

#[derive(Serialize)]
struct CorrectionLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "datePublished")]
    date_published: String,
    text: &'a str,
}

#[derive(Serialize)]
struct OrganizationLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "correctionsPolicy", skip_serializing_if = "Option::is_none")]
    corrections_policy: Option<&'a str>,
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

/// The JSON-LD of a story whose page is at `url`, with `image` the page's
/// preview image (the story's or the site's).
pub(super) fn story_json_ld(
    site: &Site,
    story: &Story,
    text: &StoryText,
    url: &str,
    image: Option<&str>,
) -> String {
    let keywords = (!story.topics.is_empty()).then(|| {
        story
            .topics
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let site_url = paths::absolute(&site.config.base_url, SitePath::Index(1));
    let article = ArticleLd {
        context: "https://schema.org",
        kind: "NewsArticle",
        correction: story
            .corrections
            .iter()
            .map(|c| CorrectionLd {
                kind: "CorrectionComment",
                date_published: rfc3339(&c.date),
                text: &c.text,
            })
            .collect(),
        date_modified: rfc3339(&story.last_changed()),
        date_published: rfc3339(&story.date),
        description: story.summary.as_deref(),
        headline: &story.title,
        image,
        in_language: &site.config.language,
        keywords: keywords.as_deref(),
        main_entity_of_page: url,
        publisher: OrganizationLd {
            kind: "Organization",
            corrections_policy: site.config.corrections_policy.as_deref(),
            name: &site.config.title,
            url: &site_url,
        },
        url,
    };
    let article = script_json(&article);
    if text.faq.is_empty() {
        return article;
    }
    let faq = FaqPageLd {
        context: "https://schema.org",
        kind: "FAQPage",
        main_entity: text
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
    format!("[{},{}]", article, script_json(&faq))
}

/// JSON that is safe inside a `<script>` element: no `<` at all, so neither
/// `</script>` nor `<!--` can end or confuse it.
fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}
