//! How one story's sources divide: by bias bucket (coverage, in whole
//! percents by the largest-remainder method), whether one side barely covers
//! it (its blindspot, and the site's list of them), and by the factuality and
//! the owner of the outlets cited. Counting only: it reads the story and its
//! outlets, and knows nothing of other stories, timelines or the memo.

use super::StoryFacts;
use crate::model::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Sources per bucket and the rated ones' shares, as `index.json` carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub left: u32,
    pub center: u32,
    pub right: u32,
    pub untracked: u32,
    pub total: u32,
    pub percent: Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Percent {
    pub left: u32,
    pub center: u32,
    pub right: u32,
}

impl Coverage {
    pub fn rated(&self) -> u32 {
        self.left + self.center + self.right
    }
    pub fn count(&self, bucket: Bucket) -> u32 {
        [self.left, self.center, self.right][bucket as usize]
    }
    pub fn percent_of(&self, bucket: Bucket) -> u32 {
        [self.percent.left, self.percent.center, self.percent.right][bucket as usize]
    }
}

/// Shares of `counts` in whole percents that add up to exactly 100, by the
/// largest-remainder method; ties go to the earlier entry. All zero when the
/// counts are.
pub fn largest_remainder(counts: &[u32]) -> Vec<u32> {
    let total: u64 = counts.iter().map(|&count| count as u64).sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let mut shares: Vec<u32> = counts
        .iter()
        .map(|&count| (count as u64 * 100 / total) as u32)
        .collect();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    // Stable sort: equal remainders keep their order (left, center, right).
    order.sort_by_key(|&entry| std::cmp::Reverse(counts[entry] as u64 * 100 % total));
    let missing = 100 - shares.iter().sum::<u32>() as usize;
    for &entry in order.iter().take(missing) {
        shares[entry] += 1;
    }
    shares
}

/// One row of a breakdown (factuality, ownership): a label, a count and a share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    /// Borrowed where it is one of the scale's own words: a story has a few
    /// rows, and each row's two strings were a megabyte per 1,000 stories.
    pub id: Cow<'static, str>,
    pub label: Cow<'static, str>,
    pub count: u32,
    pub percent: u32,
    /// The row of sources whose rating or owner is not known (its label is
    /// "Unknown", which pages show in the site's language).
    #[serde(skip)]
    pub unknown: bool,
}

/// `Share`s as the cache folder stores them (`#[serde(with)]`): with
/// `unknown`, which `index.json`'s form leaves out, and each of the
/// scale's own words borrowed again when read.
pub(super) mod stored_shares {
    use super::*;

    /// A row: its label, its id when that differs (an owner's row has its
    /// name as both), count, percent and whether it is the unknown row.
    type Row = (String, Option<String>, u32, u32, bool);

