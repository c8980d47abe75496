//! Which outputs a site has, in which order, and where each is written. The
//! order is the order of `Job`'s variants: the list is sorted, so that the
//! position of any output (what the memo and `reach` go by) is found in it,
//! never computed beside it. Nothing here renders or keys an output; the
//! spelling of paths is `paths.rs`'.

use super::feeds::{sitemap_parts, sitemap_urls, SITEMAP_LIMIT};
use crate::derive::Derived;
use crate::model::Site;
use crate::paths::SitePath;
use crate::share_card::Cards;
use std::ops::Range;

/// Which output of the site a file is, by the index of what it shows in
/// `Site` and `Derived`. What it was made from is its key (`key::Keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Job {
    Story(usize, StoryFile),
    /// Index page N, from 1.
    Index(usize),
    Topics,
    /// A topic's page N (from 1).
    Topic(usize, usize),
    /// A topic's Atom feed.
    TopicFeed(usize),
    Outlets,
    /// An outlet's page N (from 1).
    Outlet(usize, usize),
    Blindspots,
    Corrections,
    Page(usize),
    Feed,
    JsonFeed,
    NewsSitemap,
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
            Job::Topic(t, n) => SitePath::topic_page(&derived.topics[t].slug, n),
            Job::TopicFeed(t) => SitePath::TopicFeed(&derived.topics[t].slug),
            Job::Outlets => SitePath::Outlets,
            Job::Outlet(o, n) => SitePath::outlet_page(&site.outlets[o].id, n),
            Job::Blindspots => SitePath::Blindspots,
            Job::Corrections => SitePath::Corrections,
            Job::Page(p) => SitePath::Page(&site.pages[p].path),
            Job::Feed => SitePath::Feed,
            Job::JsonFeed => SitePath::JsonFeed,
            Job::NewsSitemap => SitePath::NewsSitemap,
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

/// How many pages each listing has: what decides, besides the stories,
/// topics, outlets and plain pages, which outputs there are.
pub(super) struct Listings {
    pub(super) index: usize,
    /// Per topic.
    pub(super) topics: Vec<usize>,
    /// Per outlet.
    pub(super) outlets: Vec<usize>,
    /// Whether the theme has the corrections page's template.
    pub(super) corrections: bool,
}

/// Every output of one render, and how many pages each listing and the
/// sitemap have.
pub(super) struct Layout {
    /// Sorted: in the order of `Job`'s variants.
    jobs: Vec<Job>,
    /// Per story, whether it has a share card.
    share_cards: Vec<bool>,
    stories_per_page: usize,
    stories: usize,
    listings: Listings,
    sitemap_parts: usize,
}

impl Layout {
    /// `corrections_page`: whether the theme has the corrections page's
    /// template.
    pub(super) fn new(site: &Site, derived: &Derived, corrections_page: bool) -> Layout {
        let stories = site.stories.len();
        let stories_per_page = site.config.stories_per_page;
        let pages = |listed: usize| listed.div_ceil(stories_per_page).max(1);
        let listings = Listings {
            index: pages(stories),
            topics: derived
                .topics
                .iter()
                .map(|t| pages(t.stories.len()))
                .collect(),
            outlets: derived
                .outlet_stories
                .iter()
                .map(|l| pages(l.len()))
                .collect(),
            corrections: corrections_page,
        };
        let urls = sitemap_urls(site, derived, &listings).count();
        let sitemap_parts = sitemap_parts(urls, SITEMAP_LIMIT);

        let cards = Cards::new(&site.config, &site.translations);
        let share_cards: Vec<bool> = site
            .stories
            .iter()
            .map(|story| cards.for_story(story).is_ok())
            .collect();
        let mut jobs: Vec<Job> = Vec::with_capacity(3 * stories + 1024);
        for (i, &card) in share_cards.iter().enumerate() {
            jobs.push(Job::Story(i, StoryFile::Page));
            jobs.push(Job::Story(i, StoryFile::Json));
            if card {
                jobs.push(Job::Story(i, StoryFile::ShareCard));
            }
        }
        jobs.extend((1..=listings.index).map(Job::Index));
        jobs.push(Job::Topics);
        for (t, &count) in listings.topics.iter().enumerate() {
            jobs.extend((1..=count).map(|n| Job::Topic(t, n)));
        }
        jobs.extend((0..derived.topics.len()).map(Job::TopicFeed));
        jobs.push(Job::Outlets);
        for (o, &count) in listings.outlets.iter().enumerate() {
            jobs.extend((1..=count).map(|n| Job::Outlet(o, n)));
        }
        jobs.push(Job::Blindspots);
        if corrections_page {
            jobs.push(Job::Corrections);
        }
        jobs.extend((0..site.pages.len()).map(Job::Page));
        jobs.extend([
            Job::Feed,
            Job::JsonFeed,
            Job::NewsSitemap,
            Job::Robots,
            Job::NotFound,
        ]);
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
            listings,
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
        self.listings.index
    }

    pub(super) fn listings(&self) -> &Listings {
        &self.listings
    }

    pub(super) fn topic_pages(&self, t: usize) -> usize {
        self.listings.topics[t]
    }

    pub(super) fn outlet_pages(&self, o: usize) -> usize {
        self.listings.outlets[o]
    }

    /// Which entries of a listing page N (from 1) shows, by position in it.
    pub(super) fn page_slice(&self, n: usize, listed: usize) -> Range<usize> {
        let start = ((n - 1) * self.stories_per_page).min(listed);
        start..(start + self.stories_per_page).min(listed)
    }

    /// The page (from 1) of a listing that shows its entry at `position`.
    pub(super) fn page_of(&self, position: usize) -> usize {
        position / self.stories_per_page + 1
    }

    pub(super) fn has_corrections_page(&self) -> bool {
        self.listings.corrections
    }

    pub(super) fn sitemap_parts(&self) -> usize {
        self.sitemap_parts
    }

    /// The stories index page N (from 1) shows, by position in
    /// `Site::stories`.
    pub(super) fn index_page(&self, n: usize) -> Range<usize> {
        self.page_slice(n, self.stories)
    }

    /// The index page that shows story `i`.
    pub(super) fn index_page_of(&self, i: usize) -> usize {
        self.page_of(i)
    }
}
