//! Watch mode: a full build, then, for every burst of file-system events, a
//! reload of just the inputs that changed and a rebuild of just the pages
//! whose inputs changed (see `build::Builder`). Editors' temporary files and
//! the output folder itself are ignored; a bad edit is reported and the last
//! good output stays until the next good save.

use crate::build::{Builder, Change, Failure, Options, Report};
use crate::clock::Schedule;
use crate::load::is_editor_litter;
use crate::paths;
use crate::search;
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Events closer together than this are one burst (an editor's save is often
/// a rename, a write and a metadata change).
const QUIET: Duration = Duration::from_millis(20);
/// After an event that ends a save (an input closed after writing, moved
/// into place, or removed), the burst is most likely over: only this long is
/// waited for more of it. A later event of the same save, if any, simply
/// brings another rebuild.
const SETTLE: Duration = Duration::from_millis(3);
/// A burst is cut off after this long, so a stream of events still rebuilds.
const MAX_BURST: Duration = Duration::from_millis(150);

/// Whether an event of this kind ends a write to its paths.
fn ends_a_save(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            | EventKind::Remove(_)
    )
}

/// What `classify` makes of one changed path: which inputs to reload.
pub fn classify(root: &Path, output: &Path, path: &Path) -> Option<Change> {
    if path.starts_with(output) {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    if rel
        .components()
        .any(|c| is_editor_litter(&c.as_os_str().to_string_lossy()))
    {
        return None;
    }
    let is_md = rel.extension().is_some_and(|e| e == "md");
    if rel == Path::new(paths::SITE_YAML) || rel == Path::new(paths::CONTENT_DIR) {
        Some(Change::Everything)
    } else if rel == Path::new(paths::OUTLETS_YAML) {
        Some(Change::Outlets)
    } else if rel.starts_with(paths::STORIES_DIR) {
        // Anything else there may be a folder (even one named `v1.0`, even
        // one that is gone): listing the stories again is cheap.
        if is_md {
            Some(Change::Story(rel.to_path_buf()))
        } else {
            Some(Change::StoryTree)
        }
    } else if rel.starts_with(paths::PAGES_DIR) {
        Some(Change::Pages)
    } else if rel.starts_with(paths::THEMES_DIR) {
        // A theme appearing or vanishing changes which theme site.yaml's
        // `theme:` resolves to.
        Some(Change::Everything)
    } else if [paths::TEMPLATES_DIR, paths::STATIC_DIR]
        .iter()
        .any(|d| rel.starts_with(d))
    {
        Some(Change::Theme)
    } else {
        None
    }
}

/// One rebuild: what set it off, and how it went.
pub struct Outcome<'a> {
    pub changes: &'a [Change],
    /// Set off by the clock, not by a change: a scheduled story fell due,
    /// or a story left the news sitemap.
    pub due: bool,
    pub result: &'a Result<Report, Failure>,
}

enum Msg {
    Fs(notify::Result<notify::Event>),
    Quit,
}

/// A sender that stops `run` (after the rebuild in progress, if any).
#[derive(Clone)]
pub struct Stopper(Sender<Msg>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Msg::Quit);
    }
}

/// Hears each background search-index build: its file count, or why not.
pub type SearchReport = Box<dyn Fn(Result<usize, String>) + Send>;

pub struct Watch {
    builder: Builder,
    search_report: Option<SearchReport>,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    _watcher: notify::RecommendedWatcher,
    schedule: Schedule,
    /// When the last good build's next scheduled story falls due.
    wake: Option<chrono::DateTime<chrono::Utc>>,
}

/// What waiting for the next message gave.
enum Waited {
    Msg(Msg),
    /// A scheduled story fell due before anything else happened.
    Due,
    Closed,
}

impl Watch {
    /// Starts watching the site's inputs (before the first build, so that no
    /// save is missed while it runs).
    pub fn new(options: Options, schedule: Schedule) -> Result<Watch, String> {
        let (tx, rx) = channel();
        let fs_tx = tx.clone();
        let mut watcher = notify::recommended_watcher(move |res| {
            let _ = fs_tx.send(Msg::Fs(res));
        })
        .map_err(|e| format!("cannot watch files: {e}"))?;
        let root = &options.root;
        // The root itself, not recursively (site.yaml, and folders that
        // appear), then each input folder recursively. Watching the root
        // recursively would also watch the output, thousands of folders.
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        for dir in paths::EDITOR_DIRS {
            let path = root.join(dir);
            if path.is_dir() && !options.output.starts_with(&path) {
                watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
            }
        }
        Ok(Watch {
            builder: Builder::new(options)
                .with_cache(false)
                .search_in_background(true)
                .schedule(schedule),
            search_report: None,
            rx,
            tx,
            _watcher: watcher,
            schedule,
            wake: None,
        })
    }

