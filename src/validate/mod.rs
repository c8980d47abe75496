//! Validation: turns the raw text that loading gathered into the checked model.
//! Front matter goes through serde structs that mirror the YAML (unknown keys
//! are errors), then every rule of the site format is checked. Problems are
//! collected, never thrown: one run reports every error in every file.

mod config;
mod front_matter;
mod outlets;
mod page;
mod positions;
mod problems;
mod raw;
mod story;
mod values;

pub use config::{config, missing_theme};

use crate::diag::Diagnostic;
use crate::load::{Inputs, StaticFile, TextFile, OUTLETS_YAML, SITE_YAML};
use crate::markdown::{is_web_url, Markdown};
use crate::model::*;
use front_matter::split_front_matter;
use outlets::outlets;
use page::page;
use positions::KeyPath;
use problems::Problems;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use story::{story, story_key, StoryCheck};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// Checks everything and returns the model with every diagnostic found. The
/// model is only meaningful when the diagnostics are empty.
pub fn site(config: Config, inputs: &mut Inputs, drafts: bool) -> (Site, Vec<Diagnostic>) {
    site_cached(config, inputs, drafts, &mut Cache::default())
}

/// Validated stories from an earlier run, by file: a story whose text and
/// context are unchanged is not parsed again (watch mode, and the build
/// cache).
#[derive(Default, Clone)]
pub struct Cache {
    /// By path (as text: hashing a `Path` parses its components, which is
    /// slow over ten thousand files).
    pub stories: FxHashMap<String, CachedStory>,
    /// What the cached results were validated against (outlet ids, static
    /// files, Markdown options).
    context: u128,
    /// When set, only these files may have changed since the cache was
    /// filled (watch mode knows), so the others are not even hashed.
    pub only_changed: Option<HashSet<PathBuf>>,
    /// A store of stories validated by earlier runs, by key (the build cache
    /// folder): asked before validating a story that is not in memory.
    pub disk: Option<Arc<DiskLookup>>,
    /// The registry as last parsed: a hash of its text, the outlets and the
    /// problems found.
    outlets: Option<(u128, Vec<Outlet>, Vec<Diagnostic>)>,
    /// The stories of the last run without a problem, in site order, with
    /// the context and `drafts` setting they were listed under.
    last: Option<(u128, bool, Vec<Arc<Story>>)>,
}

pub type DiskLookup = dyn Fn(u128) -> Option<Story> + Send + Sync;

#[derive(Clone)]
pub struct CachedStory {
    /// Hash of the file's path and text and of what validation looked up.
    pub key: u128,
    pub result: Result<Arc<Story>, Vec<Diagnostic>>,
    /// Validated in this run (not found in memory or on disk).
    pub fresh: bool,
}

