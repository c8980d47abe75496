//! `parallax init` and `parallax new story`: the two commands that create
//! editor files. They only ever create new files (never overwrite one).
//! Also `parallax schema`'s files, which init writes into a new site too:
//! those are generated, not edited, so the command rewrites them.

use crate::paths::{self, CACHE_DIR, DEFAULT_OUTPUT_DIR, OUTLETS_YAML, PAGES_DIR, SITE_YAML};
use crate::slug::slug_from_file_name;
use chrono::{DateTime, Utc};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn create_new(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Every key of site.yaml, with what it does; the optional ones commented
/// out at their defaults, so an editor sees what there is to set.
const SITE_YAML_TEXT: &str = "\
# yaml-language-server: $schema=./schemas/site.schema.json
# Site settings. Every key is optional; docs/content.md lists them all.
title: My Briefs
# Absolute URL the site is published at (a path is fine: https://x.github.io/briefs/).
base_url: https://briefs.example.org
# The site's language (an IETF tag: en, fr, de, es, ar, pt-BR): the theme's
# words and dates; reword any of them in i18n/LANG.yaml.
language: en
description: Every story, every side.
# Default share image for pages without their own: a file under static/ or an https URL.
# image: /images/social.png
# A folder under themes/, or the built-in `default`.
theme: default
# Stories on each index page.
stories_per_page: 20
# Entries in feed.xml.
# feed_limit: 20
# How many similar stories a story page lists.
# similar_stories: 5
# Pass raw HTML in Markdown through (off: it is shown as text).
# allow_raw_html: false
# A link beside the machine-written disclosure (http, https or mailto).
# report_issue_url: mailto:corrections@example.org
# A call to action under each overview; both keys are needed.
# newsletter:
#   text: Get both sides in 5 minutes with our daily newsletter.
#   url: https://briefs.example.org/newsletter
blindspot:
  # Fewer rated sources than this: never a blindspot.
  min_sources: 5
  # A side at or below this share of the rated sources is blind (0 to 1).
  max_share: 0.2
";

const OUTLETS_YAML_TEXT: &str = "\
# yaml-language-server: $schema=../schemas/outlets.schema.json
# One entry per outlet. bias: far-left | left | lean-left | center | lean-right
# | right | far-right (leave it out for an unrated outlet). factuality:
# very-high | high | mixed | low | very-low.
left-gazette:
  name: The Left Gazette
  bias: lean-left
  factuality: high
  owner: Gazette Media
  homepage: https://left-gazette.example.com
center-wire:
  name: Center Wire
  bias: center
  factuality: very-high
  owner: Wire Cooperative
  homepage: https://center-wire.example.com
right-herald:
  name: The Right Herald
  bias: lean-right
  factuality: high
  owner: Herald Holdings
  homepage: https://right-herald.example.com
";

/// The placeholder texts of a new story: a story that is not a draft may
/// not keep any of them (validation says so).
pub const STUB_TEXTS: [&str; 16] = [
    "A sentence or two from the article.",
    "One sentence that says what happened.",
    "Somewhere",
    "What outlets on the left emphasise.",
    "What outlets in the center emphasise.",
    "What outlets on the right emphasise.",
    "A headline from the left",
    "A headline from the center",
    "A headline from the right",
    "https://example.org/left-article",
    "https://example.org/center-article",
    "https://example.org/right-article",
    "What is the question readers ask?",
    "The answer, in **Markdown**.",
    "What happened first.",
    "The overview: what happened, in a few paragraphs of Markdown.",
];

/// The times a new story is written with: published at `now` (to the
/// minute), its sources an hour, half an hour and a quarter before. Never
/// later than the clock, or the story would be scheduled and left out of
/// the build until then (docs/content.md, "Scheduled stories").
struct Times {
    date: String,
    published: String,
    sources: [String; 3],
}

impl Times {
    fn at(now: DateTime<Utc>) -> Times {
        let stamp = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:00Z").to_string();
        let before = |minutes: i64| stamp(now - chrono::Duration::minutes(minutes));
        Times {
            date: now.format("%Y-%m-%d").to_string(),
            published: stamp(now),
            sources: [before(60), before(30), before(15)],
        }
    }
}

/// A story with every key, each explained; for `init` an example that
/// validates and shows a perspective for each side it has sources from, for
/// `new story` a draft to fill in.
fn story_text(title: &str, times: &Times, outlets: &[&str], draft: bool) -> String {
    let Times {
        date,
        published,
        sources: [s0, s1, s2],
    } = times;
    let outlet = |i: usize| {
        outlets
            .get(i)
            .or(outlets.first())
            .copied()
            .unwrap_or("example-outlet")
    };
    let title_yaml = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    format!(
        "---
title: {title_yaml}
# One sentence under the title: what happened.
summary: One sentence that says what happened.
# First published: YYYY-MM-DD or an RFC 3339 date-time.
date: {published}
# updated: {date}T12:00:00Z
# Drafts are built only with --drafts; remove this line (or say false) to publish.
draft: {draft}
# The URL is /stories/SLUG/; by default the file name gives it.
# slug: a-slug-in-this-form
# Each topic gets a page.
topics: [World]
location: Somewhere
# A picture: src is a file under static/ or an https URL; alt is required with it.
# image:
#   src: /images/photo.jpg
#   alt: What the picture shows.
#   credit: Who took it
# true shows that the overview was machine-written.
ai_summary: false
# What each side's media emphasise (Markdown). A side left empty says there
# are not enough sources from it.
perspectives:
  left:
    - What outlets on the left emphasise.
  center:
    - What outlets in the center emphasise.
  right:
    - What outlets on the right emphasise.
# At least one. outlet: an id from content/outlets.yaml. bias (optional)
# overrides the outlet's rating for this article: far-left | left |
# lean-left | center | lean-right | right | far-right.
sources:
  - outlet: {o0}
    title: A headline from the left
    url: https://example.org/left-article
    published: {s0}
    excerpt: A sentence or two from the article.
    # bias: lean-left
  - outlet: {o1}
    title: A headline from the center
    url: https://example.org/center-article
    published: {s1}
  - outlet: {o2}
    title: A headline from the right
    url: https://example.org/right-article
    published: {s2}
faq:
  - q: What is the question readers ask?
    a: The answer, in **Markdown**.
# Editorial events, merged with the coverage over time.
history:
  - date: {date}
    text: What happened first.
# Slugs of stories to list as similar.
related: []
---
The overview: what happened, in a few paragraphs of Markdown.
",
        o0 = outlet(0),
        o1 = outlet(1),
        o2 = outlet(2),
    )
}

/// The story `init` starts a site with: every common key, written as an
/// editor would, so that it checks without a warning.
fn example_story(times: &Times) -> String {
    let Times {
        date,
        published,
        sources: [s0, s1, s2],
    } = times;
    format!(
        "---
title: Welcome to Parallax
summary: A first story brief, to show what every part of a story page is for.
date: {published}
topics: [Parallax]
location: Everywhere
perspectives:
  left:
    - The Left Gazette stresses who is affected and what it costs them.
  center:
    - Center Wire keeps to the facts and figures.
  right:
    - The Right Herald asks who pays, and what it means for business.
sources:
  - outlet: left-gazette
    title: How one story reads from the left
    url: https://left-gazette.example.com/welcome
    published: {s0}
    excerpt: Every outlet picks what to lead with.
  - outlet: center-wire
    title: The same story, by the numbers
    url: https://center-wire.example.com/welcome
    published: {s1}
  - outlet: right-herald
    title: The same story, read from the right
    url: https://right-herald.example.com/welcome
    published: {s2}
faq:
  - q: Where do I start?
    a: Copy this file, or run `parallax new story \"A title\"`, and edit it.
history:
  - date: {date}
    text: The site was made with `parallax init`.
---
This is the overview: the story in a few paragraphs of Markdown, as neutral
as the sources allow. Below it, each side's perspective, the coverage bar,
the sources and their ratings, the questions readers ask and the history.
"
    )
}

/// A file name for a title: transliterated to ASCII (`Café` → `cafe`), in
/// slug form, cut at a word boundary to at most `SLUG_MAX` characters.
pub fn slug_for_title(title: &str) -> String {
    let slug = slug_from_file_name(&deunicode::deunicode(title));
    if slug.len() <= SLUG_MAX {
        return slug;
    }
    match slug[..=SLUG_MAX].rfind('-') {
        Some(cut) if cut > 0 => slug[..cut].to_string(),
        _ => slug[..SLUG_MAX].trim_end_matches('-').to_string(),
    }
}

const SLUG_MAX: usize = 80;

/// Where `init` puts the schemas in a new site, and where its site.yaml
/// and outlets.yaml point editors' YAML tools.
const SCHEMAS_DIR: &str = "schemas";

/// Writes the JSON Schemas (`validate::schema`) into `dir`, made when
/// missing, replacing the files of an earlier run; the paths written.
pub fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>, String> {
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    crate::validate::schema::files()
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(path)
        })
        .collect()
}

