//! site.yaml: every setting, its default, and the rules on its value (URLs,
//! counts, shares, the theme's name). `config` runs at load time, before the
//! rest of validation, because the theme it names decides which templates
//! load; so it reads nothing but site.yaml's text. The two rules that need
//! more (the theme folder exists, a local image is a static file) are
//! separate functions, called once that is known.

use super::limits;
use super::positions::KeyPath;
use super::problems::Problems;
use super::raw::{RawBlindspot, RawConfig, RawNewsletter, Text};
use super::reading::read_yaml;
use super::values::{check_required_text, check_required_web_url, check_web_url};
use crate::diag::Diagnostic;
use crate::load::TextFile;
use crate::markdown::is_web_url;
use crate::model::{Config, Newsletter};
use crate::paths::SITE_YAML;
use std::collections::HashSet;
use std::path::Path;

const DEFAULT_BASE_URL: &str = "http://127.0.0.1:1111";

/// The settings, with defaults for everything site.yaml leaves out.
pub fn config(
    file: Option<&TextFile>,
    base_url_override: Option<&str>,
) -> (Config, Vec<Diagnostic>) {
    let path = Path::new(SITE_YAML);
    let text = file.map(|f| f.text.as_str()).unwrap_or("");
    if let Some(bound) = limits::check_file(path, text, limits::FILE_MAX) {
        return (default_config(), vec![bound]);
    }
    let (raw, misfits) = if text.trim().is_empty() {
        (RawConfig::default(), Vec::new())
    } else {
        match read_yaml::<RawConfig>(path, text, 1) {
            (Some(raw), misfits) => (raw, misfits),
            (None, misfits) if !misfits.is_empty() => return (default_config(), misfits),
            (None, _) => (RawConfig::default(), Vec::new()),
        }
    };
    let mut problems = Problems::new(path, text, 1);
    let (base_url, base_url_is_default) =
        check_base_url(&mut problems, raw.base_url.as_ref(), base_url_override);
    let base_path = crate::paths::base_path(&base_url);
    let stories_per_page =
        check_at_least_one(&mut problems, "stories_per_page", raw.stories_per_page, 20);
    let feed_limit = check_at_least_one(&mut problems, "feed_limit", raw.feed_limit, 20);
    let similar_limit = check_similar_limit(&mut problems, raw.similar_stories);
    let newsletter = raw
        .newsletter
        .as_ref()
        .and_then(|newsletter| check_newsletter(&mut problems, newsletter));
    let (min_sources, max_share) = check_blindspot(&mut problems, raw.blindspot.as_ref());
    let report_issue_url = check_report_issue_url(&mut problems, raw.report_issue_url.as_ref());
    let corrections_policy = raw.corrections_policy.as_ref().and_then(Text::non_empty);
    if let Some(url) = &corrections_policy {
        check_web_url(&mut problems, &KeyPath::root(), "corrections_policy", url);
    }
    let image = check_image(&mut problems, raw.image.as_ref());
    let theme = check_theme(&mut problems, raw.theme.as_ref());

    let config = Config {
        title: text_or(raw.title.as_ref(), "Parallax"),
        base_url,
        base_path,
        base_url_is_default,
        language: text_or(raw.language.as_ref(), "en"),
        description: text_or(raw.description.as_ref(), ""),
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
        search: raw.search.unwrap_or(true),
        corrections_policy,
        share_cards: raw.share_cards.unwrap_or(true),
    };
    let diags = problems.finish_after(misfits);
    (config, diags)
}

fn default_config() -> Config {
    config(None, None).0
}

fn text_or(written: Option<&Text>, default: &str) -> String {
    written
        .and_then(Text::non_empty)
        .unwrap_or_else(|| default.to_string())
}

/// The base URL without a trailing slash, and whether it is the default:
/// `--base-url` wins over site.yaml.
fn check_base_url(
    problems: &mut Problems,
    written: Option<&Text>,
    base_url_override: Option<&str>,
) -> (String, bool) {
    let (base_url, is_default) = match base_url_override {
        Some(url) => (url.to_string(), false),
        None => match written.and_then(Text::non_empty) {
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
            KeyPath::root().key("base_url"),
            format!("expected an absolute http or https URL, found '{base_url}'{from}"),
        );
    }
    (base_url, is_default)
}

/// A count at `key` that must be at least 1.
fn check_at_least_one(
    problems: &mut Problems,
    key: &str,
    written: Option<i64>,
    default: usize,
) -> usize {
    match written {
        None => default,
        Some(n) if n >= 1 => n as usize,
        Some(n) => {
            problems.at(
                KeyPath::root().key(key),
                format!("expected a whole number of at least 1, found {n}"),
            );
            default
        }
    }
}

