//! Content warnings: what is allowed but likely a slip — a title too long
//! for a card, a side with sources but no perspective written (or the
//! reverse), one URL cited twice, a source published after the story's
//! last update, an outlet no story cites. They never stop a build, except under `--strict`.
//!
//! A pass over the checked site, run by `check` and by a strict build; a
//! plain build skips it, so a large site's build pays nothing for it.

use super::front_matter::split_front_matter;
use super::positions::KeyPath;
use super::problems::Problems;
use crate::diag::Diagnostic;
use crate::load::Inputs;
use crate::model::{Bucket, Site, Story};
use crate::paths::OUTLETS_YAML;
use rayon::prelude::*;
use std::path::Path;

/// Longer titles are cut short on cards and in search results.
pub const TITLE_MAX: usize = 150;

/// Every content warning of the site.
pub fn content_warnings(site: &Site, inputs: &Inputs) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = site
        .stories
        .par_iter()
        .flat_map_iter(|story| story_warnings(site, inputs, story))
        .collect();
    warnings.extend(unused_outlets(site, inputs));
    warnings
}

fn story_warnings(site: &Site, inputs: &Inputs, story: &Story) -> Vec<Diagnostic> {
    let found = story_findings(site, story);
    if found.is_empty() {
        return Vec::new();
    }
    let text = inputs.text_of(&story.file).unwrap_or_default();
    let yaml = split_front_matter(&text).map_or("", |front_matter| front_matter.yaml);
    let mut problems = Problems::new(&story.file, yaml, 2);
    for (key, message) in found {
        problems.warn(key, message);
    }
    problems.finish()
}

/// The warnings of one story, by key, before positions are looked up.
fn story_findings(site: &Site, story: &Story) -> Vec<(KeyPath, String)> {
    let root = KeyPath::root();
    let mut found = Vec::new();
    let title_length = story.title.chars().count();
    if title_length > TITLE_MAX {
        found.push((
            root.key("title"),
            format!("{title_length} characters: titles over {TITLE_MAX} are cut short on cards and in search results"),
        ));
    }
    let text = match story.text.text() {
        Ok(text) => text,
        Err(e) => {
            let why = format!("not checked further: its text could not be read back ({e})");
            found.push((root, why));
            return found;
        }
    };
    let mut per_side = [0usize; 3];
    for source in &story.sources {
        let rated = source
            .bias_override
            .or_else(|| site.outlets.get(source.outlet).and_then(|o| o.bias));
        if let Some(bias) = rated {
            per_side[bias.bucket() as usize] += 1;
        }
    }
    for side in Bucket::ALL {
        let (sources, points) = (per_side[side as usize], &text.perspectives[side as usize]);
        let key = root.key("perspectives").key(side.id());
        if sources > 0 && points.is_empty() {
            found.push((
                key,
                format!(
                    "{} from the {} but no perspective written for it",
                    plural(sources, "source"),
                    side.id()
                ),
            ));
        } else if sources == 0 && !points.is_empty() {
            found.push((
                key,
                format!(
                    "a perspective for the {}, which no source of this story is from",
                    side.id()
                ),
            ));
        }
    }
    let mut first_at: std::collections::HashMap<&str, usize> = Default::default();
    for (index, source) in text.sources.iter().enumerate() {
        if let Some(first) = first_at.insert(&source.url, index) {
            first_at.insert(&source.url, first);
            found.push((
                root.key("sources").index(index).key("url"),
                format!("the same URL as sources[{first}]: each source is a different article"),
            ));
        }
    }
    let (last, which) = match story.updated {
        Some(updated) => (updated, "updated"),
        None => (story.date, "date"),
    };
    for (index, source) in story.sources.iter().enumerate() {
        if source.published > last {
            found.push((
                root.key("sources").index(index).key("published"),
                format!("published after the story's '{which}' ({}): the story cannot have cited it yet; set 'updated' to when it was added", last.to_rfc3339()),
            ));
        }
    }
    found
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

/// Outlets of the registry that no published story cites.
fn unused_outlets(site: &Site, inputs: &Inputs) -> Vec<Diagnostic> {
    let mut cited = vec![false; site.outlets.len()];
    for story in &site.stories {
        for source in &story.sources {
            if let Some(seen) = cited.get_mut(source.outlet) {
                *seen = true;
            }
        }
    }
    let Some(file) = &inputs.outlets_yaml else {
        return Vec::new();
    };
    let mut problems = Problems::new(Path::new(OUTLETS_YAML), &file.text, 1);
    for (outlet, _) in site.outlets.iter().zip(&cited).filter(|(_, seen)| !**seen) {
        problems.warn(
            KeyPath::root().key(&outlet.id),
            "no story cites this outlet",
        );
    }
    problems.finish()
}
