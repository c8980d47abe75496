//! Search: the site's Pagefind index (`pagefind/`), made with the `pagefind`
//! crate's programmatic API. Each story and plain page is given to Pagefind
//! as a small HTML document built here from the model — never from the
//! theme's pages, so no navigation or footer is indexed whatever the theme,
//! and the index does not depend on which pages a rebuild rendered. Stories
//! go in the site's order (newest first, then slug), pages by path, so the
//! same site gives byte-identical files.
//!
//! A one-off build indexes while the pages render and puts the files through
//! the writer like any output. Watch mode indexes in the background instead
//! (`Background`), once edits settle, and swaps the whole folder in.

use crate::derive::{CoreFacts, Derived};
use crate::i18n::Translations;
use crate::model::{Bucket, Page, Site, Story, StoryText};
use crate::paths::{self, SitePath};
use crate::render::{day_text, escape_html, rfc3339};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Pagefind's files the search page does not load (its ready-made UIs).
const UNUSED: [&str; 7] = [
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// What the index is made from: a cheap snapshot of the site (shared
/// pointers), so that watch mode can index it on another thread while the
/// next rebuild goes on.
pub struct Corpus {
    language: String,
    /// For the dates the result cards show, as the pages write them.
    translations: Arc<Translations>,
    base_path: String,
    /// Per outlet (the order of `Site::outlets`), its name.
    outlets: Vec<String>,
    stories: Vec<(Arc<Story>, Arc<CoreFacts>)>,
    pages: Vec<Page>,
}

impl Corpus {
    pub fn of(site: &Site, derived: &Derived) -> Corpus {
        Corpus {
            language: site.config.language.clone(),
            translations: Arc::clone(&site.translations),
            base_path: site.config.base_path.clone(),
            outlets: site.outlets.iter().map(|o| o.name.clone()).collect(),
            stories: site
                .stories
                .iter()
                .zip(&derived.stories)
                .map(|(s, f)| (Arc::clone(s), Arc::clone(&f.core)))
                .collect(),
            pages: site.pages.clone(),
        }
    }
}

/// One file of the index: its path under the output folder and its bytes.
pub type IndexFile = (String, Vec<u8>);

/// The search index of `corpus`: Pagefind's files, by path under the output
/// folder (`pagefind/…`), sorted.
pub fn index(corpus: &Corpus) -> Result<Vec<IndexFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("search index: {e}"))?;
    let files = runtime
        .block_on(index_async(corpus))
        .map_err(|e| format!("search index: {e:#}"))?;
    let mut out: Vec<IndexFile> = files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            let name = name.trim_start_matches("./").trim_start_matches('/');
            // Relative to the bundle folder, which is `pagefind/` too.
            let prefix = format!("{}/", paths::SEARCH_INDEX);
            let name = name.strip_prefix(&prefix).unwrap_or(name);
            (!UNUSED.contains(&name)).then(|| (SitePath::SearchIndex(name).file(), f.contents))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// How many documents go to Pagefind at a time: enough to keep every core
/// parsing, few enough that their text is a small part of the build's memory.
const BATCH: usize = 512;

async fn index_async(corpus: &Corpus) -> anyhow::Result<Vec<pagefind::api::SyntheticFile>> {
    let options = PagefindServiceConfig::builder()
        .keep_index_url(false)
        .build();
    let mut index = PagefindIndex::new(Some(options))?;
    let documents = documents(corpus);
    // In the order given, whatever the threads do: page numbers, and so the
    // index's bytes, follow that order.
    let mut documents = documents.peekable();
    while documents.peek().is_some() {
        let batch = documents
            .by_ref()
            .take(BATCH)
            .map(|document| document.map(|(url, html)| (None, Some(url), html)))
            .collect::<anyhow::Result<_>>()?;
        index.add_html_files(batch).await?;
    }
    index.get_files().await
}

