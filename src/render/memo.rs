//! What one render leaves for the next: every output's path and key, every
//! story's card (its key; its HTML while in memory), and what `render_site` reports back. Kept in the cache
//! folder between runs (postcard, field order matters: `Card` and
//! `OutputKey` serialise as the tuples they once were). Data only: the
//! decisions made with it are `render_site`'s.

use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// What the previous render made, for rendering again only what changed:
/// each output's path and key (a hash of everything it was made from), in
/// render order, and each story's card.
#[derive(Default, Clone, Deserialize, Serialize)]
pub struct Memo {
    /// A hash of the list of outputs (their identities, in order): when it
    /// is the previous one, keys are compared by position, no path is
    /// formatted or looked up.
    pub(super) layout: u128,
    pub outputs: Vec<OutputKey>,
    /// Per story, in `Site::stories` order.
    pub(super) cards: Vec<Card>,
    /// The derived data these outputs were made from (see
    /// `derive::Derived::generation`); in memory only.
    #[serde(skip)]
    pub(super) derived_generation: u64,
    /// `Keys::context` of the render that made them; in memory only.
    #[serde(skip)]
    pub(super) context: u128,
    /// `Layout::share_cards_hash` of the render that made them; in memory
    /// only.
    #[serde(skip)]
    pub(super) share_cards: u128,
}

/// One output as the memo knows it.
#[derive(Clone, Deserialize, Serialize)]
pub struct OutputKey {
    /// Relative to the output folder.
    pub path: String,
    pub key: u128,
}

/// A story card, rendered once and reused by every listing that shows it.
#[derive(Clone, Deserialize, Serialize)]
pub(super) struct Card {
    pub(super) slug: String,
    pub(super) key: u128,
    /// Rendered when a page first shows it (`Ctx::card`), and kept while
    /// its key holds; in memory only: a one-off rebuild renders only the
    /// cards of the listings it renders again, and without them the cache
    /// folder's memo is a fifth the size (130 MB at 100,000 stories).
    #[serde(skip)]
    pub(super) html: OnceLock<Result<Arc<str>, Box<Diagnostic>>>,
}

/// What `render_site` did.
pub struct Rendered {
    pub memo: Memo,
    pub errors: Vec<Diagnostic>,
    /// Outputs rendered (the others were unchanged since `previous`).
    pub rendered: usize,
    /// Per output of `memo.outputs`: whether it was rendered in this run
    /// (else it did not change since `previous` and was not rendered).
    pub fresh: Vec<bool>,
}
