//! The pipeline, as one flat list of stages: load → validate → derive →
//! render → write. Reading `Builder::build` tells the whole story; each stage
//! lives in its own module. A `Builder` keeps what it loaded and made, so that
//! watch mode can reload only the files that changed and render only the
//! pages whose inputs changed; a one-off build is the same code run once.

use crate::cache::CacheFolder;
use crate::clock::Schedule;
use crate::derive::{derive_cached, Derived, DerivedMemo};
use crate::diag::Diagnostic;
use crate::load::{self, Inputs};
use crate::model::{Config, Publish, Scheduled, Site};
use crate::render::{render_site, Memo, Output, Rendered, Renderer, Sink, Theme};
use crate::report::WithSource;
use crate::search;
use crate::share_card::Style;
use crate::story_text::Spill;
use crate::validate::{self, ValidationMemo};
use crate::write::{check_output, OutputDir, Refused, Summary, Written};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Why a build did not finish.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content: every one found (the warnings too), each
    /// with its source text (when there is one) for the code frame. Exit 1.
    Content(Vec<WithSource>),
    /// The output folder may not be used. Exit 2.
    Refused(String),
    /// The file system failed us before the output changed. Exit 1.
    Io(String),
    /// The file system failed us while the new output was moving in: the
    /// output is part old, part new until the next build (the journal says
    /// what to repair). Exit 1.
    Commit(String),
}

/// What a successful build did and how long each stage took.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub stories: usize,
    /// Drafts left out (without `--drafts`).
    pub drafts_skipped: usize,
    /// Stories left out until their date (without `--future`).
    pub scheduled_skipped: usize,
    /// The one due first, when the site should be built again.
    pub next_scheduled: Option<Scheduled>,
    /// When the oldest story of the news sitemap leaves it (two days after
    /// its date): the clock alone changes the output then.
    pub news_sitemap_changes: Option<chrono::DateTime<chrono::Utc>>,
    pub pages: usize,
    pub outputs: usize,
    /// Pages rendered; the others were unchanged since the last build.
    pub rendered: usize,
    pub summary: Summary,
    pub stages: Vec<(&'static str, Duration)>,
    pub warnings: Vec<WithSource>,
}

impl Report {
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|s| s.1).sum()
    }
}

/// A validated site and its settings: the output of `check`.
pub struct Checked {
    pub site: Site,
    pub stages: Vec<(&'static str, Duration)>,
    /// Problems that do not stop the build (unless `strict`).
    pub warnings: Vec<WithSource>,
}

/// What changed on disk, as far as the inputs go.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// site.yaml: everything may differ, so everything is reloaded.
    Everything,
    Outlets,
    /// Something under content/stories/ that is not one story file (a
    /// folder was created, renamed or removed): list the stories again.
    /// (Sorts before `Story`, so single files are read after the listing.)
    StoryTree,
    /// A story file (relative to the root) was written, created or removed.
    Story(PathBuf),
    Pages,
    /// templates/, static/ or themes/.
    Theme,
    /// The site's translation tables, `i18n/`.
    I18n,
}

pub struct Builder {
    options: Options,
    inputs: Inputs,
    /// Problems met while loading (unreadable files), reported by `build`.
    load_errors: Vec<Diagnostic>,
    config: Option<Config>,
    validation: ValidationMemo,
    facts: DerivedMemo,
    /// What the last successful build rendered into `options.output`, and
    /// the manifest that build left there.
    memo: Option<(Memo, u128)>,
    /// The build cache folder, when enabled.
    cache_folder: Option<CacheFolder>,
    /// The manifest the last build wrote.
    written: Option<Written>,
    /// Whether to save the render memo to the cache folder after a build.
    persist_memo: bool,
    /// A one-off build: the source texts can go once validated.
    one_off: bool,
    /// The compiled templates and the texts they were compiled from.
    renderer: Option<(Vec<(String, String)>, Renderer)>,
    /// Warnings count as errors (`--strict`).
    strict: bool,
    /// Look for content warnings (`check`, and a strict build).
    content_warnings: bool,
    /// Leave the search index to a background job (watch mode): `build`
    /// only leaves what it needs in `search_request`.
    search_in_background: bool,
    search_request: Option<search::Request>,
    /// Which dates are published.
    schedule: Schedule,
}

