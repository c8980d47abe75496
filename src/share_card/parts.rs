//! Where each part of a card goes, and how it is drawn: the site's mark and
//! name at the top, the title below it, and at the bottom, on a panel, the
//! source count, the blindspot badge, the coverage bar and its legend. The
//! measures are for 1200×630; nothing here encodes or reads a file.

use super::canvas::Canvas;
use super::fonts::{Font, Fonts};
use super::style::{Rgb, Style};
use super::wrap::{wrap, ELLIPSIS};
use super::{Card, HEIGHT, WIDTH};
use crate::model::Bucket;
use tiny_skia::{Path, PathBuilder};

const MARGIN: f32 = 72.0;
const CONTENT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
/// Below the header: where the title may start.
const TITLE_TOP: f32 = 128.0;
/// Where the coverage panel starts.
const PANEL_TOP: f32 = 404.0;
/// The coverage bar.
const BAR_TOP: f32 = 478.0;
const BAR_HEIGHT: f32 = 62.0;
const RADIUS: f32 = 12.0;

/// The bar's labels.
const WHITE: Rgb = Rgb(255, 255, 255);

/// Every flat colour a card is painted in (the others are the blends at
/// their edges).
pub(super) fn flat_colours(style: &Style) -> Vec<Rgb> {
    let mut colours = vec![style.bg, style.fg, style.muted, style.line, style.card];
    colours.extend(style.sides);
    colours.extend([style.warn_bg, style.warn_fg, style.warn, WHITE]);
    colours
}

/// The parts every card of a site shares: the background, the site's mark
/// and name, and the coverage panel.
pub(super) fn base(fonts: &Fonts, style: &Style, site_name: &str) -> Canvas {
    let mut canvas = Canvas::new(WIDTH, HEIGHT, &flat_colours(style));
    header(&mut canvas, fonts, style, site_name);
    let (width, panel) = (WIDTH as f32, HEIGHT as f32 - PANEL_TOP);
    canvas.fill_rect(0.0, PANEL_TOP, width, panel, style.card);
    canvas.fill_rect(0.0, PANEL_TOP, width, 2.0, style.line);
    canvas
}

/// Paints one story's parts on its site's `base`.
pub(super) fn paint(canvas: &mut Canvas, fonts: &Fonts, style: &Style, card: &Card) {
    title(canvas, fonts, style, card.title);
    summary_row(canvas, fonts, style, card);
    bar(canvas, fonts, style, card);
    legend(canvas, fonts, style, card);
}

/// The site's mark (the three sides, as in the page header) and its name.
fn header(canvas: &mut Canvas, fonts: &Fonts, style: &Style, site_name: &str) {
    let (x, top, w, h) = (MARGIN, 60.0, 44.0, 36.0);
    for (side, (from, to)) in [(0.0, 0.30), (0.35, 0.65), (0.70, 1.0)].iter().enumerate() {
        let (x, w) = (x + from * w, (to - from) * w);
        canvas.fill_rect(x, top, w, h, style.sides[side]);
    }
    let size = 36.0;
    let name_x = x + w + 18.0;
    let name = one_line(
        &fonts.bold,
        site_name,
        size,
        MARGIN + CONTENT_WIDTH - name_x,
    );
    fonts
        .bold
        .shape(&name, size)
        .draw(canvas, name_x, top + h / 2.0 + 12.5, style.fg);
}

/// The title: large on up to two lines when it fits there, else smaller on
/// up to three, and smaller again, the last line ending in an ellipsis when
/// even that is not enough.
fn title(canvas: &mut Canvas, fonts: &Fonts, style: &Style, title: &str) {
    let font = &fonts.bold;
    let layouts = [(84.0, 2), (72.0, 3), (62.0, 3)];
    let mut chosen = None;
    for (size, max_lines) in layouts {
        let (lines, cut) = wrap(title, CONTENT_WIDTH, max_lines, &|t| font.width(t, size));
        chosen = Some((size, lines));
        if !cut {
            break;
        }
    }
    let Some((size, lines)) = chosen else {
        return;
    };
    let line_height = (size * 1.14f32).round();
    // The block, from the first line's capitals (about 0.7 of the size
    // above the baseline) to the last one's descenders (about 0.2 below),
    // is centred between the header and the panel.
    let (cap, descent) = (size * 0.72, size * 0.22);
    let block = line_height * (lines.len() as f32 - 1.0) + cap + descent;
    let space = PANEL_TOP - TITLE_TOP - block;
    let mut baseline = TITLE_TOP + (space / 2.0).max(0.0) + cap;
    for line in &lines {
        font.shape(line, size)
            .draw(canvas, MARGIN, baseline.round(), style.fg);
        baseline += line_height;
    }
}

/// Above the bar: how many sources, and the blindspot badge.
fn summary_row(canvas: &mut Canvas, fonts: &Fonts, style: &Style, card: &Card) {
    let size = 32.0;
    let baseline = BAR_TOP - 26.0;
    fonts
        .bold
        .shape(&card.words.sources, size)
        .draw(canvas, MARGIN, baseline, style.fg);
    if let Some(text) = &card.words.blindspot {
        let label = fonts.bold.shape(text, 26.0);
        let (pad, h) = (16.0, 42.0);
        let w = label.width + 2.0 * pad + 6.0;
        let (x, top) = (MARGIN + CONTENT_WIDTH - w, baseline - 31.0);
        canvas.fill_path(&rounded(x, top, w, h, 6.0), style.warn_bg);
        canvas.fill_rect(x, top, 6.0, h, style.warn);
        label.draw(canvas, x + 6.0 + pad, top + 30.0, style.warn_fg);
    }
}

