//! Writing: the only stage that touches the output folder. A build never
//! leaves the output half-made: files go to a staging folder (inside the
//! output, so that every move is a rename on one file system, a mount point
//! included; beside it for a first build into no folder at all) while
//! rendering runs, and only when every page has rendered without error does
//! `commit` move them into place, after writing the journal (`journal.rs`)
//! that lets the next build repair a commit cut short. A rebuild stages just the files whose
//! bytes changed (the manifest remembers each file's hash), so an unchanged
//! site costs almost no writes. Files the build did not make are never
//! deleted: only paths listed in the previous manifest are.

use crate::journal;
use crate::load::{StaticFile, StaticOrigin};
use crate::paths::{self, MANIFEST, OWN_PREFIX, STAGING};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use xxhash_rust::xxh3::xxh3_128;

/// The first line of the manifest (`paths::MANIFEST`), which then lists what
/// the last build wrote: `HASH SIZE PATH` a line, sorted by path.
const MANIFEST_HEADER: &str = "parallax-output 1";

/// Why an output folder cannot be used. These are usage errors (exit 2).
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    hash: u128,
    size: u64,
}

/// A path a commit cut short may have moved in: what is there is unknown,
/// so it never counts as unchanged.
const UNKNOWN: Entry = Entry {
    hash: 0,
    size: u64::MAX,
};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Identifies the output as this build left it.
    pub manifest: u128,
}

pub struct OutputDir {
    output: PathBuf,
    staging: PathBuf,
    /// No earlier build's files are there (no folder, or an empty one).
    fresh: bool,
    /// The output folder did not exist: the staging folder, beside it and
    /// laid out as it, becomes it whole in one rename.
    whole: bool,
    previous: Arc<BTreeMap<String, Entry>>,
    /// Hash of the manifest as found (0 when there was none).
    previous_manifest: u128,
    /// The manifest's text as the last commit of this process left it.
    previous_text: Option<String>,
    /// When the previous manifest was written: a kept file last modified
    /// before it, with the size the manifest says, is taken as the build
    /// left it; any other is read and hashed (see `intact`).
    cutoff: Option<std::time::SystemTime>,
    /// Some outputs were kept without being checked at all (a memo this
    /// process trusts, in watch mode): `commit` then leaves the manifest's
    /// time as it was, so a later check still sees files edited since.
    unchecked: std::sync::atomic::AtomicBool,
    /// How many outputs were staged; in a folder staged flat, each one's
    /// number is its file name there.
    staged_count: std::sync::atomic::AtomicUsize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: BTreeMap<String, Entry>,
    /// Every output of the previous build not in `entries` is kept as it is
    /// (see `keep_the_rest`).
    inherit: bool,
    /// Each output staged flat and its number there (`staged_file`). A
    /// folder staged whole lists none: it moves as one, and its outputs
    /// are only counted (their paths twice over were 6 MB at 10,000
    /// stories).
    staged: Vec<(String, usize)>,
    made_dirs: HashSet<PathBuf>,
    errors: Vec<String>,
}

/// Where the output numbered `n` is staged when staged flat.
/// Renames `staged` to `target`, making the folders it goes in first only
/// when they are missing: most outputs replace a file already there, and
/// one rename is a third of the system calls of looking first.
fn move_into_place(staged: &Path, target: &Path) -> io::Result<()> {
    match fs::rename(staged, target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(staged, target)
        }
        done => done,
    }
}

fn staged_file(staging: &Path, n: usize) -> PathBuf {
    staging.join(n.to_string())
}

fn lexical_absolute(path: &Path) -> io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Resolves symlinks where the path exists, so that two spellings of one
/// folder compare equal.
fn canonical(path: &Path) -> io::Result<PathBuf> {
    let abs = lexical_absolute(path)?;
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize()?;
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    Ok(out)
}

