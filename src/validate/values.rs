//! Dates: the one value format that several files share (story dates,
//! sources' `published`, history). Owns what counts as a date and the
//! message for one that is not; knows nothing of which key needs one.

use super::positions::KeyPath;
use super::problems::Problems;
use chrono::{DateTime, FixedOffset, NaiveDate};

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

pub(super) fn date_or_problem(
    p: &mut Problems,
    key: KeyPath,
    text: &str,
) -> Option<DateTime<FixedOffset>> {
    let parsed = parse_date(text);
    if parsed.is_none() {
        p.at(key, format!("expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found '{text}'"));
    }
    parsed
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
