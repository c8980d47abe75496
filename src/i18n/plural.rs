//! Plural categories (CLDR's zero, one, two, few, many and other) for whole
//! numbers, by language: which form of a phrase a count takes. The rules
//! are CLDR's for integers, written out for the languages whose rules are
//! not English's; any other language gets English's (one for 1, other for
//! the rest), and a phrase without the chosen form uses its `other`. The
//! browser's `Intl.PluralRules` gives the same categories, so the search
//! page's script picks the forms a build would.

use serde::Serialize;

/// A plural category, in CLDR's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Zero,
        Category::One,
        Category::Two,
        Category::Few,
        Category::Many,
        Category::Other,
    ];

    pub fn name(self) -> &'static str {
        ["zero", "one", "two", "few", "many", "other"][self as usize]
    }

    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The category of `n` in the language whose primary subtag is `primary`
/// (lowercase: `fr`, `ar`).
pub fn category(primary: &str, n: u64) -> Category {
    use Category::*;
    let million = n != 0 && n.is_multiple_of(1_000_000);
    match primary {
        // 0 and 1 are singular; round millions take "de" ("1 million de").
        "fr" | "pt" => match n {
            0 | 1 => One,
            _ if million => Many,
            _ => Other,
        },
        "es" | "it" | "ca" => match n {
            1 => One,
            _ if million => Many,
            _ => Other,
        },
        "ar" => match (n, n % 100) {
            (0, _) => Zero,
            (1, _) => One,
            (2, _) => Two,
            (_, 3..=10) => Few,
            (_, 11..=99) => Many,
            _ => Other,
        },
        "he" | "iw" => match n {
            1 => One,
            2 => Two,
            _ => Other,
        },
        "fa" | "hi" | "bn" | "am" | "zu" => match n {
            0 | 1 => One,
            _ => Other,
        },
        "ja" | "zh" | "ko" | "th" | "vi" | "id" | "ms" | "my" | "lo" | "km" => Other,
        _ => match n {
            1 => One,
            _ => Other,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::*;

    #[test]
    fn counts_take_the_forms_cldr_gives_them() {
        let forms =
            |lang: &str, ns: &[u64]| ns.iter().map(|&n| category(lang, n)).collect::<Vec<_>>();
        assert_eq!(forms("en", &[0, 1, 2, 21]), [Other, One, Other, Other]);
        assert_eq!(forms("de", &[0, 1, 2]), [Other, One, Other]);
        assert_eq!(forms("fr", &[0, 1, 2, 1_000_000]), [One, One, Other, Many]);
        assert_eq!(
            forms("es", &[0, 1, 2, 2_000_000]),
            [Other, One, Other, Many]
        );
        assert_eq!(
            forms("ar", &[0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111]),
            [Zero, One, Two, Few, Few, Many, Many, Other, Other, Few, Many]
        );
        assert_eq!(forms("he", &[1, 2, 3, 20]), [One, Two, Other, Other]);
        assert_eq!(forms("xx", &[1, 2]), [One, Other]);
        for c in Category::ALL {
            assert_eq!(Category::parse(c.name()), Some(c));
        }
    }
}