/// `similar_stories`: how many, 0 for none.
fn check_similar_limit(problems: &mut Problems, written: Option<i64>) -> usize {
    match written {
        Some(n) if n >= 0 => n as usize,
        Some(n) => {
            problems.at(
                KeyPath::root().key("similar_stories"),
                format!("expected a whole number, found {n}"),
            );
            5
        }
        None => 5,
    }
}

/// The newsletter box: both its text and its URL are required.
fn check_newsletter(problems: &mut Problems, written: &RawNewsletter) -> Option<Newsletter> {
    let key = KeyPath::root().key("newsletter");
    let text = check_required_text(
        problems,
        written.text.as_ref(),
        &key,
        "missing key 'text' (expected the call to action)",
    );
    let url = written.url.as_ref().and_then(Text::non_empty);
    check_required_web_url(problems, &key, url.as_deref());
    Some(Newsletter {
        text: text?,
        url: url?,
    })
}

/// `blindspot.min_sources` (a count) and `blindspot.max_share` (a share).
fn check_blindspot(problems: &mut Problems, written: Option<&RawBlindspot>) -> (usize, f64) {
    let (mut min_sources, mut max_share) = (5usize, 0.2f64);
    let Some(blindspot) = written else {
        return (min_sources, max_share);
    };
    let key = KeyPath::root().key("blindspot");
    if let Some(n) = blindspot.min_sources {
        if n >= 0 {
            min_sources = n as usize;
        } else {
            problems.at(
                key.key("min_sources"),
                format!("expected a whole number, found {n}"),
            );
        }
    }
    if let Some(share) = blindspot.max_share {
        if (0.0..=1.0).contains(&share) {
            max_share = share;
        } else {
            problems.at(
                key.key("max_share"),
                format!("expected a share between 0 and 1, found {share}"),
            );
        }
    }
    (min_sources, max_share)
}

/// `report_issue_url`: mailto links are fine too.
fn check_report_issue_url(problems: &mut Problems, written: Option<&Text>) -> Option<String> {
    let url = written.and_then(Text::non_empty)?;
    if !is_web_url(&url) && !url.starts_with("mailto:") {
        problems.at(
            KeyPath::root().key("report_issue_url"),
            format!("expected an http, https or mailto URL, found '{url}'"),
        );
    }
    Some(url)
}

/// The default `og:image`, in form only: whether a local one exists is
/// `missing_image`'s question, asked once the static files are listed.
fn check_image(problems: &mut Problems, written: Option<&Text>) -> Option<String> {
    let src = written.and_then(Text::non_empty)?;
    if !is_web_url(&src) && (src.contains("..") || src.contains(':')) {
        problems.at(
            KeyPath::root().key("image"),
            format!("expected a path under static/ or an https URL, found '{src}'"),
        );
    }
    Some(src)
}

/// The theme's name, which must be one folder under themes/.
fn check_theme(problems: &mut Problems, written: Option<&Text>) -> String {
    let theme = text_or(written, "default");
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        problems.at(
            KeyPath::root().key("theme"),
            format!("expected a folder name under themes/, found '{theme}'"),
        );
    }
    theme
}

/// Reports a theme that site.yaml names but the site does not have.
pub fn missing_theme(file: Option<&TextFile>, theme: &str) -> Diagnostic {
    site_yaml_problem(
        file,
        "theme",
        format!("no theme '{theme}': expected a folder themes/{theme}/ (or 'default' for the built-in theme)"),
    )
}

/// Reports a local `image` that is not one of the static files.
pub(super) fn missing_image(
    config: &Config,
    file: Option<&TextFile>,
    statics: &HashSet<&str>,
) -> Option<Diagnostic> {
    let src = config.image.as_ref()?;
    let local = src.trim_start_matches('/');
    if is_web_url(src) || statics.contains(local) {
        return None;
    }
    Some(site_yaml_problem(
        file,
        "image",
        format!("no file static/{local}: expected a path under static/ or an https URL"),
    ))
}

/// One problem at a top-level key of site.yaml, positioned.
pub(super) fn site_yaml_problem(file: Option<&TextFile>, key: &str, message: String) -> Diagnostic {
    let text = file.map(|f| f.text.as_str()).unwrap_or("");
    let mut problems = Problems::new(Path::new(SITE_YAML), text, 1);
    problems.at(KeyPath::root().key(key), message);
    problems.finish().remove(0)
}
