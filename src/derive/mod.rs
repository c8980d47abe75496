//! Deriving: the figures the site format promises, computed from the checked
//! model alone (coverage, blindspots, timelines, similar stories, the topic and
//! outlet indexes). Pure functions of data: no file is read or written here.
//!
//! This file owns the result (`Derived`), the memo kept between derives
//! (`DerivedMemo`) and the pass: `derive_all`, a list of steps each done in
//! its own module, or, when the stories that changed kept their place among
//! the others, `patch`, which works out only their own facts again. What each
//! figure is, is the business of those modules, not of this one.

mod coverage;
mod facts;
mod similar;
mod timeline;
mod topics;

pub use coverage::{Coverage, Share};
pub use facts::{CoreFacts, FactsMemo, StoryFacts};
pub use timeline::TimelineEntry;
pub use topics::TopicEntry;

use crate::model::*;
use std::hash::Hash;
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// What the last derive worked out that the next one may reuse: stories'
/// facts, by a hash of everything they were computed from, similar lists,
/// and the last result.
#[derive(Default)]
pub struct DerivedMemo {
    facts: facts::FactsMemo,
    similar: similar::SimilarMemo,
    /// The last result, what it was derived from, a hash of the settings
    /// and outlet ids it used and each outlet's hash: patched in place when
    /// only stories' own facts changed (see `patch`).
    last: Option<Last>,
}

impl DerivedMemo {
    /// Stories' own facts an earlier run kept (the cache folder), taken
    /// by a memo that has none of its own yet: a one-off build then works
    /// out only those of the stories that changed.
    pub fn take_stored_facts(&mut self, stored: FactsMemo) {
        if self.facts.is_empty() {
            self.facts = stored;
        }
    }

    /// Every story's own facts as the last full derive left them, by key.
    pub fn facts(&self) -> &FactsMemo {
        &self.facts
    }
}

struct Last {
    stories: Vec<Arc<Story>>,
    settings: u128,
    outlet_hashes: Vec<u128>,
    derived: Arc<Derived>,
}

/// Site-wide derived data. Story indexes refer to `Site::stories`, which is
/// newest first, so index order is listing order.
#[derive(Debug, Clone)]
pub struct Derived {
    pub stories: Vec<StoryFacts>,
    /// Sorted by slug.
    pub topics: Vec<TopicEntry>,
    /// Per outlet (same order as `Site::outlets`): the stories citing it.
    pub outlet_stories: Vec<Vec<usize>>,
    pub blindspots: Vec<usize>,
    /// Per story: the stories that list it as similar.
    pub similar_of: Vec<Vec<usize>>,
    /// Identifies this result among all those of the process.
    pub generation: u64,
    /// When this result is an earlier one patched (see `patch`): what
    /// changed since that one.
    pub patched: Option<Patched>,
}

/// What a patch changed: only the own facts of `stories`, which kept their
/// place among the others, and the ratings or names of `outlets`; topics,
/// outlet lists and similar stories are the previous result's.
#[derive(Debug, Clone)]
pub struct Patched {
    /// The generation of the result this one was patched from.
    pub from: u64,
    /// Indexes of the stories whose file changed or that cite one of
    /// `outlets`, sorted.
    pub stories: Vec<usize>,
    /// Indexes of the outlets whose entry changed (same id, same place).
    pub outlets: Vec<usize>,
    /// Whether one of them changed a date the sitemap shows: its last
    /// change, or its newest correction's (the corrections page's lastmod).
    pub updated_moved: bool,
}

