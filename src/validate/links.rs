//! Links written in Markdown, checked against what the build makes. A link
//! from the site's root (`/stories/x/`, `/topics/t/`, `/about/`,
//! `/feed.xml`, `/images/a.png`) must name an output or a static file; an
//! image (root-relative or relative) a file under static/; a link to a
//! source file (`@/stories/x.md`, `@/pages/about.md`) a published story or
//! page, and it is resolved here to that output's URL.
//!
//! Each story's links were gathered when its Markdown was rendered (the one
//! pass, memoized with the story): this pass only looks them up, in sets
//! of the site's slugs, topics, outlets, pages and static files. What a
//! story's `@/` links resolve to depends on other files, so it is not part
//! of the memoized story: the HTML holds markers (`markdown.rs`), replaced
//! here on a copy of the story whose `hash` also covers the URLs put in (see
//! docs/ARCHITECTURE.md, "Links between stories").
//!
//! Positions are found only for a link that is wrong: the body's by the
//! link's offset after the front matter, a YAML text's (a perspective, an
//! FAQ answer, a history text) at the start of that value.

use super::front_matter::split_front_matter;
use super::positions::{KeyPath, Positions};
use super::suggest::did_you_mean;
use crate::diag::Diagnostic;
use crate::external;
use crate::load::Inputs;
use crate::markdown::{resolve_markers, target, Target, SOURCE_PREFIX};
use crate::model::{Body, Config, Link, Outlet, Page, Site, Story, StoryText, TextAt};
use crate::paths::{self, SitePath, CONTENT_DIR};
use crate::share_card::{Cards, NoCard};
use crate::story_text::Spill;
use percent_encoding::percent_decode_str;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// What the build makes, to look links up in. The sets are made the first
/// time a link needs them: most stories link only to other sites, and
/// making them took 20 ms of every rebuild of a 10,000-story site in watch
/// mode.
pub(super) struct Outputs<'a> {
    stories: &'a [Arc<Story>],
    pages: &'a [Page],
    outlets: &'a [Outlet],
    cards: Cards,
    sets: OnceCell<Sets<'a>>,
    statics: &'a HashSet<&'a str>,
    index_pages: usize,
    base_path: &'a str,
}

/// The names of what the build makes, by kind.
struct Sets<'a> {
    slugs: FxHashSet<&'a str>,
    /// The stories without a share card, and why.
    without_card: FxHashMap<&'a str, NoCard>,
    topics: FxHashSet<&'a str>,
    outlets: FxHashSet<&'a str>,
    pages: FxHashSet<&'a str>,
    /// `stories/x.md` (under content/) → the story's slug.
    story_files: FxHashMap<&'a str, &'a str>,
    /// `pages/about.md` → the page's path.
    page_files: FxHashMap<&'a str, &'a str>,
}

