//! `did you mean …?`: the known name closest to a misspelt one, when it is
//! close enough to be the likely intent.

/// The known name most like `written`, as a help line, when one is close:
/// a small edit distance for its length, or the same letters in another
/// case or with `_` and `-` swapped.
pub(crate) fn did_you_mean<'a>(
    written: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let folded = fold(written);
    let best = known
        .into_iter()
        .filter(|name| *name != written)
        .map(|name| {
            let distance = if fold(name) == folded {
                0
            } else {
                strsim::damerau_levenshtein(&folded, &fold(name))
            };
            (distance, name)
        })
        .min()?;
    let allowed = match written.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    (best.0 <= allowed).then(|| format!("did you mean '{}'?", best.1))
}

fn fold(name: &str) -> String {
    name.to_lowercase().replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let keys = ["title", "summary", "sources", "date"];
        assert_eq!(
            did_you_mean("sumary", keys).as_deref(),
            Some("did you mean 'summary'?")
        );
        assert_eq!(
            did_you_mean("sorces", keys).as_deref(),
            Some("did you mean 'sources'?")
        );
        assert_eq!(
            did_you_mean("Title", keys).as_deref(),
            Some("did you mean 'title'?")
        );
        assert_eq!(did_you_mean("location", keys), None);
        assert_eq!(
            did_you_mean("centre", ["left", "center", "right"]).as_deref(),
            Some("did you mean 'center'?")
        );
        assert_eq!(did_you_mean("x", ["title"]), None);
    }
}
