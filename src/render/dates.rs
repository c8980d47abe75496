//! How the site writes a date: RFC 3339 for machines, "15 May 2025" and
//! "15 May 2025, 08:00 UTC" for readers. Formatting only: every date a reader
//! sees is in UTC, and nothing here knows which page shows it.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use serde::Serialize;

/// A date as templates see it (docs/templates.md: `{iso, display, day}`).
#[derive(Serialize, Clone)]
pub(super) struct When {
    iso: String,
    display: String,
    day: String,
}

pub(super) fn when(dt: &DateTime<FixedOffset>) -> When {
    let utc = dt.naive_utc();
    let day = day_text(&utc.date());
    When {
        iso: rfc3339(dt),
        display: format!("{day}, {:02}:{:02} UTC", utc.hour(), utc.minute()),
        day,
    }
}

/// A date without a time (a timeline's day): `display` is the day alone.
pub(super) fn when_day(day: &NaiveDate) -> When {
    let text = day_text(day);
    When {
        iso: day.format("%Y-%m-%d").to_string(),
        display: text.clone(),
        day: text,
    }
}

/// "7 May 2025": what `%-d %B %Y` gives, without parsing a format string
/// for each of the dozens of dates a story page shows.
pub fn day_text(day: &NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if (0..=9999).contains(&day.year()) {
        format!(
            "{} {} {:04}",
            day.day(),
            MONTHS[day.month0() as usize],
            day.year()
        )
    } else {
        day.format("%-d %B %Y").to_string()
    }
}

/// RFC 3339 with `Z` for UTC, seconds only: the form the site format shows.
pub fn rfc3339(dt: &DateTime<FixedOffset>) -> String {
    dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_strftime_writes_them() {
        for text in [
            "2025-05-07T09:05:00Z",
            "1999-12-31T23:59:59+02:00",
            "0042-01-01T00:00:00Z",
        ] {
            let dt = DateTime::parse_from_rfc3339(text).unwrap();
            let utc = dt.naive_utc();
            let w = when(&dt);
            assert_eq!(w.day, utc.format("%-d %B %Y").to_string());
            assert_eq!(w.display, utc.format("%-d %B %Y, %H:%M UTC").to_string());
            let d = when_day(&utc.date());
            assert_eq!(d.display, utc.format("%-d %B %Y").to_string());
        }
    }
}