impl<'a> Outputs<'a> {
    pub(super) fn new(
        stories: &'a [Arc<Story>],
        pages: &'a [Page],
        outlets: &'a [Outlet],
        config: &'a Config,
        cards: Cards,
        statics: &'a HashSet<&'a str>,
    ) -> Outputs<'a> {
        Outputs {
            stories,
            pages,
            outlets,
            cards,
            sets: OnceCell::new(),
            statics,
            index_pages: stories.len().div_ceil(config.stories_per_page).max(1),
            base_path: &config.base_path,
        }
    }

    fn sets(&self) -> &Sets<'a> {
        self.sets.get_or_init(|| {
            let (stories, pages, cards) = (self.stories, self.pages, &self.cards);
            let under_content = |file: &'a Path| -> Option<&'a str> {
                file.strip_prefix(CONTENT_DIR).ok()?.to_str()
            };
            Sets {
                slugs: stories.iter().map(|s| s.slug.as_str()).collect(),
                without_card: stories
                    .iter()
                    .filter_map(|s| Some((s.slug.as_str(), cards.for_story(s).err()?)))
                    .collect(),
                topics: stories
                    .iter()
                    .flat_map(|s| s.topics.iter().map(|t| t.slug.as_str()))
                    .collect(),
                outlets: self.outlets.iter().map(|o| o.id.as_str()).collect(),
                pages: pages.iter().map(|p| p.path.as_str()).collect(),
                story_files: stories
                    .iter()
                    .filter_map(|s| Some((under_content(&s.file)?, s.slug.as_str())))
                    .collect(),
                page_files: pages
                    .iter()
                    .filter_map(|p| Some((under_content(&p.file)?, p.path.as_str())))
                    .collect(),
            }
        })
    }

    /// Why a root-relative link (the path after `/`) names nothing the
    /// build makes, with a hint; None when it names something.
    fn root_problem(&self, path: &str) -> Option<(String, Option<String>)> {
        if self.statics.contains(path) {
            return None;
        }
        let root = |to: SitePath| paths::link("/", to);
        let hint = |candidates: Vec<String>| {
            did_you_mean(&format!("/{path}"), candidates.iter().map(String::as_str))
        };
        match SitePath::parse(path) {
            Some(SitePath::Index(n)) if n > self.index_pages => Some((
                format!(
                    "the index has {} page{}",
                    self.index_pages,
                    if self.index_pages == 1 { "" } else { "s" }
                ),
                None,
            )),
            Some(SitePath::Story(slug) | SitePath::StoryJson(slug) | SitePath::ShareCard(slug))
                if !self.sets().slugs.contains(slug) =>
            {
                let known = self.sets().slugs.iter().map(|s| root(SitePath::Story(s)));
                Some((
                    format!("no published story has the slug '{slug}'"),
                    hint(known.collect()),
                ))
            }
            Some(SitePath::ShareCard(slug)) if self.sets().without_card.contains_key(slug) => {
                let why = self.sets().without_card[slug].reason();
                Some((format!("the story '{slug}' has no share card: {why}"), None))
            }
            Some(
                SitePath::Topic(topic) | SitePath::TopicPage(topic, _) | SitePath::TopicFeed(topic),
            ) if !self.sets().topics.contains(topic) => {
                let known = self.sets().topics.iter().map(|t| root(SitePath::Topic(t)));
                Some((
                    format!("no published story has the topic '{topic}'"),
                    hint(known.collect()),
                ))
            }
            Some(SitePath::Outlet(id) | SitePath::OutletPage(id, _))
                if !self.sets().outlets.contains(id) =>
            {
                let known = self
                    .sets()
                    .outlets
                    .iter()
                    .map(|o| root(SitePath::Outlet(o)));
                Some((
                    format!("no outlet '{id}' in {}", paths::OUTLETS_YAML),
                    hint(known.collect()),
                ))
            }
            Some(SitePath::Page(page)) if !self.sets().pages.contains(page) => {
                let known = self.sets().pages.iter().map(|p| root(SitePath::Page(p)));
                Some((
                    "the site has no such page".to_string(),
                    hint(known.collect()),
                ))
            }
            Some(_) => None,
            None => {
                let known = self.statics.iter().map(|s| format!("/{s}"));
                Some((
                    "the site has no such page or file".to_string(),
                    hint(known.collect()),
                ))
            }
        }
    }

    /// Why an image names no static file; None when it does.
    fn image_problem(&self, path: &str, rooted: bool) -> Option<(String, Option<String>)> {
        if self.statics.contains(path) {
            return None;
        }
        let written = |s: &str| {
            if rooted {
                format!("/{s}")
            } else {
                s.to_string()
            }
        };
        let known: Vec<String> = self.statics.iter().map(|s| written(s)).collect();
        Some((
            format!("no file {}/{path}", paths::STATIC_DIR),
            did_you_mean(&written(path), known.iter().map(String::as_str)),
        ))
    }

    /// The URL an `@/` link's file (the path after `@/`) is published at,
    /// or why there is none.
    fn source_url(&self, file: &str, inputs: &Inputs) -> Result<String, (String, Option<String>)> {
        let (published, written): (Option<SitePath>, &[crate::load::TextFile]) = if file
            .starts_with("stories/")
        {
            let slug = self.sets().story_files.get(file).copied();
            (slug.map(SitePath::Story), &inputs.stories)
        } else if file.starts_with("pages/") {
            let page = self.sets().page_files.get(file).copied();
            (page.map(SitePath::Page), &inputs.pages)
        } else {
            return Err((
                    format!("expected a story (`{SOURCE_PREFIX}stories/…`) or a page (`{SOURCE_PREFIX}pages/…`) file under {CONTENT_DIR}/"),
                    None,
                ));
        };
        if let Some(to) = published {
            return Ok(paths::link(self.base_path, to));
        }
        let full = Path::new(CONTENT_DIR).join(file);
        if written.iter().any(|f| f.rel == full) {
            return Err((
                format!(
                    "{} is not published (a draft, a story scheduled for later, or it has errors)",
                    full.display()
                ),
                Some("publish it, or check with --drafts or --future".to_string()),
            ));
        }
        let known: Vec<String> = written
            .iter()
            .filter_map(|f| f.rel.strip_prefix(CONTENT_DIR).ok()?.to_str())
            .map(|f| format!("{SOURCE_PREFIX}{f}"))
            .collect();
        Err((
            format!("no file {}", full.display()),
            did_you_mean(
                &format!("{SOURCE_PREFIX}{file}"),
                known.iter().map(String::as_str),
            ),
        ))
    }

    /// Checks `links` (of the story or page in `file`); the URL of each `@/`
    /// link, by index, when it has any.
    pub(super) fn check(
        &self,
        file: &Path,
        links: &[Link],
        inputs: &Inputs,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Vec<Option<String>>> {
        let mut urls: Option<Vec<Option<String>>> = None;
        for (index, link) in links.iter().enumerate() {
            let problem = match target(&link.dest) {
                Target::Root(path) => {
                    let path = decoded(path);
                    if link.image {
                        self.image_problem(&path, true)
                    } else {
                        self.root_problem(&path)
                    }
                }
                Target::Relative(path) if link.image => {
                    self.image_problem(&decoded(path.trim_start_matches("./")), false)
                }
                Target::Source(path) => match self.source_url(&decoded(path), inputs) {
                    Ok(url) => {
                        let urls = urls.get_or_insert_with(|| vec![None; links.len()]);
                        urls[index] = Some(url);
                        None
                    }
                    Err(problem) => Some(problem),
                },
                _ => None,
            };
            if let Some((why, help)) = problem {
                let what = if link.image { "image" } else { "broken link" };
                let mut d = locate(inputs, file, link, format!("{what} '{}': {why}", link.dest));
                d.help = help;
                diags.push(d);
            }
        }
        urls
    }
}