/// What `init` did: the files it created, and those it found already there
/// and left alone (only with `force`).
pub struct Initialised {
    pub created: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
}

pub fn init(dir: &Path, force: bool) -> Result<Initialised, String> {
    if !force
        && dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{} exists and is not empty; init only creates new sites (--force adds the missing files and never overwrites one)",
            dir.display()
        ));
    }
    let times = Times::at(Utc::now());
    let schemas = crate::validate::schema::files()
        .map(|(name, text)| (Path::new(SCHEMAS_DIR).join(name), text));
    let files = [
        (PathBuf::from(SITE_YAML), SITE_YAML_TEXT.to_string()),
        (PathBuf::from(OUTLETS_YAML), OUTLETS_YAML_TEXT.to_string()),
        (
            paths::new_story_file(&times.date, "welcome-to-parallax"),
            example_story(&times),
        ),
        (
            Path::new(PAGES_DIR).join("about.md"),
            "---\ntitle: About\n---\nWhat this site is and how it rates outlets.\n".to_string(),
        ),
        (
            PathBuf::from(".gitignore"),
            format!("{DEFAULT_OUTPUT_DIR}/\n{CACHE_DIR}/\n"),
        ),
    ];
    let mut done = Initialised {
        created: Vec::new(),
        kept: Vec::new(),
    };
    for (rel, text) in files.into_iter().chain(schemas) {
        let path = dir.join(rel);
        if path.symlink_metadata().is_ok() {
            done.kept.push(path);
            continue;
        }
        create_new(&path, &text)?;
        done.created.push(path);
    }
    Ok(done)
}

