//! A story over time: its history (the editor's events) merged with the
//! day-by-day count of its articles, newest day first, and which source
//! reported it first. It reads the story alone: not its outlets' ratings,
//! nor other stories.

use crate::model::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One entry of a story's history: an editorial event (by index in its
/// `StoryText::history`) or the day's articles.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimelineEntry {
    Event {
        #[serde(with = "stored_day")]
        day: NaiveDate,
        event: usize,
    },
    Articles {
        #[serde(with = "stored_day")]
        day: NaiveDate,
        count: u32,
    },
}

/// A day as the cache folder stores it: its number, not its text, which
/// would be parsed again for every entry of every story.
mod stored_day {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(day.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(deserializer)?;
        NaiveDate::from_num_days_from_ce_opt(days)
            .ok_or_else(|| serde::de::Error::custom("a day out of range"))
    }
}

impl TimelineEntry {
    pub fn day(&self) -> NaiveDate {
        match self {
            TimelineEntry::Event { day, .. } | TimelineEntry::Articles { day, .. } => *day,
        }
    }
}

/// The story's events and its articles per day, newest day first.
pub(super) fn timeline(story: &Story) -> Vec<TimelineEntry> {
    let mut per_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for source in &story.sources {
        *per_day.entry(source.published.date_naive()).or_default() += 1;
    }
    let mut timeline: Vec<TimelineEntry> = story
        .history_dates
        .iter()
        .enumerate()
        .map(|(event, date)| TimelineEntry::Event {
            day: date.date_naive(),
            event,
        })
        .chain(
            per_day
                .into_iter()
                .map(|(day, count)| TimelineEntry::Articles { day, count }),
        )
        .collect();
    // Newest day first; within a day the editorial events (in the order
    // written), then the day's article count. The sort is stable.
    timeline.sort_by(|a, b| {
        b.day().cmp(&a.day()).then_with(|| {
            let rank =
                |entry: &TimelineEntry| matches!(entry, TimelineEntry::Articles { .. }) as u8;
            rank(a).cmp(&rank(b))
        })
    });
    timeline
}

/// The index of the source published first ("first reported by"); of two
/// published at once, the one listed first. 0 when there are none.
pub(super) fn first_source(story: &Story) -> usize {
    story
        .sources
        .iter()
        .enumerate()
        .min_by_key(|(index, source)| (source.published, *index))
        .map(|(index, _)| index)
        .unwrap_or(0)
}