/// A path with its percent-escapes decoded (`my%20photo.png`), as the
/// server would look it up.
fn decoded(path: &str) -> Cow<'_, str> {
    percent_decode_str(path).decode_utf8_lossy()
}

/// The key a YAML text sits at.
fn key_of(at: TextAt) -> Option<KeyPath> {
    let root = KeyPath::root();
    match at {
        TextAt::Body => None,
        TextAt::Perspective(side, n) => Some(root.key("perspectives").key(side.id()).index(n)),
        TextAt::FaqAnswer(n) => Some(root.key("faq").index(n).key("a")),
        TextAt::History(n) => Some(root.key("history").index(n).key("text")),
        TextAt::Correction(n) => Some(root.key("corrections").index(n).key("text")),
    }
}

/// A diagnostic at `link`: in the body, at its first character; in the
/// front matter, at the value of the text it is in.
fn locate(inputs: &Inputs, file: &Path, link: &Link, message: String) -> Diagnostic {
    let (line, col, key) = position(inputs, file, link);
    let d = Diagnostic::new(file, line, col, message);
    match key {
        Some(key) => d.with_key(key),
        None => d,
    }
}

fn position(inputs: &Inputs, file: &Path, link: &Link) -> (usize, usize, Option<String>) {
    let text = inputs.text_of(file).unwrap_or_default();
    let Ok(front_matter) = split_front_matter(&text) else {
        return (1, 1, None);
    };
    match key_of(link.at) {
        None => {
            let at = (text.len() - front_matter.body.len() + link.offset).min(text.len());
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..at].matches('\n').count() + 1;
            (line, text[line_start..at].chars().count() + 1, None)
        }
        Some(key) => {
            let (line, col) = Positions::parse(front_matter.yaml).locate_value(&key);
            // The front matter starts on the file's second line.
            (line + 1, col, Some(key.to_string()))
        }
    }
}

