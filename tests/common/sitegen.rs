//! A random site, and random changes to it made on disk the ways an editor
//! makes them: each change records every path it touched (files written or
//! removed, folders made, moved or removed), which is what a file watcher
//! reports and what `parallax::watch::classify` turns into `Change`s.
//!
//! Shared by the incremental property test (`tests/incremental.rs`) and the
//! warm-cache rebuild tests (`tests/testsuite/rebuild.rs`). Every kind of
//! input the site format has is drawn: stories (drafts, explicit slugs,
//! corrections, related stories, images, folders moved and deleted),
//! outlets (added, removed, renamed, re-rated), plain pages, static files,
//! `site.yaml`, template overrides (added, edited, deleted; partials and
//! components) and theme folders (made, edited, selected, deleted), plus bad
//! edits that a later change fixes.

#![allow(dead_code)]

use crate::rng::Rng;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub const BIASES: [&str; 7] = [
    "far-left",
    "left",
    "lean-left",
    "center",
    "lean-right",
    "right",
    "far-right",
];
const FACTUALITY: [&str; 5] = ["very-high", "high", "mixed", "low", "very-low"];
/// Some spell one topic two ways (same URL), one needs escaping.
const TOPICS: [&str; 8] = [
    "Economy",
    "NATO",
    "nato",
    "Élections",
    "élections",
    "Climate & Energy",
    "Courts",
    "Health",
];
/// Text that must be escaped wherever it goes.
const HOSTILE: [&str; 4] = [
    "<script>alert(\"x\")</script>",
    "Tom & Jerry's \"Q\"",
    "a < b > c",
    // Not in the share cards' font: a title with it has no card.
    "東京 talks",
];
/// Templates a site may override, and a change that shows in the output.
const OVERRIDABLE: [&str; 16] = [
    "base.html",
    "card.html",
    "bias_bar.html",
    "story.html",
    "index.html",
    "pagination.html",
    "topic.html",
    "topics.html",
    "outlet.html",
    "outlets.html",
    "blindspots.html",
    "page.html",
    "feed.xml",
    "sitemap.xml",
    "search.html",
    "404.html",
];

fn q(text: &str) -> String {
    // A JSON string is a YAML double-quoted scalar.
    serde_json::to_string(text).unwrap()
}

fn repo_theme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

/// The default theme's text of a template.
pub fn theme_template(name: &str) -> String {
    fs::read_to_string(repo_theme().join("templates").join(name)).unwrap()
}

/// `text` (a template named `name`) with `mark` showing in its output.
fn marked(name: &str, text: &str, mark: &str) -> String {
    if text.contains("{% block main %}") {
        return text.replacen(
            "{% block main %}",
            &format!("{{% block main %}}<p class=\"mark\">{mark}</p>"),
            1,
        );
    }
    match name {
        "base.html" => text.replacen("</footer>", &format!("<p>{mark}</p></footer>"), 1),
        "feed.xml" | "sitemap.xml" => text.replacen("?>\n", &format!("?>\n<!-- {mark} -->\n"), 1),
        "robots.txt" => format!("{text}# {mark}\n"),
        _ => format!("<!-- {mark} -->{text}"),
    }
}

