//! Similar stories: each story's list (the editor's `related` stories, then
//! those sharing the most topics, newer first on a tie), the memo that keeps a
//! list while nothing it depends on moved, and the reverse lists (who lists a
//! story as similar). The walk that ranks candidates goes by the stories of
//! each topic and of each pair of topics and never compares every story with
//! every other: on a site where some topics go together those lists hold
//! most of the stories. It reads the topics `topics` gathered and changes no
//! facts but `similar`.

use super::{StoryFacts, TopicEntry};
use crate::model::*;
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_128;

/// By slug: what a story's similar list was computed from (see
/// `similar_key`), and the list, by slug.
pub(super) type SimilarMemo = rustc_hash::FxHashMap<String, (u128, Vec<String>)>;

/// The stories that have both of two topics, by the pair of topic indexes
/// (smaller first), in index order.
type TopicPairs = rustc_hash::FxHashMap<(usize, usize), Vec<usize>>;

type SlugIndex<'a> = rustc_hash::FxHashMap<&'a str, usize>;

/// One story's similar list as this derive found it.
struct Found {
    /// What it was computed from (see `similar_key`).
    key: u128,
    stories: Vec<usize>,
    /// Whether it was walked for (rather than taken from the memo).
    new: bool,
}

/// Sets each story's `similar` list, taking it from the memo when its key
/// did not change, and leaves the memo holding this derive's lists.
pub(super) fn fill_similar(
    site: &Site,
    facts: &mut [StoryFacts],
    topics: &[TopicEntry],
    memo: &mut SimilarMemo,
) {
    let slug_index: SlugIndex = site
        .stories
        .iter()
        .enumerate()
        .map(|(index, story)| (story.slug.as_str(), index))
        .collect();
    let pairs = topic_pairs(facts);
    let walk = Walk {
        site,
        facts,
        topics,
        pairs: &pairs,
        slug_index: &slug_index,
        limit: site.config.similar_limit,
    };
    let found = find_all(&walk, memo);
    remember(memo, &found, site, &slug_index);
    for (story, found) in facts.iter_mut().zip(found) {
        story.similar = found.stories;
    }
}

/// Every story's list, in story order: the memo's when its key is the
/// same and every story of it is still there, else walked for.
fn find_all(walk: &Walk, memo: &SimilarMemo) -> Vec<Found> {
    let site = walk.site;
    let fingerprints = topic_fingerprints(site, walk.topics);
    (0..site.stories.len())
        .into_par_iter()
        .map(|index| {
            let story = &site.stories[index];
            let key = similar_key(walk, &fingerprints, index);
            if let Some((remembered_key, slugs)) = memo.get(&story.slug) {
                if *remembered_key == key {
                    if let Some(stories) = slugs
                        .iter()
                        .map(|slug| walk.slug_index.get(slug.as_str()).copied())
                        .collect()
                    {
                        return Found {
                            key,
                            stories,
                            new: false,
                        };
                    }
                }
            }
            Found {
                key,
                stories: walk.similar_to(index),
                new: true,
            }
        })
        .collect()
}

/// Per topic, a hash of its stories' slugs and dates.
fn topic_fingerprints(site: &Site, topics: &[TopicEntry]) -> Vec<u128> {
    topics
        .par_iter()
        .map(|topic| {
            let mut buf = Vec::with_capacity(topic.stories.len() * 48);
            for &member in &topic.stories {
                let story = &site.stories[member];
                buf.extend_from_slice(story.slug.as_bytes());
                buf.push(0);
                buf.extend_from_slice(&story.date.timestamp().to_le_bytes());
                buf.extend_from_slice(&story.date.timestamp_subsec_nanos().to_le_bytes());
            }
            xxh3_128(&buf)
        })
        .collect()
}

/// A story's similar list depends only on the members of its topics (their
/// slugs and dates, which decide the order between candidates of different
/// topics too), on its `related` stories and on the limit: when none of that
/// moved since the last derive (a title edit, say), the list is taken from
/// the memo. This is a hash of all of it.
fn similar_key(walk: &Walk, fingerprints: &[u128], index: usize) -> u128 {
    let mut buf = Vec::with_capacity(64);
    buf.extend_from_slice(&(walk.limit as u64).to_le_bytes());
    for &topic in &walk.facts[index].topics {
        buf.extend_from_slice(&fingerprints[topic].to_le_bytes());
    }
    for related in &walk.site.stories[index].related {
        buf.extend_from_slice(related.as_bytes());
        buf.push(walk.slug_index.contains_key(related.as_str()) as u8);
    }
    xxh3_128(&buf)
}

/// Updates the memo in place: new lists in, stories that are gone out.
fn remember(memo: &mut SimilarMemo, found: &[Found], site: &Site, slug_index: &SlugIndex) {
    // Each story has a list in the memo or a new one: a gone story's entry
    // makes the two together more than there are stories, so only then is
    // the memo combed.
    if memo.len() + found.iter().filter(|found| found.new).count() > site.stories.len() {
        memo.retain(|slug, _| slug_index.contains_key(slug.as_str()));
    }
    for (found, story) in found.iter().zip(&site.stories) {
        if found.new {
            let slugs = found
                .stories
                .iter()
                .map(|&other| site.stories[other].slug.clone())
                .collect();
            memo.insert(story.slug.clone(), (found.key, slugs));
        }
    }
}

/// The stories that have both of two topics, for every pair of topics some
/// story has.
fn topic_pairs(facts: &[StoryFacts]) -> TopicPairs {
    let mut pairs = TopicPairs::default();
    for (index, story) in facts.iter().enumerate() {
        for (position, &first) in story.topics.iter().enumerate() {
            for &second in &story.topics[position + 1..] {
                pairs
                    .entry((first.min(second), first.max(second)))
                    .or_default()
                    .push(index);
            }
        }
    }
    pairs
}

