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
mod i18n;
mod limits;
mod links;
mod memo;
mod outlets;
mod page;
mod positions;
mod problems;
mod raw;
mod reading;
mod story;
mod suggest;
mod values;
mod warnings;

pub mod schema;
pub use config::{config, missing_theme};
pub use links::external_links;
pub use memo::{MemoizedStory, StoredStoryLookup, ValidationMemo};
#[cfg(test)]
pub(crate) use story::content_hash;
pub(crate) use suggest::did_you_mean;
pub use warnings::content_warnings;

use crate::diag::Diagnostic;
use crate::load::Inputs;
use crate::markdown::Markdown;
use crate::model::{Config, Publish, Scheduled, Site, Story};
use crate::paths::OUTLETS_YAML;
use crate::share_card::Cards;
use crate::slug::slug_from_file_name;
use front_matter::split_front_matter;
use positions::KeyPath;
use problems::Problems;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;
use std::sync::Arc;
use story::StoryCheck;

/// Checks everything and returns the model with every diagnostic found. The
/// model is only meaningful when the diagnostics are empty. (The tests'
/// way in; builds go through `site_cached`.)
#[cfg(test)]
pub fn site(config: Config, inputs: &mut Inputs, drafts: bool) -> (Site, Vec<Diagnostic>) {
    let publish = Publish {
        drafts,
        future: true,
        now: chrono::Utc::now(),
    };
    site_cached(config, inputs, &publish, &mut ValidationMemo::default())
}

/// The built-in theme's translations into `language`, for the tests of
/// the stages that use them.
#[cfg(test)]
pub fn built_in_translations(language: &str) -> crate::i18n::Translations {
    i18n::tests::built_in(language).0
}

/// `site`, reusing and refreshing `memo`.
pub fn site_cached(
    config: Config,
    inputs: &mut Inputs,
    publish: &Publish,
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
    // A registry that could not be read at all would make every source's
    // outlet unknown: one error, and the stories' outlets go unchecked.
    let registry_unreadable = outlets.is_empty()
        && inputs
            .outlets_yaml
            .as_ref()
            .is_some_and(|file| !file.text.trim().is_empty());
    if registry_unreadable {
        let note = "until this is fixed, the stories' sources are not checked against the outlets";
        if let Some(error) = diags
            .iter_mut()
            .find(|d| d.is_error() && d.path == Path::new(OUTLETS_YAML))
        {
            error.help = Some(match error.help.take() {
                Some(help) => format!("{help}; {note}"),
                None => note.to_string(),
            });
        }
    }
    let markdown = Markdown {
        allow_raw_html: config.allow_raw_html,
    };
    let check = StoryCheck::new(&outlets, !registry_unreadable, &inputs.statics, markdown);
    diags.extend(config::missing_image(
        &config,
        inputs.site_yaml.as_ref(),
        &check.statics,
    ));
    let context = check.context;
    let mut texts = memo::Texts {
        source: inputs.streamed.as_ref(),
        unreadable: Vec::new(),
    };
    let patched = memo.refresh(
        &mut inputs.stories,
        &mut texts,
        &check,
        publish,
        diags.is_empty(),
    );
    if !texts.unreadable.is_empty() {
        // As a file load could not read: reported, and not a story at all.
        let unreadable: FxHashSet<&Path> =
            texts.unreadable.iter().map(|d| d.path.as_path()).collect();
        inputs
            .stories
            .retain(|file| !unreadable.contains(file.rel.as_path()));
        diags.append(&mut texts.unreadable);
    }
    let stories = match patched {
        Some(stories) => stories,
        None => list_stories(inputs, &memo.stories, publish, &mut diags),
    };
    let held_back = HeldBack::count(&memo.stories, publish);
    let mut pages = page::pages(&inputs.pages, markdown, &mut diags);
    let (translations, found) =
        i18n::translations(&config.language, &inputs.i18n, inputs.site_yaml.as_ref());
    let cards = Cards::new(&config, &translations);
    let outputs = links::Outputs::new(&stories, &pages, &outlets, &config, cards, &check.statics);
    let story_urls: Vec<Option<Vec<Option<String>>>> = stories
        .iter()
        .map(|story| outputs.check(&story.file, &story.links, inputs, &mut diags))
        .collect();
    let page_urls: Vec<Option<Vec<Option<String>>>> = pages
        .iter()
        .map(|page| outputs.check(&page.file, &page.links, inputs, &mut diags))
        .collect();
    drop(outputs);
    if diags.is_empty() {
        let valid_until = held_back.next_scheduled.as_ref().map(|s| s.date);
        memo.remember_listing(context, publish, valid_until, &stories);
    }
    let stories = memo.resolve_links(stories, story_urls, &mut diags);
    for (page, urls) in pages.iter_mut().zip(page_urls) {
        if let Some(urls) = urls {
            links::resolve_page(page, &urls);
        }
    }
    // After the memo has taken the run's errors as its cue: the tables'
    // warnings change nothing about the stories.
    diags.extend(found);
    let site = Site {
        config,
        outlets,
        stories,
        pages,
        drafts_skipped: held_back.drafts,
        scheduled_skipped: held_back.scheduled,
        next_scheduled: held_back.next_scheduled,
        now: publish.now,
        translations: Arc::new(translations),
    };
    (site, crate::diag::sorted(diags))
}

/// Every valid story, checked across stories (unique slugs, drafts and
/// scheduled stories included; related slugs that name a story), then
/// only those `publish` lets in, newest first.
fn list_stories(
    inputs: &Inputs,
    validated: &FxHashMap<String, MemoizedStory>,
    publish: &Publish,
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
    let failed = failed_slugs(inputs, validated);
    check_across_stories(inputs, &stories, &failed, diags);
    stories.retain(|story| publish.publishes(story));
    stories.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    stories
}