#[derive(Clone, Debug)]
pub struct Source {
    pub outlet: String,
    pub day: u32,
    pub bias: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct Story {
    pub title: String,
    pub summary: Option<String>,
    /// Month, day, hour in 2025.
    pub date: (u32, u32, u32),
    /// A day of January 2026 (always after `date`).
    pub updated: Option<u32>,
    pub slug: Option<String>,
    pub draft: bool,
    pub topics: Vec<&'static str>,
    pub location: Option<String>,
    /// src, alt
    pub image: Option<(String, String)>,
    pub sources: Vec<Source>,
    pub related: Vec<String>,
    pub extras: bool,
    /// A day of January 2026 on which a correction was made.
    pub correction: Option<u32>,
    pub body: String,
}

impl Story {
    pub fn text(&self) -> String {
        let (m, d, h) = self.date;
        let mut s = format!(
            "---\ntitle: {}\ndate: 2025-{m:02}-{d:02}T{h:02}:00:00Z\n",
            q(&self.title)
        );
        if let Some(summary) = &self.summary {
            s.push_str(&format!("summary: {}\n", q(summary)));
        }
        if let Some(u) = self.updated {
            s.push_str(&format!("updated: 2026-01-{u:02}T00:00:00Z\n"));
        }
        if let Some(slug) = &self.slug {
            s.push_str(&format!("slug: {slug}\n"));
        }
        if self.draft {
            s.push_str("draft: true\n");
        }
        let topics: Vec<String> = self.topics.iter().map(|t| q(t)).collect();
        s.push_str(&format!("topics: [{}]\n", topics.join(", ")));
        if let Some(l) = &self.location {
            s.push_str(&format!("location: {}\n", q(l)));
        }
        if let Some((src, alt)) = &self.image {
            s.push_str(&format!("image:\n  src: {}\n  alt: {}\n", q(src), q(alt)));
        }
        if self.extras {
            s.push_str("ai_summary: true\nperspectives:\n  left: [\"Point **one** <b>raw</b>\"]\n  right: []\n");
        }
        s.push_str("sources:\n");
        for (k, src) in self.sources.iter().enumerate() {
            s.push_str(&format!(
                "  - outlet: {}\n    title: Headline {k}\n    url: https://example.org/{k}\n    published: 2025-01-{:02}\n",
                src.outlet, src.day
            ));
            if let Some(b) = src.bias {
                s.push_str(&format!("    bias: {b}\n"));
            }
        }
        if self.extras {
            s.push_str("faq:\n  - q: \"Why?\"\n    a: \"An **aide** <i>said</i>.\"\nhistory:\n  - date: 2025-01-03\n    text: \"Talks <b>began</b>.\"\n");
        }
        if let Some(day) = self.correction {
            s.push_str(&format!(
                "corrections:\n  - date: 2026-01-{day:02}\n    text: \"Fixed *figure* {day}.\"\n"
            ));
        }
        if !self.related.is_empty() {
            s.push_str(&format!("related: [{}]\n", self.related.join(", ")));
        }
        s.push_str("---\n");
        s.push_str(&self.body);
        s
    }
}

#[derive(Clone, Debug)]
pub struct Outlet {
    pub id: String,
    pub name: String,
    pub bias: Option<&'static str>,
    pub factuality: Option<&'static str>,
    pub owner: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Page {
    pub title: String,
    pub description: Option<String>,
    pub draft: bool,
    pub body: String,
}

impl Page {
    fn text(&self) -> String {
        let mut s = format!("---\ntitle: {}\n", q(&self.title));
        if let Some(d) = &self.description {
            s.push_str(&format!("description: {}\n", q(d)));
        }
        if self.draft {
            s.push_str("draft: true\n");
        }
        format!("{s}---\n{}", self.body)
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub title: String,
    pub description: Option<String>,
    pub language: Option<&'static str>,
    pub base_url: &'static str,
    pub stories_per_page: u32,
    pub feed_limit: u32,
    pub similar_stories: u32,
    pub min_sources: u32,
    pub raw_html: bool,
    pub theme: String,
    pub image: Option<&'static str>,
    pub newsletter: bool,
    pub report_issue_url: bool,
    pub search: bool,
}

impl Settings {
    fn text(&self) -> String {
        let mut s = format!(
            "title: {}\nbase_url: {}\nstories_per_page: {}\nfeed_limit: {}\nsimilar_stories: {}\nblindspot:\n  min_sources: {}\n  max_share: 0.3\n",
            q(&self.title),
            self.base_url,
            self.stories_per_page,
            self.feed_limit,
            self.similar_stories,
            self.min_sources
        );
        if let Some(d) = &self.description {
            s.push_str(&format!("description: {}\n", q(d)));
        }
        if let Some(l) = self.language {
            s.push_str(&format!("language: {l}\n"));
        }
        if self.raw_html {
            s.push_str("allow_raw_html: true\n");
        }
        if self.theme != "default" || self.title.len().is_multiple_of(2) {
            s.push_str(&format!("theme: {}\n", self.theme));
        }
        if let Some(i) = self.image {
            s.push_str(&format!("image: {i}\n"));
        }
        if self.newsletter {
            s.push_str("newsletter:\n  text: \"Sign up & read\"\n  url: https://t.example.org/n\n");
        }
        if self.report_issue_url {
            s.push_str("report_issue_url: mailto:desk@t.example.org\n");
        }
        if !self.search {
            s.push_str("search: false\n");
        }
        s
    }
}

/// What one mutation did: what it was, for messages, and whether it was a
/// deliberate bad edit (the build must fail until it is fixed).
pub struct Step {
    pub what: Vec<String>,
    pub bad: bool,
}

pub struct Gen {
    pub rng: Rng,
    pub root: PathBuf,
    pub stories: BTreeMap<PathBuf, Story>,
    pub outlets: Vec<Outlet>,
    pub pages: BTreeMap<String, Page>,
    pub settings: Settings,
    /// Theme folders in the site (`themes/NAME/`).
    pub themes: Vec<String>,
    /// Every path touched since the last `take_touched`.
    touched: Vec<PathBuf>,
    /// Bad edits to undo: each path and what it held before (None: absent).
    broken: Vec<(PathBuf, Option<Vec<u8>>)>,
    counter: usize,
}

impl Gen {
    /// A site of `stories` stories and five outlets, written under `root`.
    pub fn new(seed: u64, root: &Path, stories: usize) -> Gen {
        let mut g = Gen {
            rng: Rng(seed | 1),
            root: root.to_path_buf(),
            stories: BTreeMap::new(),
            outlets: Vec::new(),
            pages: BTreeMap::new(),
            settings: Settings {
                title: "T".into(),
                description: None,
                language: None,
                base_url: "https://t.example.org",
                stories_per_page: 3,
                feed_limit: 4,
                similar_stories: 3,
                min_sources: 2,
                raw_html: false,
                theme: "default".into(),
                image: None,
                newsletter: false,
                report_issue_url: false,
                search: true,
            },
            themes: Vec::new(),
            touched: Vec::new(),
            broken: Vec::new(),
            counter: 0,
        };
        for id in ["alpha", "beta", "gamma", "delta", "epsilon"] {
            let o = g.new_outlet(id);
            g.outlets.push(o);
        }
        g.write_outlets();
        g.write_settings();
        g.put("static/photos/p.png", b"\x89PNG fake");
        for i in 0..stories {
            let folder = ["", "a/", "b/c/"][i % 3];
            let story = g.new_story(&format!("Story {i}"));
            let rel = PathBuf::from(format!("content/stories/{folder}s{i}.md"));
            g.write_story(&rel, story);
        }
        let about = g.new_page("About");
        g.write_page("content/pages/about.md", about);
        g.take_touched();
        g
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.below(items.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.rng.below(one_in) == 0
    }

    fn next_id(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    // --- the file system, recording what is touched --------------------

    fn abs(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.root.join(rel)
    }

    fn make_parents(&mut self, path: &Path) {
        let mut missing = Vec::new();
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d.exists() {
                break;
            }
            missing.push(d.to_path_buf());
            dir = d.parent();
        }
        for d in missing.into_iter().rev() {
            fs::create_dir(&d).unwrap();
            self.touched.push(d);
        }
    }

    pub fn put(&mut self, rel: impl AsRef<Path>, bytes: &[u8]) {
        let path = self.abs(rel);
        self.make_parents(&path);
        fs::write(&path, bytes).unwrap();
        self.touched.push(path);
    }

    fn del(&mut self, rel: impl AsRef<Path>) {
        let path = self.abs(rel);
        fs::remove_file(&path).unwrap();
        self.touched.push(path);
    }

    /// Removes a folder and all in it: every entry is reported.
    fn del_tree(&mut self, rel: impl AsRef<Path>) {
        let path = self.abs(rel);
        for e in walkdir::WalkDir::new(&path).contents_first(true) {
            self.touched.push(e.unwrap().into_path());
        }
        fs::remove_dir_all(&path).unwrap();
    }

    /// A rename, as a watcher sees it: the two paths only.
    fn mv(&mut self, from: impl AsRef<Path>, to: impl AsRef<Path>) {
        let (from, to) = (self.abs(from), self.abs(to));
        self.make_parents(&to);
        fs::rename(&from, &to).unwrap();
        self.touched.push(from);
        self.touched.push(to);
    }

    /// The paths touched since the last call, absolute.
    pub fn take_touched(&mut self) -> Vec<PathBuf> {
        std::mem::take(&mut self.touched)
    }

    // --- the pieces -------------------------------------------------------

    fn new_outlet(&mut self, id: &str) -> Outlet {
        let name = if self.chance(4) {
            format!("{id} {}", self.pick(&HOSTILE))
        } else {
            format!("{id} news")
        };
        Outlet {
            id: id.to_string(),
            name,
            bias: (!self.chance(5)).then(|| *self.pick(&BIASES)),
            factuality: (!self.chance(3)).then(|| *self.pick(&FACTUALITY)),
            owner: self
                .chance(2)
                .then(|| format!("Owner {}", self.rng.below(3))),
        }
    }

    fn write_outlets(&mut self) {
        let mut s = String::new();
        for o in &self.outlets {
            s.push_str(&format!("{}:\n  name: {}\n", o.id, q(&o.name)));
            if let Some(b) = o.bias {
                s.push_str(&format!("  bias: {b}\n"));
            }
            if let Some(f) = o.factuality {
                s.push_str(&format!("  factuality: {f}\n"));
            }
            if let Some(w) = &o.owner {
                s.push_str(&format!("  owner: {}\n", q(w)));
            }
        }
        self.put("content/outlets.yaml", s.as_bytes());
    }

    fn write_settings(&mut self) {
        let text = self.settings.text();
        self.put("site.yaml", text.as_bytes());
    }

    fn sources(&mut self) -> Vec<Source> {
        (0..1 + self.rng.below(6))
            .map(|_| Source {
                outlet: self.outlets[self.rng.below(self.outlets.len())].id.clone(),
                day: 1 + self.rng.below(9) as u32,
                bias: self.chance(8).then(|| *self.pick(&BIASES)),
            })
            .collect()
    }

    fn topics(&mut self) -> Vec<&'static str> {
        let mut t: Vec<&'static str> = (0..self.rng.below(4))
            .map(|_| *self.pick(&TOPICS))
            .collect();
        t.dedup();
        t
    }