/// The coverage bar: one segment per side, as wide as its share, labelled
/// inside when the label fits; an empty track when no source is rated.
fn bar(canvas: &mut Canvas, fonts: &Fonts, style: &Style, card: &Card) {
    let track = rounded(MARGIN, BAR_TOP, CONTENT_WIDTH, BAR_HEIGHT, RADIUS);
    canvas.fill_path(&track, style.line);
    let size = 28.0;
    let baseline = BAR_TOP + BAR_HEIGHT / 2.0 + 10.0;
    if card.percents.iter().all(|&p| p == 0) {
        let text = fonts.bold.shape(&card.words.no_rated, size);
        let x = MARGIN + (CONTENT_WIDTH - text.width) / 2.0;
        text.draw(canvas, x, baseline, style.muted);
        return;
    }
    let sides: Vec<Bucket> = Bucket::ALL
        .into_iter()
        .filter(|&side| card.percents[side as usize] > 0)
        .collect();
    // Edges on whole pixels: two segments meet without a seam.
    let edge = |percent: u32| (MARGIN + CONTENT_WIDTH * percent as f32 / 100.0).round();
    let mut before = 0;
    for (n, &side) in sides.iter().enumerate() {
        let percent = card.percents[side as usize];
        let (x, end) = (edge(before), edge(before + percent));
        let w = end - x;
        before += percent;
        // Only the bar's two ends are rounded.
        let left = if n == 0 { RADIUS } else { 0.0 };
        let right = if n + 1 == sides.len() { RADIUS } else { 0.0 };
        let segment = rounded_ends(x, BAR_TOP, w, BAR_HEIGHT, left, right);
        canvas.fill_path(&segment, style.sides[side as usize]);
        let short = &card.words.percents[side as usize];
        let long = format!("{} {short}", card.words.sides[side as usize]);
        let label = [long.as_str(), short]
            .into_iter()
            .map(|text| fonts.bold.shape(text, size))
            .find(|label| label.width + 24.0 <= w);
        if let Some(label) = label {
            label.draw(canvas, x + (w - label.width) / 2.0, baseline, WHITE);
        }
    }
}

/// Under the bar: each side's share, as the story page's legend, and the
/// untracked count.
fn legend(canvas: &mut Canvas, fonts: &Fonts, style: &Style, card: &Card) {
    let size = 28.0;
    let baseline = BAR_TOP + BAR_HEIGHT + 44.0;
    let mut x = MARGIN;
    for side in Bucket::ALL {
        let swatch = rounded(x, baseline - 19.0, 20.0, 20.0, 4.0);
        canvas.fill_path(&swatch, style.sides[side as usize]);
        x += 30.0;
        let i = side as usize;
        let text = format!("{} {}", card.words.sides[i], card.words.percents[i]);
        let text = fonts.regular.shape(&text, size);
        text.draw(canvas, x, baseline, style.muted);
        x += text.width + 36.0;
    }
    if let Some(text) = &card.words.untracked {
        let text = fonts.regular.shape(text, size);
        let right = MARGIN + CONTENT_WIDTH - text.width;
        text.draw(canvas, right.max(x), baseline, style.muted);
    }
}

/// `text` on one line of `max_width`, with an ellipsis if it had to be cut.
fn one_line(font: &Font, text: &str, size: f32, max_width: f32) -> String {
    let (lines, _) = wrap(text, max_width, 1, &|t| font.width(t, size));
    lines
        .into_iter()
        .next()
        .unwrap_or_else(|| ELLIPSIS.to_string())
}

/// A rectangle with rounded corners of radius `r`.
fn rounded(x: f32, y: f32, w: f32, h: f32, r: f32) -> Option<Path> {
    rounded_ends(x, y, w, h, r, r)
}

/// A rectangle whose left corners have radius `l` and right ones `r` (each
/// at most half the width or height).
fn rounded_ends(x: f32, y: f32, w: f32, h: f32, l: f32, r: f32) -> Option<Path> {
    let (l, r) = (l.min(w / 2.0).min(h / 2.0), r.min(w / 2.0).min(h / 2.0));
    // How far a cubic's control points sit along the tangents for a quarter
    // circle.
    let (kl, kr) = (l * 0.552_284_8, r * 0.552_284_8);
    let (right, bottom) = (x + w, y + h);
    let mut p = PathBuilder::new();
    p.move_to(x + l, y);
    p.line_to(right - r, y);
    p.cubic_to(right - r + kr, y, right, y + r - kr, right, y + r);
    p.line_to(right, bottom - r);
    p.cubic_to(
        right,
        bottom - r + kr,
        right - r + kr,
        bottom,
        right - r,
        bottom,
    );
    p.line_to(x + l, bottom);
    p.cubic_to(x + l - kl, bottom, x, bottom - l + kl, x, bottom - l);
    p.line_to(x, y + l);
    p.cubic_to(x, y + l - kl, x + l - kl, y, x + l, y);
    p.close();
    p.finish()
}
