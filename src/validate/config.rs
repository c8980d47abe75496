//! site.yaml: every setting, its default, and the rules on its value (URLs,
//! counts, shares, the theme's name). Runs at load time, before the rest of
//! validation, because the theme it names decides which templates load; it
//! must not look at anything but site.yaml's text.

use super::positions::KeyPath;
use super::problems::{yaml_error, Problems};
use super::raw::{RawConfig, Text};
use crate::diag::Diagnostic;
use crate::load::{TextFile, SITE_YAML};
use crate::markdown::is_web_url;
use crate::model::{Config, Newsletter};
use std::path::Path;

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