    fn date(&mut self) -> (u32, u32, u32) {
        (
            1 + self.rng.below(12) as u32,
            1 + self.rng.below(28) as u32,
            self.rng.below(24) as u32,
        )
    }

    fn new_story(&mut self, title: &str) -> Story {
        let title = if self.chance(6) {
            format!("{title} {}", self.pick(&HOSTILE))
        } else {
            title.to_string()
        };
        Story {
            title,
            summary: self.chance(2).then(|| "A summary & more.".to_string()),
            date: self.date(),
            updated: self.chance(4).then(|| 1 + self.rng.below(28) as u32),
            slug: None,
            draft: self.chance(8),
            topics: self.topics(),
            location: self.chance(3).then(|| "Istanbul".to_string()),
            image: None,
            sources: self.sources(),
            related: Vec::new(),
            extras: self.chance(3),
            correction: None,
            body: "Body <b>raw</b>.\n\n## Sub\n".to_string(),
        }
    }

    fn new_page(&mut self, title: &str) -> Page {
        Page {
            title: title.to_string(),
            description: self.chance(2).then(|| "About <us> & them".to_string()),
            draft: self.chance(6),
            body: "Hello.\n\n## Part\n".to_string(),
        }
    }

    /// The slug a story file has.
    pub fn slug_of(&self, rel: &Path) -> String {
        match &self.stories[rel].slug {
            Some(s) => s.clone(),
            None => rel.file_stem().unwrap().to_string_lossy().into_owned(),
        }
    }

    fn write_story(&mut self, rel: &Path, story: Story) {
        let text = story.text();
        self.stories.insert(rel.to_path_buf(), story);
        self.put(rel, text.as_bytes());
    }