impl Builder {
    pub fn new(options: Options) -> Builder {
        Builder {
            options,
            inputs: Inputs::default(),
            load_errors: Vec::new(),
            config: None,
            validation: ValidationMemo::default(),
            facts: DerivedMemo::default(),
            memo: None,
            cache_folder: None,
            written: None,
            persist_memo: false,
            one_off: false,
            renderer: None,
            strict: false,
            content_warnings: false,
            search_in_background: false,
            search_request: None,
            schedule: Schedule::default(),
        }
    }

    /// Publishes by this clock, or every date (`--future`).
    pub fn schedule(mut self, schedule: Schedule) -> Builder {
        self.schedule = schedule;
        self
    }

    /// The search index is not built with the pages (watch mode): after
    /// each good build, `take_search_request` says what to index.
    pub fn search_in_background(mut self, on: bool) -> Builder {
        self.search_in_background = on;
        self
    }

    /// What the last good build wants of the background indexer.
    pub fn take_search_request(&mut self) -> Option<search::Request> {
        self.search_request.take()
    }

    /// Warnings stop the build as errors do (`--strict`, for CI).
    pub fn strict(mut self, strict: bool) -> Builder {
        self.strict = strict;
        self.content_warnings |= strict;
        self
    }

    /// Also look for content warnings (a long title, a side without a
    /// perspective, …), which a plain build skips.
    pub fn content_warnings(mut self, on: bool) -> Builder {
        self.content_warnings = on;
        self
    }

    /// Uses the site's cache folder (`.parallax-cache/`): stories validated
    /// by an earlier run are not parsed again. With `persist_memo`, the
    /// render memo is saved too, so that the next one-off build renders only
    /// what changed (watch mode keeps its memo in memory instead).
    pub fn with_cache(mut self, persist_memo: bool) -> Builder {
        let folder = CacheFolder::open(&self.options.root);
        self.attach_cache(folder, persist_memo);
        self
    }

    fn attach_cache(&mut self, mut folder: Option<CacheFolder>, persist_memo: bool) {
        if let Some(folder) = folder.as_mut() {
            self.facts.take_stored_facts(folder.take_facts());
        }
        self.cache_folder = folder;
        self.validation.stored_stories = self.cache_folder.as_ref().map(CacheFolder::lookup);
        self.validation.known_files = self
            .cache_folder
            .as_mut()
            .map(|folder| Arc::new(folder.take_known_files()));
        self.persist_memo = persist_memo;
    }

