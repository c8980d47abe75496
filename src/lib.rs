//! Parallax: a static site generator for story briefs, one news story seen
//! from every side. See docs/ARCHITECTURE.md for the map of this crate.
//!
//! The binary uses `commands` (one function per command), `report` and
//! `paths`; the tests drive the pipeline through `build` and `watch`, and
//! read `diag`. Everything else is the pipeline's own.

pub mod build;
pub mod clock;
pub mod commands;
pub mod diag;
/// Entry points for the fuzz targets in `fuzz/`; not part of the API.
#[doc(hidden)]
pub mod fuzzing;
pub mod paths;
pub mod report;
pub mod watch;

mod cache;
mod derive;
mod external;
mod fingerprint;
mod i18n;
mod journal;
mod load;
mod markdown;
mod model;
mod render;
mod scaffold;
mod search;
mod serve;
mod share_card;
mod slug;
mod story_text;
mod validate;
mod write;