/// Checks that `output` is a folder the build may own, before anything is
/// read or rendered.
pub fn check_output(site_root: &Path, output: &Path) -> Result<(), Refused> {
    let refuse = |why: String| {
        Err(Refused(format!(
            "refusing output folder {}: {why}",
            output.display()
        )))
    };
    let (root, out) = match (canonical(site_root), canonical(output)) {
        (Ok(r), Ok(o)) => (r, o),
        (Err(e), _) | (_, Err(e)) => return refuse(format!("cannot resolve it ({e})")),
    };
    if out == root {
        return refuse("it is the site root".into());
    }
    if root.starts_with(&out) {
        return refuse("it contains the site".into());
    }
    for editors in paths::EDITOR_DIRS {
        if out.starts_with(root.join(editors)) {
            return refuse(format!(
                "it is inside {editors}/, which holds what editors write"
            ));
        }
    }
    if out.is_file() {
        return refuse("it is a file".into());
    }
    // A journal without a manifest: a first build into this (empty) folder
    // was cut short, and the folder is ours all the same.
    let ours = out.join(MANIFEST).is_file() || out.join(paths::JOURNAL).is_file();
    if out.is_dir() && !ours {
        let empty = fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return refuse(format!(
                "it exists and was not made by parallax (no {MANIFEST} in it); choose another folder or remove it yourself"
            ));
        }
    }
    Ok(())
}

fn read_manifest(output: &Path) -> io::Result<(BTreeMap<String, Entry>, u128)> {
    let text = fs::read_to_string(output.join(MANIFEST))?;
    let hash = xxh3_128(text.as_bytes());
    let mut entries = BTreeMap::new();
    for line in text.lines().skip(1) {
        let mut parts = line.splitn(3, ' ');
        if let (Some(hash), Some(size), Some(path)) = (parts.next(), parts.next(), parts.next()) {
            if let (Ok(hash), Ok(size)) = (u128::from_str_radix(hash, 16), size.parse()) {
                entries.insert(path.to_string(), Entry { hash, size });
            }
        }
    }
    Ok((entries, hash))
}

/// Whether a folder on the way from `output` to `path` inside it is a
/// symbolic link (or not a folder at all). Stale outputs are not removed
/// through one: it may lead out of the output folder.
fn through_a_link(output: &Path, path: &str) -> bool {
    let mut dir = output.to_path_buf();
    let mut segments = path.split('/').peekable();
    while let Some(segment) = segments.next() {
        if segments.peek().is_none() {
            break;
        }
        dir.push(segment);
        if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            return true;
        }
    }
    false
}

/// A path the build may write: relative, `/`-separated, no `..`, no empty or
/// hidden-manifest segment. Anything else is a bug upstream; refusing it here
/// keeps every write inside the output folder whatever happened before.
/// Why the writer refuses an output path, if it does: `check` asks too, so
/// that it refuses what `build` would.
pub fn refusal(path: &str) -> Option<String> {
    (!safe_relative(path)).then(|| format!("{path}: refusing a path outside the output folder"))
}

/// Two outputs on one path (a page and a static file, say).
pub fn clash(path: &str) -> String {
    format!("{path}: two outputs want this path")
}

fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.starts_with(OWN_PREFIX)
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