    /// Load, with the cache folder opened meanwhile: reading the inputs
    /// waits mostly on the disk, decoding the stored stories (a gigabyte at
    /// 100,000 stories) on the processor.
    pub fn load_all_with_cache(&mut self, persist_memo: bool) {
        let root = self.options.root.clone();
        let folder = std::thread::scope(|scope| {
            let opening = scope.spawn(|| CacheFolder::open(&root));
            self.load_all();
            opening.join().ok().flatten()
        });
        self.attach_cache(folder, persist_memo);
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Load: reads every input.
    pub fn load_all(&mut self) {
        let root = &self.options.root;
        let (site_yaml, mut errors) = load::site_yaml(root);
        let (config, config_diags) =
            validate::config(site_yaml.as_ref(), self.options.base_url.as_deref());
        errors.extend(config_diags);
        let theme = if load::theme_exists(root, &config.theme) {
            config.theme.clone()
        } else {
            errors.push(validate::missing_theme(site_yaml.as_ref(), &config.theme));
            "default".to_string()
        };
        let story_texts = match self.one_off {
            true => load::StoryTexts::Streamed,
            false => load::StoryTexts::Read,
        };
        self.inputs = load::content(root, site_yaml, &theme, &config.language, story_texts);
        self.load_errors = errors;
        self.config = Some(config);
    }

    /// Load again only what `changes` touch.
    pub fn reload(&mut self, changes: &[Change]) {
        if self.config.is_none() || changes.contains(&Change::Everything) {
            self.load_all();
            return;
        }
        let root = self.options.root.clone();
        let (theme, language) = self
            .config
            .as_ref()
            .map(|c| (c.theme.clone(), c.language.clone()))
            .unwrap_or_default();
        // When only story files changed (written, or listed anew: a file
        // added, removed or renamed, as editors that save by renaming do),
        // validation need not look at the others at all.
        let mut only_changed = Some(std::collections::HashSet::new());
        for change in changes {
            let touched = match change {
                Change::Everything => None,
                Change::Story(rel) => {
                    load::refresh_story(&root, rel, &mut self.inputs);
                    Some(vec![rel.clone()])
                }
                Change::StoryTree => Some(load::refresh_stories(&root, &mut self.inputs)),
                // A story's validation sees only the outlets' ids (the
                // memo's context, which drops this shortcut when they
                // change): a new rating or name needs no story looked at.
                Change::Outlets => {
                    self.inputs.outlets_yaml = load::outlets_yaml(&root, &mut self.inputs.errors);
                    Some(Vec::new())
                }
                Change::Pages => {
                    self.inputs.pages = load::pages(&root, &mut self.inputs.errors);
                    None
                }
                Change::Theme => {
                    load::refresh_theme(&root, &theme, &mut self.inputs);
                    None
                }
                Change::I18n => {
                    load::refresh_i18n(&root, &theme, &language, &mut self.inputs);
                    None
                }
            };
            only_changed = only_changed.zip(touched).map(|(mut all, paths)| {
                all.extend(paths);
                all
            });
        }
        self.validation.only_changed = only_changed;
    }

    /// Each diagnostic with the text of its file, for the code frame.
    fn with_sources(&self, diags: Vec<Diagnostic>) -> Vec<WithSource> {
        crate::report::with_sources(diags, |path| self.inputs.text_of(path))
    }

    fn failure(&self, diags: Vec<Diagnostic>) -> Failure {
        Failure::Content(self.with_sources(diags))
    }

    /// Validate (after loading): every problem of every file, and the
    /// templates compiled.
    pub fn validate(&mut self) -> Result<Checked, Failure> {
        let t = Instant::now();
        let mut diags = self.load_errors.clone();
        diags.extend(self.inputs.errors.iter().cloned());
        let config = match &self.config {
            Some(c) => c.clone(),
            None => validate::config(None, None).0,
        };
        let publish = Publish {
            drafts: self.options.drafts,
            future: self.schedule.future,
            now: self.schedule.clock.now(),
        };
        let (site, site_diags) =
            validate::site_cached(config, &mut self.inputs, &publish, &mut self.validation);
        diags.extend(site_diags);
        diags.extend(self.compile_templates());
        if site.config.base_url_is_default {
            diags.push(missing_base_url(&site.config));
        }
        if self.content_warnings && !diags.iter().any(Diagnostic::is_error) {
            diags.extend(validate::content_warnings(&site, &self.inputs));
        }
        let stages = vec![("validate", t.elapsed())];
        if diags.iter().any(|d| self.strict || d.is_error()) {
            return Err(self.failure(diags));
        }
        let warnings = self.with_sources(diags);
        Ok(Checked {
            site,
            stages,
            warnings,
        })
    }

    /// Templates are inputs too: a syntax error is a content error. They are
    /// compiled again only when their texts changed.
    fn compile_templates(&mut self) -> Vec<Diagnostic> {
        let texts: Vec<(String, String)> = self
            .inputs
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.text.clone()))
            .collect();
        if self.renderer.as_ref().map(|r| &r.0) == Some(&texts) {
            return Vec::new();
        }
        self.renderer = None;
        match Renderer::new(&self.inputs.templates) {
            Ok(renderer) => {
                self.renderer = Some((texts, renderer));
                Vec::new()
            }
            Err(diags) => diags,
        }
    }

    fn renderer(&self) -> Result<&Renderer, Failure> {
        match &self.renderer {
            Some((_, renderer)) => Ok(renderer),
            None => Err(Failure::Io("templates were not compiled".into())),
        }
    }

    /// The stages of a build, in order; on any failure the output folder is
    /// left exactly as it was.
    pub fn build(&mut self) -> Result<Report, Failure> {
        check_output(&self.options.root, &self.options.output)
            .map_err(|Refused(why)| Failure::Refused(why))?;
        let Checked {
            site,
            mut stages,
            warnings,
        } = self.validate()?;
        self.release_texts();
        let derived = timed(&mut stages, "derive", || {
            derive_cached(&site, &mut self.facts)
        });
        let (out, rendered) = timed(&mut stages, "render", || self.render(&site, &derived))?;
        let summary = timed(&mut stages, "write", || self.write(out, rendered))?;
        if self.search_in_background {
            // Watch mode indexes after the pages are out, on another thread.
            self.search_request = Some(match site.config.search {
                true => search::Request::Index(search::Corpus::of(&site, &derived)),
                false => search::Request::Remove,
            });
        }
        Ok(Report {
            stories: site.stories.len(),
            drafts_skipped: site.drafts_skipped,
            scheduled_skipped: site.scheduled_skipped,
            next_scheduled: site.next_scheduled.clone(),
            news_sitemap_changes: crate::render::news_sitemap_changes(&site),
            pages: site.pages.len(),
            outputs: summary.summary.written + summary.summary.unchanged,
            rendered: summary.rendered,
            summary: summary.summary,
            stages,
            warnings,
        })
    }

    /// The same stages as `build` up to writing: every page is rendered, in
    /// memory, so that a template error or two outputs on one path fail
    /// `check` as they would fail `build`. Nothing is written.
    pub fn check(&mut self) -> Result<Checked, Failure> {
        let mut checked = self.validate()?;
        let derived = timed(&mut checked.stages, "derive", || {
            derive_cached(&checked.site, &mut self.facts)
        });
        let claims = PathClaims::default();
        for file in &self.inputs.statics {
            claims.claim(&file.out);
        }
        if let Some((_, renderer)) = &mut self.renderer {
            renderer.use_translations(&checked.site.translations);
        }
        let rendered = timed(&mut checked.stages, "render", || {
            let card_style = Style::from_css(self.inputs.stylesheet.as_deref());
            let theme = Theme {
                renderer: self.renderer()?,
                card_style: &card_style,
            };
            // Only the paths matter here: the share cards are not drawn.
            let sink = Sink {
                put: &|o: Output| claims.claim(&o.path),
                draw_images: false,
            };
            Ok(render_site(&checked.site, &derived, &theme, None, &sink))
        })?;
        if !rendered.errors.is_empty() {
            let mut diags = rendered.errors;
            diags.extend(checked.warnings.into_iter().map(|(d, _)| d));
            return Err(self.failure(diags));
        }
        claims.into_result()?;
        Ok(checked)
    }

    /// A one-off build needs the source texts no more: the model holds all
    /// that rendering needs, and they (a tenth of a gigabyte for a large
    /// archive) only served messages.
    fn release_texts(&mut self) {
        if self.one_off {
            self.inputs.stories = Vec::new();
            self.inputs.pages = Vec::new();
        }
    }

    /// Where a one-off build's spill file goes (`story_text`): the cache
    /// folder, else beside the output; None when neither is there.
    fn spill_dir(&self) -> Option<PathBuf> {
        if let Some(folder) = &self.cache_folder {
            return Some(folder.dir().to_path_buf());
        }
        let output = std::path::absolute(&self.options.output).ok()?;
        output
            .parent()
            .filter(|dir| dir.is_dir())
            .map(Path::to_path_buf)
    }

    fn open_output(&self, known: Option<Written>) -> Result<OutputDir, Failure> {
        let output = &self.options.output;
        OutputDir::open_with(output, known)
            .map_err(|e| Failure::Io(format!("{}: {e}", output.display())))
    }

    /// The last render memo, if it is good for the output as it is now: the
    /// one in memory if the manifest is the one it left; else the cache
    /// folder's, whose files must then be checked to be still there.
    fn previous_memo(&mut self, out: &OutputDir) -> (Option<Memo>, bool) {
        let manifest = out.previous_manifest();
        match self.memo.take() {
            Some((memo, made)) if out.has_previous() && made == manifest => (Some(memo), false),
            _ if out.has_previous() => (
                self.cache_folder
                    .as_ref()
                    .and_then(|folder| folder.load_memo(&self.options.output, manifest)),
                true,
            ),
            _ => (None, false),
        }
    }

    /// Render: the outputs whose key changed go to a staging folder beside
    /// the output, the others are kept.
    fn render(&mut self, site: &Site, derived: &Derived) -> Result<(OutputDir, Rendered), Failure> {
        // What the last commit of this process left, unless the manifest on
        // disk has changed since: then it is read again.
        let known = self.written.take();
        let mut out = self.open_output(known)?;
        let (previous, verify) = self.previous_memo(&out);
        if let Some((_, renderer)) = &mut self.renderer {
            renderer.use_translations(&site.translations);
        }
        // Fields, not `self.renderer()`: the cache folder is borrowed too.
        let Some((_, renderer)) = &self.renderer else {
            return Err(Failure::Io("templates were not compiled".into()));
        };
        let statics = &self.inputs.statics;
        let card_style = Style::from_css(self.inputs.stylesheet.as_deref());
        let theme = Theme {
            renderer,
            card_style: &card_style,
        };
        let render_into = |out: &OutputDir, previous: Option<Memo>| {
            // Static files first: a page of the same path is reported as a clash.
            statics.par_iter().for_each(|s| out.put_static(s));
            let sink = Sink {
                put: &|o: Output| out.put(&o.path, &o.bytes),
                draw_images: true,
            };
            render_site(site, derived, &theme, previous, &sink)
        };
        let cache_dir = self.cache_folder.as_ref().map(|f| f.dir().to_path_buf());
        // Validated stories go to the cache folder while the pages render.
        let files_seen = std::mem::take(&mut self.validation.files_seen);
        let store = self
            .cache_folder
            .as_mut()
            .map(|folder| (folder, &self.validation));
        // Watch mode keeps its facts in memory, where a patch leaves them.
        let facts = self.one_off.then_some(self.facts.facts());
        let open_fresh = || {
            OutputDir::open_with(&self.options.output, None)
                .map_err(|e| Failure::Io(format!("{}: {e}", self.options.output.display())))
        };
        let index_now = site.config.search && !self.search_in_background;
        let cache_dir = cache_dir.as_deref();
        let (rendered, index) = std::thread::scope(|scope| {
            if let Some((folder, validation)) = store {
                scope.spawn(move || {
                    folder.store_stories(validation);
                    folder.store_files(files_seen);
                    if let Some(facts) = facts {
                        folder.store_facts(facts);
                    }
                });
            }
            // The search index is made while the pages render.
            let index =
                index_now.then(|| scope.spawn(|| search::index_stage(site, derived, cache_dir)));
            let mut rendered = render_into(&out, previous);
            let index = match index.map(|i| i.join()) {
                None => Ok(Vec::new()),
                Some(Ok(files)) => files,
                Some(Err(_)) => Err("search index: the indexer panicked".to_string()),
            };
            let index = index.inspect(|files| search::put(&out, files));
            let indexed = index.as_ref().map_or(0, Vec::len);
            if !keeps_the_rest(&out, &rendered, statics.len() + indexed, verify) {
                // Someone changed the output behind the memo's back: render all.
                out.discard();
                out = open_fresh()?;
                rendered = render_into(&out, None);
                if let Ok(files) = &index {
                    search::put(&out, files);
                }
            }
            Ok((rendered, index))
        })?;
        if !rendered.errors.is_empty() {
            out.abort();
            return Err(self.failure(rendered.errors));
        }
        if let Err(why) = index {
            out.abort();
            return Err(Failure::Io(why));
        }
        let write_errors = out.errors();
        if !write_errors.is_empty() {
            out.abort();
            return Err(Failure::Io(write_errors.join("\n")));
        }
        Ok((out, rendered))
    }

    /// Write: the staged outputs move into place and the manifest records
    /// them; the memo is kept for the next build.
    fn write(&mut self, out: OutputDir, rendered: Rendered) -> Result<Committed, Failure> {
        let output = &self.options.output;
        let (summary, written) = out.commit().map_err(|failed| {
            let why = format!("{}: {}", output.display(), failed.error);
            match failed.partial {
                true => Failure::Commit(why),
                false => Failure::Io(why),
            }
        })?;
        self.written = Some(written);
        if let Some(folder) = self.cache_folder.as_mut().filter(|_| self.persist_memo) {
            folder.store_memo(output, summary.manifest, &rendered.memo);
        }
        self.memo = Some((rendered.memo, summary.manifest));
        Ok(Committed {
            summary,
            rendered: rendered.rendered,
        })
    }
}

