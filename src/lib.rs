//! Parallax: a static site generator for story briefs, one news story seen
//! from every side. See docs/ARCHITECTURE.md for the map of this crate.

pub mod build;
pub mod cache;
pub mod commands;
pub mod derive;
pub mod diag;
pub mod external;
pub mod load;
pub mod markdown;
pub mod model;
pub mod paths;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
pub mod validate;
pub mod watch;
pub mod write;