/// Each document Pagefind indexes, in order: its URL and its HTML.
fn documents(corpus: &Corpus) -> impl Iterator<Item = anyhow::Result<(String, String)>> + '_ {
    let stories = corpus.stories.iter().map(|(story, facts)| {
        let text = story.text.text().map_err(|e| {
            let file = story.file.display();
            anyhow::anyhow!("{file}: its text could not be read back: {e}")
        })?;
        let mut html = String::new();
        story_document(&mut html, corpus, story, &text, facts);
        Ok((
            paths::link(&corpus.base_path, SitePath::Story(&story.slug)),
            html,
        ))
    });
    let pages = corpus.pages.iter().map(|page| {
        let mut html = String::new();
        page_document(&mut html, corpus, page);
        Ok((
            paths::link(&corpus.base_path, SitePath::Page(&page.path)),
            html,
        ))
    });
    stories.chain(pages)
}

/// A hash of every document in order: Pagefind makes the same files of the
/// same documents (the index is deterministic), so this names the index.
fn documents_hash(corpus: &Corpus) -> Result<u128, String> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for document in documents(corpus) {
        let (url, html) = document.map_err(|e| format!("search index: {e:#}"))?;
        for part in [url, html] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    Ok(hasher.digest128())
}

/// The start of a document: its language, then the title (weighted
/// highest) and the summary, both also kept as meta for the result card.
fn head(html: &mut String, language: &str, title: &str, summary: Option<&str>) {
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"{}\"><body><main data-pagefind-body>\
         <h1 data-pagefind-weight=\"10\" data-pagefind-meta=\"title\">{}</h1>",
        escape_html(language),
        escape_html(title)
    );
    if let Some(summary) = summary {
        let _ = write!(
            html,
            "<p data-pagefind-weight=\"4\" data-pagefind-meta=\"summary\">{}</p>",
            escape_html(summary)
        );
    }
}

/// An element that only carries attributes (a filter, a meta value, a sort
/// key): `data-pagefind-ATTR="KEY:VALUE"`.
fn tag(html: &mut String, attr: &str, key: &str, value: &str) {
    let _ = write!(
        html,
        "<span data-pagefind-{attr}=\"{key}:{}\"></span>",
        escape_html(value)
    );
}

/// A story: the title weighted highest, then the summary; the overview,
/// perspectives, FAQ and the sources' headlines and outlets at the normal
/// weight. Filters `side` (each side with a source), `topic`, `outlet`,
/// `blindspot`; sorted by `date`; the meta a result card needs.
fn story_document(
    html: &mut String,
    corpus: &Corpus,
    story: &Story,
    text: &StoryText,
    facts: &CoreFacts,
) {
    head(
        html,
        &corpus.language,
        &story.title,
        story.summary.as_deref(),
    );
    let coverage = &facts.coverage;
    tag(html, "meta", "kind", "story");
    tag(
        html,
        "meta",
        "date",
        &day_text(&corpus.translations, &story.date.naive_utc().date()),
    );
    tag(html, "meta", "iso", &rfc3339(&story.date));
    if let Some(location) = &story.location {
        tag(html, "meta", "location", location);
    }
    tag(html, "meta", "sources", &coverage.total.to_string());
    tag(html, "meta", "untracked", &coverage.untracked.to_string());
    for bucket in Bucket::ALL {
        tag(
            html,
            "meta",
            bucket.id(),
            &coverage.percent_of(bucket).to_string(),
        );
        if coverage.count(bucket) > 0 {
            tag(html, "filter", "side", bucket.id());
        }
    }
    if let Some(side) = facts.blindspot {
        tag(html, "meta", "blindspot", side.id());
        tag(
            html,
            "meta",
            "blindspot_percent",
            &coverage.percent_of(side).to_string(),
        );
        tag(html, "filter", "blindspot", side.id());
    }
    // The date in UTC, which sorts as text.
    tag(
        html,
        "sort",
        "date",
        &rfc3339(&story.date.to_utc().fixed_offset()),
    );
    for topic in &story.topics {
        tag(html, "filter", "topic", &topic.name);
        let _ = write!(html, "<p>{}</p>", escape_html(&topic.name));
    }
    let mut outlets: Vec<&str> = story
        .sources
        .iter()
        .map(|s| corpus.outlets[s.outlet].as_str())
        .collect();
    outlets.sort_unstable();
    outlets.dedup();
    for outlet in outlets {
        tag(html, "filter", "outlet", outlet);
    }
    if let Some(location) = &story.location {
        let _ = write!(html, "<p>{}</p>", escape_html(location));
    }
    let _ = write!(html, "<div>{}</div>", text.body_html);
    for points in &text.perspectives_html {
        for point in points {
            let _ = write!(html, "<div>{point}</div>");
        }
    }
    for faq in &text.faq {
        let _ = write!(
            html,
            "<p>{}</p><div>{}</div>",
            escape_html(&faq.question),
            faq.answer_html
        );
    }
    for (source, words) in story.sources.iter().zip(&text.sources) {
        let _ = write!(
            html,
            "<p>{}: {}</p>",
            escape_html(&corpus.outlets[source.outlet]),
            escape_html(&words.title)
        );
    }
    html.push_str("</main></body></html>");
}

