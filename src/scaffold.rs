//! `parallax init` and `parallax new story`: the two commands that create
//! editor files. They only ever create new files (never overwrite one).

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

const SITE_YAML_TEXT: &str = "\
title: My Briefs
base_url: https://briefs.example.org
language: en
description: Every story, every side.
stories_per_page: 20
blindspot:
  min_sources: 5
  max_share: 0.2
";

const OUTLETS_YAML_TEXT: &str = "\
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

fn story_text(title: &str, date: &str, outlets: &[&str], draft: bool) -> String {
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
summary: One sentence that says what happened.
date: {date}T08:00:00Z
# updated: {date}T12:00:00Z
draft: {draft}
topics: [World]
location: Somewhere
ai_summary: false
perspectives:
  left:
    - What outlets on the left emphasise.
  center: []
  right:
    - What outlets on the right emphasise.
sources:
  - outlet: {o0}
    title: A headline from the left
    url: https://example.org/left-article
    published: {date}T07:00:00Z
    excerpt: A sentence or two from the article.
  - outlet: {o1}
    title: A headline from the center
    url: https://example.org/center-article
    published: {date}T07:30:00Z
  - outlet: {o2}
    title: A headline from the right
    url: https://example.org/right-article
    published: {date}T07:45:00Z
faq:
  - q: What is the question readers ask?
    a: The answer, in **Markdown**.
history:
  - date: {date}
    text: What happened first.
related: []
---
The overview: what happened, in a few paragraphs of Markdown.
",
        o0 = outlet(0),
        o1 = outlet(1),
        o2 = outlet(2),
    )
}

pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{} exists and is not empty; init only creates new sites",
            dir.display()
        ));
    }
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let files = [
        (PathBuf::from(SITE_YAML), SITE_YAML_TEXT.to_string()),
        (PathBuf::from(OUTLETS_YAML), OUTLETS_YAML_TEXT.to_string()),
        (
            paths::new_story_file(&today, "welcome-to-parallax"),
            story_text(
                "Welcome to Parallax",
                &today,
                &["left-gazette", "center-wire", "right-herald"],
                false,
            ),
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
    let mut created = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        create_new(&path, &text)?;
        created.push(path);
    }
    Ok(created)
}

/// Writes `content/stories/YYYY-MM-DD-SLUG.md`, a draft with every key
/// stubbed, citing the first outlets of the registry so that it validates.
pub fn new_story(root: &Path, title: &str, now: DateTime<Utc>) -> Result<PathBuf, String> {
    let slug = slug_from_file_name(title);
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
    let date = now.format("%Y-%m-%d").to_string();
    let path = root.join(paths::new_story_file(&date, &slug));
    create_new(&path, &story_text(title, &date, &outlets, true))?;
    Ok(path)
}