/// Per story: the stories that list it as similar, in index order.
pub(super) fn similar_of(facts: &[StoryFacts]) -> Vec<Vec<usize>> {
    let mut similar_of = vec![Vec::new(); facts.len()];
    for (index, story) in facts.iter().enumerate() {
        for &similar in &story.similar {
            similar_of[similar].push(index);
        }
    }
    similar_of
}

/// What the walk for a story's similar list goes by.
struct Walk<'a> {
    site: &'a Site,
    /// Each story's topics.
    facts: &'a [StoryFacts],
    /// Each topic's stories.
    topics: &'a [TopicEntry],
    pairs: &'a TopicPairs,
    slug_index: &'a SlugIndex<'a>,
    limit: usize,
}

impl Walk<'_> {
    /// The editor's `related` stories first, in their order, then the
    /// stories sharing the most topics (newer first on a tie).
    fn similar_to(&self, story: usize) -> Vec<usize> {
        let limit = self.limit;
        let mut out: Vec<usize> = Vec::new();
        for slug in &self.site.stories[story].related {
            // A related draft (or scheduled story) is absent from a build that
            // does not publish it.
            if let Some(&other) = self.slug_index.get(slug.as_str()) {
                if other != story && !out.contains(&other) && out.len() < limit {
                    out.push(other);
                }
            }
        }
        if out.len() >= limit {
            return out;
        }
        // Stories sharing two or more topics with this one rank first; all
        // of them are in the lists of stories per pair of topics, which on a
        // site where some topics go together (a long-running story's) hold
        // most of its stories. So those lists are never walked whole:
        let mine = &self.facts[story].topics;
        let want = limit - out.len();
        // - Those sharing three or more, most shared first.
        let rich = self.sharing_three_or_more(story, &out, want);
        let mut ranked: Vec<(usize, usize)> = rich
            .iter()
            .filter(|&&other| other != story && !out.contains(&other))
            .map(|&other| (self.shared(mine, other), other))
            .collect();
        // Stable: within a count, index order stays.
        ranked.sort_by_key(|candidate| std::cmp::Reverse(candidate.0));
        out.extend(ranked.iter().take(want).map(|candidate| candidate.1));
        // - Then stories sharing exactly two, in index order: the heads of
        //   the pair lists, merged. (Those above are all in `out` by now,
        //   unless it is full.)
        let mut pair_lists: Vec<&[usize]> = Vec::new();
        for (position, &first) in mine.iter().enumerate() {
            for &second in &mine[position + 1..] {
                pair_lists.push(self.pair(first, second));
            }
        }
        fill_in_order(&mut out, &pair_lists, story, limit);
        // All others share one topic and rank by index alone, so only the
        // heads of the topic lists matter.
        let lists: Vec<&[usize]> = mine
            .iter()
            .map(|&topic| self.topics[topic].stories.as_slice())
            .collect();
        fill_in_order(&mut out, &lists, story, limit);
        out
    }

    /// The stories sharing three or more topics with `story`, in index order
    /// (it among them): enough to rank the `want` best of them after `out`.
    ///
    /// A story sharing three or more topics is in the three pair lists of
    /// some three of them: the shortest of the three is walked, and each of
    /// its stories looked up in the other two. One that shares every topic
    /// is in all of them, so once enough of those turn up in the first
    /// three, in index order, none can rank higher.
    fn sharing_three_or_more(&self, story: usize, out: &[usize], want: usize) -> Vec<usize> {
        let mine = &self.facts[story].topics;
        let mut rich: Vec<usize> = Vec::new();
        let mut first_three = true;
        let mut sharing_all = 0;
        'triples: for (first_at, &first) in mine.iter().enumerate() {
            for (second_at, &second) in mine.iter().enumerate().skip(first_at + 1) {
                for &third in &mine[second_at + 1..] {
                    let mut lists = [
                        self.pair(first, second),
                        self.pair(first, third),
                        self.pair(second, third),
                    ];
                    lists.sort_by_key(|list| list.len());
                    let [shortest, others @ ..] = lists;
                    for &other in shortest {
                        if !others.iter().all(|list| list.binary_search(&other).is_ok()) {
                            continue;
                        }
                        rich.push(other);
                        if first_three
                            && other != story
                            && !out.contains(&other)
                            && self.shared(mine, other) == mine.len()
                        {
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
        rich
    }

    /// The stories that have both topics.
    fn pair(&self, a: usize, b: usize) -> &[usize] {
        self.pairs
            .get(&(a.min(b), a.max(b)))
            .map_or(&[][..], Vec::as_slice)
    }

    /// How many of the topics `mine` story `other` has.
    fn shared(&self, mine: &[usize], other: usize) -> usize {
        self.facts[other]
            .topics
            .iter()
            .filter(|topic| mine.contains(topic))
            .count()
    }
}

/// Appends to `out`, up to `limit`, the stories of `lists` (each sorted) in
/// index order, leaving out `story` and those already in.
fn fill_in_order(out: &mut Vec<usize>, lists: &[&[usize]], story: usize, limit: usize) {
    for other in merged(lists) {
        if out.len() >= limit {
            break;
        }
        if other != story && !out.contains(&other) {
            out.push(other);
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
            .filter_map(|(list, &cursor)| list.get(cursor).copied())
            .min()?;
        for (list, cursor) in lists.iter().zip(cursors.iter_mut()) {
            if list.get(*cursor) == Some(&next) {
                *cursor += 1;
            }
        }
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use crate::derive::derive;

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
