//! A story's share card as an output: what it shows, from the model and the
//! derived facts (`card_of`, which its key hashes too), and its bytes, drawn
//! by `share_card`. Which stories have one is `jobs::Layout`'s.

use super::views::Ctx;
use crate::derive::Derived;
use crate::diag::Diagnostic;
use crate::model::{Bucket, Site};
use crate::paths::{CARD_FONT_BOLD, THEME_FONTS_DIR};
use crate::share_card::keys::*;
use crate::share_card::{self, Card, Words};
use std::path::Path;

/// What story `i`'s card shows: everything its bytes depend on besides the
/// style and the fonts, its words in the site's language.
pub(super) fn card_of<'a>(site: &'a Site, derived: &Derived, i: usize) -> Card<'a> {
    let t = &*site.translations;
    let coverage = &derived.stories[i].coverage;
    let percents = Bucket::ALL.map(|b| coverage.percent_of(b));
    let percent = |p: u32| t.fill(PERCENT, None, &[("value", &p.to_string())]);
    let blindspot = derived.stories[i].blindspot.map(|side| {
        let key = format!("{BLINDSPOT_SIDE}{}", side.id());
        let share = percent(coverage.percent_of(side));
        let why = t.fill(&key, None, &[("percent", &share)]);
        format!("{} {why}", t.text(BLINDSPOT_LABEL))
    });
    let untracked = coverage.untracked;
    Card {
        site_name: &site.config.title,
        title: &site.stories[i].title,
        percents,
        words: Words {
            sources: t.fill(SOURCES_COUNT, Some(coverage.total.into()), &[]),
            sides: SIDES.map(|key| t.text(key).to_string()),
            percents: percents.map(percent),
            no_rated: t.text(NO_RATED_SOURCES).to_string(),
            untracked: (untracked > 0)
                .then(|| t.fill(UNTRACKED_BIAS_COUNT, Some(untracked.into()), &[])),
            blindspot,
        },
    }
}

/// The PNG of story `i`'s card; with `draw` false (a check, which only
/// claims paths), no bytes at all.
pub(super) fn render_share_card(ctx: &Ctx, i: usize, draw: bool) -> Result<Vec<u8>, Diagnostic> {
    if !draw {
        return Ok(Vec::new());
    }
    let card = card_of(ctx.site, ctx.derived, i);
    share_card::draw(&card, ctx.card_style).map_err(|why| {
        // Not an editor's doing: the fonts are the binary's own.
        let font = Path::new("(built-in theme)")
            .join(THEME_FONTS_DIR)
            .join(CARD_FONT_BOLD);
        Diagnostic::new(&font, 0, 0, why)
    })
}
