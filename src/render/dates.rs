//! How the site writes a date: RFC 3339 for machines, and for readers as
//! the site's language writes it, from its translation table: "15 May
//! 2025" and "15 May 2025, 08:00 UTC", "15 mai 2025 à 08:00 UTC", "15. Mai
//! 2025", "15 de mayo de 2025" (`date_day`, `date_time`, the month names).
//! Formatting only: every date a reader sees is in UTC, and nothing here
//! knows which page shows it.

use crate::i18n::{fill, Translations};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use serde::Serialize;
use std::borrow::Cow;

/// A date as templates see it (docs/templates.md: `{iso, display, day}`).
#[derive(Serialize, Clone)]
pub(super) struct When {
    iso: String,
    display: String,
    day: String,
}

pub(super) fn when(t: &Translations, dt: &DateTime<FixedOffset>) -> When {
    let utc = dt.naive_utc();
    let day = day_text(t, &utc.date());
    let (hour, minute) = (format!("{:02}", utc.hour()), format!("{:02}", utc.minute()));
    let display = fill(t.text("date_time"), |name| match name {
        "date" => Some(Cow::Borrowed(day.as_str())),
        "hour" => Some(Cow::Borrowed(hour.as_str())),
        "minute" => Some(Cow::Borrowed(minute.as_str())),
        _ => None,
    });
    When {
        iso: rfc3339(dt),
        display,
        day,
    }
}

/// A date without a time (a timeline's day): `display` is the day alone.
pub(super) fn when_day(t: &Translations, day: &NaiveDate) -> When {
    let text = day_text(t, day);
    When {
        iso: day.format("%Y-%m-%d").to_string(),
        display: text.clone(),
        day: text,
    }
}

/// The keys of the month names, January first.
const MONTHS: [&str; 12] = [
    "month_january",
    "month_february",
    "month_march",
    "month_april",
    "month_may",
    "month_june",
    "month_july",
    "month_august",
    "month_september",
    "month_october",
    "month_november",
    "month_december",
];

/// "7 May 2025" (in English: what `%-d %B %Y` gives), without parsing a
/// format string for each of the dozens of dates a story page shows.
pub fn day_text(t: &Translations, day: &NaiveDate) -> String {
    let number = day.day().to_string();
    let first = t.text("date_first_of_month");
    let year = if (0..=9999).contains(&day.year()) {
        format!("{:04}", day.year())
    } else {
        day.format("%Y").to_string()
    };
    fill(t.text("date_day"), |name| match name {
        "day" if day.day() == 1 => Some(Cow::Borrowed(first)),
        "day" => Some(Cow::Borrowed(number.as_str())),
        "month" => Some(Cow::Borrowed(t.text(MONTHS[day.month0() as usize]))),
        "year" => Some(Cow::Borrowed(year.as_str())),
        _ => None,
    })
}

/// RFC 3339 with `Z` for UTC, seconds only: the form the site format shows.
pub fn rfc3339(dt: &DateTime<FixedOffset>) -> String {
    dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::built_in_translations;

    #[test]
    fn english_dates_read_as_strftime_writes_them() {
        let en = built_in_translations("en");
        for text in [
            "2025-05-07T09:05:00Z",
            "1999-12-31T23:59:59+02:00",
            "0042-01-01T00:00:00Z",
        ] {
            let dt = DateTime::parse_from_rfc3339(text).unwrap();
            let utc = dt.naive_utc();
            let w = when(&en, &dt);
            assert_eq!(w.day, utc.format("%-d %B %Y").to_string());
            assert_eq!(w.display, utc.format("%-d %B %Y, %H:%M UTC").to_string());
            let d = when_day(&en, &utc.date());
            assert_eq!(d.display, utc.format("%-d %B %Y").to_string());
        }
    }

    #[test]
    fn each_shipped_language_writes_its_dates() {
        let dt = DateTime::parse_from_rfc3339("2025-05-15T08:00:00Z").unwrap();
        let first = NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
        for (language, display, first_day) in [
            ("fr", "15 mai 2025 à 08:00 UTC", "1er mai 2025"),
            ("de", "15. Mai 2025, 08:00 UTC", "1. Mai 2025"),
            ("es", "15 de mayo de 2025, 08:00 UTC", "1 de mayo de 2025"),
            ("ar", "15 مايو 2025، 08:00 UTC", "1 مايو 2025"),
        ] {
            let t = built_in_translations(language);
            assert_eq!(when(&t, &dt).display, display, "{language}");
            assert_eq!(day_text(&t, &first), first_day, "{language}");
        }
    }
}