/// The valid stories a build leaves out, and why.
struct HeldBack {
    drafts: usize,
    /// Not drafts (or drafts, with `--drafts`) whose date is to come.
    scheduled: usize,
    /// The first of those to fall due (the earliest; then the first slug).
    next_scheduled: Option<Scheduled>,
}

impl HeldBack {
    /// Over the memo's entries, which after `refresh` are the story files'
    /// own: looking each file up by its path again cost a watch rebuild
    /// 6 ms at 10,000 stories.
    fn count(validated: &FxHashMap<String, MemoizedStory>, publish: &Publish) -> HeldBack {
        let mut held = HeldBack {
            drafts: 0,
            scheduled: 0,
            next_scheduled: None,
        };
        let valid = validated
            .values()
            .filter_map(|entry| entry.result.as_ref().ok());
        for story in valid {
            if !publish.admits_draft(story) {
                held.drafts += 1;
            } else if publish.is_scheduled(story) {
                held.scheduled += 1;
                let sooner = held.next_scheduled.as_ref().is_none_or(|next| {
                    (story.date, story.slug.as_str()) < (next.date, next.slug.as_str())
                });
                if sooner {
                    held.next_scheduled = Some(Scheduled {
                        date: story.date,
                        slug: story.slug.clone(),
                    });
                }
            }
        }
        held
    }
}

/// The slugs the stories that failed validation would have, as far as
/// their text tells without parsing (a `slug:` line in the front matter,
/// and the file name's): a related slug naming one of them is not an error
/// of its own, since that story's errors are reported already.
fn failed_slugs(
    inputs: &Inputs,
    validated: &FxHashMap<String, MemoizedStory>,
) -> FxHashSet<String> {
    let failed = inputs.stories.iter().filter(|file| {
        validated
            .get(&*file.rel.to_string_lossy())
            .is_some_and(|remembered| remembered.result.is_err())
    });
    let mut slugs = FxHashSet::default();
    for file in failed {
        let stem = file.rel.file_stem().map(|s| s.to_string_lossy());
        slugs.insert(slug_from_file_name(&stem.unwrap_or_default()));
        let front_matter = file
            .text
            .lines()
            .skip(1)
            .take_while(|l| l.trim_end() != "---");
        let written = front_matter
            .filter_map(|line| line.strip_prefix("slug:"))
            .map(|slug| slug.trim().trim_matches(['"', '\'']));
        slugs.extend(written.map(str::to_string));
    }
    slugs
}

/// Slugs are unique across the site, drafts included, and a related slug
/// must name another one of them (or a story that failed, `failed`).
fn check_across_stories(
    inputs: &Inputs,
    stories: &[Arc<Story>],
    failed: &FxHashSet<String>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut by_slug: FxHashMap<&str, &Arc<Story>> = FxHashMap::default();
    for story in stories {
        if let Some(first) = by_slug.insert(&story.slug, story) {
            diags.push(slug_clash(inputs, first, story));
        }
    }
    for story in stories {
        for (index, slug) in story.related.iter().enumerate() {
            let key = KeyPath::root().key("related").index(index);
            if *slug == story.slug {
                diags.push(story_problem(
                    inputs,
                    story,
                    key,
                    "a story cannot be related to itself".to_string(),
                    Some("list other stories' slugs here".to_string()),
                ));
            } else if !by_slug.contains_key(slug.as_str()) && !failed.contains(slug.as_str()) {
                let help = suggest::did_you_mean(slug, by_slug.keys().copied());
                diags.push(story_problem(
                    inputs,
                    story,
                    key,
                    format!("no story has the slug '{slug}'"),
                    help,
                ));
            }
        }
    }
}

/// Two stories with one slug: reported at the one that sets `slug:` itself
/// (the likelier mistake), else at the later file, naming the other.
fn slug_clash(inputs: &Inputs, one: &Arc<Story>, other: &Arc<Story>) -> Diagnostic {
    let (earlier, later) = if one.file < other.file {
        (one, other)
    } else {
        (other, one)
    };
    let (kept, reported) = match (writes_slug(inputs, earlier), writes_slug(inputs, later)) {
        (true, false) => (later, earlier),
        _ => (earlier, later),
    };
    let message = format!(
        "'{}' is already used by {}",
        reported.slug,
        kept.file.display()
    );
    let help = "give one of the two stories another `slug:` (or rename its file)";
    story_problem(
        inputs,
        reported,
        KeyPath::root().key("slug"),
        message,
        Some(help.to_string()),
    )
}

/// Whether the story's front matter sets `slug:` (rather than its file name
/// giving it).
fn writes_slug(inputs: &Inputs, story: &Story) -> bool {
    let text = inputs.text_of(&story.file).unwrap_or_default();
    split_front_matter(&text).is_ok_and(|front_matter| {
        front_matter
            .yaml
            .lines()
            .any(|line| line.starts_with("slug:"))
    })
}

/// A problem found across stories, positioned at `key` in the story's front
/// matter (or its first line when the key is not written there).
fn story_problem(
    inputs: &Inputs,
    story: &Story,
    key: KeyPath,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    let text = inputs.text_of(&story.file).unwrap_or_default();
    let yaml = split_front_matter(&text)
        .map(|front_matter| front_matter.yaml)
        .unwrap_or("");
    let mut problems = Problems::new(&story.file, yaml, 2);
    problems.at_with_help(key, message, help);
    problems.finish().remove(0)
}
