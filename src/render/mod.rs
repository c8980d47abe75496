//! Rendering: turns the model and the derived data into output files, in
//! memory. Pure: it reads no file and writes none; every finished output goes
//! to the sink the caller passes. This file is the pass itself: lay the
//! outputs out (`jobs`), key each (`key`), and render those whose key is not
//! the memo's (`memo`); after a patch, only the outputs the patched stories
//! reach (`reach`) are keyed. Story cards are rendered once and reused by
//! every listing that shows them. What each output holds is the business of
//! `pages`, `story_json` and `feeds`, over the views of `views`, and of
//! `share` for the share cards (drawn by `crate::share_card`).

mod dates;
mod feeds;
mod jobs;
mod json_ld;
mod key;
mod labels;
mod memo;
mod pages;
mod reach;
mod share;
mod story_json;
mod templates;
mod translate;
mod views;

pub use dates::{day_text, rfc3339};
pub use feeds::news_sitemap_changes;
pub use memo::{Memo, OutputKey, Rendered};
pub use templates::{escape_html, Renderer};

use crate::derive::{Derived, Patched};
use crate::diag::Diagnostic;
use crate::model::Site;
use crate::share_card::Style;
use jobs::{Job, Layout, StoryFile};
use key::Keys;
use memo::Card;
use pages::CORRECTIONS_TEMPLATE;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::{Mutex, OnceLock};
use views::Ctx;

/// One file of the output.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative to the output folder, `/`-separated, never with `..`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What the outputs are made with besides the site: the compiled templates
/// and the share cards' colours (the theme's stylesheet's).
pub struct Theme<'a> {
    pub renderer: &'a Renderer,
    pub card_style: &'a Style,
}

/// Where finished outputs go.
pub struct Sink<'a> {
    pub put: &'a (dyn Fn(Output) + Sync),
    /// Draw the share cards. Without it (`check`, which only claims paths),
    /// each card goes to `put` with no bytes.
    pub draw_images: bool,
}

/// Renders every output whose inputs changed since `previous` and passes it
/// to `sink`; the others keep their memo entry (`Rendered::fresh` says which
/// is which). With no `previous`, renders everything. Returns the new memo
/// and the problems met (a template that fails at run time), at most one per
/// template.
pub fn render_site(
    site: &Site,
    derived: &Derived,
    theme: &Theme,
    previous: Option<Memo>,
    sink: &Sink,
) -> Rendered {
    let renderer = theme.renderer;
    // The memo is updated in place: most of it stays as it was.
    let mut memo = previous.unwrap_or_default();
    let layout = Layout::new(site, derived, renderer.has_template(CORRECTIONS_TEMPLATE));
    let keys = Keys::new(site, derived, theme, &layout);
    let context_key = keys.context();
    let out = Emitter::new(sink);
    // When the derived data is the last render's, patched for a few stories
    // that kept their place (an edit in place), and nothing else changed,
    // the outputs those stories reach are all that can have changed.
    // A patched story that gained or lost its own image changes which
    // stories have share cards, and so the list of outputs.
    let share_cards = layout.share_cards_hash();
    let patch = derived.patched.as_ref().filter(|p| {
        memo.derived_generation == p.from
            && memo.context == context_key
            && memo.cards.len() == site.stories.len()
            && memo.share_cards == share_cards
    });
    memo.share_cards = share_cards;

    let mut ctx = Ctx {
        site,
        derived,
        renderer,
        card_style: theme.card_style,
        layout: &layout,
        site_context: views::site_context(site),
        cards: &[],
    };
    update_cards(&mut memo.cards, patch, &keys, site);
    ctx.cards = &memo.cards;

    // Under a patch, the outputs are the last render's: the same stories,
    // topics, outlets and pages.
    let patch = patch.filter(|_| memo.outputs.len() == layout.jobs().len());
    if let Some(reached) = patch.and_then(|p| reach::reach(p, site, derived, &layout)) {
        let (rendered, fresh) = render_reached(&ctx, &keys, &reached, &mut memo.outputs, &out);
        memo.derived_generation = derived.generation;
        return Rendered {
            memo,
            errors: out.into_errors(),
            rendered,
            fresh,
        };
    }

    // Under a patch the layout is the memo's, so its hash is too.
    let layout_key = match patch {
        Some(_) => memo.layout,
        None => keys.layout(),
    };
    let previous = std::mem::take(&mut memo.outputs);
    let same_layout = memo.layout == layout_key && previous.len() == layout.jobs().len();
    let (outputs, fresh, rendered) = render_changed(&ctx, &keys, previous, same_layout, &out);
    memo.layout = layout_key;
    memo.outputs = outputs;
    memo.derived_generation = derived.generation;
    memo.context = context_key;
    Rendered {
        memo,
        errors: out.into_errors(),
        rendered,
        fresh,
    }
}