    fn write_page(&mut self, rel: &str, page: Page) {
        let text = page.text();
        self.pages.insert(rel.to_string(), page);
        self.put(rel, text.as_bytes());
    }

    /// Every story that names `old` as related: the name changed to `new`,
    /// or dropped; those files are written again (in the same burst).
    fn retarget(&mut self, old: &str, new: Option<&str>) {
        let citing: Vec<PathBuf> = self
            .stories
            .iter()
            .filter(|(_, s)| s.related.iter().any(|r| r == old))
            .map(|(p, _)| p.clone())
            .collect();
        for rel in citing {
            let mut s = self.stories[&rel].clone();
            s.related = s
                .related
                .iter()
                .filter_map(|r| {
                    if r == old {
                        new.map(str::to_string)
                    } else {
                        Some(r.clone())
                    }
                })
                .collect();
            s.related.dedup();
            self.write_story(&rel, s);
        }
    }

    fn story_rels(&self) -> Vec<PathBuf> {
        self.stories.keys().cloned().collect()
    }

    /// Folders under content/stories/ that hold stories.
    fn story_folders(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .stories
            .keys()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .filter(|d| d != Path::new("content/stories"))
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    // --- the changes --------------------------------------------------------

    /// Edits one story: which fields change is random, so some edits keep
    /// its place among the others (a retitle, a new body) and some do not.
    pub fn edit_story(&mut self) -> String {
        let rels = self.story_rels();
        if rels.is_empty() {
            return self.add_story();
        }
        let rel = self.pick(&rels).clone();
        let old_slug = self.slug_of(&rel);
        let mut s = self.stories[&rel].clone();
        let kind = self.rng.below(14);
        let what = match kind {
            0 => {
                s.title = format!("Retitled {}", self.next_id());
                "retitle"
            }
            1 => {
                s.date = self.date();
                "date"
            }
            2 => {
                s.topics = self.topics();
                "topics"
            }
            3 => {
                s.sources = self.sources();
                "sources"
            }
            4 => {
                s.draft = !s.draft;
                "draft"
            }
            5 => {
                s.slug = if s.slug.is_some() && self.chance(2) {
                    None
                } else {
                    Some(format!("x{}", self.next_id()))
                };
                "slug"
            }
            6 => {
                let others: Vec<String> = self
                    .story_rels()
                    .iter()
                    .filter(|p| **p != rel)
                    .map(|p| self.slug_of(p))
                    .collect();
                s.related = (0..self.rng.below(3).min(others.len()))
                    .map(|_| others[self.rng.below(others.len())].clone())
                    .collect();
                s.related.sort();
                s.related.dedup();
                "related"
            }
            7 => {
                s.image = match self.rng.below(3) {
                    0 => None,
                    1 => Some((
                        "https://img.example.org/a.jpg".into(),
                        "An <alt> & more".into(),
                    )),
                    _ => Some(("photos/p.png".into(), "A photo".into())),
                };
                "image"
            }
            8 => {
                s.updated = if s.updated.is_some() && self.chance(2) {
                    None
                } else {
                    Some(1 + self.rng.below(28) as u32)
                };
                "updated"
            }
            9 => {
                s.body = format!(
                    "New body {} with [a link](https://example.org).\n",
                    self.next_id()
                );
                "body"
            }
            10 => {
                s.summary = s
                    .summary
                    .is_none()
                    .then(|| format!("Summary {}", self.counter));
                s.location = s.location.is_none().then(|| "Ankara".into());
                s.extras = !s.extras;
                "summary, location, extras"
            }
            12 => {
                // Another spelling of a topic (same URL): where it tips the
                // count, every story on the topic shows the new name.
                let other = |t: &'static str| match t {
                    "NATO" => "nato",
                    "nato" => "NATO",
                    "Élections" => "élections",
                    "élections" => "Élections",
                    t => t,
                };
                if s.topics.iter().any(|t| other(t) != *t) {
                    s.topics = s.topics.iter().map(|t| other(t)).collect();
                } else {
                    s.topics
                        .push(*self.pick(&["NATO", "nato", "Élections", "élections"]));
                }
                "topic spelling"
            }
            13 => {
                // A correction made, moved to another day, or taken out:
                // the story's last update, the feeds and the corrections
                // page follow it.
                s.correction = match s.correction {
                    Some(_) if self.chance(2) => None,
                    _ => Some(1 + self.rng.below(28) as u32),
                };
                "correction"
            }
            _ => {
                s = self.new_story(&format!("Rewritten {}", self.counter));
                s.slug = self.stories[&rel].slug.clone();
                "everything"
            }
        };
        self.write_story(&rel, s);
        let new_slug = self.slug_of(&rel);
        if new_slug != old_slug {
            self.retarget(&old_slug, Some(&new_slug));
        }
        format!("edit story {} ({what})", rel.display())
    }

    pub fn add_story(&mut self) -> String {
        let n = self.next_id();
        let folder = match self.rng.below(4) {
            0 => String::new(),
            1 => "a/".into(),
            2 => format!("new{}/deeper/", n % 3),
            _ => "b/c/".into(),
        };
        let rel = PathBuf::from(format!("content/stories/{folder}n{n}.md"));
        let mut story = self.new_story(&format!("New {n}"));
        if self.chance(3) {
            story.slug = Some(format!("x{n}"));
        }
        self.write_story(&rel, story);
        format!("add story {}", rel.display())
    }

