//! What validation remembers between runs, so that a story whose file and
//! `StoryCheck` are unchanged is not parsed again (watch mode, and the build
//! cache folder through `stored_stories`): validated stories by file, the
//! outlet registry as last parsed, and the last run's story list. Owns when a
//! remembered result may be reused; it checks no rule itself, and every
//! shortcut here must give exactly what validating afresh would.

use super::outlets::outlets;
use super::story::{content_hash, story, story_key, StoryCheck};
use crate::diag::Diagnostic;
use crate::fingerprint::{path_key, FileTable, Fingerprint};
use crate::load::{StreamedTexts, TextFile};
use crate::model::{Outlet, Publish, Story};
use crate::story_text::Spill;
use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_128;

/// What the last validation run produced that the next one may reuse:
/// each story file's result, the outlet registry, the story list.
#[derive(Default, Clone)]
pub struct ValidationMemo {
    /// By path (as text: hashing a `Path` parses its components, which is
    /// slow over ten thousand files).
    pub stories: FxHashMap<String, MemoizedStory>,
    /// What the remembered results were validated against (outlet ids, static
    /// files, Markdown options).
    context: u128,
    /// When set, only these files may have changed since the memo was
    /// filled (watch mode knows), so the others are not even hashed.
    pub only_changed: Option<HashSet<PathBuf>>,
    /// A store of stories validated by earlier runs, by key (the build cache
    /// folder): asked before validating a story that is not in memory.
    pub stored_stories: Option<Arc<StoredStoryLookup>>,
    /// Where a one-off build keeps each valid story's words until its page
    /// is rendered (`story_text`); None: they stay in memory.
    pub spill: Option<Arc<Spill>>,
    /// The story files' fingerprints as an earlier run recorded them (the
    /// build cache folder): a one-off build reads no file whose fingerprint
    /// is unchanged and whose story is stored (`fingerprint`).
    pub known_files: Option<Arc<FileTable>>,
    /// The fingerprints this run recorded, for the next: a one-off build's
    /// only (watch mode reads each file once, and notices its changes).
    pub files_seen: FileTable,
    /// The registry as last parsed: a hash of its text, the outlets and the
    /// problems found.
    outlets: Option<(u128, Vec<Outlet>, Vec<Diagnostic>)>,
    /// The stories of the last run without a problem, in site order, and
    /// what they were listed under.
    last: Option<(Listed, Vec<Arc<Story>>)>,
    /// Stories whose `@/` links were resolved, by the story's hash and its
    /// URLs' (`links::urls_hash`): the same copy while neither changes, so
    /// that the stages after see an unchanged story as the same one.
    resolved: FxHashMap<u128, Arc<Story>>,
}

/// What a listing of stories holds for: the context and publishing
/// settings it was made under, from when, and until the first scheduled
/// story falls due (after which it lacks that story).
#[derive(Clone)]
struct Listed {
    context: u128,
    drafts: bool,
    future: bool,
    from: DateTime<Utc>,
    until: Option<DateTime<FixedOffset>>,
}

impl Listed {
    fn holds_for(&self, context: u128, publish: &Publish) -> bool {
        self.context == context
            && self.drafts == publish.drafts
            && self.future == publish.future
            && self.from <= publish.now
            && self.until.is_none_or(|due| publish.now < due)
    }
}

/// Finds a story validated by an earlier run by its key (`story_key`).
pub type StoredStoryLookup = dyn Fn(u128) -> Option<Story> + Send + Sync;

/// One story file's result, and the key it holds for.
#[derive(Clone)]
pub struct MemoizedStory {
    /// Hash of the file's path and text and of what validation looked up.
    pub key: u128,
    pub result: Result<Arc<Story>, Vec<Diagnostic>>,
    /// Validated in this run (not found in memory or on disk).
    pub fresh: bool,
}

/// A changed story file's story before and after (None: missing or invalid).
type Replaced = (Option<Arc<Story>>, Option<Arc<Story>>);