/// What the write stage reports.
struct Committed {
    summary: Summary,
    rendered: usize,
}

/// Runs one stage and records how long it took.
fn timed<T>(
    stages: &mut Vec<(&'static str, Duration)>,
    name: &'static str,
    stage: impl FnOnce() -> T,
) -> T {
    let t = Instant::now();
    let result = stage();
    stages.push((name, t.elapsed()));
    result
}

/// Whether the outputs the memo says are unchanged are still there as it
/// says. Trusting an in-memory memo, they need not be listed one by one
/// when the set of outputs is the previous one.
fn keeps_the_rest(out: &OutputDir, rendered: &Rendered, statics: usize, verify: bool) -> bool {
    let outputs = rendered.memo.outputs.len() + statics;
    (!verify && out.keep_the_rest(outputs)) || {
        let unchanged: Vec<&str> = rendered
            .memo
            .outputs
            .iter()
            .zip(&rendered.fresh)
            .filter(|(_, fresh)| !**fresh)
            .map(|(output, _)| output.path.as_str())
            .collect();
        out.keep_all(&unchanged, verify)
    }
}

/// The output paths a `check` would write, to find what the writer would
/// refuse: a path outside the output, or two outputs on one path.
#[derive(Default)]
struct PathClaims {
    claimed: std::sync::Mutex<(rustc_hash::FxHashSet<String>, Vec<String>)>,
}

impl PathClaims {
    fn claim(&self, path: &str) {
        let mut state = self.claimed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(refusal) = crate::write::refusal(path) {
            state.1.push(refusal);
        } else if !state.0.insert(path.to_string()) {
            state.1.push(crate::write::clash(path));
        }
    }

    fn into_result(self) -> Result<(), Failure> {
        let (_, mut errors) = self.claimed.into_inner().unwrap_or_else(|e| e.into_inner());
        if errors.is_empty() {
            return Ok(());
        }
        errors.sort();
        Err(Failure::Io(errors.join("\n")))
    }
}

/// A warning, not an error: a site without `base_url` builds, but its feed
/// and canonical links point at the local server.
fn missing_base_url(config: &Config) -> Diagnostic {
    Diagnostic::new(
        Path::new(crate::paths::SITE_YAML),
        0,
        0,
        format!(
            "no base_url: absolute URLs (feed, sitemap, canonical links) use {}",
            config.base_url
        ),
    )
    .with_key("base_url")
    .with_help("add `base_url: https://your.site/` to site.yaml, or pass --base-url")
    .warning()
}

/// Everything `parallax check` does: load and validate, write nothing; with
/// `external` (a timeout), then ask for every outside link (`external.rs`),
/// whose answers alone go to the cache folder.
pub fn check(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    strict: bool,
    external: Option<Duration>,
    schedule: Schedule,
) -> Result<Checked, Failure> {
    // No cache folder: `check` writes nothing at all.
    let mut builder = Builder::new(Options {
        root: root.to_path_buf(),
        output: root.join(crate::paths::DEFAULT_OUTPUT_DIR),
        base_url: base_url.map(str::to_string),
        drafts,
    })
    .content_warnings(true)
    .strict(strict)
    .schedule(schedule);
    let t = Instant::now();
    builder.load_all();
    let load = t.elapsed();
    let mut checked = builder.check()?;
    checked.stages.insert(0, ("load", load));
    if let Some(timeout) = external {
        let t = Instant::now();
        let links = validate::external_links(&checked.site, &builder.inputs);
        let options = crate::external::Options {
            timeout,
            cache: Some(root.join(crate::paths::CACHE_DIR)),
            now: std::time::SystemTime::now(),
        };
        let dead = crate::external::check(&links, &options);
        checked.stages.push(("external", t.elapsed()));
        if !dead.is_empty() {
            let mut diags: Vec<Diagnostic> = std::mem::take(&mut checked.warnings)
                .into_iter()
                .map(|(d, _)| d)
                .collect();
            diags.extend(dead);
            if strict {
                return Err(builder.failure(diags));
            }
            checked.warnings = builder.with_sources(diags);
        }
    }
    Ok(checked)
}

/// A builder for one build, loaded: the story texts streamed, the cache
/// folder opened, the stories' words to go to a spill file.
fn one_off(options: &Options, strict: bool, schedule: Schedule) -> Builder {
    let mut builder = Builder::new(options.clone())
        .strict(strict)
        .schedule(schedule);
    builder.one_off = true;
    builder.load_all_with_cache(true);
    builder.validation.spill = builder
        .spill_dir()
        .and_then(|dir| Spill::create_in(&dir).ok());
    builder
}

/// A one-off `parallax build`.
pub fn build(options: &Options) -> Result<Report, Failure> {
    build_strict(options, false, Schedule::default())
}

/// A one-off `parallax build`, where `strict` makes warnings errors.
pub fn build_strict(
    options: &Options,
    strict: bool,
    schedule: Schedule,
) -> Result<Report, Failure> {
    check_output(&options.root, &options.output).map_err(|Refused(why)| Failure::Refused(why))?;
    // Timed from before the cache folder is read, which is part of the
    // build's cost (it was left out of the figures once).
    let t = Instant::now();
    let mut builder = one_off(options, strict, schedule);
    let load = t.elapsed();
    let result = builder.build();
    // A one-off build is over: the stories, pages and memos it holds are
    // freed on another thread, which the process need not wait for.
    std::thread::spawn(move || drop(builder));
    let mut report = result?;
    report.stages.insert(0, ("load", load));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example site, copied to a folder of its own.
    fn example_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        for entry in walkdir::WalkDir::new(repo.join("content")) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(repo).unwrap());
            match entry.file_type().is_dir() {
                true => std::fs::create_dir_all(&to).unwrap(),
                false => drop(std::fs::copy(entry.path(), &to).unwrap()),
            }
        }
        dir
    }

    #[test]
    fn a_one_off_build_keeps_the_stories_words_on_disk_and_watch_mode_in_memory() {
        let site = example_site();
        // A story whose `@/` link is resolved into a copy of its words.
        let linking = site
            .path()
            .join("content/stories/2025-05-14-trump-visits-qatar-boeing-order.md");
        let mut text = std::fs::read_to_string(&linking).unwrap();
        text.push_str(
            "\nSee [the talks](@/stories/2025/05/2025-05-15-putin-skips-istanbul-talks.md).\n",
        );
        std::fs::write(&linking, text).unwrap();
        let options = Options {
            root: site.path().to_path_buf(),
            output: site.path().join("public"),
            base_url: None,
            drafts: false,
        };
        let checked = one_off(&options, false, Schedule::default()).validate();
        let stories = checked.ok().unwrap().site.stories;
        assert!(stories.len() > 1);
        assert!(stories.iter().all(|s| s.text.is_spilled()));
        let linked = stories
            .iter()
            .find(|s| s.file.to_string_lossy().ends_with("boeing-order.md"));
        let words = linked.unwrap().text.text().unwrap();
        let link = "href=\"/stories/putin-skips-istanbul-talks/\"";
        assert!(words.body_html.contains(link), "{}", words.body_html);

        let mut watching = Builder::new(options);
        watching.load_all();
        let stories = watching.validate().ok().unwrap().site.stories;
        assert!(stories.iter().all(|s| !s.text.is_spilled()));
    }

    #[test]
    fn a_story_file_whose_fingerprint_holds_is_not_read_again() {
        use crate::fingerprint::{FileTable, Fingerprint};
        use crate::load::TextFile;
        use std::sync::Arc;
        let site = example_site();
        let options = Options {
            root: site.path().to_path_buf(),
            output: site.path().join("public"),
            base_url: None,
            drafts: false,
        };
        let rel = "content/stories/2025-05-14-trump-visits-qatar-boeing-order.md";
        let file = site.path().join(rel);
        let text = std::fs::read_to_string(&file).unwrap();
        let (marker, first, second) = ("title: ", "title: First title ", "title: Second ");
        assert!(text.contains(marker));
        std::fs::write(&file, text.replacen(marker, first, 1)).unwrap();
        build(&options).unwrap();
        // The first text's story is in the cache folder; the file now holds
        // the second. A table that says the file is unchanged since it held
        // the first is believed: the file is not read.
        std::fs::write(&file, text.replacen(marker, second, 1)).unwrap();
        let first_text = TextFile {
            rel: PathBuf::from(rel),
            text: text.replacen(marker, first, 1),
        };
        let now = Fingerprint::of(&std::fs::metadata(&file).unwrap()).unwrap();
        let title_built = |print| {
            let mut builder = one_off(&options, false, Schedule::default());
            let mut table = FileTable::default();
            let hash = crate::validate::content_hash(&first_text);
            table.insert(crate::fingerprint::path_key(&first_text.rel), (print, hash));
            builder.validation.known_files = Some(Arc::new(table));
            let site = builder.validate().ok().unwrap().site;
            let story = site.stories.iter().find(|s| s.file == first_text.rel);
            story.unwrap().title.clone()
        };
        assert!(title_built(now).starts_with("First title "));
        // A fingerprint that does not hold (here, another size) is not.
        let other =
            Fingerprint::of(&std::fs::metadata(site.path().join("site.yaml")).unwrap()).unwrap();
        assert!(title_built(other).starts_with("Second "));
    }
}
