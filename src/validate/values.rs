//! Values that several files share: required text, dates (story dates,
//! sources' `published`, history), biases (outlets and sources) and web
//! URLs (site.yaml, outlets, sources). Owns what counts as each and the one
//! message an editor sees for a bad one, wherever it is written; which keys
//! need which value is decided by the file's own module.

use super::positions::KeyPath;
use super::problems::Problems;
use super::raw::Text;
use super::suggest::did_you_mean;
use crate::markdown::is_web_url;
use crate::model::{Bias, Factuality};
use chrono::{DateTime, FixedOffset, NaiveDate};

/// The text at a key that must be written: `missing` is reported at
/// `parent` (where the key should be) when it is absent or blank.
pub(super) fn check_required_text(
    problems: &mut Problems,
    written: Option<&Text>,
    parent: &KeyPath,
    missing: &str,
) -> Option<String> {
    let text = written.and_then(Text::non_empty);
    if text.is_none() {
        problems.at(parent.clone(), missing);
    }
    text
}

/// An RFC 3339 date-time, or a `YYYY-MM-DD` date taken as midnight UTC.
pub(super) fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(date_time) = DateTime::parse_from_rfc3339(text) {
        return Some(date_time);
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let utc = FixedOffset::east_opt(0)?;
    date.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single()
}

/// The date `text` written at `key`, or a problem there.
pub(super) fn check_date(
    problems: &mut Problems,
    key: KeyPath,
    text: &str,
) -> Option<DateTime<FixedOffset>> {
    let parsed = parse_date(text);
    if parsed.is_none() {
        problems.at(key, format!("expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '{text}'"));
    }
    parsed
}

/// The date at `parent.key`, which must be written: `missing` is reported
/// at `parent` (where the key should be) when it is not.
pub(super) fn check_required_date(
    problems: &mut Problems,
    written: Option<&Text>,
    parent: &KeyPath,
    key: &str,
    missing: &str,
) -> Option<DateTime<FixedOffset>> {
    let text = check_required_text(problems, written, parent, missing)?;
    check_date(problems, parent.key(key), &text)
}

/// An optional bias at `parent.bias`: one of the seven names.
pub(super) fn check_bias(
    problems: &mut Problems,
    parent: &KeyPath,
    written: Option<&str>,
) -> Option<Bias> {
    check_scale(problems, parent.key("bias"), written?, "bias", &Bias::ALL)
}

/// An optional factuality at `parent.factuality`: one of the five names.
pub(super) fn check_factuality(
    problems: &mut Problems,
    parent: &KeyPath,
    written: Option<&str>,
) -> Option<Factuality> {
    check_scale(
        problems,
        parent.key("factuality"),
        written?,
        "factuality",
        &Factuality::ALL,
    )
}

/// A rating on a named scale, with `did you mean` for a near miss.
fn check_scale<T: Copy>(
    problems: &mut Problems,
    key: KeyPath,
    written: &str,
    what: &str,
    scale: &[(&'static str, T)],
) -> Option<T> {
    let name = written.trim();
    let found = scale
        .iter()
        .find(|(id, _)| *id == name)
        .map(|(_, value)| *value);
    if found.is_none() {
        let names: Vec<&str> = scale.iter().map(|(id, _)| *id).collect();
        problems.at_with_help(
            key,
            format!(
                "unknown {what} '{written}' (expected one of: {})",
                names.join(", ")
            ),
            did_you_mean(name, names.iter().copied()),
        );
    }
    found
}

/// An optional http or https URL at `parent.key`.
pub(super) fn check_web_url(problems: &mut Problems, parent: &KeyPath, key: &str, url: &str) {
    if !is_web_url(url) {
        problems.at(
            parent.key(key),
            format!("expected an http or https URL, found '{url}'"),
        );
    }
}

/// The http or https URL at `parent.url`, which must be written.
pub(super) fn check_required_web_url(problems: &mut Problems, parent: &KeyPath, url: Option<&str>) {
    match url {
        None => problems.at(
            parent.clone(),
            "missing key 'url' (expected an http or https URL)",
        ),
        Some(url) => check_web_url(problems, parent, "url", url),
    }
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
}
