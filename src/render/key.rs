//! Keys: for each output, a hash of everything it is made from (the settings,
//! its templates and every story, outlet and card it shows), so that an
//! output whose key is the memo's is not rendered again. Keys are
//! conservative: an input that may show on a page is in its key, even when
//! it would not change the bytes. Hashing only: nothing here renders, and no
//! output path is spelled here (`jobs` has them).

use super::jobs::{Job, Layout, StoryFile};
use super::memo::Card;
use super::share::card_of;
use super::templates::Renderer;
use super::Theme;
use crate::derive::{Derived, StoryFacts};
use crate::load::Template;
use crate::model::{Site, Story};
use rustc_hash::FxHashMap;
use std::hash::Hash;
use xxhash_rust::xxh3::xxh3_128;

/// A 128-bit hash of the inputs of one output. The inputs are gathered in a
/// buffer and hashed at once: many tiny updates of a streaming hasher cost
/// more than the hashing itself.
pub(super) struct Key(Vec<u8>);

impl Key {
    pub(super) fn new(seed: u128) -> Key {
        let mut buf = Vec::with_capacity(512);
        buf.extend_from_slice(&seed.to_le_bytes());
        Key(buf)
    }
    pub(super) fn str(&mut self, s: &str) -> &mut Key {
        self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self
    }
    pub(super) fn num(&mut self, n: u128) -> &mut Key {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }
    pub(super) fn hash<T: Hash>(&mut self, value: &T) -> &mut Key {
        value.hash(self);
        self
    }
    pub(super) fn done(&self) -> u128 {
        xxh3_128(&self.0)
    }
}

impl std::hash::Hasher for Key {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
    fn finish(&self) -> u64 {
        self.done() as u64
    }
}

