//! One story's own facts: what is worked out from the story and the outlets
//! it cites alone (`CoreFacts`, put together from `coverage` and `timeline`),
//! and the memo that lets an unchanged story reuse its facts, by a hash of
//! all they were computed from. Where a story stands among the others (its
//! topics' indexes, its similar stories) is `StoryFacts`' other half, filled
//! in by `topics` and `similar`; nothing here looks at other stories.

use super::coverage::{self, blindspot, Coverage, Share};
use super::timeline::{self, TimelineEntry};
use crate::model::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_128;

/// What the build works out for one story from the story itself and the
/// outlets it cites (shared, so that unchanged stories reuse theirs; kept
/// in the cache folder between one-off builds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreFacts {
    /// Each source's effective rating (its own override, else its outlet's).
    pub source_bias: Vec<Option<Bias>>,
    pub coverage: Coverage,
    pub blindspot: Option<Bucket>,
    #[serde(with = "coverage::stored_shares")]
    pub factuality: Vec<Share>,
    #[serde(with = "coverage::stored_shares")]
    pub ownership: Vec<Share>,
    /// Newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Index of the earliest source.
    pub first_source: usize,
}

/// What the build works out for one story: its own facts, and where it
/// stands among the others.
#[derive(Debug, Clone)]
pub struct StoryFacts {
    pub core: Arc<CoreFacts>,
    /// Indexes of similar stories, best first.
    pub similar: Vec<usize>,
    /// Indexes into `Derived::topics`.
    pub topics: Vec<usize>,
}

impl std::ops::Deref for StoryFacts {
    type Target = CoreFacts;
    fn deref(&self) -> &CoreFacts {
        &self.core
    }
}

/// Stories' own facts by the hash of everything they were computed from
/// (see `facts_key`).
pub type FactsMemo = rustc_hash::FxHashMap<u128, Arc<CoreFacts>>;

/// Works out one story's own facts.
pub(super) fn story_facts(site: &Site, story: &Story) -> CoreFacts {
    let source_bias = coverage::source_bias(site, story);
    let coverage = coverage::coverage(&source_bias);
    let blindspot = blindspot(
        &coverage,
        site.config.blindspot_min_sources,
        site.config.blindspot_max_share,
    );
    CoreFacts {
        source_bias,
        coverage,
        blindspot,
        factuality: coverage::factuality(site, story),
        ownership: coverage::ownership(site, story),
        timeline: timeline::timeline(story),
        first_source: timeline::first_source(story),
    }
}

/// Every story's facts, in story order, with its own facts taken from the
/// memo when their key is there and worked out otherwise; the where-it-stands
/// half is left empty. The memo then holds exactly this build's facts.
pub(super) fn own_facts(
    site: &Site,
    memo: &mut FactsMemo,
    outlet_hashes: &[u128],
) -> Vec<StoryFacts> {
    let previous = std::mem::take(memo);
    let keyed: Vec<(u128, Arc<CoreFacts>)> = site
        .stories
        .par_iter()
        .map(|story| {
            let key = facts_key(site, story, outlet_hashes);
            let core = match previous.get(&key) {
                Some(core) => core.clone(),
                None => Arc::new(story_facts(site, story)),
            };
            (key, core)
        })
        .collect();
    let mut facts: Vec<StoryFacts> = Vec::with_capacity(keyed.len());
    for (key, core) in keyed {
        memo.insert(key, core.clone());
        facts.push(StoryFacts {
            core,
            similar: Vec::new(),
            topics: Vec::new(),
        });
    }
    facts
}

/// A hash of everything a story's own facts are computed from: the story,
/// the outlets it cites and the blindspot settings.
fn facts_key(site: &Site, story: &Story, outlet_hashes: &[u128]) -> u128 {
    let config = &site.config;
    // Gathered, then hashed at once (cheaper than a streaming hasher fed a
    // few bytes at a time).
    let mut buf = Vec::with_capacity(32 + 16 * story.sources.len());
    buf.extend_from_slice(&story.hash.to_le_bytes());
    for source in &story.sources {
        buf.extend_from_slice(&outlet_hashes[source.outlet].to_le_bytes());
    }
    buf.extend_from_slice(&(config.blindspot_min_sources as u64).to_le_bytes());
    buf.extend_from_slice(&config.blindspot_max_share.to_bits().to_le_bytes());
    xxh3_128(&buf)
}
