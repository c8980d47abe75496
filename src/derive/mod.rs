//! Deriving: the figures the site format promises, computed from the checked
//! model alone (coverage, blindspots, timelines, similar stories, the topic and
//! outlet indexes). Pure functions of data: no file is read or written here.

mod coverage;
mod facts;
mod timeline;
mod topics;

pub use coverage::{blindspot, coverage, largest_remainder, Coverage, Percent, Share};
pub use facts::{CoreFacts, StoryFacts};
pub use timeline::TimelineEntry;
pub use topics::TopicEntry;

use crate::model::*;
use rayon::prelude::*;
use std::hash::Hash;
use std::sync::Arc;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// facts, by a hash of everything they were computed from, similar lists,
/// and the last result.
#[derive(Default)]
pub struct DerivedMemo {
    facts: facts::FactsMemo,
    /// By slug: what the similar list was computed from, and the list.
    similar: rustc_hash::FxHashMap<String, (u128, Vec<String>)>,
    /// The last result, what it was derived from, and a hash of the
    /// outlets and settings it used: patched in place when only stories'
    /// own facts changed (see `patch`).
    last: Option<(Vec<Arc<Story>>, u128, Arc<Derived>)>,
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
/// place among the others; topics, outlet lists and similar stories are the
/// previous result's.
#[derive(Debug, Clone)]
pub struct Patched {
    /// The generation of the result this one was patched from.
    pub from: u64,
    /// Indexes of the stories whose file changed.
    pub stories: Vec<usize>,
    /// Whether one of them changed its `updated` date (the sitemap shows it).
    pub updated_moved: bool,
}

fn next_generation() -> u64 {
    static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

pub fn derive(site: &Site) -> Derived {
    derive_all(site, &mut DerivedMemo::default(), &outlet_hashes(site))
}

fn outlet_hashes(site: &Site) -> Vec<u128> {
    site.outlets
        .iter()
        .map(|o| {
            let mut h = Xxh3::new();
            o.hash(&mut h);
            h.digest128()
        })
        .collect()
}

/// `derive`, reusing the facts of stories whose inputs did not change.
pub fn derive_cached(site: &Site, memo: &mut DerivedMemo) -> Arc<Derived> {
    let outlet_hashes = outlet_hashes(site);
    let config = &site.config;
    let context = {
        let mut h = Xxh3::new();
        outlet_hashes.hash(&mut h);
        config.blindspot_min_sources.hash(&mut h);
        config.blindspot_max_share.to_bits().hash(&mut h);
        config.similar_limit.hash(&mut h);
        h.digest128()
    };
    if let Some((stories, last_context, last)) = memo.last.take() {
        if last_context == context {
            if let Some(derived) = patch(site, &stories, last) {
                memo.last = Some((site.stories.clone(), context, derived.clone()));
                return derived;
            }
        }
    }
    let derived = Arc::new(derive_all(site, memo, &outlet_hashes));
    memo.last = Some((site.stories.clone(), context, derived.clone()));
    derived
}

/// The last result, updated for the stories that changed since, when none
/// of them moved among the others: the same slug, date, topics, related
/// stories and cited outlets (with the same outlets, settings and order of
/// stories: a title or text edit, a source's title or rating). Then topics,
/// outlet lists and similar stories are all as they were, and only the
/// changed stories' own facts are worked out again.
fn patch(site: &Site, before: &[Arc<Story>], mut last: Arc<Derived>) -> Option<Arc<Derived>> {
    if before.len() != site.stories.len() {
        return None;
    }
    let changed: Vec<usize> = (0..before.len())
        .filter(|&i| !Arc::ptr_eq(&before[i], &site.stories[i]))
        .collect();
    let same_place = |old: &Story, new: &Story| {
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
    };
    if !changed
        .iter()
        .all(|&i| same_place(&before[i], &site.stories[i]))
    {
        return None;
    }
    let updated_moved = changed
        .iter()
        .any(|&i| before[i].updated != site.stories[i].updated);
    let derived = Arc::make_mut(&mut last);
    let mut blindspots_moved = false;
    for &i in &changed {
        let core = Arc::new(facts::story_facts(site, &site.stories[i]));
        blindspots_moved |= core.blindspot.is_some() != derived.stories[i].blindspot.is_some();
        derived.stories[i].core = core;
    }
    if blindspots_moved {
        derived.blindspots = coverage::blindspot_list(&derived.stories);
    }
    derived.patched = Some(Patched {
        from: derived.generation,
        stories: changed,
        updated_moved,
    });
    derived.generation = next_generation();
    Some(last)
}

fn derive_all(site: &Site, memo: &mut DerivedMemo, outlet_hashes: &[u128]) -> Derived {
    let mut facts = facts::own_facts(site, &mut memo.facts, outlet_hashes);

    let topics = topics::topic_index(site, &mut facts);
    let outlet_stories = topics::outlet_citations(site);

    let slug_index: rustc_hash::FxHashMap<&str, usize> = site
        .stories
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.as_str(), i))
        .collect();
    let limit = site.config.similar_limit;
    // A story's similar list depends only on the members of its topics (their
    // slugs and dates, which decide the order between candidates of
    // different topics too) and on its `related` stories: when none of that
    // moved since the last derive (a title edit, say), the list is taken
    // from the memo.
    let fingerprints: Vec<u128> = topics
        .par_iter()
        .map(|t| {
            let mut buf = Vec::with_capacity(t.stories.len() * 48);
            for &j in &t.stories {
                let s = &site.stories[j];
                buf.extend_from_slice(s.slug.as_bytes());
                buf.push(0);
                buf.extend_from_slice(&s.date.timestamp().to_le_bytes());
                buf.extend_from_slice(&s.date.timestamp_subsec_nanos().to_le_bytes());
            }
            xxh3_128(&buf)
        })
        .collect();
    let mut pairs = TopicPairs::default();
    for (i, f) in facts.iter().enumerate() {
        for (a, &ta) in f.topics.iter().enumerate() {
            for &tb in &f.topics[a + 1..] {
                pairs.entry((ta.min(tb), ta.max(tb))).or_default().push(i);
            }
        }
    }
    let previous_similar = &memo.similar;
    // For each story: its key, its list, and whether the list is new.
    let similar: Vec<(u128, Vec<usize>, bool)> = (0..site.stories.len())
        .into_par_iter()
        .map(|i| {
            let story = &site.stories[i];
            let mut buf = Vec::with_capacity(64);
            buf.extend_from_slice(&(limit as u64).to_le_bytes());
            for &t in &facts[i].topics {
                buf.extend_from_slice(&fingerprints[t].to_le_bytes());
            }
            for r in &story.related {
                buf.extend_from_slice(r.as_bytes());
                buf.push(slug_index.contains_key(r.as_str()) as u8);
            }
            let key = xxh3_128(&buf);
            if let Some((k, slugs)) = previous_similar.get(&story.slug) {
                if *k == key {
                    if let Some(list) = slugs
                        .iter()
                        .map(|s| slug_index.get(s.as_str()).copied())
                        .collect()
                    {
                        return (key, list, false);
                    }
                }
            }
            (
                key,
                similar_stories(i, site, &facts, &topics, &pairs, &slug_index, limit),
                true,
            )
        })
        .collect();
    // Update the memo in place: new lists in, stories that are gone out.
    if memo.similar.len() + similar.iter().filter(|s| s.2).count() > site.stories.len() {
        memo.similar
            .retain(|slug, _| slug_index.contains_key(slug.as_str()));
    }
    for ((key, list, new), story) in similar.iter().zip(&site.stories) {
        if *new {
            let slugs = list.iter().map(|&j| site.stories[j].slug.clone()).collect();
            memo.similar.insert(story.slug.clone(), (*key, slugs));
        }
    }
    for (f, (_, s, _)) in facts.iter_mut().zip(similar) {
        f.similar = s;
    }

