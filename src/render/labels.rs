//! The words views take from the translation table rather than from a
//! template: the names of the sides, bias ratings and factuality ratings,
//! the source filters' "All", the share links' names, the breakdowns'
//! "Unknown". One key per value, spelt here once; the tests hold each to
//! the theme's English table.

use crate::derive::Share;
use crate::i18n::Translations;
use crate::model::{Bias, Bucket, Factuality};
use serde::Serialize;

const SIDES: [&str; 3] = ["side_left", "side_center", "side_right"];
const BIASES: [&str; 7] = [
    "bias_far_left",
    "bias_left",
    "bias_lean_left",
    "bias_center",
    "bias_lean_right",
    "bias_right",
    "bias_far_right",
];
const FACTUALITY: [&str; 5] = [
    "factuality_very_high",
    "factuality_high",
    "factuality_mixed",
    "factuality_low",
    "factuality_very_low",
];
pub(super) const FILTER_ALL: &str = "filter_all";
const UNKNOWN: &str = "unknown";
/// The share links, by the id views give them.
pub(super) const SHARE: [(&str, &str); 6] = [
    ("email", "share_email"),
    ("bluesky", "share_bluesky"),
    ("mastodon", "share_mastodon"),
    ("x", "share_x"),
    ("facebook", "share_facebook"),
    ("linkedin", "share_linkedin"),
];

pub(super) fn side(t: &Translations, bucket: Bucket) -> &str {
    t.text(SIDES[bucket as usize])
}

pub(super) fn bias(t: &Translations, bias: Bias) -> &str {
    t.text(BIASES[bias as usize])
}

pub(super) fn factuality(t: &Translations, rating: Factuality) -> &str {
    t.text(FACTUALITY[rating as usize])
}

pub(super) fn share(t: &Translations, id: &str) -> String {
    SHARE
        .iter()
        .find(|(known, _)| *known == id)
        .map_or(id, |(_, key)| t.text(key))
        .to_string()
}

/// A row of a breakdown (factuality, ownership) as templates see it.
#[derive(Serialize)]
pub(super) struct ShareView<'a> {
    id: &'a str,
    label: &'a str,
    count: u32,
    percent: u32,
}

/// The factuality breakdown, its ratings and "Unknown" in the language.
pub(super) fn factuality_rows<'a>(t: &'a Translations, rows: &'a [Share]) -> Vec<ShareView<'a>> {
    rows.iter()
        .map(|row| {
            let rating = Factuality::parse(&row.id);
            let label = match (row.unknown, rating) {
                (true, _) => t.text(UNKNOWN),
                (false, Some(rating)) => factuality(t, rating),
                (false, None) => &row.label,
            };
            row_view(row, label)
        })
        .collect()
}

/// The ownership breakdown: owners by name, "Unknown" in the language.
pub(super) fn ownership_rows<'a>(t: &'a Translations, rows: &'a [Share]) -> Vec<ShareView<'a>> {
    rows.iter()
        .map(|row| {
            row_view(
                row,
                if row.unknown {
                    t.text(UNKNOWN)
                } else {
                    &row.label
                },
            )
        })
        .collect()
}

fn row_view<'a>(row: &'a Share, label: &'a str) -> ShareView<'a> {
    ShareView {
        id: &row.id,
        label,
        count: row.count,
        percent: row.percent,
    }
}

/// Every key this file asks for.
#[cfg(test)]
pub(super) fn keys() -> Vec<&'static str> {
    let mut keys: Vec<&str> = SIDES
        .iter()
        .chain(&BIASES)
        .chain(&FACTUALITY)
        .copied()
        .collect();
    keys.extend([FILTER_ALL, UNKNOWN]);
    keys.extend(SHARE.iter().map(|(_, key)| *key));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::built_in_translations;

    #[test]
    fn every_key_asked_for_is_in_the_english_table() {
        let en = built_in_translations("en");
        let mut asked = keys();
        asked.extend(["date_day", "date_time", "date_first_of_month"]);
        for key in asked {
            assert!(en.phrase(key).is_some(), "{key}");
        }
        assert_eq!(side(&en, Bucket::Center), "Center");
        assert_eq!(bias(&en, Bias::LeanRight), Bias::LeanRight.label());
        assert_eq!(
            factuality(&en, Factuality::VeryLow),
            Factuality::VeryLow.label()
        );
    }
}