/// Where finished outputs go, and the template errors met on the way.
struct Emitter<'s> {
    sink: &'s Sink<'s>,
    errors: Mutex<Vec<Diagnostic>>,
}

impl<'s> Emitter<'s> {
    fn new(sink: &'s Sink<'s>) -> Emitter<'s> {
        Emitter {
            sink,
            errors: Mutex::new(Vec::new()),
        }
    }

    /// Keeps the first error of each template file: a broken template fails
    /// on every page that uses it, and one message says it.
    fn report(&self, diag: Diagnostic) {
        let mut list = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        if !list.iter().any(|known| known.path == diag.path) {
            list.push(diag);
        }
    }

    /// Renders one output into the sink; false (reported) if its template
    /// failed.
    fn emit(&self, ctx: &Ctx, job: Job, path: String) -> bool {
        match render_job(ctx, job, self.sink.draw_images) {
            Ok(bytes) => {
                (self.sink.put)(Output { path, bytes });
                true
            }
            Err(diag) => {
                self.report(diag);
                false
            }
        }
    }

    fn into_errors(self) -> Vec<Diagnostic> {
        self.errors.into_inner().unwrap_or_default()
    }
}

fn render_job(ctx: &Ctx, job: Job, draw_images: bool) -> Result<Vec<u8>, Diagnostic> {
    let text = match job {
        Job::Story(i, StoryFile::ShareCard) => {
            return share::render_share_card(ctx, i, draw_images)
        }
        Job::Story(i, StoryFile::Page) => pages::render_story(ctx, i),
        Job::Story(i, StoryFile::Json) => story_json::story_json(ctx, i),
        Job::Index(n) => pages::render_index(ctx, n),
        Job::Topics => pages::render_topics(ctx),
        Job::Topic(t, n) => pages::render_topic(ctx, t, n),
        Job::TopicFeed(t) => feeds::render_topic_feed(ctx, t),
        Job::Outlets => pages::render_outlets(ctx),
        Job::Outlet(o, n) => pages::render_outlet(ctx, o, n),
        Job::Blindspots => pages::render_blindspots(ctx),
        Job::Corrections => pages::render_corrections(ctx),
        Job::Page(p) => pages::render_page(ctx, p),
        Job::Feed => feeds::render_feed(ctx),
        Job::JsonFeed => Ok(feeds::render_json_feed(ctx)),
        Job::NewsSitemap => Ok(feeds::render_news_sitemap(ctx)),
        Job::Sitemap(part) => feeds::render_sitemap(ctx, part),
        Job::Robots => feeds::render_robots(ctx),
        Job::NotFound => pages::render_not_found(ctx),
        Job::Search => pages::render_search(ctx),
    };
    text.map(String::into_bytes)
}

/// Brings every story's card up to date: a card whose key changed is
/// rendered again when a page shows it (`Ctx::card`); under a patch, only
/// the patched stories' keys can have changed.
fn update_cards(cards: &mut Vec<Card>, patch: Option<&Patched>, keys: &Keys, site: &Site) {
    let card = |i: usize, key: u128| Card {
        slug: site.stories[i].slug.clone(),
        key,
        html: OnceLock::new(),
    };
    if let Some(patch) = patch {
        for &i in &patch.stories {
            let key = keys.card(i);
            if cards[i].key != key {
                cards[i] = card(i, key);
            }
        }
        return;
    }
    // The previous cards by position when the stories are the same ones in
    // the same order (any edit but a new, deleted or redated story), else by
    // slug.
    let previous = std::mem::take(cards);
    let same_stories = previous.len() == site.stories.len()
        && previous
            .iter()
            .zip(&site.stories)
            .all(|(card, story)| card.slug == story.slug);
    let by_slug: FxHashMap<&str, usize> = if same_stories {
        FxHashMap::default()
    } else {
        index_by(&previous, |card| &card.slug)
    };
    *cards = (0..site.stories.len())
        .into_par_iter()
        .map(|i| {
            let key = keys.card(i);
            let old = if same_stories {
                previous.get(i)
            } else {
                by_slug
                    .get(site.stories[i].slug.as_str())
                    .map(|&j| &previous[j])
            };
            match old.filter(|old| old.key == key) {
                Some(hit) => hit.clone(),
                None => card(i, key),
            }
        })
        .collect();
}