    let blindspots = coverage::blindspot_list(&facts);
    let mut similar_of = vec![Vec::new(); facts.len()];
    for (i, f) in facts.iter().enumerate() {
        for &j in &f.similar {
            similar_of[j].push(i);
        }
    }
    Derived {
        similar_of,
        generation: next_generation(),
        patched: None,
        stories: facts,
        topics,
        outlet_stories,
        blindspots,
    }
}

/// The stories that have both of two topics, by the pair of topic indexes
/// (smaller first), in index order.
type TopicPairs = rustc_hash::FxHashMap<(usize, usize), Vec<usize>>;

/// The editor's `related` stories first, in their order, then the stories
/// sharing the most topics (newer first on a tie).
fn similar_stories(
    i: usize,
    site: &Site,
    facts: &[StoryFacts],
    topics: &[TopicEntry],
    pairs: &TopicPairs,
    slug_index: &rustc_hash::FxHashMap<&str, usize>,
    limit: usize,
) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for slug in &site.stories[i].related {
        // A related draft is absent from a build without drafts.
        if let Some(&j) = slug_index.get(slug.as_str()) {
            if j != i && !out.contains(&j) && out.len() < limit {
                out.push(j);
            }
        }
    }
    if out.len() >= limit {
        return out;
    }
    // Stories sharing two or more topics with this one rank first; all of
    // them are in the lists of stories per pair of topics, which on a site
    // where some topics go together (a long-running story's) hold most of
    // its stories. So those lists are never walked whole:
    let mine = &facts[i].topics;
    let want = limit - out.len();
    let pair = |a: usize, b: usize| -> &[usize] {
        pairs
            .get(&(a.min(b), a.max(b)))
            .map_or(&[][..], Vec::as_slice)
    };
    let shared_with = |j: usize| facts[j].topics.iter().filter(|t| mine.contains(t)).count();
    // - A story sharing three or more topics is in the three pair lists of
    //   some three of them: the shortest of the three is walked, and each
    //   of its stories looked up in the other two. One that shares every
    //   topic is in all of them, so once enough of those turn up in the
    //   first three, in index order, none can rank higher.
    let mut rich: Vec<usize> = Vec::new();
    let mut first_three = true;
    let mut sharing_all = 0;
    'triples: for (a, &ta) in mine.iter().enumerate() {
        for (b, &tb) in mine.iter().enumerate().skip(a + 1) {
            for &tc in &mine[b + 1..] {
                let mut lists = [pair(ta, tb), pair(ta, tc), pair(tb, tc)];
                lists.sort_by_key(|l| l.len());
                let [shortest, others @ ..] = lists;
                for &j in shortest {
                    if !others.iter().all(|l| l.binary_search(&j).is_ok()) {
                        continue;
                    }
                    rich.push(j);
                    if first_three && j != i && !out.contains(&j) && shared_with(j) == mine.len() {
                        sharing_all += 1;
                        if sharing_all == want {
                            break 'triples;
                        }
                    }
                }
                first_three = false;
            }
        }
    }
    rich.sort_unstable();
    rich.dedup();
    let mut ranked: Vec<(usize, usize)> = rich
        .iter()
        .filter(|&&j| j != i && !out.contains(&j))
        .map(|&j| (shared_with(j), j))
        .collect();
    // Stable: within a count, index order stays.
    ranked.sort_by_key(|m| std::cmp::Reverse(m.0));
    out.extend(ranked.iter().take(want).map(|m| m.1));
    // - Then stories sharing exactly two, in index order: the heads of the
    //   pair lists, merged. (Those above are all in `out` by now, unless it
    //   is full.)
    let mut pair_lists: Vec<&[usize]> = Vec::new();
    for (a, &ta) in mine.iter().enumerate() {
        for &tb in &mine[a + 1..] {
            pair_lists.push(pair(ta, tb));
        }
    }
    fill_in_order(&mut out, &pair_lists, i, limit);
    // All others share one topic and rank by index alone, so only the heads
    // of the topic lists matter.
    let lists: Vec<&[usize]> = mine.iter().map(|&t| topics[t].stories.as_slice()).collect();
    fill_in_order(&mut out, &lists, i, limit);
    out
}