impl OutputDir {
    /// Prepares to write into `output` (already checked by `check_output`),
    /// trusting `known` (what the last commit wrote) instead of reading the
    /// manifest again if the manifest file is as that left it.
    /// Taking it by value lets `commit` update that manifest in place.
    pub fn open_with(output: &Path, known: Option<Written>) -> io::Result<OutputDir> {
        let output = lexical_absolute(output)?;
        let (parent, name) = parent_and_name(&output);
        fs::create_dir_all(&parent)?;
        let beside = parent.join(format!(".{name}.parallax-staging"));
        let inside = output.join(STAGING);
        for leftover in [&beside, &inside] {
            // Left by a build that was killed; it only ever holds our files.
            if fs::symlink_metadata(leftover).is_ok() {
                fs::remove_dir_all(leftover)?;
            }
        }
        let whole = !output.exists();
        let cut_short = if whole {
            None
        } else {
            journal::interrupted(&output)
        };
        let fresh = whole || (cut_short.is_none() && fs::read_dir(&output)?.next().is_none());
        // After a commit cut short, no file's time says anything: all are
        // checked by content.
        let cutoff = fs::metadata(output.join(MANIFEST))
            .and_then(|m| m.modified())
            .ok()
            .filter(|_| !fresh && cut_short.is_none());
        let (previous, previous_manifest, previous_text) = match (&cut_short, fresh) {
            (_, true) => (Arc::new(BTreeMap::new()), 0, None),
            (None, false) => match known.filter(|k| k.matches(&output)) {
                Some(k) => (k.entries, k.hash, Some(k.text)),
                None => {
                    let (entries, hash) = read_manifest(&output)?;
                    (Arc::new(entries), hash, None)
                }
            },
            // The manifest (the old one, or already the new one) and every
            // path the commit was moving in; manifest 0 matches no memo.
            (Some(moving), false) => {
                let mut entries = match read_manifest(&output) {
                    Ok((entries, _)) => entries,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
                    Err(e) => return Err(e),
                };
                for path in moving.iter().filter(|p| safe_relative(p)) {
                    entries.entry(path.clone()).or_insert(UNKNOWN);
                }
                (Arc::new(entries), 0, None)
            }
        };
        let staging = if whole { beside } else { inside };
        fs::create_dir(&staging)?;
        Ok(OutputDir {
            output,
            staging,
            fresh,
            whole,
            previous,
            previous_manifest,
            previous_text,
            cutoff,
            unchecked: Default::default(),
            staged_count: Default::default(),
            state: Mutex::new(State::default()),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records one output file, staging it unless the same bytes are already
    /// in place. Safe to call from many threads.
    pub fn put(&self, path: &str, bytes: &[u8]) {
        if let Some(refusal) = refusal(path) {
            self.state().errors.push(refusal);
            return;
        }
        let entry = Entry {
            hash: xxh3_128(bytes),
            size: bytes.len() as u64,
        };
        let unchanged =
            !self.fresh && self.previous.get(path) == Some(&entry) && self.intact(path, &entry);
        if unchanged {
            self.state().entries.insert(path.to_string(), entry);
            return;
        }
        // Into no folder at all, the staging folder becomes the output whole
        // and is laid out as it; otherwise files are staged flat, by number,
        // and `commit` moves each to its place.
        let n = self
            .staged_count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let target = match self.whole {
            true => self.staging.join(path),
            false => staged_file(&self.staging, n),
        };
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .filter(|_| self.whole);
        if let Some(parent) = parent {
            let known = self.state().made_dirs.contains(&parent);
            if !known {
                if let Err(e) = fs::create_dir_all(&parent) {
                    self.state()
                        .errors
                        .push(format!("{}: {e}", parent.display()));
                    return;
                }
                self.state().made_dirs.insert(parent);
            }
        }
        if let Err(e) = fs::write(&target, bytes) {
            self.state()
                .errors
                .push(format!("{}: {e}", target.display()));
            return;
        }
        let mut state = self.state();
        if state.entries.insert(path.to_string(), entry).is_some() {
            state.errors.push(clash(path));
        }
        if !self.whole {
            state.staged.push((path.to_string(), n));
        }
    }

    /// Whether the file at `path` still holds what the manifest's `entry`
    /// says: a plain file of that size, and either last modified before the
    /// previous manifest was written (so no one has touched it since that
    /// build checked or wrote it) or with that hash when read again.
    fn intact(&self, path: &str, entry: &Entry) -> bool {
        let full = self.output.join(path);
        let Ok(meta) = fs::symlink_metadata(&full) else {
            return false;
        };
        if !meta.is_file() || meta.len() != entry.size {
            return false;
        }
        let untouched = match (meta.modified(), self.cutoff) {
            (Ok(modified), Some(cutoff)) => modified < cutoff,
            _ => false,
        };
        untouched || fs::read(&full).is_ok_and(|bytes| xxh3_128(&bytes) == entry.hash)
    }

    /// Whether the output holds an earlier build (so `keep_all` can be used).
    pub fn has_previous(&self) -> bool {
        !self.fresh
    }

    /// Identifies the output as the previous build left it (0: none).
    pub fn previous_manifest(&self) -> u128 {
        self.previous_manifest
    }

    /// Keeps every other output of the previous build as it is, when this
    /// build's `outputs` paths are the previous ones, and perhaps new ones
    /// it has put (the common cases in watch mode: an edit changes pages,
    /// not which pages there are; a new story adds some). The paths not put
    /// were all outputs last time, so when the count adds up, none of the
    /// previous paths is gone. Returns false, recording nothing, when it
    /// cannot tell that cheaply; then call `keep_all`.
    pub fn keep_the_rest(&self, outputs: usize) -> bool {
        let mut state = self.state();
        let added = state
            .entries
            .keys()
            .filter(|path| !self.previous.contains_key(*path))
            .count();
        let same_set = !self.fresh && self.previous.len() + added == outputs;
        state.inherit = same_set;
        if same_set {
            self.unchecked
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        same_set
    }

    /// Records that these outputs are unchanged since the last build: they
    /// stay as they are and in the manifest. With `verify`, each file is
    /// checked to be still as the manifest says (`intact`); returns false
    /// (recording nothing) if one is not, and the caller renders everything
    /// instead.
    pub fn keep_all(&self, paths: &[&str], verify: bool) -> bool {
        if !verify && !paths.is_empty() {
            self.unchecked
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let entries: Option<Vec<(&str, Entry)>> = paths
            .par_iter()
            .map(|&path| {
                let entry = *self.previous.get(path).filter(|_| !self.fresh)?;
                let intact = !verify || self.intact(path, &entry);
                intact.then_some((path, entry))
            })
            .collect();
        let Some(entries) = entries else {
            return false;
        };
        let mut state = self.state();
        for (path, entry) in entries {
            if state.entries.insert(path.to_string(), entry).is_some() {
                state
                    .errors
                    .push(format!("{path}: two outputs want this path"));
            }
        }
        true
    }

    /// Copies a static file (the theme's or the site's).
    pub fn put_static(&self, file: &StaticFile) {
        match &file.origin {
            StaticOrigin::Embedded(bytes) => self.put(&file.out, bytes),
            StaticOrigin::Disk(path) => match fs::read(path) {
                Ok(bytes) => self.put(&file.out, &bytes),
                Err(e) => self
                    .state()
                    .errors
                    .push(format!("{}: cannot read: {e}", path.display())),
            },
        }
    }

    /// Problems met while staging (disk full, a bad path). When there are any,
    /// call `abort`, not `commit`.
    pub fn errors(&self) -> Vec<String> {
        self.state().errors.clone()
    }

    /// Drops everything staged; the output stays exactly as it was.
    pub fn abort(self) {
        self.discard();
    }

    /// `abort`, for an `OutputDir` about to be replaced by a new one.
    pub fn discard(&self) {
        let _ = fs::remove_dir_all(&self.staging);
    }

    /// Moves the staged files into place and removes the outputs of the last
    /// build that this one no longer makes. On an error after the output
    /// began to change, the journal stays, and the next build repairs it.
    pub fn commit(self) -> Result<(Summary, Written), CommitError> {
        let output = self.output.clone();
        let mut began = false;
        self.commit_with(&mut began).map_err(|error| {
            // A journal in place means the output may have changed.
            let partial = began && output.join(paths::JOURNAL).exists();
            CommitError { error, partial }
        })
    }

    fn commit_with(mut self, began: &mut bool) -> io::Result<(Summary, Written)> {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let inherit = state.inherit;
        let mut changed = BTreeMap::new();
        if inherit {
            // The previous manifest, updated with what this build put.
            let mut entries = Arc::try_unwrap(std::mem::take(&mut self.previous))
                .unwrap_or_else(|shared| (*shared).clone());
            for (path, entry) in std::mem::take(&mut state.entries) {
                if entries.get(&path) != Some(&entry) {
                    changed.insert(path.clone(), entry);
                }
                entries.insert(path, entry);
            }
            state.entries = entries;
        }
        let manifest = match self.previous_text.take().filter(|_| inherit) {
            Some(text) => {
                patched_manifest(&text, &changed).unwrap_or_else(|| manifest_text(&state.entries))
            }
            None => manifest_text(&state.entries),
        };
        let staged = self.staged_count.load(std::sync::atomic::Ordering::Relaxed);
        let mut summary = Summary {
            written: staged,
            unchanged: state.entries.len() - staged,
            removed: 0,
            manifest: xxh3_128(manifest.as_bytes()),
        };
        let written = |output: &Path, entries: BTreeMap<String, Entry>, text: String| Written {
            entries: Arc::new(entries),
            hash: summary.manifest,
            stamp: manifest_stamp(output),
            text,
        };
        if self.whole {
            // One rename: the output is either absent or complete.
            fs::write(self.staging.join(MANIFEST), &manifest)?;
            fault::step()?;
            fs::rename(&self.staging, &self.output)?;
            let done = written(&self.output, state.entries, manifest);
            return Ok((summary, done));
        }
        // From here on the output changes: first say what is coming.
        journal::begin(&self.output, state.staged.iter().map(|(p, _)| p.as_str()))?;
        *began = true;
        // Stale outputs go first: a path that was a file may now be a folder
        // (or the reverse), and the new file could not be moved in. (With
        // `inherit`, every previous output is still one: none is stale.)
        let stale = self.previous.keys().filter(|_| !inherit);
        for path in stale {
            if state.entries.contains_key(path)
                || !safe_relative(path)
                || through_a_link(&self.output, path)
            {
                continue;
            }
            let target = self.output.join(path);
            fault::step()?;
            match fs::remove_file(&target) {
                Ok(()) => summary.removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            // Prune folders this left empty, never the output folder itself.
            let mut dir = target.parent();
            while let Some(d) = dir {
                if d == self.output || fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        for (path, n) in &state.staged {
            fault::step()?;
            move_into_place(&staged_file(&self.staging, *n), &self.output.join(path))?;
        }
        let tmp = self.output.join(format!("{MANIFEST}.tmp"));
        fs::write(&tmp, &manifest)?;
        if let Some(cutoff) = self
            .cutoff
            .filter(|_| self.unchecked.load(std::sync::atomic::Ordering::Relaxed))
        {
            fs::File::options()
                .write(true)
                .open(&tmp)?
                .set_modified(cutoff)?;
        }
        fault::step()?;
        fs::rename(&tmp, self.output.join(MANIFEST))?;
        fault::step()?;
        journal::end(&self.output)?;
        fs::remove_dir_all(&self.staging)?;
        let done = written(&self.output, state.entries, manifest);
        Ok((summary, done))
    }
}

/// Why a commit failed, and whether the output had begun to change (then
/// it is part old, part new until the next build).
#[derive(Debug)]
pub struct CommitError {
    pub error: io::Error,
    pub partial: bool,
}

/// Failure injection for the tests: `fail_at(n)` makes the `n`-th step of
/// the next commit on this thread (each removal, rename and the manifest's
/// rename) fail as if the process had been killed there. Compiled only for
/// tests; `step` costs nothing otherwise.
mod fault {
    #[cfg(test)]
    thread_local! {
        static LEFT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    }

    #[cfg(test)]
    pub(super) fn fail_at(step: Option<usize>) {
        LEFT.with(|left| left.set(step));
    }

    #[cfg(test)]
    pub(super) fn step() -> std::io::Result<()> {
        LEFT.with(|left| match left.get() {
            Some(0) => {
                left.set(None);
                Err(std::io::Error::other("injected failure"))
            }
            Some(n) => {
                left.set(Some(n - 1));
                Ok(())
            }
            None => Ok(()),
        })
    }

    #[cfg(not(test))]
    #[inline(always)]
    pub(super) fn step() -> std::io::Result<()> {
        Ok(())
    }
}

/// What a commit left in the output: its manifest, in memory, so that the
/// next build in the same process need not read and parse it again.
pub struct Written {
    entries: Arc<BTreeMap<String, Entry>>,
    hash: u128,
    stamp: Option<(u64, std::time::SystemTime)>,
    /// The manifest's text.
    text: String,
}

impl Written {
    fn matches(&self, output: &Path) -> bool {
        self.stamp.is_some() && manifest_stamp(output) == self.stamp
    }
}

fn manifest_stamp(output: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = fs::metadata(output.join(MANIFEST)).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

fn manifest_text(entries: &BTreeMap<String, Entry>) -> String {
    let mut text = String::with_capacity(entries.len() * 80);
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    for (path, e) in entries {
        push_line(&mut text, path, e);
    }
    text
}

fn push_line(text: &mut String, path: &str, e: &Entry) {
    // Into the one buffer: a format! per line costs an allocation each.
    let _ = writeln!(text, "{:032x} {} {}", e.hash, e.size, path);
}

/// `manifest_text(entries)`, made from `text`, the manifest of the entries
/// before `changed` went into them: each changed line, or where a new
/// output's line goes, is found by binary search (the lines are sorted by
/// path) and written, and the runs between are copied whole, so a rebuild
/// that changed a dozen of 28,000 outputs does not walk every line. None if
/// `text` is no manifest.
fn patched_manifest(text: &str, changed: &BTreeMap<String, Entry>) -> Option<String> {
    let body = text.strip_prefix(MANIFEST_HEADER)?.strip_prefix('\n')?;
    let mut out = String::with_capacity(text.len() + 64 * changed.len());
    out.push_str(MANIFEST_HEADER);
    out.push('\n');
    let mut copied = 0;
    for (path, entry) in changed {
        let (start, end) = match line_of(body, copied, path)? {
            Ok(line) => line,
            Err(before) => (before, before),
        };
        out.push_str(&body[copied..start]);
        push_line(&mut out, path, entry);
        copied = end;
    }
    out.push_str(&body[copied..]);
    Some(out)
}

/// Where the line naming `path` is in `body` (lines sorted by path, each
/// ending in a line feed), searching from `from`, the start of a line: its
/// first byte and the one after its line feed; or, when no line names it,
/// Err with the start of the line it would go before (or the end). None
/// when a line is no manifest line.
fn line_of(body: &str, from: usize, path: &str) -> Option<Result<(usize, usize), usize>> {
    let bytes = body.as_bytes();
    // Lines before `low` sort before `path`, lines from `high` after it.
    let (mut low, mut high) = (from, body.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let start = bytes[low..middle]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(low, |i| low + i + 1);
        let end = bytes[middle..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |i| middle + i + 1);
        let line = body[start..end]
            .strip_suffix('\n')
            .unwrap_or(&body[start..end]);
        match line.splitn(3, ' ').nth(2)?.cmp(path) {
            std::cmp::Ordering::Equal => return Some(Ok((start, end))),
            std::cmp::Ordering::Less => low = end,
            std::cmp::Ordering::Greater => high = start,
        }
    }
    Some(Err(low))
}

/// The folder an (absolute) output is in, where its staging folders go, and
/// its name.
fn parent_and_name(output: &Path) -> (PathBuf, String) {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| paths::DEFAULT_OUTPUT_DIR.into());
    let parent = output
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    (parent, name)
}

/// Replaces the folder `name` of `output` whole with `files` (paths under
/// the output folder, each inside `name/`), outside any manifest: watch
/// mode's search index, which a background job rebuilds while the pages go
/// on. The files are written to a folder inside the output (so that the
/// moves stay on its file system), then the old folder is moved aside and
/// the new one moved in, so the folder is never half written. With no
/// files, the folder is removed.
pub fn replace_folder(output: &Path, name: &str, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let output = lexical_absolute(output)?;
    let staging = output.join(format!("{OWN_PREFIX}{name}-staging"));
    let old = output.join(format!("{OWN_PREFIX}{name}-old"));
    for leftover in [&staging, &old] {
        if fs::symlink_metadata(leftover).is_ok() {
            fs::remove_dir_all(leftover)?;
        }
    }
    let prefix = format!("{name}/");
    if !files.is_empty() {
        fs::create_dir_all(&staging)?;
        for (path, bytes) in files {
            let rel = path.strip_prefix(&prefix).filter(|r| safe_relative(r));
            let Some(rel) = rel else {
                let _ = fs::remove_dir_all(&staging);
                return Err(io::Error::other(format!(
                    "{path}: refusing a path outside {prefix}"
                )));
            };
            let target = staging.join(rel);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(target, bytes)?;
        }
    }
    let folder = output.join(name);
    if folder.exists() {
        fs::rename(&folder, &old)?;
    }
    if !files.is_empty() {
        fs::rename(&staging, &folder)?;
    }
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patched_manifest_is_the_manifest_written_whole() {
        let entry = |hash, size| Entry { hash, size };
        let paths = [
            "a/index.html",
            "b x.png",
            "b.xml",
            "ba/index.html",
            "é/index.html",
            "z",
        ];
        // Paths the manifest has no line for yet: before, between and
        // after its lines.
        let new = ["", "a", "b", "b y.png", "c", "zz"];
        let entries: BTreeMap<String, Entry> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), entry(i as u128 * 7, i as u64 * 100)))
            .collect();
        let before = manifest_text(&entries);
        let every: Vec<&str> = paths.iter().chain(&new).copied().collect();
        // Every set of changed and new paths: first, last, neighbours, all.
        for mask in 1..(1u32 << every.len()) {
            let changed: BTreeMap<String, Entry> = every
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(i, p)| (p.to_string(), entry(u128::MAX - i as u128, 12345)))
                .collect();
            let mut after = entries.clone();
            after.extend(changed.clone());
            assert_eq!(
                patched_manifest(&before, &changed),
                Some(manifest_text(&after)),
                "{mask:b}"
            );
        }
        assert_eq!(patched_manifest("", &BTreeMap::new()), None);
    }

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(safe_relative("stories/a/index.html"));
        assert!(!safe_relative("../x"));
        assert!(!safe_relative("a/../../x"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("a//b"));
        assert!(!safe_relative(MANIFEST));
    }

    /// Every file and folder under `dir`, with each file's bytes.
    fn tree(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).expect("read_dir") {
                let path = entry.expect("entry").path();
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if path.is_dir() {
                    stack.push(path.clone());
                    out.push((rel, None));
                } else {
                    out.push((rel, Some(fs::read(&path).expect("read"))));
                }
            }
        }
        out.sort();
        out
    }

    fn build(output: &Path, files: &[(&str, &str)]) -> Result<Summary, CommitError> {
        let out = OutputDir::open_with(output, None).expect("open");
        for (path, text) in files {
            out.put(path, text.as_bytes());
        }
        out.commit().map(|(summary, _)| summary)
    }

    const A: [(&str, &str); 4] = [
        ("index.html", "home A"),
        ("stories/a/index.html", "story a, first"),
        ("stories/b/index.html", "story b"),
        ("feed.xml", "feed A"),
    ];
    /// A changed, b gone, c new, the feed the same size but other bytes.
    const B: [(&str, &str); 4] = [
        ("index.html", "home B, longer"),
        ("stories/a/index.html", "story a, again"),
        ("stories/c/index.html", "story c"),
        ("feed.xml", "feed B"),
    ];

    /// What a build of `files` into an empty place writes.
    fn fresh_tree(files: &[(&str, &str)]) -> Vec<(String, Option<Vec<u8>>)> {
        let dir = tempfile::tempdir().expect("tmp");
        build(&dir.path().join("out"), files).expect("fresh build");
        tree(&dir.path().join("out"))
    }

    #[test]
    fn a_commit_cut_short_at_any_step_is_repaired_by_the_next_build() {
        let (want_a, want_b) = (fresh_tree(&A), fresh_tree(&B));
        for step in 0..12 {
            // Then the same build again, or the one before it again (which
            // must remove what the cut-short commit had moved in).
            for (again, want) in [(&B, &want_b), (&A, &want_a)] {
                let dir = tempfile::tempdir().expect("tmp");
                let out = dir.path().join("out");
                build(&out, &A).expect("first build");
                fault::fail_at(Some(step));
                let cut = build(&out, &B);
                fault::fail_at(None);
                if let Err(e) = &cut {
                    assert!(e.partial, "step {step}: the journal was written first");
                    assert!(out.join(paths::JOURNAL).is_file(), "step {step}");
                }
                build(&out, again).expect("the next build");
                assert_eq!(&tree(&out), want, "step {step}, then {:?}", again[0]);
                assert!(!out.join(paths::JOURNAL).exists());
            }
        }
    }

    #[test]
    fn the_rest_is_kept_when_outputs_are_only_changed_or_added() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("out");
        build(&out, &A).expect("first build");
        // a changed and c new; the rest (home, b, feed) kept as it is.
        let update = [A[0], ("stories/a/index.html", "story a, again"), A[2], A[3]];
        let mut want = update.to_vec();
        want.push(("stories/c/index.html", "story c"));
        let step = OutputDir::open_with(&out, None).expect("open");
        step.put(update[1].0, update[1].1.as_bytes());
        step.put(want[4].0, want[4].1.as_bytes());
        // Five outputs with c: had one of the four gone, there would be four.
        assert!(!step.keep_the_rest(4));
        assert!(step.keep_the_rest(5));
        let (summary, _) = step.commit().expect("commit");
        assert_eq!((summary.written, summary.unchanged), (2, 3));
        assert_eq!(tree(&out), fresh_tree(&want));
    }

    #[test]
    fn a_first_build_cut_short_in_an_existing_folder_is_still_ours() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("out");
        fs::create_dir(&out).expect("mkdir");
        fault::fail_at(Some(1));
        assert!(build(&out, &A).is_err());
        fault::fail_at(None);
        assert!(!out.join(MANIFEST).exists());
        assert!(
            check_output(dir.path(), &out).is_ok(),
            "the journal marks it"
        );
        build(&out, &B).expect("the next build");
        assert_eq!(tree(&out), fresh_tree(&B));
    }

    #[test]
    fn an_update_touches_nothing_beside_the_output_folder() {
        // A mount point cannot be renamed or removed, and nothing can be
        // renamed into it from another file system: every move must stay
        // inside the folder.
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("out");
        fs::create_dir(&out).expect("mkdir");
        let beside = || {
            let mut names: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            names
        };
        let before = beside();
        build(&out, &A).expect("into an empty folder");
        build(&out, &B).expect("an update");
        assert_eq!(beside(), before);
        assert_eq!(tree(&out), fresh_tree(&B));
    }
}
