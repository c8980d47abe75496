//! Which outputs a site has, in which order, and where each is written. The
//! order is the order of `Job`'s variants: the list is sorted, so that the
//! position of any output (what the memo and `reach` go by) is found in it,
//! never computed beside it. Nothing here renders or keys an output; the
//! spelling of paths is `paths.rs`'.

use super::feeds::{sitemap_parts, sitemap_urls, SITEMAP_LIMIT};
use crate::derive::Derived;
use crate::model::Site;
use crate::paths::SitePath;
use std::ops::Range;

/// Which output of the site a file is, by the index of what it shows in
/// `Site` and `Derived`. What it was made from is its key (`key::Keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Job {
    Story(usize, StoryFile),
    /// Index page N, from 1.
    Index(usize),
    Topics,
    Topic(usize),
    Outlets,
    Outlet(usize),
    Blindspots,
    Page(usize),
    Feed,
    Robots,
    NotFound,
    /// The search page (when the site has search).
    Search,
    /// `sitemap.xml` (0), and `sitemap-N.xml` when there are more URLs than
    /// one sitemap may hold.
    Sitemap(usize),
}

/// The outputs of a story, its page first: the page, its JSON and, when
/// the site draws share cards and the story has no image of its own, its
/// share card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum StoryFile {
    Page,
    Json,
    ShareCard,
}

impl Job {
    pub(super) fn site_path<'a>(self, site: &'a Site, derived: &'a Derived) -> SitePath<'a> {
        match self {
            Job::Story(i, StoryFile::Page) => SitePath::Story(&site.stories[i].slug),
            Job::Story(i, StoryFile::Json) => SitePath::StoryJson(&site.stories[i].slug),
            Job::Story(i, StoryFile::ShareCard) => SitePath::ShareCard(&site.stories[i].slug),
            Job::Index(n) => SitePath::Index(n),
            Job::Topics => SitePath::Topics,
            Job::Topic(t) => SitePath::Topic(&derived.topics[t].slug),
            Job::Outlets => SitePath::Outlets,
            Job::Outlet(o) => SitePath::Outlet(&site.outlets[o].id),
            Job::Blindspots => SitePath::Blindspots,
            Job::Page(p) => SitePath::Page(&site.pages[p].path),
            Job::Feed => SitePath::Feed,
            Job::Robots => SitePath::Robots,
            Job::NotFound => SitePath::NotFound,
            Job::Search => SitePath::Search,
            Job::Sitemap(part) => SitePath::Sitemap(part),
        }
    }

    /// Relative to the output folder.
    pub(super) fn output_path(self, site: &Site, derived: &Derived) -> String {
        self.site_path(site, derived).file()
    }
}

/// Every output of one render, and how many index pages and sitemap parts
/// there are.
pub(super) struct Layout {
    /// Sorted: in the order of `Job`'s variants.
    jobs: Vec<Job>,
    /// Per story, whether it has a share card.
    share_cards: Vec<bool>,
    stories_per_page: usize,
    stories: usize,
    index_pages: usize,
    sitemap_parts: usize,
}

impl Layout {
    pub(super) fn new(site: &Site, derived: &Derived) -> Layout {
        let stories = site.stories.len();
        let stories_per_page = site.config.stories_per_page;
        let index_pages = stories.div_ceil(stories_per_page).max(1);
        let urls = sitemap_urls(site, derived, index_pages).count();
        let sitemap_parts = sitemap_parts(urls, SITEMAP_LIMIT);

        let share_cards: Vec<bool> = site
            .stories
            .iter()
            .map(|story| site.config.share_cards && story.image.is_none())
            .collect();
        let mut jobs: Vec<Job> = Vec::with_capacity(3 * stories + 1024);
        for (i, &card) in share_cards.iter().enumerate() {
            jobs.push(Job::Story(i, StoryFile::Page));
            jobs.push(Job::Story(i, StoryFile::Json));
            if card {
                jobs.push(Job::Story(i, StoryFile::ShareCard));
            }
        }
        jobs.extend((1..=index_pages).map(Job::Index));
        jobs.push(Job::Topics);
        jobs.extend((0..derived.topics.len()).map(Job::Topic));
        jobs.push(Job::Outlets);
        jobs.extend((0..site.outlets.len()).map(Job::Outlet));
        jobs.push(Job::Blindspots);
        jobs.extend((0..site.pages.len()).map(Job::Page));
        jobs.extend([Job::Feed, Job::Robots, Job::NotFound]);
        if site.config.search {
            jobs.push(Job::Search);
        }
        jobs.extend((0..=sitemap_parts).map(Job::Sitemap));
        // Already in order, so sorting is one linear pass; it keeps
        // `position` right whatever order the pushes above are in.
        jobs.sort_unstable();
        Layout {
            jobs,
            share_cards,
            stories_per_page,
            stories,
            index_pages,
            sitemap_parts,
        }
    }

    pub(super) fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    /// Where `job` is in `jobs()`, if the site has it.
    pub(super) fn position(&self, job: Job) -> Option<usize> {
        self.jobs.binary_search(&job).ok()
    }

    /// Whether story `i` has a share card (else its page shows its own
    /// image, or the site's).
    pub(super) fn has_share_card(&self, i: usize) -> bool {
        self.share_cards.get(i).copied().unwrap_or(false)
    }

    /// Which stories have share cards, as one hash: the one thing an edit in
    /// place can change in the list of outputs (a story gains or loses its
    /// own image).
    pub(super) fn share_cards_hash(&self) -> u128 {
        let bits: Vec<u8> = self.share_cards.iter().map(|&card| card as u8).collect();
        xxhash_rust::xxh3::xxh3_128(&bits)
    }

    pub(super) fn index_pages(&self) -> usize {
        self.index_pages
    }

    pub(super) fn sitemap_parts(&self) -> usize {
        self.sitemap_parts
    }

    /// The stories index page N (from 1) shows, by position in
    /// `Site::stories`.
    pub(super) fn index_page(&self, n: usize) -> Range<usize> {
        let start = (n - 1) * self.stories_per_page;
        start..(start + self.stories_per_page).min(self.stories)
    }

    /// The index page that shows story `i`.
    pub(super) fn index_page_of(&self, i: usize) -> usize {
        i / self.stories_per_page + 1
    }
}