    pub fn delete_story(&mut self) -> String {
        let rels = self.story_rels();
        if rels.len() < 3 {
            return self.add_story();
        }
        let rel = self.pick(&rels).clone();
        let slug = self.slug_of(&rel);
        self.stories.remove(&rel);
        self.del(&rel);
        self.retarget(&slug, None);
        format!("delete story {}", rel.display())
    }

    pub fn rename_story(&mut self) -> String {
        let rels = self.story_rels();
        let Some(from) = rels.get(self.rng.below(rels.len().max(1))).cloned() else {
            return self.add_story();
        };
        let old_slug = self.slug_of(&from);
        let n = self.next_id();
        let to = PathBuf::from(format!("content/stories/r{n}.md"));
        let story = self.stories.remove(&from).unwrap();
        self.stories.insert(to.clone(), story);
        self.mv(&from, &to);
        let new_slug = self.slug_of(&to);
        if new_slug != old_slug {
            self.retarget(&old_slug, Some(&new_slug));
        }
        format!("rename story {} to {}", from.display(), to.display())
    }

    /// Moves a whole folder of stories (their slugs stay: they come from the
    /// file names).
    pub fn move_folder(&mut self) -> String {
        let dirs = self.story_folders();
        if dirs.is_empty() {
            return self.add_story();
        }
        let from = self.pick(&dirs).clone();
        let to = PathBuf::from(format!("content/stories/moved{}", self.next_id()));
        if to.starts_with(&from) {
            return self.add_story();
        }
        let moved: Vec<PathBuf> = self
            .story_rels()
            .into_iter()
            .filter(|p| p.starts_with(&from))
            .collect();
        for rel in moved {
            let story = self.stories.remove(&rel).unwrap();
            self.stories
                .insert(to.join(rel.strip_prefix(&from).unwrap()), story);
        }
        self.mv(&from, &to);
        format!("move folder {} to {}", from.display(), to.display())
    }

    pub fn delete_folder(&mut self) -> String {
        let dirs = self.story_folders();
        let total = self.stories.len();
        let small: Vec<PathBuf> = dirs
            .into_iter()
            .filter(|d| self.stories.keys().filter(|p| p.starts_with(d)).count() + 2 <= total)
            .collect();
        if small.is_empty() {
            return self.delete_story();
        }
        let dir = self.pick(&small).clone();
        let gone: Vec<PathBuf> = self
            .story_rels()
            .into_iter()
            .filter(|p| p.starts_with(&dir))
            .collect();
        let slugs: Vec<String> = gone.iter().map(|p| self.slug_of(p)).collect();
        for rel in &gone {
            self.stories.remove(rel);
        }
        self.del_tree(&dir);
        for slug in slugs {
            self.retarget(&slug, None);
        }
        format!("delete folder {}", dir.display())
    }

    pub fn edit_outlet(&mut self) -> String {
        let i = self.rng.below(self.outlets.len());
        let what = match self.rng.below(4) {
            0 => {
                self.outlets[i].bias = (!self.chance(4)).then(|| *self.pick(&BIASES));
                "bias"
            }
            1 => {
                self.outlets[i].factuality = (!self.chance(3)).then(|| *self.pick(&FACTUALITY));
                "factuality"
            }
            2 => {
                self.outlets[i].owner = self
                    .chance(2)
                    .then(|| format!("Owner {}", self.rng.below(3)));
                "owner"
            }
            _ => {
                let hostile = *self.pick(&HOSTILE);
                self.outlets[i].name = format!("Renamed {} {hostile}", self.next_id());
                "name"
            }
        };
        self.write_outlets();
        format!("edit outlet {} ({what})", self.outlets[i].id)
    }

    pub fn add_outlet(&mut self) -> String {
        let id = format!("o{}", self.next_id());
        let o = self.new_outlet(&id);
        self.outlets.push(o);
        self.write_outlets();
        // Sometimes a story starts citing it in the same burst.
        if self.chance(2) {
            if let Some(rel) = self.story_rels().first().cloned() {
                let mut s = self.stories[&rel].clone();
                s.sources[0].outlet = id.clone();
                self.write_story(&rel, s);
            }
        }
        format!("add outlet {id}")
    }

    /// Points every source citing `old` to `new`.
    fn recite(&mut self, old: &str, new: &str) {
        let citing: Vec<PathBuf> = self
            .stories
            .iter()
            .filter(|(_, s)| s.sources.iter().any(|x| x.outlet == old))
            .map(|(p, _)| p.clone())
            .collect();
        for rel in citing {
            let mut s = self.stories[&rel].clone();
            for src in &mut s.sources {
                if src.outlet == old {
                    src.outlet = new.to_string();
                }
            }
            self.write_story(&rel, s);
        }
    }

    pub fn remove_outlet(&mut self) -> String {
        if self.outlets.len() < 3 {
            return self.add_outlet();
        }
        let i = self.rng.below(self.outlets.len());
        let gone = self.outlets.remove(i);
        let instead = self.outlets[0].id.clone();
        self.write_outlets();
        self.recite(&gone.id, &instead);
        format!("remove outlet {}", gone.id)
    }

    pub fn rename_outlet_id(&mut self) -> String {
        let i = self.rng.below(self.outlets.len());
        let old = self.outlets[i].id.clone();
        let new = format!("o{}", self.next_id());
        self.outlets[i].id = new.clone();
        self.write_outlets();
        self.recite(&old, &new);
        format!("rename outlet {old} to {new}")
    }