/// The story with its `@/` markers replaced by `urls`, and a `hash` that
/// covers them too: its outputs are keyed by it, so they are rendered
/// again when a URL it links to changes. Its words go to `spill` when there
/// is one.
pub(super) fn resolved(
    story: &Story,
    urls: &[Option<String>],
    spill: Option<&Arc<Spill>>,
) -> std::io::Result<Story> {
    let mut story = story.clone();
    let fix = |html: &mut String| {
        if let Some(new) = resolve_markers(html, urls) {
            *html = new;
        }
    };
    let mut text = StoryText::clone(&*story.text.text()?);
    fix(&mut text.body_html);
    text.perspectives_html.iter_mut().flatten().for_each(fix);
    text.faq.iter_mut().for_each(|q| fix(&mut q.answer_html));
    text.history.iter_mut().for_each(|h| fix(&mut h.html));
    story.corrections.iter_mut().for_each(|c| fix(&mut c.html));
    story.text = match spill {
        Some(spill) => Body::held(text).spilled(spill)?,
        None => Body::held(text),
    };
    story.hash = urls_hash(story.hash, urls);
    Ok(story)
}

/// A page with its `@/` markers replaced.
pub(super) fn resolve_page(page: &mut Page, urls: &[Option<String>]) {
    if let Some(new) = resolve_markers(&page.body_html, urls) {
        page.body_html = new;
    }
}

/// `hash` mixed with the URLs a story's `@/` links resolve to.
pub(super) fn urls_hash(hash: u128, urls: &[Option<String>]) -> u128 {
    let mut h = Xxh3::new();
    h.update(&hash.to_le_bytes());
    for url in urls {
        h.update(url.as_deref().unwrap_or("").as_bytes());
        h.update(b"\0");
    }
    h.digest128()
}

/// Every outside link an editor wrote, positioned, for `check --external`:
/// each source's `url` and each http(s) link in the Markdown of every
/// published story and page.
pub fn external_links(site: &Site, inputs: &Inputs) -> Vec<external::Link> {
    let mut found = Vec::new();
    let mut push = |file: &Path, url: &str, (line, col, key): (usize, usize, Option<String>)| {
        found.push(external::Link {
            url: url.to_string(),
            file: file.to_path_buf(),
            line,
            col,
            key,
        })
    };
    for story in &site.stories {
        let text = inputs.text_of(&story.file).unwrap_or_default();
        let yaml = split_front_matter(&text).map_or("", |f| f.yaml);
        let positions = Positions::parse(yaml);
        // `check` holds every story's text, so this read cannot fail.
        let text = story.text.text();
        for (i, source) in text.iter().flat_map(|t| &t.sources).enumerate() {
            let key = KeyPath::root().key("sources").index(i).key("url");
            let (line, col) = positions.locate_value(&key);
            push(
                &story.file,
                &source.url,
                (line + 1, col, Some(key.to_string())),
            );
        }
        for link in story
            .links
            .iter()
            .filter(|l| target(&l.dest) == Target::Web)
        {
            push(&story.file, &link.dest, position(inputs, &story.file, link));
        }
    }
    for page in &site.pages {
        for link in page.links.iter().filter(|l| target(&l.dest) == Target::Web) {
            push(&page.file, &link.dest, position(inputs, &page.file, link));
        }
    }
    found
}
