//! What an edit in place can change: when the derived data is the last
//! render's, patched for a few stories that kept their place, only the
//! outputs those stories reach can have a new key, so only they are keyed.
//! It must stay a superset: an output left out here is never re-rendered.

use super::jobs::{Job, Layout, StoryFile};
use crate::derive::{Derived, Patched};
use crate::model::Site;

/// The positions in `layout.jobs()` of every output the patched stories can
/// reach, sorted: their pages, JSON and share cards, the listings that show their cards
/// (their index page, topics, outlets, blindspots, the feed), the stories
/// that list them as similar, and the sitemap when a date it shows moved;
/// plus the topic and outlet indexes, and every page of a changed outlet.
/// None if one of them is not an output of the layout (the caller then
/// keys every output).
pub(super) fn reach(
    patch: &Patched,
    site: &Site,
    derived: &Derived,
    layout: &Layout,
) -> Option<Vec<usize>> {
    let mut reached: Vec<Job> = Vec::new();
    for &i in &patch.stories {
        reached.push(Job::Story(i, StoryFile::Page));
        reached.push(Job::Story(i, StoryFile::Json));
        if layout.has_share_card(i) {
            reached.push(Job::Story(i, StoryFile::ShareCard));
        }
        reached.push(Job::Index(layout.index_page_of(i)));
        // The page of each listing it is on: a patched story kept its
        // place, so its position in each is as before.
        for &t in &derived.stories[i].topics {
            let at = derived.topics[t].stories.binary_search(&i).ok()?;
            reached.push(Job::Topic(t, layout.page_of(at)));
        }
        reached.extend(derived.stories[i].topics.iter().map(|&t| Job::TopicFeed(t)));
        for source in &site.stories[i].sources {
            let listed = &derived.outlet_stories[source.outlet];
            let at = listed.binary_search(&i).ok()?;
            reached.push(Job::Outlet(source.outlet, layout.page_of(at)));
        }
        reached.extend(
            derived.similar_of[i]
                .iter()
                .map(|&j| Job::Story(j, StoryFile::Page)),
        );
    }
    // A changed outlet's entry shows on its own pages (and on those of the
    // stories citing it, which are among `patch.stories`).
    for &o in &patch.outlets {
        reached.extend((1..=layout.outlet_pages(o)).map(|n| Job::Outlet(o, n)));
        reached.push(Job::Outlets);
    }
    if !patch.stories.is_empty() {
        reached.extend([
            Job::Topics,
            Job::Outlets,
            Job::Blindspots,
            Job::Feed,
            Job::JsonFeed,
            Job::NewsSitemap,
        ]);
        if layout.has_corrections_page() {
            reached.push(Job::Corrections);
        }
        if patch.updated_moved {
            reached.extend((0..=layout.sitemap_parts()).map(Job::Sitemap));
        }
    }
    let mut positions = reached
        .into_iter()
        .map(|job| layout.position(job))
        .collect::<Option<Vec<usize>>>()?;
    positions.sort_unstable();
    positions.dedup();
    Some(positions)
}