    pub fn change_page(&mut self) -> String {
        let rels: Vec<String> = self.pages.keys().cloned().collect();
        match self.rng.below(5) {
            0 => {
                let n = self.next_id();
                let rel = if self.chance(2) {
                    format!("content/pages/p{n}.md")
                } else {
                    format!("content/pages/legal/Policy {n}.md")
                };
                let page = self.new_page(&format!("Page {n}"));
                self.write_page(&rel, page);
                format!("add page {rel}")
            }
            1 if rels.len() > 1 => {
                let rel = self.pick(&rels).clone();
                self.pages.remove(&rel);
                self.del(&rel);
                format!("delete page {rel}")
            }
            2 if !rels.is_empty() => {
                let from = self.pick(&rels).clone();
                let to = format!("content/pages/moved{}.md", self.next_id());
                let page = self.pages.remove(&from).unwrap();
                self.pages.insert(to.clone(), page);
                self.mv(&from, &to);
                format!("rename page {from} to {to}")
            }
            _ if !rels.is_empty() => {
                let rel = self.pick(&rels).clone();
                let mut page = self.pages[&rel].clone();
                match self.rng.below(3) {
                    0 => page.title = format!("Retitled page {}", self.next_id()),
                    1 => page.draft = !page.draft,
                    _ => page.body = format!("Body {} <b>raw</b>\n", self.next_id()),
                }
                self.write_page(&rel, page);
                format!("edit page {rel}")
            }
            _ => {
                let page = self.new_page("About again");
                self.write_page("content/pages/about.md", page);
                "add page content/pages/about.md".into()
            }
        }
    }

    pub fn change_static(&mut self) -> String {
        let rel = *self.pick(&[
            "static/files/notes.txt",
            "static/files/deep/data.json",
            "static/parallax.css",
            "static/favicon.svg",
            "static/photos/p.png",
        ]);
        let exists = self.abs(rel).exists();
        if exists && rel != "static/photos/p.png" && self.chance(2) {
            self.del(rel);
            format!("delete {rel}")
        } else if rel == "static/parallax.css" && self.chance(2) {
            // The stylesheet's colours are the share cards' too.
            let css = include_str!("../../themes/default/static/parallax.css");
            let left = format!("--left:#{:02x}4ed8", self.next_id() * 20 % 256);
            self.put(rel, css.replacen("--left:#1d4ed8", &left, 1).as_bytes());
            format!("recolour {rel}")
        } else {
            let bytes = format!("static {} for {rel}", self.next_id());
            self.put(rel, bytes.as_bytes());
            format!("write {rel}")
        }
    }

    pub fn change_settings(&mut self) -> String {
        let what = match self.rng.below(12) {
            0 => {
                self.settings.title = format!("Site {} {}", self.next_id(), self.pick(&HOSTILE));
                "title"
            }
            1 => {
                self.settings.description = self.chance(3).then(|| "Both sides & <more>".into());
                "description"
            }
            2 => {
                self.settings.language = *self.pick(&[None, Some("fr"), Some("de-CH")]);
                "language"
            }
            3 => {
                self.settings.stories_per_page = 1 + self.rng.below(4) as u32;
                "stories_per_page"
            }
            4 => {
                self.settings.feed_limit = 1 + self.rng.below(6) as u32;
                "feed_limit"
            }
            5 => {
                self.settings.similar_stories = self.rng.below(5) as u32;
                "similar_stories"
            }
            6 => {
                self.settings.min_sources = 1 + self.rng.below(4) as u32;
                "blindspot"
            }
            7 => {
                self.settings.raw_html = !self.settings.raw_html;
                "allow_raw_html"
            }
            8 => {
                self.settings.image = *self.pick(&[
                    None,
                    Some("photos/p.png"),
                    Some("https://img.example.org/site.png"),
                ]);
                "image"
            }
            9 => {
                self.settings.base_url = *self.pick(&[
                    "https://t.example.org",
                    "https://t.example.org/briefs",
                    "http://127.0.0.1:1111",
                ]);
                "base_url"
            }
            10 => {
                self.settings.search = !self.settings.search;
                "search"
            }
            _ => {
                self.settings.newsletter = !self.settings.newsletter;
                self.settings.report_issue_url = self.chance(2);
                "newsletter, report_issue_url"
            }
        };
        self.write_settings();
        format!("site.yaml ({what})")
    }