/// Appends to `out`, up to `limit`, the stories of `lists` (each sorted) in
/// index order, leaving out story `i` and those already in.
fn fill_in_order(out: &mut Vec<usize>, lists: &[&[usize]], i: usize, limit: usize) {
    for j in merged(lists) {
        if out.len() >= limit {
            break;
        }
        if j != i && !out.contains(&j) {
            out.push(j);
        }
    }
}

/// The union of lists sorted ascending, ascending, each value once; lazily,
/// so a caller that has enough stops the work.
fn merged<'a>(lists: &'a [&'a [usize]]) -> impl Iterator<Item = usize> + 'a {
    let mut cursors = vec![0usize; lists.len()];
    std::iter::from_fn(move || {
        let next = lists
            .iter()
            .zip(&cursors)
            .filter_map(|(list, &c)| list.get(c).copied())
            .min()?;
        for (list, c) in lists.iter().zip(cursors.iter_mut()) {
            if list.get(*c) == Some(&next) {
                *c += 1;
            }
        }
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast similar-stories ranking against the definition: the most
    /// shared topics first, then the newer (lower index).
    fn similar_stories_match_the_definition(mut topics_of: impl FnMut(usize) -> Vec<&'static str>) {
        use crate::load::{Inputs, TextFile};
        let mut inputs = Inputs {
            outlets_yaml: Some(TextFile {
                rel: "content/outlets.yaml".into(),
                text: "o:\n  name: O\n  bias: center\n".into(),
            }),
            ..Default::default()
        };
        for k in 0..120 {
            let text = format!(
                "---\ntitle: S{k}\ndate: 2025-01-{:02}T{:02}:00:00Z\ntopics: [{}]\nsources:\n  - outlet: o\n    title: t\n    url: https://e.org\n    published: 2025-01-01\n---\n",
                1 + k % 28,
                (k * 7) % 24,
                topics_of(k).join(", ")
            );
            inputs.stories.push(TextFile {
                rel: format!("content/stories/s{k:03}.md").into(),
                text,
            });
        }
        let (config, _) = crate::validate::config(None, None);
        let (site, diags) = crate::validate::site(config, &mut inputs, false);
        assert!(diags.is_empty(), "{diags:?}");
        let derived = derive(&site);
        for (i, f) in derived.stories.iter().enumerate() {
            let shared = |j: usize| {
                site.stories[j]
                    .topics
                    .iter()
                    .filter(|t| site.stories[i].topics.iter().any(|u| u.slug == t.slug))
                    .count()
            };
            let mut expected: Vec<usize> = (0..site.stories.len())
                .filter(|&j| j != i && shared(j) > 0)
                .collect();
            expected.sort_by_key(|&j| (std::cmp::Reverse(shared(j)), j));
            expected.truncate(site.config.similar_limit);
            assert_eq!(f.similar, expected, "story {i}");
        }
    }

    #[test]
    fn similar_stories_with_random_topics() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let names = ["A", "B", "C", "D", "E", "F"];
        similar_stories_match_the_definition(|_| {
            let count = next(5);
            (0..count).map(|_| names[next(names.len())]).collect()
        });
    }

    /// Most stories share the same two topics (as a long-running story's
    /// do); some have a third, which ranks them higher for each other.
    #[test]
    fn similar_stories_with_topics_that_go_together() {
        similar_stories_match_the_definition(|k| match k % 7 {
            0 => vec!["War", "Talks", "Energy"],
            1 => vec!["War", "Talks", "Courts"],
            2 => vec!["War", "Talks", "Energy", "Courts"],
            3 if k % 2 == 0 => vec!["War", "Talks", "Energy", "Grain"],
            4 => vec!["Energy"],
            _ => vec!["War", "Talks"],
        });
        // Each story of a thread shares its three topics with two others,
        // and two of them with every story.
        const THREADS: [&str; 40] = [
            "T0", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12", "T13",
            "T14", "T15", "T16", "T17", "T18", "T19", "T20", "T21", "T22", "T23", "T24", "T25",
            "T26", "T27", "T28", "T29", "T30", "T31", "T32", "T33", "T34", "T35", "T36", "T37",
            "T38", "T39",
        ];
        similar_stories_match_the_definition(|k| vec!["War", "Talks", THREADS[k / 3]]);
        // Fewer stories share all four topics than a list holds, and those
        // sharing three are found only through the last three topics.
        similar_stories_match_the_definition(|k| match k {
            0..=2 => vec!["A", "B", "C", "D"],
            3..=12 => vec!["B", "C", "D"],
            _ => vec!["A", "B"],
        });
    }
}