/// Writes `content/stories/YYYY-MM-DD-SLUG.md`, a draft with every key
/// stubbed, citing the first outlets of the registry so that it validates.
pub fn new_story(root: &Path, title: &str, now: DateTime<Utc>) -> Result<PathBuf, String> {
    let slug = slug_for_title(title);
    if slug.is_empty() {
        return Err(format!(
            "the title '{title}' has no letters or digits to make a file name from"
        ));
    }
    let outlets_text = fs::read_to_string(root.join(OUTLETS_YAML)).unwrap_or_default();
    let outlets: Vec<&str> = outlets_text
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '\t']) && l.ends_with(':'))
        .map(|l| l.trim_end_matches(':'))
        .take(3)
        .collect();
    let times = Times::at(now);
    let path = root.join(paths::new_story_file(&times.date, &slug));
    if path.symlink_metadata().is_ok() {
        return Err(format!(
            "{} already exists; give the story another title, or edit that file",
            path.display()
        ));
    }
    create_new(&path, &story_text(title, &times, &outlets, true))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_ascii_slugs_cut_at_a_word() {
        assert_eq!(slug_for_title("Café: ¿Qué pasa?"), "cafe-que-pasa");
        assert_eq!(slug_for_title("Ünïcödé Straße"), "unicode-strasse");
        let long = "word ".repeat(30);
        let slug = slug_for_title(&long);
        assert!(slug.len() <= SLUG_MAX, "{slug}");
        assert!(slug.ends_with("word") && !slug.ends_with('-'), "{slug}");
        assert_eq!(slug_for_title(&"x".repeat(100)).len(), SLUG_MAX);
    }

    #[test]
    fn every_placeholder_is_in_the_new_story_and_none_in_the_example() {
        let times = Times::at(
            DateTime::parse_from_rfc3339("2025-05-15T00:10:00Z")
                .unwrap()
                .to_utc(),
        );
        let stub = story_text("T", &times, &[], true);
        for text in STUB_TEXTS {
            assert!(stub.contains(text), "{text}");
        }
        let example = example_story(&times);
        for text in STUB_TEXTS {
            assert!(!example.contains(text), "{text}");
        }
        // Just after midnight: the sources are the day before, the story is
        // not later than the clock.
        assert!(
            example.contains("date: 2025-05-15T00:10:00Z\n"),
            "{example}"
        );
        assert!(
            example.contains("published: 2025-05-14T23:10:00Z\n"),
            "{example}"
        );
        assert!(stub.contains("published: 2025-05-14T23:55:00Z\n"), "{stub}");
    }
}