impl ValidationMemo {
    /// The outlets, parsed again only when the registry's text changed; its
    /// problems go to `diags` on every run.
    pub(super) fn checked_outlets(
        &mut self,
        file: Option<&TextFile>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Outlet> {
        let registry = file.map_or(0, |f| xxh3_128(f.text.as_bytes()));
        match &self.outlets {
            Some((hash, outlets, problems)) if *hash == registry => {
                diags.extend(problems.iter().cloned());
                outlets.clone()
            }
            _ => {
                let mut problems = Vec::new();
                let outlets = outlets(file, &mut problems);
                diags.extend(problems.iter().cloned());
                self.outlets = Some((registry, outlets.clone(), problems));
                outlets
            }
        }
    }

    /// Brings `stories` up to date with the story files: in watch mode only
    /// the changed ones are looked at. Returns the last run's list with
    /// them put in place when that can be trusted (`may_patch`: nothing
    /// else is wrong so far; see `patch_stories`), else None: the list must
    /// be made and checked across stories again.
    pub(super) fn refresh(
        &mut self,
        files: &mut [TextFile],
        texts: &mut Texts<'_>,
        check: &StoryCheck,
        publish: &Publish,
        may_patch: bool,
    ) -> Option<Vec<Arc<Story>>> {
        let only_changed = self
            .only_changed
            .take()
            .filter(|_| self.context == check.context);
        self.context = check.context;
        let last = self
            .last
            .take()
            .filter(|(listed, _)| listed.holds_for(check.context, publish));
        match only_changed {
            Some(changed) => {
                let replaced = self.refresh_changed(&changed, files, check);
                let (_, list) = last.filter(|_| may_patch)?;
                patch_stories(&list, &replaced)
            }
            None => {
                self.refresh_all(files, texts, check);
                None
            }
        }
    }

    /// Remembers a listing that had no problem, for `refresh` to patch.
    pub(super) fn remember_listing(
        &mut self,
        context: u128,
        publish: &Publish,
        until: Option<DateTime<FixedOffset>>,
        stories: &[Arc<Story>],
    ) {
        let listed = Listed {
            context,
            drafts: publish.drafts,
            future: publish.future,
            from: publish.now,
            until,
        };
        self.last = Some((listed, stories.to_vec()));
    }

    /// The stories with their `@/` links' markers replaced by the URLs
    /// found for them (`urls`, by story; None: it has no `@/` link).
    pub(super) fn resolve_links(
        &mut self,
        stories: Vec<Arc<Story>>,
        urls: Vec<Option<Vec<Option<String>>>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Arc<Story>> {
        let mut kept = FxHashMap::default();
        let stories = stories
            .into_iter()
            .zip(urls)
            .map(|(story, urls)| {
                let Some(urls) = urls else {
                    return story;
                };
                let key = super::links::urls_hash(story.hash, &urls);
                let copy = match self.resolved.remove(&key) {
                    Some(copy) => copy,
                    None => match super::links::resolved(&story, &urls, self.spill.as_ref()) {
                        Ok(copy) => Arc::new(copy),
                        Err(e) => {
                            let why = format!("its text could not be read back: {e}");
                            diags.push(Diagnostic::new(&story.file, 0, 0, why));
                            return story;
                        }
                    },
                };
                kept.insert(key, copy.clone());
                copy
            })
            .collect();
        self.resolved = kept;
        stories
    }

    /// Watch mode: the changed files only, updated in place; each one's
    /// story before and after.
    fn refresh_changed(
        &mut self,
        changed: &HashSet<PathBuf>,
        files: &[TextFile],
        check: &StoryCheck,
    ) -> Vec<Replaced> {
        let mut replaced: Vec<Replaced> = Vec::new();
        for rel in changed {
            let key = rel.to_string_lossy();
            let before = self
                .stories
                .get(&*key)
                .and_then(|remembered| remembered.result.as_ref().ok().cloned());
            match files.binary_search_by(|file| file.rel.as_path().cmp(rel)) {
                Ok(index) => {
                    let file = &files[index];
                    let entry = recall_or_validate(
                        file,
                        content_hash(file),
                        &self.stories,
                        self.stored_stories.as_deref(),
                        self.spill.as_ref(),
                        check,
                    );
                    replaced.push((before, entry.result.as_ref().ok().cloned()));
                    self.stories.insert(key.into_owned(), entry);
                }
                Err(_) => {
                    replaced.push((before, None));
                    self.stories.remove(&*key);
                }
            }
        }
        replaced
    }

    /// Every file, in parallel. When the texts are streamed (a one-off
    /// build), each is read just before its story is validated, a batch at
    /// a time while the next batch is fetched, and a valid story's text is
    /// let go: only a message would need it again. A file the cache folder
    /// has the story of, unchanged since (`known_files`), is not read at
    /// all. A file that cannot be read has no entry; its error goes to
    /// `texts.unreadable`.
    fn refresh_all(&mut self, files: &mut [TextFile], texts: &mut Texts<'_>, check: &StoryCheck) {
        let previous = std::mem::take(&mut self.stories);
        let stored = self.stored_stories.as_deref();
        let spill = self.spill.as_ref();
        let source = texts.source;
        let batch_len = match source {
            Some(_) => STREAMED_BATCH,
            None => files.len().max(1),
        };
        // Asked once: the table is let go as soon as it has been.
        let known_files = self.known_files.take();
        let unchanged = match (source, known_files.as_deref()) {
            (Some(source), Some(known)) => unchanged_files(files, source, known),
            _ => vec![None; files.len()],
        };
        drop(known_files);
        let validate = |(file, unchanged): (&mut TextFile, &Option<Seen>)| {
            let rel = file.rel.to_string_lossy().into_owned();
            let Some(source) = source else {
                let entry =
                    recall_or_validate(file, content_hash(file), &previous, stored, spill, check);
                return Ok((rel, entry, None));
            };
            if let Some((print, content)) = *unchanged {
                let key = story_key(check.context, content);
                if let Some(entry) = recall(key, &rel, &previous, stored, spill) {
                    return Ok((rel, entry, Some((print, content))));
                }
            }
            let print = source.read(file)?;
            let content = content_hash(file);
            let entry = recall_or_validate(file, content, &previous, stored, spill, check);
            if entry.result.is_ok() {
                file.text = String::new();
            }
            Ok((rel, entry, print.map(|print| (print, content))))
        };
        let mut stories = FxHashMap::with_capacity_and_hasher(files.len(), Default::default());
        let mut seen = FileTable::default();
        let mut rest = files;
        let mut rest_unchanged = &unchanged[..];
        while !rest.is_empty() {
            let len = batch_len.min(rest.len());
            let (batch, after) = rest.split_at_mut(len);
            let (batch_unchanged, after_unchanged) = rest_unchanged.split_at(len);
            let next: Vec<&TextFile> = after
                .iter()
                .zip(after_unchanged)
                .take(batch_len)
                .filter(|(_, unchanged)| unchanged.is_none())
                .map(|(file, _)| file)
                .collect();
            let validated: Vec<Validated> = std::thread::scope(|scope| {
                if let Some(source) = source.filter(|_| !next.is_empty()) {
                    scope.spawn(move || source.prefetch(&next));
                }
                batch
                    .par_iter_mut()
                    .zip(batch_unchanged)
                    .map(validate)
                    .collect()
            });
            for result in validated {
                match result {
                    Ok((rel, entry, print)) => {
                        if let Some(print) = print {
                            seen.insert(path_key(Path::new(&rel)), print);
                        }
                        stories.insert(rel, entry);
                    }
                    Err(unreadable) => texts.unreadable.push(unreadable),
                }
            }
            rest = after;
            rest_unchanged = after_unchanged;
        }
        self.stories = stories;
        self.files_seen = seen;
    }
}

/// A file's fingerprint and content hash (`FileTable`'s entries).
type Seen = (Fingerprint, u128);

/// One file's story and, when it was read or found unchanged, what the
/// next run may know it by.
type Validated = Result<(String, MemoizedStory, Option<Seen>), Diagnostic>;

/// For each file, what `known` says of it when its fingerprint is still
/// the one recorded (a `statx` each, in parallel: a tenth of reading).
fn unchanged_files(
    files: &[TextFile],
    source: &StreamedTexts,
    known: &FileTable,
) -> Vec<Option<Seen>> {
    files
        .par_iter()
        .map(|file| {
            known
                .get(&path_key(&file.rel))
                .filter(|(print, _)| source.unchanged(&file.rel, print))
                .copied()
        })
        .collect()
}

/// How many story texts a streamed validation holds at once: enough for
/// both cores and the readers to keep busy, a few megabytes.
const STREAMED_BATCH: usize = 512;

/// Where validation gets the story texts from: already in the files, or
/// (`source`, a one-off build) read by load as each story comes up.
pub struct Texts<'a> {
    pub source: Option<&'a StreamedTexts>,
    /// The files `source` could not read, each with its error.
    pub unreadable: Vec<Diagnostic>,
}

/// The story in `file` (whose `content_hash` is `content`): as remembered
/// when its key is unchanged, else as stored by an earlier run, else
/// validated now.
fn recall_or_validate(
    file: &TextFile,
    content: u128,
    previous: &FxHashMap<String, MemoizedStory>,
    stored: Option<&StoredStoryLookup>,
    spill: Option<&Arc<Spill>>,
    check: &StoryCheck,
) -> MemoizedStory {
    let key = story_key(check.context, content);
    if let Some(hit) = recall(key, &file.rel.to_string_lossy(), previous, stored, spill) {
        return hit;
    }
    let (story, diags) = story(file, check);
    let result = match story {
        Some(story) if diags.is_empty() => Ok(Arc::new(spilled(story, spill))),
        _ => Err(diags),
    };
    MemoizedStory {
        key,
        result,
        fresh: true,
    }
}

/// The story of the file at `rel` whose key is `key`, as remembered or as
/// stored by an earlier run, if either has it.
fn recall(
    key: u128,
    rel: &str,
    previous: &FxHashMap<String, MemoizedStory>,
    stored: Option<&StoredStoryLookup>,
    spill: Option<&Arc<Spill>>,
) -> Option<MemoizedStory> {
    if let Some(hit) = previous.get(rel).filter(|remembered| remembered.key == key) {
        let mut hit = hit.clone();
        hit.fresh = false;
        return Some(hit);
    }
    let story = stored?(key)?;
    Some(MemoizedStory {
        key,
        result: Ok(Arc::new(spilled(story, spill))),
        fresh: false,
    })
}

/// `story` with its words in `spill`, when there is one. Should the spill
/// file fail (a full disk), they stay in memory: the build is the same.
fn spilled(mut story: Story, spill: Option<&Arc<Spill>>) -> Story {
    if let Some(spill) = spill {
        if let Ok(body) = story.text.clone().spilled(spill) {
            story.text = body;
        }
    }
    story
}

/// The last run's stories with the changed ones put in place, when each
/// changed file was and still is a valid story with the same slug, date,
/// draft flag and related stories: then the list needs no new checks across
/// stories (the last one passed them) and keeps its order. None when it
/// cannot be told this cheaply.
fn patch_stories(last: &[Arc<Story>], replaced: &[Replaced]) -> Option<Vec<Arc<Story>>> {
    let mut stories = last.to_vec();
    for (before, after) in replaced {
        let (before, after) = (before.as_ref()?, after.as_ref()?);
        let same_place = before.slug == after.slug
            && before.date == after.date
            && before.draft == after.draft
            && before.related == after.related;
        if !same_place {
            return None;
        }
        let at = stories
            .iter()
            .position(|story| Arc::ptr_eq(story, before))?;
        stories[at] = after.clone();
    }
    Some(stories)
}
