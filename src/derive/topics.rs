//! The site's indexes of stories: by topic (a page per topic slug, named by
//! the spelling most of its stories use) and by outlet (the stories citing
//! each). Both list stories in index order, which is listing order (newest
//! first). It fills in each story's topic indexes and nothing else of its
//! facts; ranking stories against each other is `similar`'s business.

use super::StoryFacts;
use crate::model::*;

#[derive(Debug, Clone)]
pub struct TopicEntry {
    pub name: String,
    pub slug: String,
    /// Story indexes, newest first.
    pub stories: Vec<usize>,
}

/// A topic being gathered: its slug, the spellings of its name with their
/// counts, and its stories.
type TopicGroup<'a> = (&'a str, Vec<(&'a str, u32)>, Vec<usize>);

/// The topics sorted by slug, each story's `topics` set to its indexes
/// among them.
pub(super) fn topic_index(site: &Site, facts: &mut [StoryFacts]) -> Vec<TopicEntry> {
    let (groups, story_groups) = gather_topics(site);
    // Groups are numbered as first met; pages and indexes go by slug.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&group| groups[group].0);
    let mut rank = vec![0; groups.len()];
    for (position, &group) in order.iter().enumerate() {
        rank[group] = position;
    }
    let mut slots: Vec<Option<TopicGroup>> = groups.into_iter().map(Some).collect();
    let topics: Vec<TopicEntry> = order
        .iter()
        .filter_map(|&group| slots[group].take())
        .map(|(slug, names, stories)| TopicEntry {
            name: most_used_name(&names),
            slug: slug.to_string(),
            stories,
        })
        .collect();
    for (mine, story) in story_groups.into_iter().zip(facts.iter_mut()) {
        story.topics = mine.into_iter().map(|group| rank[group]).collect();
    }
    topics
}

/// Stories whose topic names give the same URL share one group: the groups
/// in the order first met, and each story's groups in the order it lists
/// its topics.
fn gather_topics(site: &Site) -> (Vec<TopicGroup<'_>>, Vec<Vec<usize>>) {
    let mut slot: rustc_hash::FxHashMap<&str, usize> = Default::default();
    let mut groups: Vec<TopicGroup> = Vec::new();
    let mut story_groups: Vec<Vec<usize>> = Vec::with_capacity(site.stories.len());
    for (index, story) in site.stories.iter().enumerate() {
        let mut mine = Vec::with_capacity(story.topics.len());
        for topic in &story.topics {
            let group = *slot.entry(&topic.slug).or_insert_with(|| {
                groups.push((&topic.slug, Vec::new(), Vec::new()));
                groups.len() - 1
            });
            let names = &mut groups[group].1;
            match names.iter_mut().find(|(name, _)| *name == topic.name) {
                Some((_, count)) => *count += 1,
                None => names.push((&topic.name, 1)),
            }
            groups[group].2.push(index);
            mine.push(group);
        }
        story_groups.push(mine);
    }
    (groups, story_groups)
}

/// The spelling most stories use, then the first alphabetically.
fn most_used_name(names: &[(&str, u32)]) -> String {
    names
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(name, _)| name.to_string())
        .unwrap_or_default()
}

/// Per outlet (in `Site::outlets` order): the stories citing it, each once.
pub(super) fn outlet_citations(site: &Site) -> Vec<Vec<usize>> {
    let mut outlet_stories = vec![Vec::new(); site.outlets.len()];
    for (index, story) in site.stories.iter().enumerate() {
        for source in &story.sources {
            let list: &mut Vec<usize> = &mut outlet_stories[source.outlet];
            // A story's sources citing one outlet come in any order, but
            // they are all met before the next story's.
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }
    outlet_stories
}