/// Per template, a hash of its text and of every template it names as a
/// quoted string (`extends` and `include` take only literal names), followed
/// transitively: a page's key changes when any template it may use does, and
/// only then. Components are called by their own name, from any template, so
/// a template that defines one counts as used by every template.
pub(super) fn template_closures(templates: &[Template]) -> FxHashMap<String, u128> {
    let names_in = |template: &Template| -> Vec<usize> {
        templates
            .iter()
            .enumerate()
            .filter(|(_, used)| {
                used.name != template.name
                    && (template.text.contains(&format!("\"{}\"", used.name))
                        || template.text.contains(&format!("'{}'", used.name))
                        || defines_a_component(&used.text))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let direct: Vec<Vec<usize>> = templates.iter().map(names_in).collect();
    templates
        .iter()
        .enumerate()
        .map(|(i, template)| {
            let mut seen = vec![false; templates.len()];
            let mut stack = vec![i];
            while let Some(j) = stack.pop() {
                if !std::mem::replace(&mut seen[j], true) {
                    stack.extend(&direct[j]);
                }
            }
            let mut buf = Vec::new();
            for used in templates
                .iter()
                .zip(&seen)
                .filter(|(_, seen)| **seen)
                .map(|(used, _)| used)
            {
                buf.extend_from_slice(used.name.as_bytes());
                buf.push(0);
                buf.extend_from_slice(&xxh3_128(used.text.as_bytes()).to_le_bytes());
            }
            (template.name.clone(), xxh3_128(&buf))
        })
        .collect()
}

/// Whether the text has a `{% component NAME(...) %}` tag (or its `{%-`
/// form), however it is spaced.
fn defines_a_component(text: &str) -> bool {
    text.match_indices("{%").any(|(i, _)| {
        text[i + 2..]
            .trim_start_matches('-')
            .trim_start()
            .starts_with("component ")
    })
}

/// One hash of all the closures, in name order.
pub(super) fn templates_fingerprint(closures: &FxHashMap<String, u128>) -> u128 {
    let mut named: Vec<(&String, &u128)> = closures.iter().collect();
    named.sort();
    let mut k = Key::new(0);
    for (name, hash) in named {
        k.str(name).num(*hash);
    }
    k.done()
}

/// The keys of one render: what is hashed once (the settings with the
/// translations, each outlet, each topic) and what each output adds to it.
pub(super) struct Keys<'a> {
    site: &'a Site,
    derived: &'a Derived,
    renderer: &'a Renderer,
    layout: &'a Layout,
    /// The settings and the translation table: every key starts from them.
    config: u128,
    /// Per outlet, all the model has of it.
    outlets: Vec<u128>,
    /// Per topic, its name and slug.
    topics: Vec<u128>,
    /// What every share card starts from: the colours and the fonts.
    share_card: u128,
}

impl<'a> Keys<'a> {
    pub(super) fn new(
        site: &'a Site,
        derived: &'a Derived,
        theme: &Theme<'a>,
        layout: &'a Layout,
    ) -> Keys<'a> {
        Keys {
            site,
            derived,
            renderer: theme.renderer,
            layout,
            share_card: Key::new(0)
                .str("share card")
                .hash(theme.card_style)
                .num(crate::share_card::fonts_fingerprint())
                .done(),
            // The settings, and every word of the theme in the site's
            // language: an edit of i18n/ re-renders what shows the theme.
            config: Key::new(site.translations.fingerprint())
                .str(&format!("{:?}", site.config))
                .done(),
            outlets: site
                .outlets
                .iter()
                .map(|o| Key::new(0).hash(o).done())
                .collect(),
            topics: derived
                .topics
                .iter()
                .map(|t| Key::new(0).str(&t.name).str(&t.slug).done())
                .collect(),
        }
    }

    /// A page starts from the settings and the templates it may use.
    fn seed(&self, template: &str) -> Key {
        Key::new(self.config ^ self.renderer.closure_hash(template))
    }

    /// A hash of what every output may show besides what its own key
    /// covers: the settings, the templates, the share cards' colours and
    /// fonts, the plain pages. Not the outlets: each output that shows one
    /// has its hash in its key, and a patch names the outlets it changed
    /// (`reach`).
    pub(super) fn context(&self) -> u128 {
        let mut k = Key::new(self.config);
        k.num(self.renderer.fingerprint()).num(self.share_card);
        for p in &self.site.pages {
            k.hash(p);
        }
        k.done()
    }

    /// The identity of every output, in order: what decides their paths.
    /// The page count of each listing is part of it: a topic that loses a
    /// page while an outlet gains one keeps the number of outputs, not
    /// their paths.
    pub(super) fn layout(&self) -> u128 {
        let mut k = Key::new(self.layout.jobs().len() as u128);
        for s in &self.site.stories {
            k.str(&s.slug);
        }
        k.num(self.layout.share_cards_hash());
        self.add_other_pages(&mut k);
        // How many pages each listing has: one outlet losing a page as
        // another gains one keeps the count of outputs but moves them.
        let listings = self.layout.listings();
        k.num(listings.index as u128)
            .num(listings.corrections as u128)
            .hash(&listings.topics)
            .hash(&listings.outlets);
        k.num(self.layout.sitemap_parts() as u128);
        k.done()
    }

    pub(super) fn card(&self, i: usize) -> u128 {
        let story = &self.site.stories[i];
        let mut k = self.seed("card.html");
        k.num(story.hash).str(&story.slug);
        self.add_sources(&mut k, story);
        self.add_topic_names(&mut k, &self.derived.stories[i]);
        k.done()
    }

    /// `cards` are this render's (a listing shows them).
    pub(super) fn output(&self, job: Job, cards: &[Card]) -> u128 {
        let (site, derived) = (self.site, self.derived);
        match job {
            Job::Story(i, StoryFile::Page) => self.story_page(i),
            Job::Story(i, StoryFile::Json) => self.story_json(i),
            Job::Story(i, StoryFile::ShareCard) => self.share_card(i),
            Job::Index(n) => {
                let extra = format!("{n}/{}", self.layout.index_pages());
                self.listing("index.html", &extra, self.layout.index_page(n), cards)
            }
            Job::Topics => self.topics(),
            Job::Topic(t, n) => {
                let topic = &derived.topics[t];
                let pages = self.layout.topic_pages(t);
                let extra = format!(
                    "{}\0{}\0{n}/{pages}\0{}",
                    topic.name,
                    topic.slug,
                    topic.stories.len()
                );
                let shown = &topic.stories[self.layout.page_slice(n, topic.stories.len())];
                self.listing("topic.html", &extra, shown.iter().copied(), cards)
            }
            Job::TopicFeed(t) => {
                let topic = &derived.topics[t];
                let mut k = self.seed("feed.xml");
                k.str(&topic.name).str(&topic.slug);
                let newest = topic.stories.iter().take(site.config.feed_limit);
                self.add_feed_entries(&mut k, newest.map(|&i| &*site.stories[i]));
                k.done()
            }
            Job::Outlets => self.outlets(),
            Job::Outlet(o, n) => self.outlet(o, n),
            Job::Blindspots => {
                let stories = derived.blindspots.iter().copied();
                self.listing("blindspots.html", "", stories, cards)
            }
            Job::Corrections => self.corrections(),
            Job::Page(p) => {
                let mut k = self.seed("page.html");
                k.hash(&site.pages[p]);
                k.done()
            }
            Job::Feed => {
                let mut k = self.seed("feed.xml");
                self.add_feed_entries(&mut k, self.newest());
                k.done()
            }
            Job::JsonFeed => {
                let mut k = Key::new(self.config);
                k.str("feed.json");
                self.add_feed_entries(&mut k, self.newest());
                k.done()
            }
            Job::NewsSitemap => self.news_sitemap(),
            Job::Sitemap(part) => self.sitemap(part),
            Job::Robots => self.seed("robots.txt").done(),
            Job::NotFound => self.seed("404.html").done(),
            Job::Search => {
                // The page lists the topics' names (`search_topic_names`):
                // hashed as they stand, with no list sorted for it.
                let mut k = self.seed("search.html");
                for topic in &derived.topics {
                    k.str(&topic.name);
                }
                k.done()
            }
        }
    }

    fn story_page(&self, i: usize) -> u128 {
        let story = &self.site.stories[i];
        let facts = &self.derived.stories[i];
        let mut k = self.seed("story.html");
        k.num(story.hash).str(&story.slug);
        self.add_sources(&mut k, story);
        self.add_topic_names(&mut k, facts);
        // A similar story shows its title, date and source count: any change
        // to its file re-renders this page (cheap to know, never stale).
        for &j in &facts.similar {
            k.num(self.site.stories[j].hash);
        }
        k.done()
    }

    fn story_json(&self, i: usize) -> u128 {
        let story = &self.site.stories[i];
        let mut k = Key::new(self.config);
        k.str("index.json").num(story.hash).str(&story.slug);
        self.add_sources(&mut k, story);
        for &j in &self.derived.stories[i].similar {
            k.str(&self.site.stories[j].slug);
        }
        k.done()
    }

    /// A share card: what it shows and what it is drawn with, and nothing
    /// else (a new overview or source list leaves it as it is).
    fn share_card(&self, i: usize) -> u128 {
        let mut k = Key::new(self.share_card);
        k.hash(&card_of(self.site, self.derived, i));
        k.done()
    }

    /// A page of cards: its template, what else it shows, and the cards.
    fn listing(
        &self,
        template: &str,
        extra: &str,
        stories: impl IntoIterator<Item = usize>,
        cards: &[Card],
    ) -> u128 {
        let mut k = self.seed(template);
        k.str(extra);
        for i in stories {
            k.num(cards[i].key);
        }
        k.done()
    }

    fn topics(&self) -> u128 {
        let mut k = self.seed("topics.html");
        for t in &self.derived.topics {
            k.str(&t.name).str(&t.slug).num(t.stories.len() as u128);
        }
        k.done()
    }

    fn outlets(&self) -> u128 {
        let mut k = self.seed("outlets.html");
        for (i, o) in self.site.outlets.iter().enumerate() {
            k.num(self.outlets[i])
                .num(self.derived.outlet_stories[i].len() as u128);
            k.str(&o.id);
        }
        k.done()
    }

    fn outlet(&self, o: usize, n: usize) -> u128 {
        let mut k = self.seed("outlet.html");
        let listed = &self.derived.outlet_stories[o];
        k.num(self.outlets[o])
            .num(n as u128)
            .num(self.layout.outlet_pages(o) as u128)
            .num(listed.len() as u128);
        for &j in &listed[self.layout.page_slice(n, listed.len())] {
            k.num(self.site.stories[j].hash);
        }
        k.done()
    }

    /// The stories the site's feeds list.
    fn newest(&self) -> impl Iterator<Item = &'a Story> {
        let site = self.site;
        site.stories
            .iter()
            .take(site.config.feed_limit)
            .map(|s| &**s)
    }

    fn add_feed_entries<'s>(&self, k: &mut Key, stories: impl Iterator<Item = &'s Story>) {
        for s in stories {
            k.str(&s.slug)
                .str(&s.title)
                .hash(&s.summary)
                .hash(&s.date)
                .hash(&s.last_changed());
            for t in &s.topics {
                k.str(&t.name);
            }
        }
    }

    fn news_sitemap(&self) -> u128 {
        let mut k = Key::new(self.config);
        k.str("news-sitemap.xml");
        for s in super::feeds::news_stories(self.site) {
            k.str(&s.slug).str(&s.title).hash(&s.date);
        }
        k.done()
    }

    /// Every correction, and the title and path of its story.
    fn corrections(&self) -> u128 {
        let mut k = self.seed(super::pages::CORRECTIONS_TEMPLATE);
        for s in self
            .site
            .stories
            .iter()
            .filter(|s| !s.corrections.is_empty())
        {
            k.str(&s.slug).str(&s.title);
            for c in &s.corrections {
                k.hash(&c.date).str(&c.html);
            }
        }
        k.done()
    }

    fn sitemap(&self, part: usize) -> u128 {
        let mut k = self.seed("sitemap.xml");
        k.num(part as u128);
        let listings = self.layout.listings();
        k.num(listings.index as u128);
        k.num(listings.corrections as u128);
        k.hash(&listings.topics).hash(&listings.outlets);
        for s in self.site.stories.iter() {
            k.str(&s.slug).hash(&s.date).hash(&s.last_changed());
            // The corrections page's lastmod.
            k.hash(&s.newest_correction());
        }
        self.add_other_pages(&mut k);
        k.done()
    }

    fn add_topic_names(&self, k: &mut Key, facts: &StoryFacts) {
        for &t in &facts.topics {
            k.num(self.topics[t]);
        }
    }

    fn add_sources(&self, k: &mut Key, story: &Story) {
        for s in &story.sources {
            k.num(self.outlets[s.outlet]);
        }
    }

    /// The topic, outlet and plain pages, by what names them.
    fn add_other_pages(&self, k: &mut Key) {
        for t in &self.derived.topics {
            k.str(&t.slug);
        }
        for o in &self.site.outlets {
            k.str(&o.id);
        }
        for p in &self.site.pages {
            k.str(&p.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_template_depends_on_what_it_names_and_on_every_component() {
        let t = |name: &str, text: &str| Template {
            name: name.into(),
            text: text.into(),
            origin: PathBuf::from(name),
        };
        let before = [
            t("base.html", "{% block main %}{% endblock main %}"),
            t("story.html", "{% extends \"base.html\" %}"),
            t("topic.html", "plain"),
            t(
                "parts.html",
                "{%- component chip(label) %}{{ label }}{% endcomponent chip %}",
            ),
            t("feed.xml", "{% include 'parts.html' %}"),
        ];
        let mut after = before.clone();
        after[0].text.push(' ');
        after[3].text.push(' ');
        let (a, b) = (
            template_closures(&before[..3]),
            template_closures(&after[..3]),
        );
        assert_ne!(a["story.html"], b["story.html"], "base.html is extended");
        assert_eq!(a["topic.html"], b["topic.html"], "topic.html names nothing");
        let (a, b) = (template_closures(&before), template_closures(&after));
        assert_ne!(
            a["topic.html"], b["topic.html"],
            "any template may call the component"
        );
        assert!(!defines_a_component("{{<chip label=\"x\" />}}"));
    }

    #[test]
    fn a_template_key_follows_what_it_extends_and_includes() {
        let t = |name: &str, text: &str| Template {
            name: name.into(),
            text: text.into(),
            origin: name.into(),
        };
        let site = |index: &str| {
            template_closures(&[
                t(
                    "base.html",
                    "<html>{% block main %}{% endblock main %}</html>",
                ),
                t("index.html", index),
                t("404.html", "{% extends \"index.html\" %}"),
                t(
                    "story.html",
                    "{% extends 'base.html' %}{% include \"bar.html\" %}",
                ),
                t("bar.html", "bar"),
            ])
        };
        let (a, b) = (
            site("{% extends \"base.html\" %}v1"),
            site("{% extends \"base.html\" %}v2"),
        );
        assert_ne!(a["404.html"], b["404.html"], "404 extends index");
        assert_eq!(a["story.html"], b["story.html"], "story does not use index");
        assert_eq!(a["bar.html"], b["bar.html"]);
    }
}
