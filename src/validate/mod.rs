//! Validation: turns the raw text that loading gathered into the checked
//! model (`model.rs`) and every `Diagnostic` found. Problems are collected,
//! never thrown: one run reports every error in every file. It opens no
//! file (load read them all, and gives a released story's text back for a
//! message through `Inputs::text_of`) and writes nothing; what it keeps
//! between runs is in `memo`.
//!
//! This module is the site as a whole: the rules that need more than one
//! file (the outlet registry must exist when there are stories, slugs are
//! unique across stories, related slugs name a story), drafts and the order
//! of stories. Each file's own rules live in the module named for it; see
//! docs/ARCHITECTURE.md for where each rule is.

mod config;
mod front_matter;
mod memo;
mod outlets;
mod page;
mod positions;
mod problems;
mod raw;
mod story;
mod values;

pub mod schema;
pub use config::{config, missing_theme};
pub use memo::{MemoizedStory, StoredStoryLookup, ValidationMemo};

use crate::diag::Diagnostic;
use crate::load::{Inputs, OUTLETS_YAML};
use crate::markdown::Markdown;
use crate::model::{Config, Site, Story};
use front_matter::split_front_matter;
use positions::KeyPath;
use problems::Problems;
use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::Arc;
use story::StoryCheck;

/// Checks everything and returns the model with every diagnostic found. The
/// model is only meaningful when the diagnostics are empty.
pub fn site(config: Config, inputs: &mut Inputs, drafts: bool) -> (Site, Vec<Diagnostic>) {
    site_cached(config, inputs, drafts, &mut ValidationMemo::default())
}

/// `site`, reusing and refreshing `memo`.
pub fn site_cached(
    config: Config,
    inputs: &mut Inputs,
    drafts: bool,
    memo: &mut ValidationMemo,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = inputs.errors.clone();
    let outlets = memo.checked_outlets(inputs.outlets_yaml.as_ref(), &mut diags);
    if inputs.outlets_yaml.is_none() && !inputs.stories.is_empty() {
        diags.push(Diagnostic::new(
            Path::new(OUTLETS_YAML),
            0,
            0,
            "missing: every source names an outlet from this file",
        ));
    }
    let markdown = Markdown {
        allow_raw_html: config.allow_raw_html,
    };
    let check = StoryCheck::new(&outlets, &inputs.statics, markdown);
    diags.extend(config::missing_image(
        &config,
        inputs.site_yaml.as_ref(),
        &check.statics,
    ));
    let context = check.context;
    let release_texts = inputs.release_story_texts.is_some();
    let patched = memo.refresh(
        &mut inputs.stories,
        release_texts,
        &check,
        drafts,
        diags.is_empty(),
    );
    let stories = match patched {
        Some(stories) => stories,
        None => list_stories(inputs, &memo.stories, drafts, &mut diags),
    };
    let pages = page::pages(&inputs.pages, markdown, &mut diags);
    if diags.is_empty() {
        memo.remember_listing(context, drafts, &stories);
    }
    let site = Site {
        config,
        outlets,
        stories,
        pages,
    };
    (site, crate::diag::sorted(diags))
}

/// Every valid story, checked across stories (unique slugs, drafts
/// included; related slugs that name a story), without drafts unless asked
/// for, newest first.
fn list_stories(
    inputs: &Inputs,
    validated: &FxHashMap<String, MemoizedStory>,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Arc<Story>> {
    let mut stories = Vec::with_capacity(inputs.stories.len());
    for file in &inputs.stories {
        match validated
            .get(&*file.rel.to_string_lossy())
            .map(|remembered| &remembered.result)
        {
            Some(Ok(story)) => stories.push(story.clone()),
            Some(Err(story_diags)) => diags.extend(story_diags.iter().cloned()),
            None => {}
        }
    }
    check_across_stories(inputs, &stories, diags);
    if !drafts {
        stories.retain(|story| !story.draft);
    }
    stories.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    stories
}

/// Slugs are unique across the site, drafts included, and a related slug
/// must name one of them.
fn check_across_stories(inputs: &Inputs, stories: &[Arc<Story>], diags: &mut Vec<Diagnostic>) {
    let mut by_slug: FxHashMap<&str, &Arc<Story>> = FxHashMap::default();
    for story in stories {
        if let Some(first) = by_slug.insert(&story.slug, story) {
            // Reported at the later file, whichever was listed first.
            let (earlier, later) = if first.file < story.file {
                (first, story)
            } else {
                (story, first)
            };
            let message = format!(
                "'{}' is already used by {}",
                later.slug,
                earlier.file.display()
            );
            diags.push(story_problem(
                inputs,
                later,
                KeyPath::root().key("slug"),
                message,
            ));
        }
    }
    for story in stories {
        for slug in &story.related {
            if !by_slug.contains_key(slug.as_str()) {
                let index = story.related.iter().position(|x| x == slug).unwrap_or(0);
                let key = KeyPath::root().key("related").index(index);
                diags.push(story_problem(
                    inputs,
                    story,
                    key,
                    format!("no story has the slug '{slug}'"),
                ));
            }
        }
    }
}

/// A problem found across stories, positioned at `key` in the story's front
/// matter (or its first line when the key is not written there).
fn story_problem(inputs: &Inputs, story: &Story, key: KeyPath, message: String) -> Diagnostic {
    let text = inputs.text_of(&story.file).unwrap_or_default();
    let yaml = split_front_matter(&text)
        .map(|front_matter| front_matter.yaml)
        .unwrap_or("");
    let mut problems = Problems::new(&story.file, yaml, 2);
    problems.at(key, message);
    problems.finish().remove(0)
}
