//! Validation: turns the raw text that loading gathered into the checked model.
//! Front matter goes through serde structs that mirror the YAML (unknown keys
//! are errors), then every rule of the site format is checked. Problems are
//! collected, never thrown: one run reports every error in every file.

use crate::diag::Diagnostic;
use crate::load::{Inputs, StaticFile, TextFile, OUTLETS_YAML, SITE_YAML};
use crate::markdown::{is_web_url, Markdown};
use crate::model::*;
use crate::slug::{is_slug, slug_from_file_name, topic_slug};
mod positions;

use chrono::{DateTime, FixedOffset, NaiveDate};
use positions::{KeyPath, Positions};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// Free text from YAML. Editors write `title: 1984` and mean the words, so
/// numbers and booleans are read back as the text they were written as.
#[derive(Debug, Clone, Default)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    /// The trimmed text, or `None` when blank.
    fn non_empty(&self) -> Option<String> {
        let t = self.0.trim();
        (!t.is_empty()).then(|| t.to_string())
    }
}

// ---------------------------------------------------------------------------
// The YAML as written.

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<Text>,
    base_url: Option<Text>,
    language: Option<Text>,
    description: Option<Text>,
    image: Option<Text>,
    theme: Option<Text>,
    stories_per_page: Option<i64>,
    newsletter: Option<RawNewsletter>,
    blindspot: Option<RawBlindspot>,
    feed_limit: Option<i64>,
    similar_stories: Option<i64>,
    allow_raw_html: Option<bool>,
    report_issue_url: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNewsletter {
    text: Option<Text>,
    url: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlindspot {
    min_sources: Option<i64>,
    max_share: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutlet {
    name: Option<Text>,
    bias: Option<String>,
    factuality: Option<String>,
    owner: Option<Text>,
    homepage: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStory {
    title: Option<Text>,
    summary: Option<Text>,
    date: Option<Text>,
    updated: Option<Text>,
    slug: Option<Text>,
    draft: Option<bool>,
    topics: Option<Vec<Text>>,
    location: Option<Text>,
    image: Option<RawImage>,
    ai_summary: Option<bool>,
    perspectives: Option<RawPerspectives>,
    sources: Option<Vec<RawSource>>,
    faq: Option<Vec<RawFaq>>,
    history: Option<Vec<RawHistory>>,
    related: Option<Vec<Text>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    src: Option<Text>,
    alt: Option<Text>,
    credit: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPerspectives {
    left: Option<Vec<Text>>,
    center: Option<Vec<Text>>,
    right: Option<Vec<Text>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    outlet: Option<Text>,
    title: Option<Text>,
    url: Option<Text>,
    published: Option<Text>,
    excerpt: Option<Text>,
    bias: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFaq {
    q: Option<Text>,
    a: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHistory {
    date: Option<Text>,
    text: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<Text>,
    description: Option<Text>,
    draft: Option<bool>,
}

// ---------------------------------------------------------------------------
// Problems found in one YAML document, positioned only when there are any.

/// Problems of one YAML document, each tied to a key path; turned into
/// positioned diagnostics by `finish`, which parses for positions only when
/// something is wrong.
struct Problems<'a> {
    file: &'a Path,
    yaml: &'a str,
    /// Line of the file on which the YAML starts (1 for a .yaml file, 2 for
    /// front matter after `---`).
    first_line: usize,
    found: Vec<(KeyPath, String)>,
}

impl<'a> Problems<'a> {
    fn new(file: &'a Path, yaml: &'a str, first_line: usize) -> Self {
        Problems {
            file,
            yaml,
            first_line,
            found: Vec::new(),
        }
    }

    fn at(&mut self, path: KeyPath, message: impl Into<String>) {
        self.found.push((path, message.into()));
    }

    fn finish(self) -> Vec<Diagnostic> {
        if self.found.is_empty() {
            return Vec::new();
        }
        let positions = Positions::parse(self.yaml);
        self.found
            .into_iter()
            .map(|(path, message)| {
                let (line, col) = positions.locate(&path);
                let message = if path.0.is_empty() {
                    message
                } else {
                    format!("{path}: {message}")
                };
                Diagnostic::new(self.file, line + self.first_line - 1, col, message)
            })
            .collect()
    }
}

/// Turns a serde_yaml error into a diagnostic that names the key, in the
/// site format's words ("key", not "field").
fn yaml_error(file: &Path, yaml: &str, first_line: usize, err: &serde_yaml::Error) -> Diagnostic {
    let (line, col) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let mut message = err.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    // serde_yaml starts nested errors with its own path ("sources[1]: …");
    // the path computed below replaces it.
    if let Some((prefix, rest)) = message.split_once(": ") {
        if !prefix.contains(' ') {
            message = rest.to_string();
        }
    }
    let path = Positions::parse(yaml).path_at(line, col);
    let message = reword_serde(&message);
    let message = if path.0.is_empty() || message.starts_with("unknown key") && path.0.len() == 1 {
        message
    } else if message.starts_with("unknown key") {
        let parent = KeyPath(path.0[..path.0.len() - 1].to_vec());
        format!("in '{parent}': {message}")
    } else {
        format!("{path}: {message}")
    };
    Diagnostic::new(file, line + first_line - 1, col, message)
}

fn reword_serde(message: &str) -> String {
    // "unknown field `sorces`, expected one of `title`, `summary`"
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((name, expected)) = rest.split_once('`') {
            let expected = expected
                .trim_start_matches(", ")
                .trim_start_matches("expected one of ")
                .trim_start_matches("expected ")
                .replace('`', "");
            return format!("unknown key '{name}' (expected one of: {expected})");
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        return format!("missing key '{}'", rest.trim_end_matches('`'));
    }
    message
        .replace("invalid type: ", "wrong type: found ")
        .replace("a sequence", "a list")
        .replace("struct Raw", "a mapping ")
        .replace("Option value", "a value")
}

// ---------------------------------------------------------------------------
// Dates.

/// An RFC 3339 date-time, or a `YYYY-MM-DD` date taken as midnight UTC.
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt);
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let utc = FixedOffset::east_opt(0)?;
    date.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single()
}

// ---------------------------------------------------------------------------
// site.yaml

const DEFAULT_BASE_URL: &str = "http://127.0.0.1:1111";

/// The settings, with defaults for everything site.yaml leaves out.
pub fn config(
    file: Option<&TextFile>,
    base_url_override: Option<&str>,
) -> (Config, Vec<Diagnostic>) {
    let path = Path::new(SITE_YAML);
    let text = file.map(|f| f.text.as_str()).unwrap_or("");
    let raw: RawConfig = if text.trim().is_empty() {
        RawConfig::default()
    } else {
        match serde_yaml::from_str::<Option<RawConfig>>(text) {
            Ok(raw) => raw.unwrap_or_default(),
            Err(e) => return (default_config(), vec![yaml_error(path, text, 1, &e)]),
        }
    };
    let mut problems = Problems::new(path, text, 1);
    let root = KeyPath::root();
    let text_or = |t: &Option<Text>, default: &str| {
        t.as_ref()
            .and_then(Text::non_empty)
            .unwrap_or_else(|| default.to_string())
    };

    let (base_url, base_url_is_default) = match base_url_override {
        Some(url) => (url.to_string(), false),
        None => match raw.base_url.as_ref().and_then(Text::non_empty) {
            Some(url) => (url, false),
            None => (DEFAULT_BASE_URL.to_string(), true),
        },
    };
    let base_url = base_url.trim_end_matches('/').to_string();
    if !is_web_url(&format!("{base_url}/")) {
        let from = if base_url_override.is_some() {
            " (from --base-url)"
        } else {
            ""
        };
        problems.at(
            root.key("base_url"),
            format!("expected an absolute http or https URL, found '{base_url}'{from}"),
        );
    }
    let base_path = {
        let after_scheme = base_url.split_once("://").map(|x| x.1).unwrap_or("");
        match after_scheme.find('/') {
            Some(i) => format!("{}/", &after_scheme[i..]),
            None => "/".to_string(),
        }
    };

    let positive =
        |problems: &mut Problems, key: &str, value: Option<i64>, default: usize| match value {
            None => default,
            Some(n) if n >= 1 => n as usize,
            Some(n) => {
                problems.at(
                    root.key(key),
                    format!("expected a whole number of at least 1, found {n}"),
                );
                default
            }
        };
    let stories_per_page = positive(&mut problems, "stories_per_page", raw.stories_per_page, 20);
    let feed_limit = positive(&mut problems, "feed_limit", raw.feed_limit, 20);
    let similar_limit = match raw.similar_stories {
        Some(n) if n >= 0 => n as usize,
        Some(n) => {
            problems.at(
                root.key("similar_stories"),
                format!("expected a whole number, found {n}"),
            );
            5
        }
        None => 5,
    };

    let newsletter = raw.newsletter.as_ref().and_then(|n| {
        let key = root.key("newsletter");
        let text = n.text.as_ref().and_then(Text::non_empty);
        let url = n.url.as_ref().and_then(Text::non_empty);
        if text.is_none() {
            problems.at(
                key.clone(),
                "missing key 'text' (expected the call to action)",
            );
        }
        match &url {
            None => problems.at(
                key.clone(),
                "missing key 'url' (expected an http or https URL)",
            ),
            Some(u) if !is_web_url(u) => problems.at(
                key.key("url"),
                format!("expected an http or https URL, found '{u}'"),
            ),
            _ => {}
        }
        Some(Newsletter {
            text: text?,
            url: url?,
        })
    });

    let (mut min_sources, mut max_share) = (5usize, 0.2f64);
    if let Some(b) = &raw.blindspot {
        let key = root.key("blindspot");
        if let Some(n) = b.min_sources {
            if n >= 0 {
                min_sources = n as usize;
            } else {
                problems.at(
                    key.key("min_sources"),
                    format!("expected a whole number, found {n}"),
                );
            }
        }
        if let Some(share) = b.max_share {
            if (0.0..=1.0).contains(&share) {
                max_share = share;
            } else {
                problems.at(
                    key.key("max_share"),
                    format!("expected a share between 0 and 1, found {share}"),
                );
            }
        }
    }

    let report_issue_url = raw.report_issue_url.as_ref().and_then(Text::non_empty);
    if let Some(url) = &report_issue_url {
        if !is_web_url(url) && !url.starts_with("mailto:") {
            problems.at(
                root.key("report_issue_url"),
                format!("expected an http, https or mailto URL, found '{url}'"),
            );
        }
    }
    let image = raw.image.as_ref().and_then(Text::non_empty);
    if let Some(src) = &image {
        if !is_web_url(src) && (src.contains("..") || src.contains(':')) {
            problems.at(
                root.key("image"),
                format!("expected a path under static/ or an https URL, found '{src}'"),
            );
        }
    }

    let theme = text_or(&raw.theme, "default");
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        problems.at(
            root.key("theme"),
            format!("expected a folder name under themes/, found '{theme}'"),
        );
    }

    let config = Config {
        title: text_or(&raw.title, "Parallax"),
        base_url,
        base_path,
        base_url_is_default,
        language: text_or(&raw.language, "en"),
        description: text_or(&raw.description, ""),
        image,
        theme,
        stories_per_page,
        newsletter,
        blindspot_min_sources: min_sources,
        blindspot_max_share: max_share,
        feed_limit,
        similar_limit,
        allow_raw_html: raw.allow_raw_html.unwrap_or(false),
        report_issue_url,
    };
    (config, problems.finish())
}

fn default_config() -> Config {
    config(None, None).0
}

/// Reports a theme that site.yaml names but the site does not have.
pub fn missing_theme(file: Option<&TextFile>, theme: &str) -> Diagnostic {
    let text = file.map(|f| f.text.as_str()).unwrap_or("");
    let mut problems = Problems::new(Path::new(SITE_YAML), text, 1);
    problems.at(
        KeyPath::root().key("theme"),
        format!("no theme '{theme}': expected a folder themes/{theme}/ (or 'default' for the built-in theme)"),
    );
    problems.finish().remove(0)
}

// ---------------------------------------------------------------------------
// outlets.yaml

fn outlets(file: Option<&TextFile>, diags: &mut Vec<Diagnostic>) -> Vec<Outlet> {
    let Some(file) = file else {
        return Vec::new();
    };
    let path = Path::new(OUTLETS_YAML);
    let raw: BTreeMap<String, RawOutlet> =
        match serde_yaml::from_str::<Option<BTreeMap<String, RawOutlet>>>(&file.text) {
            Ok(raw) => raw.unwrap_or_default(),
            Err(e) => {
                diags.push(yaml_error(path, &file.text, 1, &e));
                return Vec::new();
            }
        };
    let mut problems = Problems::new(path, &file.text, 1);
    let mut list = Vec::with_capacity(raw.len());
    for (id, o) in raw {
        let key = KeyPath::root().key(&id);
        if !is_slug(&id) {
            problems.at(key.clone(), format!("outlet id '{id}' must be lowercase letters, digits and single dashes (it is part of a URL)"));
        }
        let name = o.name.as_ref().and_then(Text::non_empty);
        if name.is_none() {
            problems.at(
                key.clone(),
                "missing key 'name' (expected the outlet's name)",
            );
        }
        let bias = o.bias.as_deref().and_then(|b| {
            let parsed = Bias::parse(b.trim());
            if parsed.is_none() {
                problems.at(key.key("bias"), format!("unknown bias '{b}' (expected one of: far-left, left, lean-left, center, lean-right, right, far-right)"));
            }
            parsed
        });
        let factuality = o.factuality.as_deref().and_then(|f| {
            let parsed = Factuality::parse(f.trim());
            if parsed.is_none() {
                problems.at(key.key("factuality"), format!("unknown factuality '{f}' (expected one of: very-high, high, mixed, low, very-low)"));
            }
            parsed
        });
        let homepage = o.homepage.as_ref().and_then(Text::non_empty);
        if let Some(url) = &homepage {
            if !is_web_url(url) {
                problems.at(
                    key.key("homepage"),
                    format!("expected an http or https URL, found '{url}'"),
                );
            }
        }
        list.push(Outlet {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            bias,
            factuality,
            owner: o.owner.as_ref().and_then(Text::non_empty),
            homepage,
        });
    }
    diags.extend(problems.finish());
    list
}

// ---------------------------------------------------------------------------
// Front matter

struct FrontMatter<'a> {
    yaml: &'a str,
    body: &'a str,
}

/// Splits `---\nYAML\n---\nBODY`. The YAML starts on line 2.
fn split_front_matter(text: &str) -> Result<FrontMatter<'_>, String> {
    let after_open = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(|| {
            "expected front matter: the file must start with a line '---'".to_string()
        })?;
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(FrontMatter {
                yaml: &after_open[..offset],
                body: &after_open[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    if after_open[offset..].trim_end() == "---" {
        return Ok(FrontMatter {
            yaml: &after_open[..offset],
            body: "",
        });
    }
    Err("front matter is not closed: expected a line '---' after it".to_string())
}

/// Splits a Markdown file and reads its front matter into `T`; the first
/// problem (no front matter, bad YAML, a wrong key) as a diagnostic.
fn parse_front_matter<'a, T: serde::de::DeserializeOwned>(
    file: &'a TextFile,
) -> Result<(FrontMatter<'a>, T), Diagnostic> {
    let fm = split_front_matter(&file.text)
        .map_err(|message| Diagnostic::new(&file.rel, 1, 1, message))?;
    match serde_yaml::from_str::<Option<T>>(fm.yaml) {
        Ok(Some(raw)) => Ok((fm, raw)),
        Ok(None) => Err(Diagnostic::new(
            &file.rel,
            2,
            1,
            "missing key 'title' (the front matter is empty)",
        )),
        Err(e) => Err(yaml_error(&file.rel, fm.yaml, 2, &e)),
    }
}

// ---------------------------------------------------------------------------
// Stories

struct StoryCheck<'a> {
    outlet_ids: &'a HashMap<&'a str, usize>,
    statics: &'a HashSet<&'a str>,
    markdown: Markdown,
    /// A hash of all of the above: part of every story's identity.
    context: u128,
}

/// A story's identity: its path and text, and what its validation looked up
/// (so that, say, switching `allow_raw_html` changes every story's).
fn story_key(context: u128, file: &TextFile) -> u128 {
    let mut h = Xxh3::new();
    h.update(&context.to_le_bytes());
    h.update(file.rel.as_os_str().as_encoded_bytes());
    h.update(b"\0");
    h.update(file.text.as_bytes());
    h.digest128()
}

fn story(file: &TextFile, check: &StoryCheck) -> (Option<Story>, Vec<Diagnostic>) {
    let (fm, raw) = match parse_front_matter::<RawStory>(file) {
        Ok(parsed) => parsed,
        Err(diag) => return (None, vec![diag]),
    };
    let mut p = Problems::new(&file.rel, fm.yaml, 2);
    let root = KeyPath::root();
    let md = &check.markdown;

    let title = raw.title.as_ref().and_then(Text::non_empty);
    if title.is_none() {
        p.at(
            root.clone(),
            "missing key 'title' (expected a non-empty string)",
        );
    }
    let date = match raw.date.as_ref().and_then(Text::non_empty) {
        None => {
            p.at(
                root.clone(),
                "missing key 'date' (expected an RFC 3339 date-time or YYYY-MM-DD)",
            );
            None
        }
        Some(d) => date_or_problem(&mut p, root.key("date"), &d),
    };
    let updated = raw
        .updated
        .as_ref()
        .and_then(Text::non_empty)
        .and_then(|d| date_or_problem(&mut p, root.key("updated"), &d));
    if let (Some(date), Some(up)) = (date, updated) {
        if up < date {
            p.at(
                root.key("updated"),
                format!(
                    "is before 'date' ({}): expected a time at or after it",
                    date.to_rfc3339()
                ),
            );
        }
    }

    let slug = match raw.slug.as_ref().and_then(Text::non_empty) {
        Some(slug) => {
            if !is_slug(&slug) {
                p.at(root.key("slug"), format!("expected lowercase letters, digits and single dashes (like 'putin-skips-talks'), found '{slug}'"));
            }
            slug
        }
        None => {
            let stem = file
                .rel
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            let slug = slug_from_file_name(&stem);
            if slug.is_empty() {
                p.at(root.clone(), format!("the file name '{stem}' gives an empty slug: rename the file or add a 'slug:' key"));
            }
            slug
        }
    };

    let mut topics = Vec::new();
    for (i, t) in raw.topics.iter().flatten().enumerate() {
        let Some(name) = t.non_empty() else {
            p.at(root.key("topics").index(i), "empty topic: expected a name");
            continue;
        };
        let slug = topic_slug(&name);
        if slug.is_empty() {
            p.at(
                root.key("topics").index(i),
                format!("topic '{name}' has no letters or digits, so it cannot have a page"),
            );
        } else if !topics.iter().any(|t: &Topic| t.slug == slug) {
            topics.push(Topic { name, slug });
        }
    }

    let image = raw.image.as_ref().and_then(|img| {
        let key = root.key("image");
        let src = img.src.as_ref().and_then(Text::non_empty);
        let alt = img.alt.as_ref().and_then(Text::non_empty);
        match &src {
            None => p.at(
                key.clone(),
                "missing key 'src' (expected a path under static/ or an https URL)",
            ),
            Some(s) if s.starts_with("https://") => {
                if !is_web_url(s) {
                    p.at(
                        key.key("src"),
                        format!("expected an https URL, found '{s}'"),
                    );
                }
            }
            Some(s) => {
                let local = s.trim_start_matches('/');
                if !check.statics.contains(local) {
                    p.at(
                        key.key("src"),
                        format!(
                            "no file static/{local}: expected a path under static/ or an https URL"
                        ),
                    );
                }
            }
        }
        if alt.is_none() {
            p.at(
                key.clone(),
                "missing key 'alt' (expected a description of the image)",
            );
        }
        Some(Image {
            src: src?,
            alt: alt?,
            credit: img.credit.as_ref().and_then(Text::non_empty),
        })
    });

    let persp = raw.perspectives.unwrap_or_default();
    let perspectives = [persp.left, persp.center, persp.right].map(|side| {
        side.unwrap_or_default()
            .iter()
            .filter_map(Text::non_empty)
            .collect::<Vec<_>>()
    });
    let perspectives_html = perspectives.each_ref().map(|side| {
        side.iter()
            .map(|point| md.inline(point))
            .collect::<Vec<_>>()
    });

    let mut sources = Vec::new();
    let raw_sources = raw.sources.unwrap_or_default();
    if raw_sources.is_empty() {
        p.at(
            root.clone(),
            "missing key 'sources' (expected a list of at least one source)",
        );
    }
    for (i, s) in raw_sources.iter().enumerate() {
        let key = root.key("sources").index(i);
        let outlet = match s.outlet.as_ref().and_then(Text::non_empty) {
            None => {
                p.at(
                    key.clone(),
                    "missing key 'outlet' (expected an outlet id from content/outlets.yaml)",
                );
                None
            }
            Some(id) => {
                let found = check.outlet_ids.get(id.as_str()).copied();
                if found.is_none() {
                    p.at(
                        key.key("outlet"),
                        format!("unknown outlet '{id}' (expected an id from content/outlets.yaml)"),
                    );
                }
                found
            }
        };
        let title = s.title.as_ref().and_then(Text::non_empty);
        if title.is_none() {
            p.at(
                key.clone(),
                "missing key 'title' (expected the article's headline)",
            );
        }
        let url = s.url.as_ref().and_then(Text::non_empty);
        match &url {
            None => p.at(
                key.clone(),
                "missing key 'url' (expected an http or https URL)",
            ),
            Some(u) if !is_web_url(u) => p.at(
                key.key("url"),
                format!("expected an http or https URL, found '{u}'"),
            ),
            _ => {}
        }
        let published = match s.published.as_ref().and_then(Text::non_empty) {
            None => {
                p.at(
                    key.clone(),
                    "missing key 'published' (expected an RFC 3339 date-time or YYYY-MM-DD)",
                );
                None
            }
            Some(d) => date_or_problem(&mut p, key.key("published"), &d),
        };
        let bias_override = s.bias.as_deref().and_then(|b| {
            let parsed = Bias::parse(b.trim());
            if parsed.is_none() {
                p.at(key.key("bias"), format!("unknown bias '{b}' (expected one of: far-left, left, lean-left, center, lean-right, right, far-right)"));
            }
            parsed
        });
        if let (Some(outlet), Some(title), Some(url), Some(published)) =
            (outlet, title, url, published)
        {
            sources.push(Source {
                outlet,
                title,
                url,
                published,
                excerpt: s.excerpt.as_ref().and_then(Text::non_empty),
                bias_override,
            });
        }
    }

    let mut faq = Vec::new();
    for (i, f) in raw.faq.iter().flatten().enumerate() {
        let key = root.key("faq").index(i);
        let q = f.q.as_ref().and_then(Text::non_empty);
        let a = f.a.as_ref().and_then(Text::non_empty);
        if q.is_none() {
            p.at(key.clone(), "missing key 'q' (expected the question)");
        }
        if a.is_none() {
            p.at(
                key.clone(),
                "missing key 'a' (expected the answer, in Markdown)",
            );
        }
        if let (Some(q), Some(a)) = (q, a) {
            faq.push(Faq {
                question: q,
                answer_html: md.block(&a, 3),
                answer: a,
            });
        }
    }

    let mut history = Vec::new();
    for (i, h) in raw.history.iter().flatten().enumerate() {
        let key = root.key("history").index(i);
        let date = match h.date.as_ref().and_then(Text::non_empty) {
            None => {
                p.at(
                    key.clone(),
                    "missing key 'date' (expected YYYY-MM-DD or an RFC 3339 date-time)",
                );
                None
            }
            Some(d) => date_or_problem(&mut p, key.key("date"), &d),
        };
        let text = h.text.as_ref().and_then(Text::non_empty);
        if text.is_none() {
            p.at(
                key.clone(),
                "missing key 'text' (expected what happened, in Markdown)",
            );
        }
        if let (Some(date), Some(text)) = (date, text) {
            history.push(HistoryEvent {
                date,
                html: md.inline(&text),
                text,
            });
        }
    }

    let mut related = Vec::new();
    for (i, r) in raw.related.iter().flatten().enumerate() {
        match r.non_empty() {
            Some(s) if is_slug(&s) => related.push(s),
            other => p.at(
                root.key("related").index(i),
                format!(
                    "expected a story slug, found '{}'",
                    other.unwrap_or_default()
                ),
            ),
        }
    }

    let diags = p.finish();
    if !diags.is_empty() {
        return (None, diags);
    }
    let (Some(title), Some(date)) = (title, date) else {
        return (None, diags);
    };
    let story = Story {
        file: file.rel.clone(),
        hash: story_key(check.context, file),
        slug,
        title,
        summary: raw.summary.as_ref().and_then(Text::non_empty),
        date,
        updated,
        draft: raw.draft.unwrap_or(false),
        topics,
        location: raw.location.as_ref().and_then(Text::non_empty),
        image,
        ai_summary: raw.ai_summary.unwrap_or(false),
        perspectives,
        perspectives_html,
        sources,
        faq,
        history,
        related,
        body_html: md.block(fm.body, 1),
    };
    (Some(story), diags)
}

fn date_or_problem(p: &mut Problems, key: KeyPath, text: &str) -> Option<DateTime<FixedOffset>> {
    let parsed = parse_date(text);
    if parsed.is_none() {
        p.at(key, format!("expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '{text}'"));
    }
    parsed
}

// ---------------------------------------------------------------------------
// Pages

/// Output folders the build itself writes; a page may not take their place.
const RESERVED: [&str; 8] = [
    "stories",
    "topics",
    "outlets",
    "blindspots",
    "page",
    "feed.xml",
    "sitemap.xml",
    "404.html",
];

fn page(file: &TextFile, markdown: Markdown) -> (Option<Page>, Vec<Diagnostic>) {
    let (fm, raw) = match parse_front_matter::<RawPage>(file) {
        Ok(parsed) => parsed,
        Err(diag) => return (None, vec![diag]),
    };
    let mut p = Problems::new(&file.rel, fm.yaml, 2);
    let title = raw.title.as_ref().and_then(Text::non_empty);
    if title.is_none() {
        p.at(
            KeyPath::root(),
            "missing key 'title' (expected a non-empty string)",
        );
    }
    let rel = file
        .rel
        .strip_prefix(crate::load::PAGES_DIR)
        .unwrap_or(&file.rel)
        .with_extension("");
    let segments: Vec<String> = rel
        .components()
        .map(|c| slug_from_file_name(&c.as_os_str().to_string_lossy()))
        .collect();
    let path = segments.join("/");
    let mut diags = p.finish();
    if segments.iter().any(String::is_empty) {
        diags.push(Diagnostic::new(
            &file.rel,
            1,
            1,
            "the file name gives an empty URL segment: rename the file",
        ));
    } else if RESERVED.contains(&segments[0].as_str()) {
        diags.push(Diagnostic::new(&file.rel, 1, 1, format!("the page would be written to '{path}/', which the build uses itself: rename the file")));
    }
    if !diags.is_empty() || raw.draft.unwrap_or(false) {
        return (None, diags);
    }
    let page = Page {
        file: file.rel.clone(),
        path,
        title: title.unwrap_or_default(),
        description: raw.description.as_ref().and_then(Text::non_empty),
        body_html: markdown.block(fm.body, 0),
    };
    (Some(page), diags)
}

// ---------------------------------------------------------------------------
// The whole site

/// Checks everything and returns the model with every diagnostic found. The
/// model is only meaningful when the diagnostics are empty.
pub fn site(config: Config, inputs: &mut Inputs, drafts: bool) -> (Site, Vec<Diagnostic>) {
    site_cached(config, inputs, drafts, &mut Cache::default())
}

/// Validated stories from an earlier run, by file: a story whose text and
/// context are unchanged is not parsed again (watch mode, and the build
/// cache).
#[derive(Default, Clone)]
pub struct Cache {
    /// By path (as text: hashing a `Path` parses its components, which is
    /// slow over ten thousand files).
    pub stories: FxHashMap<String, CachedStory>,
    /// What the cached results were validated against (outlet ids, static
    /// files, Markdown options).
    context: u128,
    /// When set, only these files may have changed since the cache was
    /// filled (watch mode knows), so the others are not even hashed.
    pub only_changed: Option<HashSet<PathBuf>>,
    /// A store of stories validated by earlier runs, by key (the build cache
    /// folder): asked before validating a story that is not in memory.
    pub disk: Option<Arc<DiskLookup>>,
    /// The registry as last parsed: a hash of its text, the outlets and the
    /// problems found.
    outlets: Option<(u128, Vec<Outlet>, Vec<Diagnostic>)>,
    /// The stories of the last run without a problem, in site order, with
    /// the context and `drafts` setting they were listed under.
    last: Option<(u128, bool, Vec<Arc<Story>>)>,
}

pub type DiskLookup = dyn Fn(u128) -> Option<Story> + Send + Sync;

#[derive(Clone)]
pub struct CachedStory {
    /// Hash of the file's path and text and of what validation looked up.
    pub key: u128,
    pub result: Result<Arc<Story>, Vec<Diagnostic>>,
    /// Validated in this run (not found in memory or on disk).
    pub fresh: bool,
}

/// `site`, reusing and refreshing `cache`.
pub fn site_cached(
    config: Config,
    inputs: &mut Inputs,
    drafts: bool,
    cache: &mut Cache,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = inputs.errors.clone();
    let registry = inputs
        .outlets_yaml
        .as_ref()
        .map_or(0, |f| xxh3_128(f.text.as_bytes()));
    let outlets = match &cache.outlets {
        Some((hash, outlets, problems)) if *hash == registry => {
            diags.extend(problems.iter().cloned());
            outlets.clone()
        }
        _ => {
            let mut problems = Vec::new();
            let outlets = outlets(inputs.outlets_yaml.as_ref(), &mut problems);
            diags.extend(problems.iter().cloned());
            cache.outlets = Some((registry, outlets.clone(), problems));
            outlets
        }
    };
    if inputs.outlets_yaml.is_none() && !inputs.stories.is_empty() {
        diags.push(Diagnostic::new(
            Path::new(OUTLETS_YAML),
            0,
            0,
            "missing: every source names an outlet from this file",
        ));
    }
    let outlet_ids: HashMap<&str, usize> = outlets
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let statics: HashSet<&str> = inputs
        .statics
        .iter()
        .map(|s: &StaticFile| s.out.as_str())
        .collect();
    let markdown = Markdown {
        allow_raw_html: config.allow_raw_html,
    };
    if let Some(src) = &config.image {
        if !is_web_url(src) && !statics.contains(src.trim_start_matches('/')) {
            let text = inputs
                .site_yaml
                .as_ref()
                .map(|f| f.text.as_str())
                .unwrap_or("");
            let mut p = Problems::new(Path::new(SITE_YAML), text, 1);
            p.at(
                KeyPath::root().key("image"),
                format!(
                    "no file static/{}: expected a path under static/ or an https URL",
                    src.trim_start_matches('/')
                ),
            );
            diags.extend(p.finish());
        }
    }
    // What a story's validation depends on besides its own text: the outlet
    // ids (sources point at outlets by index), the static files (image
    // paths) and the Markdown options.
    let context_key = {
        let mut h = Xxh3::new();
        for o in &outlets {
            h.update(o.id.as_bytes());
            h.update(b"\n");
        }
        for s in &inputs.statics {
            h.update(s.out.as_bytes());
            h.update(b"\n");
        }
        h.update(&[config.allow_raw_html as u8]);
        h.digest128()
    };
    let check = StoryCheck {
        outlet_ids: &outlet_ids,
        statics: &statics,
        markdown,
        context: context_key,
    };
    let only_changed = cache
        .only_changed
        .take()
        .filter(|_| cache.context == context_key);
    cache.context = context_key;
    let disk = cache.disk.clone();
    let validate_file = |f: &TextFile, previous: &FxHashMap<String, CachedStory>| -> CachedStory {
        let key = story_key(context_key, f);
        if let Some(hit) = previous
            .get(&*f.rel.to_string_lossy())
            .filter(|c| c.key == key)
        {
            let mut hit = hit.clone();
            hit.fresh = false;
            return hit;
        }
        if let Some(story) = disk.as_ref().and_then(|lookup| lookup(key)) {
            return CachedStory {
                key,
                result: Ok(Arc::new(story)),
                fresh: false,
            };
        }
        let (story, d) = story(f, &check);
        let result = match story {
            Some(s) if d.is_empty() => Ok(Arc::new(s)),
            _ => Err(d),
        };
        CachedStory {
            key,
            result,
            fresh: true,
        }
    };
    let last = cache
        .last
        .take()
        .filter(|(context, with_drafts, _)| *context == context_key && *with_drafts == drafts);
    let mut replaced: Vec<Replaced> = Vec::new();
    let watched = only_changed.is_some();
    match only_changed {
        // Watch mode knows which files changed: only those are looked at,
        // and the cache is updated in place.
        Some(changed) => {
            for rel in &changed {
                let key = rel.to_string_lossy();
                let before = cache
                    .stories
                    .get(&*key)
                    .and_then(|c| c.result.as_ref().ok().cloned());
                match inputs
                    .stories
                    .binary_search_by(|f| f.rel.as_path().cmp(rel))
                {
                    Ok(i) => {
                        let entry = validate_file(&inputs.stories[i], &cache.stories);
                        replaced.push((before, entry.result.as_ref().ok().cloned()));
                        cache.stories.insert(key.into_owned(), entry);
                    }
                    Err(_) => {
                        replaced.push((before, None));
                        cache.stories.remove(&*key);
                    }
                }
            }
        }
        None => {
            let previous = std::mem::take(&mut cache.stories);
            let release = inputs.release_story_texts.is_some();
            cache.stories = inputs
                .stories
                .par_iter_mut()
                .map(|f| {
                    let entry = validate_file(f, &previous);
                    if release && entry.result.is_ok() {
                        f.text = String::new();
                    }
                    (f.rel.to_string_lossy().into_owned(), entry)
                })
                .collect();
        }
    }
    let patched = match &last {
        Some((_, _, list)) if watched && diags.is_empty() => patch_stories(list, &replaced),
        _ => None,
    };
    let stories = match patched {
        Some(stories) => stories,
        None => list_stories(inputs, &cache.stories, drafts, &mut diags),
    };

    let page_results: Vec<(Option<Page>, Vec<Diagnostic>)> =
        inputs.pages.par_iter().map(|f| page(f, markdown)).collect();
    let mut pages = Vec::new();
    for (page, d) in page_results {
        diags.extend(d);
        pages.extend(page);
    }
    let mut page_paths: HashMap<String, &Page> = HashMap::new();
    for pg in &pages {
        if let Some(other) = page_paths.insert(pg.path.clone(), pg) {
            diags.push(Diagnostic::new(
                &pg.file,
                1,
                1,
                format!(
                    "page URL '{}/' is already used by {}",
                    pg.path,
                    other.file.display()
                ),
            ));
        }
    }
    drop(page_paths);

    pages.sort_by(|a, b| a.path.cmp(&b.path));
    if diags.is_empty() {
        cache.last = Some((context_key, drafts, stories.clone()));
    }
    let site = Site {
        config,
        outlets,
        stories,
        pages,
    };
    (site, crate::diag::sorted(diags))
}

/// Every valid story, checked across stories (unique slugs, drafts
/// included; related slugs that name a story), without drafts unless asked
/// for, newest first.
fn list_stories(
    inputs: &Inputs,
    validated: &FxHashMap<String, CachedStory>,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Arc<Story>> {
    let mut stories = Vec::with_capacity(inputs.stories.len());
    for f in &inputs.stories {
        match validated.get(&*f.rel.to_string_lossy()).map(|c| &c.result) {
            Some(Ok(s)) => stories.push(s.clone()),
            Some(Err(d)) => diags.extend(d.iter().cloned()),
            None => {}
        }
    }

    // Slugs are unique across the site, drafts included.
    let mut by_slug: FxHashMap<&str, &Arc<Story>> = FxHashMap::default();
    for s in &stories {
        if let Some(first) = by_slug.insert(&s.slug, s) {
            let (a, b) = if first.file < s.file {
                (first, s)
            } else {
                (s, first)
            };
            let message = format!("'{}' is already used by {}", b.slug, a.file.display());
            diags.push(story_problem(
                inputs,
                b,
                KeyPath::root().key("slug"),
                message,
            ));
        }
    }
    for s in &stories {
        for r in &s.related {
            if !by_slug.contains_key(r.as_str()) {
                let index = s.related.iter().position(|x| x == r).unwrap_or(0);
                let key = KeyPath::root().key("related").index(index);
                diags.push(story_problem(
                    inputs,
                    s,
                    key,
                    format!("no story has the slug '{r}'"),
                ));
            }
        }
    }
    drop(by_slug);

    if !drafts {
        stories.retain(|s| !s.draft);
    }
    stories.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    stories
}

/// A changed story file's story before and after (None: missing or invalid).
type Replaced = (Option<Arc<Story>>, Option<Arc<Story>>);

/// The last run's stories with the changed ones put in place, when each
/// changed file was and still is a valid story with the same slug, date,
/// draft flag and related stories, and every related slug still names a
/// story: then the list needs no new checks across stories and keeps its
/// order. None when it cannot be told this cheaply.
fn patch_stories(last: &[Arc<Story>], replaced: &[Replaced]) -> Option<Vec<Arc<Story>>> {
    let mut stories = last.to_vec();
    for (before, after) in replaced {
        let (before, after) = (before.as_ref()?, after.as_ref()?);
        let same_place = before.slug == after.slug
            && before.date == after.date
            && before.draft == after.draft
            && before.related == after.related;
        if !same_place {
            return None;
        }
        let at = stories.iter().position(|s| Arc::ptr_eq(s, before))?;
        stories[at] = after.clone();
    }
    Some(stories)
}

/// A problem found across stories, positioned at `key` in the story's front
/// matter (or its first line when the key is not written there).
fn story_problem(inputs: &Inputs, story: &Story, key: KeyPath, message: String) -> Diagnostic {
    let text = inputs.text_of(&story.file).unwrap_or_default();
    let yaml = split_front_matter(&text).map(|fm| fm.yaml).unwrap_or("");
    let mut p = Problems::new(&story.file, yaml, 2);
    p.at(key, message);
    p.finish().remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(parse_date("2025-05-15T08:00:00Z").is_some());
        assert!(parse_date("2025-05-15T08:00:00+02:00").is_some());
        assert_eq!(
            parse_date("2025-05-15").map(|d| d.to_rfc3339()),
            Some("2025-05-15T00:00:00+00:00".into())
        );
        assert!(parse_date("15/05/2025").is_none());
        assert!(parse_date("2025-02-30").is_none());
    }

    #[test]
    fn front_matter_split() {
        let fm = split_front_matter("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(fm.yaml, "title: x\n");
        assert_eq!(fm.body, "body\n");
        assert!(split_front_matter("title: x\n").is_err());
        assert!(split_front_matter("---\ntitle: x\n").is_err());
    }
}
