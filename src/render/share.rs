//! A story's share card as an output: what it shows, from the model and the
//! derived facts (`card_of`, which its key hashes too), and its bytes, drawn
//! by `share_card`. Which stories have one is `jobs::Layout`'s.

use super::views::Ctx;
use crate::derive::Derived;
use crate::diag::Diagnostic;
use crate::model::{Bucket, Site};
use crate::paths::{CARD_FONT_BOLD, THEME_FONTS_DIR};
use crate::share_card::{self, Card};
use std::path::Path;

/// What story `i`'s card shows: everything its bytes depend on besides the
/// style and the fonts.
pub(super) fn card_of<'a>(site: &'a Site, derived: &Derived, i: usize) -> Card<'a> {
    let story = &site.stories[i];
    let coverage = &derived.stories[i].coverage;
    Card {
        site_name: &site.config.title,
        title: &story.title,
        counts: Bucket::ALL.map(|b| coverage.count(b)),
        percents: Bucket::ALL.map(|b| coverage.percent_of(b)),
        untracked: coverage.untracked,
        sources: coverage.total,
        blindspot: derived.stories[i].blindspot,
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