/// `site`, reusing and refreshing `cache`.
pub fn site_cached(
    config: Config,
    inputs: &mut Inputs,
    drafts: bool,
    cache: &mut Cache,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = inputs.errors.clone();
    let registry = inputs
        .outlets_yaml
        .as_ref()
        .map_or(0, |f| xxh3_128(f.text.as_bytes()));
    let outlets = match &cache.outlets {
        Some((hash, outlets, problems)) if *hash == registry => {
            diags.extend(problems.iter().cloned());
            outlets.clone()
        }
        _ => {
            let mut problems = Vec::new();
            let outlets = outlets(inputs.outlets_yaml.as_ref(), &mut problems);
            diags.extend(problems.iter().cloned());
            cache.outlets = Some((registry, outlets.clone(), problems));
            outlets
        }
    };
    if inputs.outlets_yaml.is_none() && !inputs.stories.is_empty() {
        diags.push(Diagnostic::new(
            Path::new(OUTLETS_YAML),
            0,
            0,
            "missing: every source names an outlet from this file",
        ));
    }
    let outlet_ids: HashMap<&str, usize> = outlets
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let statics: HashSet<&str> = inputs
        .statics
        .iter()
        .map(|s: &StaticFile| s.out.as_str())
        .collect();
    let markdown = Markdown {
        allow_raw_html: config.allow_raw_html,
    };
    if let Some(src) = &config.image {
        if !is_web_url(src) && !statics.contains(src.trim_start_matches('/')) {
            let text = inputs
                .site_yaml
                .as_ref()
                .map(|f| f.text.as_str())
                .unwrap_or("");
            let mut p = Problems::new(Path::new(SITE_YAML), text, 1);
            p.at(
                KeyPath::root().key("image"),
                format!(
                    "no file static/{}: expected a path under static/ or an https URL",
                    src.trim_start_matches('/')
                ),
            );
            diags.extend(p.finish());
        }
    }
    // What a story's validation depends on besides its own text: the outlet
    // ids (sources point at outlets by index), the static files (image
    // paths) and the Markdown options.
    let context_key = {
        let mut h = Xxh3::new();
        for o in &outlets {
            h.update(o.id.as_bytes());
            h.update(b"\n");
        }
        for s in &inputs.statics {
            h.update(s.out.as_bytes());
            h.update(b"\n");
        }
        h.update(&[config.allow_raw_html as u8]);
        h.digest128()
    };
    let check = StoryCheck {
        outlet_ids: &outlet_ids,
        statics: &statics,
        markdown,
        context: context_key,
    };
    let only_changed = cache
        .only_changed
        .take()
        .filter(|_| cache.context == context_key);
    cache.context = context_key;
    let disk = cache.disk.clone();
    let validate_file = |f: &TextFile, previous: &FxHashMap<String, CachedStory>| -> CachedStory {
        let key = story_key(context_key, f);
        if let Some(hit) = previous
            .get(&*f.rel.to_string_lossy())
            .filter(|c| c.key == key)
        {
            let mut hit = hit.clone();
            hit.fresh = false;
            return hit;
        }
        if let Some(story) = disk.as_ref().and_then(|lookup| lookup(key)) {
            return CachedStory {
                key,
                result: Ok(Arc::new(story)),
                fresh: false,
            };
        }
        let (story, d) = story(f, &check);
        let result = match story {
            Some(s) if d.is_empty() => Ok(Arc::new(s)),
            _ => Err(d),
        };
        CachedStory {
            key,
            result,
            fresh: true,
        }
    };
    let last = cache
        .last
        .take()
        .filter(|(context, with_drafts, _)| *context == context_key && *with_drafts == drafts);
    let mut replaced: Vec<Replaced> = Vec::new();
    let watched = only_changed.is_some();
    match only_changed {
        // Watch mode knows which files changed: only those are looked at,
        // and the cache is updated in place.
        Some(changed) => {
            for rel in &changed {
                let key = rel.to_string_lossy();
                let before = cache
                    .stories
                    .get(&*key)
                    .and_then(|c| c.result.as_ref().ok().cloned());
                match inputs
                    .stories
                    .binary_search_by(|f| f.rel.as_path().cmp(rel))
                {
                    Ok(i) => {
                        let entry = validate_file(&inputs.stories[i], &cache.stories);
                        replaced.push((before, entry.result.as_ref().ok().cloned()));
                        cache.stories.insert(key.into_owned(), entry);
                    }
                    Err(_) => {
                        replaced.push((before, None));
                        cache.stories.remove(&*key);
                    }
                }
            }
        }
        None => {
            let previous = std::mem::take(&mut cache.stories);
            let release = inputs.release_story_texts.is_some();
            cache.stories = inputs
                .stories
                .par_iter_mut()
                .map(|f| {
                    let entry = validate_file(f, &previous);
                    if release && entry.result.is_ok() {
                        f.text = String::new();
                    }
                    (f.rel.to_string_lossy().into_owned(), entry)
                })
                .collect();
        }
    }
    let patched = match &last {
        Some((_, _, list)) if watched && diags.is_empty() => patch_stories(list, &replaced),
        _ => None,
    };
    let stories = match patched {
        Some(stories) => stories,
        None => list_stories(inputs, &cache.stories, drafts, &mut diags),
    };

    let page_results: Vec<(Option<Page>, Vec<Diagnostic>)> =
        inputs.pages.par_iter().map(|f| page(f, markdown)).collect();
    let mut pages = Vec::new();
    for (page, d) in page_results {
        diags.extend(d);
        pages.extend(page);
    }
    let mut page_paths: HashMap<String, &Page> = HashMap::new();
    for pg in &pages {
        if let Some(other) = page_paths.insert(pg.path.clone(), pg) {
            diags.push(Diagnostic::new(
                &pg.file,
                1,
                1,
                format!(
                    "page URL '{}/' is already used by {}",
                    pg.path,
                    other.file.display()
                ),
            ));
        }
    }
    drop(page_paths);

    pages.sort_by(|a, b| a.path.cmp(&b.path));
    if diags.is_empty() {
        cache.last = Some((context_key, drafts, stories.clone()));
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
    validated: &FxHashMap<String, CachedStory>,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Arc<Story>> {
    let mut stories = Vec::with_capacity(inputs.stories.len());
    for f in &inputs.stories {
        match validated.get(&*f.rel.to_string_lossy()).map(|c| &c.result) {
            Some(Ok(s)) => stories.push(s.clone()),
            Some(Err(d)) => diags.extend(d.iter().cloned()),
            None => {}
        }
    }

    // Slugs are unique across the site, drafts included.
    let mut by_slug: FxHashMap<&str, &Arc<Story>> = FxHashMap::default();
    for s in &stories {
        if let Some(first) = by_slug.insert(&s.slug, s) {
            let (a, b) = if first.file < s.file {
                (first, s)
            } else {
                (s, first)
            };
            let message = format!("'{}' is already used by {}", b.slug, a.file.display());
            diags.push(story_problem(
                inputs,
                b,
                KeyPath::root().key("slug"),
                message,
            ));
        }
    }
    for s in &stories {
        for r in &s.related {
            if !by_slug.contains_key(r.as_str()) {
                let index = s.related.iter().position(|x| x == r).unwrap_or(0);
                let key = KeyPath::root().key("related").index(index);
                diags.push(story_problem(
                    inputs,
                    s,
                    key,
                    format!("no story has the slug '{r}'"),
                ));
            }
        }
    }
    drop(by_slug);

    if !drafts {
        stories.retain(|s| !s.draft);
    }
    stories.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    stories
}

/// A changed story file's story before and after (None: missing or invalid).
type Replaced = (Option<Arc<Story>>, Option<Arc<Story>>);

/// The last run's stories with the changed ones put in place, when each
/// changed file was and still is a valid story with the same slug, date,
/// draft flag and related stories, and every related slug still names a
/// story: then the list needs no new checks across stories and keeps its
/// order. None when it cannot be told this cheaply.
fn patch_stories(last: &[Arc<Story>], replaced: &[Replaced]) -> Option<Vec<Arc<Story>>> {
    let mut stories = last.to_vec();
    for (before, after) in replaced {
        let (before, after) = (before.as_ref()?, after.as_ref()?);
        let same_place = before.slug == after.slug
            && before.date == after.date
            && before.draft == after.draft
            && before.related == after.related;
        if !same_place {
            return None;
        }
        let at = stories.iter().position(|s| Arc::ptr_eq(s, before))?;
        stories[at] = after.clone();
    }
    Some(stories)
}

/// A problem found across stories, positioned at `key` in the story's front
/// matter (or its first line when the key is not written there).
fn story_problem(inputs: &Inputs, story: &Story, key: KeyPath, message: String) -> Diagnostic {
    let text = inputs.text_of(&story.file).unwrap_or_default();
    let yaml = split_front_matter(&text).map(|fm| fm.yaml).unwrap_or("");
    let mut p = Problems::new(&story.file, yaml, 2);
    p.at(key, message);
    p.finish().remove(0)
}
