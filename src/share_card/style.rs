//! The share cards' colours: the theme's, read from the light scheme of its
//! stylesheet (the custom properties of the first top-level `:root` rule of
//! `parallax.css`, as the site publishes it), so that a site that restyles
//! its pages restyles its cards. A property that is missing there, or not a
//! hex colour, keeps the default theme's value. Reading only: nothing here
//! draws.

use crate::load::DEFAULT_THEME;
use crate::paths::{STATIC_DIR, THEME_STYLESHEET};
use std::sync::OnceLock;

/// An opaque colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The colours a card is drawn in, by the stylesheet's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Style {
    /// `--bg`: the card's background.
    pub bg: Rgb,
    /// `--fg`: the title and the site's name.
    pub fg: Rgb,
    /// `--muted`: the legend.
    pub muted: Rgb,
    /// `--line`: the bar's track, when no source is rated.
    pub line: Rgb,
    /// `--card`: the panel behind the coverage.
    pub card: Rgb,
    /// `--left`, `--center`, `--right`: the bar's segments.
    pub sides: [Rgb; 3],
    /// `--warn-bg`, `--warn-fg`, `--warn`: the blindspot badge.
    pub warn_bg: Rgb,
    pub warn_fg: Rgb,
    pub warn: Rgb,
}

impl Style {
    /// The colours of `css`, a theme's stylesheet; None, or a property it
    /// lacks, gives the default theme's.
    pub fn from_css(css: Option<&str>) -> Style {
        let mut style = *default_style();
        if let Some(css) = css {
            apply(&mut style, css);
        }
        style
    }
}

/// The default theme's colours, from its embedded stylesheet.
fn default_style() -> &'static Style {
    static STYLE: OnceLock<Style> = OnceLock::new();
    STYLE.get_or_init(|| {
        // Only reached for a property the default stylesheet lacks (its
        // test says none is): black on white.
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        let mut style = Style {
            bg: white,
            fg: black,
            muted: black,
            line: white,
            card: white,
            sides: [black; 3],
            warn_bg: white,
            warn_fg: black,
            warn: black,
        };
        apply(&mut style, default_css());
        style
    })
}

fn default_css() -> &'static str {
    DEFAULT_THEME
        .get_file(format!("{STATIC_DIR}/{THEME_STYLESHEET}"))
        .and_then(|f| f.contents_utf8())
        .unwrap_or("")
}

/// Sets each colour `css` gives a value to.
fn apply(style: &mut Style, css: &str) {
    for (name, value) in root_properties(css) {
        let Some(colour) = hex_colour(value) else {
            continue;
        };
        let slot = match name {
            "bg" => &mut style.bg,
            "fg" => &mut style.fg,
            "muted" => &mut style.muted,
            "line" => &mut style.line,
            "card" => &mut style.card,
            "left" => &mut style.sides[0],
            "center" => &mut style.sides[1],
            "right" => &mut style.sides[2],
            "warn-bg" => &mut style.warn_bg,
            "warn-fg" => &mut style.warn_fg,
            "warn" => &mut style.warn,
            _ => continue,
        };
        *slot = colour;
    }
}

/// The custom properties (`--name: value`, name without the dashes) of the
/// first `:root` rule outside any at-rule (`@media` holds the dark scheme
/// and print).
fn root_properties(css: &str) -> Vec<(&str, &str)> {
    let Some(body) = top_level_root(css) else {
        return Vec::new();
    };
    body.split(';')
        .filter_map(|declaration| {
            let (name, value) = declaration.split_once(':')?;
            let name = name.trim().strip_prefix("--")?;
            Some((name, value.trim()))
        })
        .collect()
}

/// The body of the first top-level `:root { … }` rule.
fn top_level_root(css: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut selector_start = 0;
    let mut body_start = None;
    let mut in_comment = false;
    let bytes = css.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if in_comment {
            if css[i..].starts_with("*/") {
                in_comment = false;
                i += 1;
                // A selector starts after the comment.
                if depth == 0 {
                    selector_start = i + 1;
                }
            }
        } else if css[i..].starts_with("/*") {
            in_comment = true;
            i += 1;
        } else if bytes[i] == b'{' {
            if depth == 0 && css[selector_start..i].trim() == ":root" {
                body_start = Some(i + 1);
            }
            depth += 1;
        } else if bytes[i] == b'}' {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                if let Some(start) = body_start {
                    return Some(&css[start..i]);
                }
                selector_start = i + 1;
            }
        }
        i += 1;
    }
    None
}

/// `#rgb` or `#rrggbb` (an alpha part, `#rgba` or `#rrggbbaa`, is ignored:
/// a card is opaque).
fn hex_colour(value: &str) -> Option<Rgb> {
    let hex = value.strip_prefix('#')?;
    if !hex.is_ascii() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |s: &str| u8::from_str_radix(s, 16).ok();
    match hex.len() {
        3 | 4 => {
            let digit = |i: usize| channel(&hex[i..i + 1]).map(|d| d * 17);
            Some(Rgb(digit(0)?, digit(1)?, digit(2)?))
        }
        6 | 8 => Some(Rgb(
            channel(&hex[0..2])?,
            channel(&hex[2..4])?,
            channel(&hex[4..6])?,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_stylesheet_gives_every_colour() {
        let names: Vec<&str> = root_properties(default_css())
            .into_iter()
            .filter(|(_, value)| hex_colour(value).is_some())
            .map(|(name, _)| name)
            .collect();
        for name in [
            "bg", "fg", "muted", "line", "card", "left", "center", "right", "warn-bg", "warn-fg",
            "warn",
        ] {
            assert!(names.contains(&name), "--{name} in the default stylesheet");
        }
        let style = Style::from_css(None);
        assert_eq!(style.bg, Rgb(0xff, 0xff, 0xff));
        assert_eq!(style.sides[0], Rgb(0x1d, 0x4e, 0xd8), "light --left");
    }

    #[test]
    fn a_stylesheet_overrides_what_it_sets_at_the_top_level() {
        let css = "/* a { } */ @media (prefers-color-scheme:dark){:root{--bg:#000}}\n\
                   :root { --fg: #123; --left:#aabbccdd; --right: red; --x: #fff }\n\
                   :root{--bg:#010101}";
        let style = Style::from_css(Some(css));
        let default = Style::from_css(None);
        assert_eq!(style.fg, Rgb(0x11, 0x22, 0x33));
        assert_eq!(style.sides[0], Rgb(0xaa, 0xbb, 0xcc));
        assert_eq!(style.sides[2], default.sides[2], "not a hex colour");
        assert_eq!(style.bg, default.bg, "only the first top-level :root");
        assert_eq!(Style::from_css(Some("a{")), default);
    }
}