fn next_generation() -> u64 {
    static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Everything from scratch (the tests' way in; builds go through
/// `derive_cached`).
#[cfg(test)]
pub fn derive(site: &Site) -> Derived {
    derive_all(site, &mut DerivedMemo::default(), &outlet_hashes(site))
}

fn outlet_hashes(site: &Site) -> Vec<u128> {
    site.outlets
        .iter()
        .map(|outlet| {
            let mut hasher = Xxh3::new();
            outlet.hash(&mut hasher);
            hasher.digest128()
        })
        .collect()
}

/// `derive`, reusing the facts of stories whose inputs did not change.
pub fn derive_cached(site: &Site, memo: &mut DerivedMemo) -> Arc<Derived> {
    let outlet_hashes = outlet_hashes(site);
    let settings = settings_hash(site);
    let comparable =
        |last: &Last| last.settings == settings && last.outlet_hashes.len() == outlet_hashes.len();
    let patched = memo.last.take().filter(comparable).and_then(|last| {
        let rerated = (0..outlet_hashes.len())
            .filter(|&o| last.outlet_hashes[o] != outlet_hashes[o])
            .collect();
        patch(site, &last.stories, last.derived, rerated)
    });
    let derived = patched.unwrap_or_else(|| Arc::new(derive_all(site, memo, &outlet_hashes)));
    memo.last = Some(Last {
        stories: site.stories.clone(),
        settings,
        outlet_hashes,
        derived: derived.clone(),
    });
    derived
}

/// A hash of what every story's figures depend on besides the stories and
/// the outlets' entries: the outlets' ids in order (sources point at them
/// by place) and the settings. A result derived under another one cannot be
/// patched.
fn settings_hash(site: &Site) -> u128 {
    let config = &site.config;
    let mut hasher = Xxh3::new();
    for outlet in &site.outlets {
        outlet.id.hash(&mut hasher);
    }
    config.blindspot_min_sources.hash(&mut hasher);
    config.blindspot_max_share.to_bits().hash(&mut hasher);
    config.similar_limit.hash(&mut hasher);
    hasher.digest128()
}

/// Everything derived again, reusing remembered facts and similar lists.
fn derive_all(site: &Site, memo: &mut DerivedMemo, outlet_hashes: &[u128]) -> Derived {
    let mut facts = facts::own_facts(site, &mut memo.facts, outlet_hashes);
    let topics = topics::topic_index(site, &mut facts);
    let outlet_stories = topics::outlet_citations(site);
    similar::fill_similar(site, &mut facts, &topics, &mut memo.similar);
    Derived {
        blindspots: coverage::blindspot_list(&facts),
        similar_of: similar::similar_of(&facts),
        generation: next_generation(),
        patched: None,
        stories: facts,
        topics,
        outlet_stories,
    }
}

/// The last result, updated for the stories that changed since, when none
/// of them moved among the others (see `kept_place`; with the same outlet
/// ids, settings and order of stories: a title or text edit, a source's
/// title, an outlet's rating or name). Then topics, outlet lists and
/// similar stories are all as they were, and only the own facts of the
/// changed stories, and of those citing a `rerated` outlet, are worked out
/// again.
fn patch(
    site: &Site,
    before: &[Arc<Story>],
    mut last: Arc<Derived>,
    rerated: Vec<usize>,
) -> Option<Arc<Derived>> {
    if before.len() != site.stories.len() {
        return None;
    }
    let edited: Vec<usize> = (0..before.len())
        .filter(|&index| !Arc::ptr_eq(&before[index], &site.stories[index]))
        .collect();
    if !edited
        .iter()
        .all(|&index| kept_place(&before[index], &site.stories[index]))
    {
        return None;
    }
    // The edited stories cite the outlets they did, so the last lists of
    // citing stories still hold.
    let mut changed = edited;
    for &o in &rerated {
        changed.extend_from_slice(&last.outlet_stories[o]);
    }
    changed.sort_unstable();
    changed.dedup();
    let updated_moved = changed.iter().any(|&index| {
        let (old, new) = (&before[index], &site.stories[index]);
        old.last_changed() != new.last_changed()
            || old.newest_correction() != new.newest_correction()
    });
    let derived = Arc::make_mut(&mut last);
    let mut blindspots_moved = false;
    for &index in &changed {
        let core = Arc::new(facts::story_facts(site, &site.stories[index]));
        let story = &mut derived.stories[index];
        blindspots_moved |= core.blindspot.is_some() != story.blindspot.is_some();
        story.core = core;
    }
    if blindspots_moved {
        derived.blindspots = coverage::blindspot_list(&derived.stories);
    }
    derived.patched = Some(Patched {
        from: derived.generation,
        stories: changed,
        outlets: rerated,
        updated_moved,
    });
    derived.generation = next_generation();
    Some(last)
}

/// Whether a story's new version stands where the old one did among the
/// others: the same slug, date, topics, related stories and cited outlets,
/// all that topics, outlet lists and similar stories are made of.
fn kept_place(old: &Story, new: &Story) -> bool {
    old.slug == new.slug
        && old.date == new.date
        && old.related == new.related
        && old.topics.len() == new.topics.len()
        && old
            .topics
            .iter()
            .zip(&new.topics)
            .all(|(a, b)| a.name == b.name && a.slug == b.slug)
        && old.sources.len() == new.sources.len()
        && old
            .sources
            .iter()
            .zip(&new.sources)
            .all(|(a, b)| a.outlet == b.outlet)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twenty stories citing three outlets, as validation makes them.
    fn site() -> Site {
        use crate::load::{Inputs, TextFile};
        let mut inputs = Inputs {
            outlets_yaml: Some(TextFile {
                rel: "content/outlets.yaml".into(),
                text: "a:\n  name: A\n  bias: left\n  factuality: high\n  owner: A Owner\nb:\n  name: B\n  bias: center\nc:\n  name: C\n  bias: right\n".into(),
            }),
            ..Default::default()
        };
        for k in 0..20 {
            let cited: Vec<&str> = ["a", "b", "c"].into_iter().filter(|_| k % 3 != 0).collect();
            let cited = if cited.is_empty() {
                vec!["b", "c", "c"]
            } else {
                cited
            };
            let sources: String = cited
                .iter()
                .enumerate()
                .map(|(n, o)| {
                    format!("  - outlet: {o}\n    title: t\n    url: https://e.org/{k}/{n}\n    published: 2025-01-01\n")
                })
                .collect();
            inputs.stories.push(TextFile {
                rel: format!("content/stories/s{k:02}.md").into(),
                text: format!(
                    "---\ntitle: S{k}\ndate: 2025-01-{:02}\ntopics: [T{}]\nsources:\n{sources}---\n",
                    1 + k,
                    k % 4
                ),
            });
        }
        let (config, _) = crate::validate::config(None, None);
        let (site, diags) = crate::validate::site(config, &mut inputs, false);
        assert!(diags.is_empty(), "{diags:?}");
        site
    }

    fn figures(derived: &Derived) -> String {
        format!(
            "{:?} {:?} {:?} {:?} {:?}",
            derived.stories,
            derived.topics,
            derived.outlet_stories,
            derived.blindspots,
            derived.similar_of
        )
    }

    #[test]
    fn a_rerated_outlet_is_patched_into_the_last_result_as_derived_afresh() {
        let mut site = site();
        let mut memo = DerivedMemo::default();
        let first = derive_cached(&site, &mut memo);
        assert!(first.patched.is_none());
        site.outlets[2].bias = Some(Bias::Left);
        let patched = derive_cached(&site, &mut memo);
        let expected = derive(&site);
        assert_eq!(figures(&patched), figures(&expected));
        assert_ne!(
            figures(&patched),
            figures(&first),
            "the rating changes figures"
        );
        let patch = patched.patched.as_ref().expect("a patch");
        assert_eq!(patch.outlets, vec![2]);
        assert_eq!(patch.stories, expected.outlet_stories[2]);
        // A new id in the registry is no patch: sources point at outlets by
        // place.
        site.outlets[0].id = "z".into();
        assert!(derive_cached(&site, &mut memo).patched.is_none());
    }

    #[test]
    fn stored_facts_read_back_as_worked_out_and_a_derive_from_them_is_a_fresh_one() {
        let site = site();
        let mut memo = DerivedMemo::default();
        let fresh = derive_cached(&site, &mut memo);
        let bytes = postcard::to_allocvec(memo.facts()).unwrap();
        let stored: FactsMemo = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(stored.len(), site.stories.len());
        for (key, facts) in memo.facts() {
            assert_eq!(**facts, *stored[key]);
            for (a, b) in facts.ownership.iter().zip(&stored[key].ownership) {
                assert_eq!(a.unknown, b.unknown);
            }
        }
        let rows = stored
            .values()
            .flat_map(|f| f.factuality.iter().chain(&f.ownership));
        assert!(rows.clone().any(|row| row.unknown) && rows.clone().any(|row| !row.unknown));
        assert!(
            rows.filter(|row| row.label == "High" || row.label == "Unknown")
                .all(|row| matches!(row.label, std::borrow::Cow::Borrowed(_))),
            "the scale's words are borrowed again"
        );
        let mut from_stored = DerivedMemo::default();
        from_stored.take_stored_facts(stored.clone());
        assert_eq!(
            figures(&derive_cached(&site, &mut from_stored)),
            figures(&fresh)
        );
        // They are used, not worked out again: one altered shows.
        let mut altered = stored;
        let key = *altered.keys().next().unwrap();
        Arc::make_mut(altered.get_mut(&key).unwrap()).first_source = 99;
        let mut from_altered = DerivedMemo::default();
        from_altered.take_stored_facts(altered);
        let derived = derive_cached(&site, &mut from_altered);
        assert_eq!(
            derived
                .stories
                .iter()
                .filter(|f| f.first_source == 99)
                .count(),
            1
        );
    }
}