    /// Adds, edits or deletes a template override in the site's templates/:
    /// one of the theme's, a partial included by an override, or a component.
    pub fn change_template(&mut self) -> String {
        let n = self.next_id();
        match self.rng.below(7) {
            6 => {
                // A card that shows what the default one does not: the
                // story's topics and its updated date.
                let card = theme_template("card.html").replacen(
                    "</article>",
                    "<p class=\"topics\">{% for t in story.topics %}<a href=\"{{ t.path }}\">{{ t.name }}</a>{% endfor %}</p></article>",
                    1,
                );
                self.put(
                    "templates/card.html",
                    format!("{card}<!-- {n} -->").as_bytes(),
                );
                "card with topics".into()
            }
            0 | 1 => {
                let name = *self.pick(&OVERRIDABLE);
                let rel = format!("templates/{name}");
                let base =
                    fs::read_to_string(self.abs(&rel)).unwrap_or_else(|_| theme_template(name));
                let text = marked(name, &base, &format!("v{n}"));
                self.put(&rel, text.as_bytes());
                format!("override {rel}")
            }
            2 => {
                let existing: Vec<String> = OVERRIDABLE
                    .iter()
                    .map(|n| format!("templates/{n}"))
                    .filter(|r| self.abs(r).exists())
                    .collect();
                if existing.is_empty() {
                    return self.change_template();
                }
                let rel = self.pick(&existing).clone();
                if rel == "templates/card.html" {
                    // The card may use the partial or the component.
                    for extra in ["templates/note.html", "templates/comp.html"] {
                        if self.abs(extra).exists() {
                            self.del(extra);
                        }
                    }
                }
                self.del(&rel);
                format!("delete {rel}")
            }
            3 => {
                // A card that includes a partial of the site's own.
                self.put(
                    "templates/note.html",
                    format!("<p class=\"note\">note {n}</p>").as_bytes(),
                );
                let card = theme_template("card.html").replacen(
                    "</article>",
                    "{% include \"note.html\" %}</article>",
                    1,
                );
                self.put("templates/card.html", card.as_bytes());
                "card with a partial".into()
            }
            4 => {
                if self.abs("templates/note.html").exists() {
                    self.put(
                        "templates/note.html",
                        format!("<p class=\"note\">edited note {n}</p>").as_bytes(),
                    );
                    "edit the partial".into()
                } else {
                    self.change_template()
                }
            }
            _ => {
                // A component defined in a file of its own, called by the card.
                self.put(
                    "templates/comp.html",
                    format!("{{% component badge(label) %}}<b class=\"badge\">{{{{ label }}}} {n}</b>{{% endcomponent badge %}}").as_bytes(),
                );
                let card = theme_template("card.html").replacen(
                    "</article>",
                    "{{<badge label=\"new\" />}}</article>",
                    1,
                );
                self.put("templates/card.html", card.as_bytes());
                "card with a component".into()
            }
        }
    }

    /// Makes, edits, selects or deletes a theme folder of the site
    /// (`themes/alt/`, or `themes/default/`, which stands in for the
    /// built-in theme).
    pub fn change_theme(&mut self) -> String {
        let n = self.next_id();
        let name = self.pick(&["alt", "default"]).to_string();
        let dir = format!("themes/{name}");
        let exists = self.themes.contains(&name);
        match self.rng.below(4) {
            0 if !exists => {
                for e in walkdir::WalkDir::new(repo_theme()) {
                    let e = e.unwrap();
                    if e.file_type().is_file() {
                        let rel = e.path().strip_prefix(repo_theme()).unwrap();
                        let mut bytes = fs::read(e.path()).unwrap();
                        if rel == Path::new("templates/base.html") {
                            bytes = marked(
                                "base.html",
                                &String::from_utf8(bytes).unwrap(),
                                &format!("{name} theme {n}"),
                            )
                            .into_bytes();
                        }
                        self.put(Path::new(&dir).join(rel), &bytes);
                    }
                }
                self.themes.push(name.clone());
                format!("make {dir}")
            }
            1 if exists => {
                let file = *self.pick(&[
                    "templates/card.html",
                    "templates/story.html",
                    "static/parallax.css",
                    "templates/feed.xml",
                ]);
                let rel = format!("{dir}/{file}");
                let old = fs::read_to_string(self.abs(&rel)).unwrap();
                let text = if file.ends_with(".css") {
                    format!("{old}\n/* {n} */")
                } else {
                    marked(
                        file.trim_start_matches("templates/"),
                        &old,
                        &format!("{name} {n}"),
                    )
                };
                self.put(&rel, text.as_bytes());
                format!("edit {rel}")
            }
            2 if exists => {
                self.del_tree(&dir);
                self.themes.retain(|t| *t != name);
                if self.settings.theme == name && name != "default" {
                    self.settings.theme = "default".into();
                    self.write_settings();
                }
                format!("delete {dir}")
            }
            _ => {
                let choices: Vec<String> = std::iter::once("default".to_string())
                    .chain(self.themes.iter().cloned())
                    .collect();
                self.settings.theme = self.pick(&choices).clone();
                self.write_settings();
                format!("select theme {}", self.settings.theme)
            }
        }
    }

    /// A bad edit: the build must fail (and leave the output as it was)
    /// until `fix` puts things back.
    pub fn break_something(&mut self) -> String {
        let (rel, bad): (PathBuf, Option<String>) = match self.rng.below(7) {
            0 => {
                let rels = self.story_rels();
                let rel = self.pick(&rels).clone();
                (rel, Some("---\ntitle: [unclosed\n---\n".into()))
            }
            1 => {
                let rels = self.story_rels();
                let rel = self.pick(&rels).clone();
                let text = self.stories[&rel].text().replacen("  - outlet: ", "  - outlet: nowhere-", 1);
                (rel, Some(text))
            }
            2 => ("content/outlets.yaml".into(), Some("alpha: [\n".into())),
            3 => (
                "site.yaml".into(),
                Some(self.settings.text().replace("stories_per_page: ", "stories_per_page: -")),
            ),
            4 => ("templates/story.html".into(), Some("{% extends \"base.html\" %}{% block main %}{{ story.title }{% endblock main %}".into())),
            5 => ("content/pages/topics.md".into(), Some("---\ntitle: Clash\n---\n".into())),
            _ => {
                // A static file a story's image names disappears.
                let rels = self.story_rels();
                let rel = self.pick(&rels).clone();
                let mut s = self.stories[&rel].clone();
                s.image = Some(("photos/p.png".into(), "A photo".into()));
                self.write_story(&rel, s);
                let before = fs::read(self.abs("static/photos/p.png")).ok();
                self.broken.push(("static/photos/p.png".into(), before));
                self.del("static/photos/p.png");
                return "delete a static image a story uses".into();
            }
        };
        let before = fs::read(self.abs(&rel)).ok();
        self.broken.push((rel.clone(), before));
        self.put(&rel, bad.unwrap().as_bytes());
        format!("break {}", rel.display())
    }