    /// Who hears the background search-index builds (by default, no one).
    pub fn on_search_index(&mut self, report: SearchReport) {
        self.search_report = Some(report);
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.tx.clone())
    }

    /// Builds, then rebuilds on every change until stopped, reporting each
    /// outcome. Never stops because of bad content.
    pub fn run(mut self, report: &mut dyn FnMut(Outcome)) {
        let output = absolute(&self.builder.options().output);
        // The search index is rebuilt off the page path, once edits settle.
        let search_report = self.search_report.take();
        let search = search::Background::start(output.clone(), move |outcome| {
            if let Some(report) = &search_report {
                report(outcome);
            }
        });
        self.run_with(report, &output, &search);
        search.stop();
    }

    fn run_with(
        &mut self,
        report: &mut dyn FnMut(Outcome),
        output: &Path,
        search: &search::Background,
    ) {
        self.builder.load_all();
        self.rebuild(&[], false, report, search);
        let root = self.builder.options().root.clone();
        let output = output.to_path_buf();
        loop {
            let first = match self.wait() {
                Waited::Msg(msg) => msg,
                Waited::Due => {
                    self.rebuild(&[], true, report, search);
                    continue;
                }
                Waited::Closed => return,
            };
            let mut changes = Vec::new();
            let (mut quit, mut settled) = self.absorb(first, &root, &output, &mut changes);
            let started = Instant::now();
            while !quit && started.elapsed() < MAX_BURST {
                let wait = if settled { SETTLE } else { QUIET };
                match self.rx.recv_timeout(wait) {
                    Ok(msg) => (quit, settled) = self.absorb(msg, &root, &output, &mut changes),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => quit = true,
                }
            }
            if !changes.is_empty() {
                changes.sort();
                changes.dedup();
                self.watch_new_folders(&root, &changes);
                self.builder.reload(&changes);
                self.rebuild(&changes, false, report, search);
            }
            if quit {
                return;
            }
        }
    }

    /// Builds what changed (or what the clock made due), reports it, and
    /// hands the search index its work.
    fn rebuild(
        &mut self,
        changes: &[Change],
        due: bool,
        report: &mut dyn FnMut(Outcome),
        search: &search::Background,
    ) {
        let result = self.builder.build();
        self.wake = match &result {
            Ok(built) => {
                let due = built.next_scheduled.as_ref().map(|s| s.date.to_utc());
                due.into_iter().chain(built.news_sitemap_changes).min()
            }
            // The same content fails again when the story falls due; the
            // save that fixes it rebuilds.
            Err(_) => None,
        };
        report(Outcome {
            changes,
            due,
            result: &result,
        });
        if let Some(request) = self.builder.take_search_request() {
            search.request(request);
        }
    }

    /// The next message, or the next scheduled story falling due.
    fn wait(&self) -> Waited {
        let Some(wake) = self.wake else {
            return self.rx.recv().map_or(Waited::Closed, Waited::Msg);
        };
        let left = (wake - self.schedule.clock.now())
            .to_std()
            .unwrap_or_default();
        // A little past the date, so the build sees the story as due.
        match self.rx.recv_timeout(left + Duration::from_millis(5)) {
            Ok(msg) => Waited::Msg(msg),
            Err(RecvTimeoutError::Timeout) => Waited::Due,
            Err(RecvTimeoutError::Disconnected) => Waited::Closed,
        }
    }

    /// Adds the changes one message stands for. Returns whether it asks to
    /// stop, and whether it ends a save of an input (see `SETTLE`).
    fn absorb(
        &self,
        msg: Msg,
        root: &Path,
        output: &Path,
        changes: &mut Vec<Change>,
    ) -> (bool, bool) {
        match msg {
            Msg::Quit => (true, false),
            Msg::Fs(Err(_)) => {
                // The watcher lost track (an overflowed queue): reload all.
                changes.push(Change::Everything);
                (false, false)
            }
            Msg::Fs(Ok(event)) => {
                let inputs = event.paths.iter().filter_map(|p| classify(root, output, p));
                if matches!(event.kind, EventKind::Access(_)) {
                    // Reading changes nothing; closing after a write ends a
                    // save, whose changes the write events brought.
                    let ends = ends_a_save(&event.kind) && inputs.count() > 0;
                    (false, ends)
                } else {
                    let before = changes.len();
                    changes.extend(inputs);
                    (false, ends_a_save(&event.kind) && changes.len() > before)
                }
            }
        }
    }

    /// An input folder created after the watch began (templates/, say).
    fn watch_new_folders(&mut self, root: &Path, changes: &[Change]) {
        if !changes
            .iter()
            .any(|c| matches!(c, Change::Everything | Change::Theme))
        {
            return;
        }
        for dir in paths::EDITOR_DIRS {
            let path = root.join(dir);
            if path.is_dir() {
                // Watching an already watched folder again is harmless.
                let _ = self._watcher.watch(&path, RecursiveMode::Recursive);
            }
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    abs.canonicalize().unwrap_or(abs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let root = Path::new("/site");
        let out = Path::new("/site/public");
        let c = |p: &str| classify(root, out, Path::new(p));
        assert_eq!(c("/site/site.yaml"), Some(Change::Everything));
        assert_eq!(c("/site/content/outlets.yaml"), Some(Change::Outlets));
        assert_eq!(
            c("/site/content/stories/2025/a.md"),
            Some(Change::Story("content/stories/2025/a.md".into()))
        );
        assert_eq!(c("/site/content/stories/2026"), Some(Change::StoryTree));
        assert_eq!(
            c("/site/content/stories/photo.jpg"),
            Some(Change::StoryTree)
        );
        assert_eq!(
            c("/site/content/stories/v1.0"),
            Some(Change::StoryTree),
            "a dotted folder"
        );
        assert_eq!(
            c("/site/themes/mine/templates/story.html"),
            Some(Change::Everything)
        );
        assert_eq!(c("/site/content/pages/about.md"), Some(Change::Pages));
        assert_eq!(c("/site/templates/story.html"), Some(Change::Theme));
        assert_eq!(c("/site/static/logo.svg"), Some(Change::Theme));
        assert_eq!(c("/site/public/index.html"), None, "the output itself");
        for litter in [
            "/site/content/stories/.a.md.swp",
            "/site/content/stories/a.md~",
            "/site/content/stories/4913",
            "/site/content/stories/#a.md#",
            "/site/content/stories/.#a.md",
            "/site/content/stories/a.md___jb_tmp___",
            "/site/content/stories/a.md.tmp",
            "/site/content/stories/.git/x",
        ] {
            assert_eq!(c(litter), None, "{litter}");
        }
        assert_eq!(c("/site/target/debug/x"), None);
    }
}