/// A plain page: its title, description and body.
fn page_document(html: &mut String, corpus: &Corpus, page: &Page) {
    head(
        html,
        &corpus.language,
        &page.title,
        page.description.as_deref(),
    );
    tag(html, "meta", "kind", "page");
    let _ = write!(html, "<div>{}</div></main></body></html>", page.body_html);
}

/// What watch mode asks of the background indexer after a good build.
pub enum Request {
    /// Index this site and swap the result in.
    Index(Corpus),
    /// The site has no search (any more): remove `pagefind/`.
    Remove,
}

/// Watch mode's indexer: a thread that, once requests have stopped coming
/// for `SETTLE`, indexes the latest one and replaces the output's
/// `pagefind/` folder whole (`write::replace_folder`). Requests that arrive
/// while it indexes wait for it to finish, then only the latest is done.
pub struct Background {
    shared: Arc<(Mutex<Slot>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
struct Slot {
    next: Option<Request>,
    /// Bumped by every request: the settle wait starts again.
    generation: u64,
    stop: bool,
}

/// How long edits must pause before the index is rebuilt.
pub const SETTLE: Duration = Duration::from_millis(500);

impl Background {
    /// `report` hears each outcome (the number of files, or the error).
    pub fn start(
        output: PathBuf,
        report: impl Fn(Result<usize, String>) + Send + 'static,
    ) -> Background {
        let shared: Arc<(Mutex<Slot>, Condvar)> = Arc::default();
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || run(&worker, &output, &report))
            .ok();
        Background { shared, thread }
    }

    pub fn request(&self, request: Request) {
        let (lock, wake) = &*self.shared;
        let mut slot = lock.lock().unwrap_or_else(|e| e.into_inner());
        slot.next = Some(request);
        slot.generation += 1;
        wake.notify_all();
    }

    /// Stops after the index build in progress (a pending request is
    /// dropped: the index may be one build behind the pages).
    pub fn stop(mut self) {
        {
            let (lock, wake) = &*self.shared;
            lock.lock().unwrap_or_else(|e| e.into_inner()).stop = true;
            wake.notify_all();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The background indexer's own threads. Pagefind parses on rayon; on the
/// global pool its jobs would queue ahead of a page rebuild's, and a save
/// made while the index is built would wait for them. One core is left to
/// the pages, as when the indexer was a single thread.
fn background_pool() -> Option<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    rayon::ThreadPoolBuilder::new()
        .num_threads(cores.saturating_sub(1).max(1))
        .thread_name(|i| format!("search-index-{i}"))
        .build()
        .ok()
}

fn run(shared: &(Mutex<Slot>, Condvar), output: &Path, report: &dyn Fn(Result<usize, String>)) {
    let pool = background_pool();
    let index_apart = |corpus: &Corpus| match &pool {
        Some(pool) => pool.install(|| index(corpus)),
        None => index(corpus),
    };
    let (lock, wake) = shared;
    let mut slot = lock.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        while slot.next.is_none() && !slot.stop {
            slot = wake.wait(slot).unwrap_or_else(|e| e.into_inner());
        }
        if slot.stop {
            return;
        }
        // Settle: wait until no request has come for SETTLE.
        loop {
            let seen = slot.generation;
            let (s, _) = wake
                .wait_timeout_while(slot, SETTLE, |s| s.generation == seen && !s.stop)
                .unwrap_or_else(|e| e.into_inner());
            slot = s;
            if slot.stop {
                return;
            }
            if slot.generation == seen {
                break;
            }
        }
        let Some(request) = slot.next.take() else {
            continue;
        };
        drop(slot);
        let outcome = match request {
            Request::Index(corpus) => index_apart(&corpus).and_then(|files| {
                drop(corpus);
                crate::write::replace_folder(output, paths::SEARCH_INDEX, &files)
                    .map(|()| files.len())
                    .map_err(|e| format!("{}: {e}", output.display()))
            }),
            Request::Remove => crate::write::replace_folder(output, paths::SEARCH_INDEX, &[])
                .map(|()| 0)
                .map_err(|e| format!("{}: {e}", output.display())),
        };
        report(outcome);
        slot = lock.lock().unwrap_or_else(|e| e.into_inner());
    }
}

/// The build's search stage: the index of `site`, made on the calling
/// thread (the build runs it beside the render). With a cache folder, an
/// index of the very same documents is taken from it instead of being made
/// again (a scheduled rebuild of an unchanged site, a change that shows
/// nowhere in the index).
pub fn index_stage(
    site: &Site,
    derived: &Derived,
    cache: Option<&Path>,
) -> Result<Vec<IndexFile>, String> {
    let corpus = Corpus::of(site, derived);
    let Some(cache) = cache else {
        return index(&corpus);
    };
    let key = documents_hash(&corpus)?;
    if let Some(files) = crate::cache::load_search_index(cache, key) {
        return Ok(files);
    }
    let files = index(&corpus)?;
    crate::cache::store_search_index(cache, key, &files);
    Ok(files)
}

/// Puts the index files through the writer (the manifest lists them).
pub fn put(out: &crate::write::OutputDir, files: &[IndexFile]) {
    use rayon::prelude::*;
    files
        .par_iter()
        .for_each(|(path, bytes)| out.put(path, bytes));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three stories as validation makes them, and what derive makes of them.
    fn site() -> (Site, Derived) {
        use crate::load::{Inputs, TextFile};
        let mut inputs = Inputs {
            outlets_yaml: Some(TextFile {
                rel: "content/outlets.yaml".into(),
                text: "a:\n  name: A\n  bias: left\nb:\n  name: B\n  bias: right\n".into(),
            }),
            ..Default::default()
        };
        for k in 0..3 {
            inputs.stories.push(TextFile {
                rel: format!("content/stories/s{k}.md").into(),
                text: format!(
                    "---\ntitle: Story {k}\ndate: 2025-01-0{}\nsources:\n  - outlet: a\n    title: t\n    url: https://e.org/{k}\n    published: 2025-01-01\n---\nWords {k}.\n",
                    k + 1
                ),
            });
        }
        let (config, _) = crate::validate::config(None, None);
        let (site, diags) = crate::validate::site(config, &mut inputs, false);
        assert!(diags.is_empty(), "{diags:?}");
        let derived = crate::derive::derive(&site);
        (site, derived)
    }

    #[test]
    fn an_index_of_the_same_documents_comes_from_the_cache_folder() {
        let (mut site, derived) = site();
        let folder = tempfile::tempdir().unwrap();
        let cache = Some(folder.path());
        let fresh = index(&Corpus::of(&site, &derived)).unwrap();
        assert_eq!(index_stage(&site, &derived, cache).unwrap(), fresh);
        // What is stored under the documents' hash is what the next build
        // takes, without indexing.
        let key = documents_hash(&Corpus::of(&site, &derived)).unwrap();
        let stand_in = vec![("pagefind/stand-in".to_string(), b"stored".to_vec())];
        crate::cache::store_search_index(folder.path(), key, &stand_in);
        assert_eq!(index_stage(&site, &derived, cache).unwrap(), stand_in);
        // Other documents are indexed again.
        Arc::make_mut(&mut site.stories[1]).title = "Another title".into();
        let changed = index_stage(&site, &derived, cache).unwrap();
        assert_eq!(changed, index(&Corpus::of(&site, &derived)).unwrap());
        assert_ne!(changed, fresh);
    }
}