    /// Whether a bad edit is waiting for its fix.
    pub fn is_broken(&self) -> bool {
        !self.broken.is_empty()
    }

    /// Undoes the bad edits: each file as it was before (or gone again).
    pub fn fix(&mut self) -> String {
        let broken = std::mem::take(&mut self.broken);
        for (rel, before) in broken.into_iter().rev() {
            match before {
                Some(bytes) => self.put(&rel, &bytes),
                None => self.del(&rel),
            }
        }
        "fix the bad edit".into()
    }

    /// One random change of any kind.
    pub fn change(&mut self) -> String {
        match self.rng.below(20) {
            0..=2 => self.edit_story(),
            3 => self.add_story(),
            4 => self.delete_story(),
            5 => self.rename_story(),
            6 => self.move_folder(),
            7 => self.delete_folder(),
            8 => self.edit_outlet(),
            9 => self.add_outlet(),
            10 => self.remove_outlet(),
            11 => self.rename_outlet_id(),
            12 => self.change_page(),
            13 => self.change_static(),
            14 => self.change_settings(),
            15 | 16 => self.change_template(),
            17 => self.change_theme(),
            _ => self.edit_story(),
        }
    }

    /// One step: a burst of one to four changes (or a bad edit, or the fix
    /// of the last one, maybe with other changes).
    pub fn step(&mut self) -> Step {
        let mut what = Vec::new();
        if self.is_broken() {
            what.push(self.fix());
        } else if self.chance(8) {
            what.push(self.break_something());
            return Step { what, bad: true };
        }
        let n = if self.chance(3) {
            2 + self.rng.below(3)
        } else {
            1
        };
        for _ in 0..n {
            what.push(self.change());
        }
        Step { what, bad: false }
    }
}

/// Every file and folder below `dir`, relative and sorted: files with their
/// bytes, folders (empty ones too) with None.
pub fn tree(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut entries: Vec<(String, Option<Vec<u8>>)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = (!e.file_type().is_dir()).then(|| fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect();
    entries.sort();
    entries
}

/// The first difference between two trees, if any.
pub fn tree_difference(
    a: &[(String, Option<Vec<u8>>)],
    b: &[(String, Option<Vec<u8>>)],
) -> Option<String> {
    let names = |t: &[(String, Option<Vec<u8>>)]| -> Vec<String> {
        t.iter()
            .map(|(p, bytes)| {
                if bytes.is_some() {
                    p.clone()
                } else {
                    format!("{p}/")
                }
            })
            .collect()
    };
    let (na, nb) = (names(a), names(b));
    if na != nb {
        let only_a: Vec<&String> = na.iter().filter(|n| !nb.contains(n)).collect();
        let only_b: Vec<&String> = nb.iter().filter(|n| !na.contains(n)).collect();
        return Some(format!(
            "only in the first: {only_a:?}; only in the second: {only_b:?}"
        ));
    }
    type Entry = (String, Option<Vec<u8>>);
    let differing: Vec<(&Entry, &Entry)> = a.iter().zip(b).filter(|(x, y)| x.1 != y.1).collect();
    // The manifest differs whenever a file does: show a file first.
    let shown = differing
        .iter()
        .find(|(x, _)| x.0 != ".parallax-manifest")
        .or(differing.first())?;
    let paths: Vec<&str> = differing.iter().map(|(x, _)| x.0.as_str()).collect();
    let text = |t: &Option<Vec<u8>>| {
        String::from_utf8_lossy(t.as_deref().unwrap_or_default()).into_owned()
    };
    let (first, second) = (text(&shown.0 .1), text(&shown.1 .1));
    // The lines around the first one that differs.
    let (la, lb): (Vec<&str>, Vec<&str>) = (first.lines().collect(), second.lines().collect());
    let at = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    let window = |lines: &[&str]| {
        lines[at.saturating_sub(2).min(lines.len())..(at + 3).min(lines.len())].join("\n")
    };
    Some(format!(
        "{} differ{}; {} at line {}:\n--- first\n{}\n--- second\n{}",
        paths.join(", "),
        if paths.len() == 1 { "s" } else { "" },
        shown.0 .0,
        at + 1,
        window(&la),
        window(&lb)
    ))
}

/// Copies the site's inputs (not its outputs or cache folder) to `to`.
pub fn copy_inputs(root: &Path, to: &Path) {
    for top in ["site.yaml", "content", "templates", "static", "themes"] {
        let from = root.join(top);
        if !from.exists() {
            continue;
        }
        for e in walkdir::WalkDir::new(&from) {
            let e = e.unwrap();
            let target = to.join(e.path().strip_prefix(root).unwrap());
            if e.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::create_dir_all(target.parent().unwrap()).unwrap();
                fs::copy(e.path(), &target).unwrap();
            }
        }
    }
}