/// Position of each item by its name (slug, path).
fn index_by<'a, T>(
    items: &'a [T],
    name: impl Fn(&'a T) -> &'a String,
) -> FxHashMap<&'a str, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (name(item).as_str(), i))
        .collect()
}

/// Under a patch: keys and renders the `reached` outputs alone (positions
/// in the layout, which is the memo's); the others keep their entry as it
/// is. Returns how many were rendered and, per output, whether it was
/// rendered now.
fn render_reached(
    ctx: &Ctx,
    keys: &Keys,
    reached: &[usize],
    outputs: &mut [OutputKey],
    out: &Emitter,
) -> (usize, Vec<bool>) {
    let jobs = ctx.layout.jobs();
    let previous = &*outputs;
    let results: Vec<(usize, u128, Outcome)> = reached
        .par_iter()
        .map(|&n| {
            let job = jobs[n];
            let key = keys.output(job, ctx.cards);
            if previous[n].key == key {
                return (n, key, Outcome::Unchanged);
            }
            if out.emit(ctx, job, previous[n].path.clone()) {
                (n, key, Outcome::Rendered)
            } else {
                (n, key, Outcome::Failed)
            }
        })
        .collect();
    let mut fresh = vec![false; jobs.len()];
    let mut rendered = 0;
    for (n, key, outcome) in results {
        match outcome {
            Outcome::Unchanged => {}
            Outcome::Rendered => {
                outputs[n].key = key;
                fresh[n] = true;
                rendered += 1;
            }
            // Keeps its old key, so that the next build tries again.
            Outcome::Failed => rendered += 1,
        }
    }
    (rendered, fresh)
}

enum Outcome {
    Unchanged,
    Rendered,
    Failed,
}

/// One output after the full pass.
struct Done {
    /// Its path, unless it is the previous one's at the same position (then
    /// the memo's string is moved, not copied).
    path: Option<String>,
    key: u128,
    /// Rendered in this run.
    fresh: bool,
    /// Its template did not fail (a failed output leaves the memo).
    ok: bool,
}

/// Keys every output and renders those whose key is not the previous one:
/// by position when the outputs are the previous ones (`same_layout`), else
/// by path. Returns the new memo entries, per entry whether it was rendered
/// now, and how many were.
fn render_changed(
    ctx: &Ctx,
    keys: &Keys,
    previous: Vec<OutputKey>,
    same_layout: bool,
    out: &Emitter,
) -> (Vec<OutputKey>, Vec<bool>, usize) {
    let previous_by_path: FxHashMap<&str, u128> = if same_layout {
        FxHashMap::default()
    } else {
        previous.iter().map(|o| (o.path.as_str(), o.key)).collect()
    };
    let results: Vec<Done> = ctx
        .layout
        .jobs()
        .par_iter()
        .enumerate()
        .map(|(n, &job)| {
            let key = keys.output(job, ctx.cards);
            let (path, old_key) = if same_layout {
                (None, Some(previous[n].key))
            } else {
                let path = job.output_path(ctx.site, ctx.derived);
                let old = previous_by_path.get(path.as_str()).copied();
                (Some(path), old)
            };
            if old_key == Some(key) {
                return Done {
                    path,
                    key,
                    fresh: false,
                    ok: true,
                };
            }
            let path = path.unwrap_or_else(|| previous[n].path.clone());
            let ok = out.emit(ctx, job, path.clone());
            Done {
                path: Some(path),
                key,
                fresh: true,
                ok,
            }
        })
        .collect();
    drop(previous_by_path);
    let rendered = results.iter().filter(|done| done.fresh).count();
    let mut outputs = Vec::with_capacity(results.len());
    let mut fresh = Vec::with_capacity(results.len());
    let mut previous = previous.into_iter();
    for done in results {
        let old = if same_layout { previous.next() } else { None };
        if !done.ok {
            continue;
        }
        let path = match (done.path, old) {
            (Some(path), _) => path,
            (None, Some(old)) => old.path,
            (None, None) => continue, // cannot be: a kept key came from `previous`
        };
        outputs.push(OutputKey {
            path,
            key: done.key,
        });
        fresh.push(done.fresh);
    }
    (outputs, fresh, rendered)
}