    pub fn serialize<S: Serializer>(shares: &[Share], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(shares.iter().map(|row| {
            let id = (row.id != row.label).then_some(&*row.id);
            (&*row.label, id, row.count, row.percent, row.unknown)
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Share>, D::Error> {
        let rows: Vec<Row> = Deserialize::deserialize(deserializer)?;
        Ok(rows
            .into_iter()
            .map(|(label, id, count, percent, unknown)| {
                let label = scale_word(label);
                Share {
                    id: id.map_or_else(|| label.clone(), scale_word),
                    label,
                    count,
                    percent,
                    unknown,
                }
            })
            .collect())
    }

    fn scale_word(word: String) -> Cow<'static, str> {
        let scale = Factuality::ALL
            .iter()
            .flat_map(|(id, rating)| [*id, rating.label()]);
        match scale
            .chain(["unknown", "Unknown"])
            .find(|known| *known == word)
        {
            Some(known) => Cow::Borrowed(known),
            None => Cow::Owned(word),
        }
    }
}

/// Each source's effective rating: its own override, else its outlet's.
pub(super) fn source_bias(site: &Site, story: &Story) -> Vec<Option<Bias>> {
    story
        .sources
        .iter()
        .map(|source| source.bias_override.or(site.outlets[source.outlet].bias))
        .collect()
}

pub fn coverage(biases: &[Option<Bias>]) -> Coverage {
    let mut counts = [0u32; 3];
    let mut untracked = 0;
    for bias in biases {
        match bias {
            Some(bias) => counts[bias.bucket() as usize] += 1,
            None => untracked += 1,
        }
    }
    let percents = largest_remainder(&counts);
    Coverage {
        left: counts[0],
        center: counts[1],
        right: counts[2],
        untracked,
        total: biases.len() as u32,
        percent: Percent {
            left: percents[0],
            center: percents[1],
            right: percents[2],
        },
    }
}

/// The side (left or right) at or below `max_share` of the rated sources,
/// when there are at least `min_sources` of them and only one side is.
pub fn blindspot(coverage: &Coverage, min_sources: usize, max_share: f64) -> Option<Bucket> {
    let rated = coverage.rated();
    if rated == 0 || (rated as usize) < min_sources {
        return None;
    }
    // A tolerance so that 1 of 5 at a 0.2 limit counts as "at" the limit.
    let blind = |count: u32| (count as f64) <= max_share * rated as f64 + 1e-9;
    match (blind(coverage.left), blind(coverage.right)) {
        (true, false) => Some(Bucket::Left),
        (false, true) => Some(Bucket::Right),
        _ => None,
    }
}

/// The stories that have a blindspot, in index (listing) order.
pub(super) fn blindspot_list(facts: &[StoryFacts]) -> Vec<usize> {
    facts
        .iter()
        .enumerate()
        .filter(|(_, story)| story.blindspot.is_some())
        .map(|(index, _)| index)
        .collect()
}

/// The story's sources by their outlet's factuality rating, in the order of
/// the scale, unknown last.
pub(super) fn factuality(site: &Site, story: &Story) -> Vec<Share> {
    breakdown(
        // Keyed 1..=5 by rating, 0 (the default, sorted last) for unknown.
        story.sources.iter().map(|source| {
            site.outlets[source.outlet]
                .factuality
                .map_or(0, |rating| rating as u8 + 1)
        }),
        |&key| match key
            .checked_sub(1)
            .and_then(|rating| Factuality::ALL.get(rating as usize))
        {
            Some((id, rating)) => (Cow::Borrowed(*id), Cow::Borrowed(rating.label())),
            None => (Cow::Borrowed("unknown"), Cow::Borrowed("Unknown")),
        },
        false,
    )
}

/// The story's sources by their outlet's owner, most cited first (then by
/// name), unknown last.
pub(super) fn ownership(site: &Site, story: &Story) -> Vec<Share> {
    breakdown(
        story.sources.iter().map(|source| {
            site.outlets[source.outlet]
                .owner
                .clone()
                .unwrap_or_default()
        }),
        |owner| {
            if owner.is_empty() {
                (Cow::Borrowed("unknown"), Cow::Borrowed("Unknown"))
            } else {
                (Cow::Owned(owner.clone()), Cow::Owned(owner.clone()))
            }
        },
        true,
    )
}

/// Counts `keys` into rows, in key order (or by count, most first, when
/// `by_count`), the default key ("unknown") last, with their shares.
fn breakdown<K: Ord + Clone + Default>(
    keys: impl Iterator<Item = K>,
    label: impl Fn(&K) -> (Cow<'static, str>, Cow<'static, str>),
    by_count: bool,
) -> Vec<Share> {
    let mut counts: BTreeMap<K, u32> = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    let mut rows: Vec<(K, u32)> = counts.into_iter().collect();
    if by_count {
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    // "Unknown" (the default key) always comes last.
    rows.sort_by_key(|(key, _)| *key == K::default());
    let percents = largest_remainder(&rows.iter().map(|row| row.1).collect::<Vec<_>>());
    rows.into_iter()
        .zip(percents)
        .map(|((key, count), percent)| {
            let (id, label) = label(&key);
            Share {
                id,
                label,
                count,
                percent,
                unknown: key == K::default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_sums_to_100() {
        assert_eq!(largest_remainder(&[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(largest_remainder(&[3, 0, 3]), vec![50, 0, 50]);
        assert_eq!(largest_remainder(&[0, 0, 0]), vec![0, 0, 0]);
        assert_eq!(largest_remainder(&[2, 1, 4]), vec![29, 14, 57]);
        assert_eq!(largest_remainder(&[1, 2, 0]), vec![33, 67, 0]);
        for a in 0..12 {
            for b in 0..12 {
                for c in 0..12 {
                    let p = largest_remainder(&[a, b, c]);
                    let sum: u32 = p.iter().sum();
                    assert_eq!(sum, if a + b + c == 0 { 0 } else { 100 }, "{a} {b} {c}");
                }
            }
        }
    }

    #[test]
    fn blindspot_rules() {
        let c = |l, ce, r| {
            coverage(
                &[
                    vec![Some(Bias::Left); l],
                    vec![Some(Bias::Center); ce],
                    vec![Some(Bias::Right); r],
                ]
                .concat(),
            )
        };
        assert_eq!(blindspot(&c(4, 0, 1), 5, 0.2), Some(Bucket::Right));
        assert_eq!(blindspot(&c(2, 1, 2), 5, 0.2), None);
        assert_eq!(
            blindspot(&c(1, 2, 2), 5, 0.2),
            Some(Bucket::Left),
            "at the limit counts"
        );
        assert_eq!(blindspot(&c(3, 0, 1), 5, 0.2), None, "too few sources");
        assert_eq!(blindspot(&c(0, 6, 0), 5, 0.2), None, "both sides blind");
        assert_eq!(blindspot(&c(1, 4, 5), 5, 0.2), Some(Bucket::Left));
    }
}
