//! The build cache, `.parallax-cache/` at the site root: validated stories by
//! content hash, the keys and cards of the last render of each output
//! folder, and the last search index. A second build of an unchanged (or nearly unchanged) site parses
//! and renders only what changed. The folder is safe to delete, is never
//! needed for a correct build (the output is byte-identical with or without
//! it), and is emptied when the binary changes.

use crate::derive::FactsMemo;
use crate::fingerprint::FileTable;
use crate::model::Story;
use crate::render::Memo;
use crate::search::IndexFile;
use crate::story_text::decode_in_file;
use crate::validate::{StoredStoryLookup, ValidationMemo};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

const BUCKETS: usize = 256;

/// The cache folder of one site, opened.
pub struct CacheFolder {
    dir: PathBuf,
    /// Stories read from disk, by key; taken (not cloned) when looked up.
    stories: Arc<Mutex<HashMap<u128, Story>>>,
    /// The keys each bucket file held when read.
    on_disk: Vec<HashSet<u128>>,
    /// The story files' fingerprints as the last build recorded them,
    /// until taken (`take_known_files`), and a hash of them.
    files: Option<FileTable>,
    files_hash: u128,
    /// The stories' own facts as stored, until taken (`take_facts`), and a
    /// hash of their keys.
    facts: Option<FactsMemo>,
    facts_keys: u128,
}

/// What identifies this binary: a new build of Parallax may parse or render
/// differently, so it starts with an empty cache.
fn binary_identity() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| fs::metadata(p).ok());
    let (len, modified) = exe
        .map(|m| {
            (
                m.len(),
                m.modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            )
        })
        .unwrap_or((0, 0));
    format!("parallax {} {len} {modified}\n", env!("CARGO_PKG_VERSION"))
}

/// Every cache file ends with the xxh3 checksum of what comes before it: a
/// file cut short or with a flipped bit is dropped when read, never used.
struct Checksummed<W: Write> {
    inner: W,
    hasher: Xxh3,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Streams `value` to a new file at `tmp`, its checksum last, then renames
/// it to `path`: the old file or the new one, whatever happens.
fn write_checked<T: Serialize + ?Sized>(value: &T, tmp: &Path, path: &Path) -> Option<()> {
    let file = fs::File::create(tmp).ok()?;
    let writer = Checksummed {
        inner: BufWriter::with_capacity(1 << 16, file),
        hasher: Xxh3::new(),
    };
    let mut writer = postcard::to_io(value, writer).ok()?;
    let digest = writer.hasher.digest128();
    writer.inner.write_all(&digest.to_le_bytes()).ok()?;
    writer.inner.into_inner().ok()?;
    fs::rename(tmp, path).ok()
}

/// The payload of a file `write_checked` wrote, if its checksum holds.
fn read_checked(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    read_checked_into(path, &mut bytes)?;
    Some(bytes)
}

/// The same, into `bytes` (emptied first), which a caller reading many
/// files reuses: the bucket files are a gigabyte at 100,000 stories, and
/// a new buffer for each is memory the system must hand over and zero.
fn read_checked_into(path: &Path, bytes: &mut Vec<u8>) -> Option<fs::File> {
    let mut file = fs::File::open(path).ok()?;
    bytes.clear();
    std::io::Read::read_to_end(&mut file, bytes).ok()?;
    let payload = bytes.len().checked_sub(16)?;
    let stored = u128::from_le_bytes(bytes[payload..].try_into().ok()?);
    bytes.truncate(payload);
    (xxh3_128(bytes) == stored).then_some(file)
}

fn bucket_of(key: u128) -> usize {
    (key >> 120) as usize
}

/// Written from a borrowed memo (`MemoFile<&Memo>`: the same bytes),
/// read into an owned one.
#[derive(Serialize, Deserialize)]
struct MemoFile<M> {
    /// The output's manifest this memo describes: it is used only while the
    /// output is exactly as the build that wrote it left it.
    manifest: u128,
    memo: M,
}

impl CacheFolder {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Opens (or creates) the cache of the site at `root`. None when the
    /// folder cannot be used; the build then simply runs without it.
    pub fn open(root: &Path) -> Option<CacheFolder> {
        let dir = root.join(crate::paths::CACHE_DIR);
        let identity = binary_identity();
        let current = fs::read_to_string(dir.join("VERSION")).ok();
        if current.as_deref() != Some(identity.as_str()) {
            // Another binary's cache: only our own files are removed.
            let _ = fs::remove_dir_all(dir.join("stories"));
            let _ = fs::remove_dir_all(dir.join("memo"));
            // Another Pagefind may index the same documents differently.
            let _ = fs::remove_file(search_index_path(&dir));
            // Its content hashes and figures may not be this binary's.
            let _ = fs::remove_file(files_path(&dir));
            let _ = fs::remove_file(facts_path(&dir));
            fs::create_dir_all(dir.join("stories")).ok()?;
            fs::create_dir_all(dir.join("memo")).ok()?;
            fs::write(dir.join("VERSION"), &identity).ok()?;
            let _ = fs::write(dir.join(".gitignore"), "*\n");
        }
        // The facts decode on one thread while the buckets share the rest.
        let facts_thread = std::thread::spawn({
            let path = facts_path(&dir);
            move || {
                read_checked(&path)
                    .and_then(|bytes| postcard::from_bytes::<FactsMemo>(&bytes).ok())
                    .unwrap_or_default()
            }
        });
        let loaded: Vec<Vec<(u128, Story)>> = (0..BUCKETS)
            .into_par_iter()
            .map_init(Vec::new, |bytes, b| {
                // The stories' words stay in the file, read back only for
                // the pages rendered again.
                read_checked_into(&dir.join("stories").join(format!("{b:02x}.bin")), bytes)
                    .and_then(|file| {
                        decode_in_file(bytes, file, |bytes| {
                            postcard::from_bytes::<Vec<(u128, Story)>>(bytes).ok()
                        })
                    })
                    .unwrap_or_default()
            })
            .collect();
        let mut on_disk = vec![HashSet::new(); BUCKETS];
        let mut stories = HashMap::new();
        for (b, entries) in loaded.into_iter().enumerate() {
            for (key, story) in entries {
                on_disk[b].insert(key);
                stories.insert(key, story);
            }
        }
        let files = read_checked(&files_path(&dir))
            .and_then(|bytes| postcard::from_bytes::<FileTable>(&bytes).ok())
            .unwrap_or_default();
        let facts = facts_thread.join().unwrap_or_default();
        Some(CacheFolder {
            dir,
            stories: Arc::new(Mutex::new(stories)),
            on_disk,
            files_hash: table_hash(&files),
            files: Some(files),
            facts_keys: keys_hash(&facts),
            facts: Some(facts),
        })
    }

    /// The lookup validation uses for stories not in memory.
    pub fn lookup(&self) -> Arc<StoredStoryLookup> {
        let stories = self.stories.clone();
        Arc::new(move |key| {
            stories
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&key)
        })
    }

    /// The stories' own facts as the last one-off build left them (once).
    pub fn take_facts(&mut self) -> FactsMemo {
        self.facts.take().unwrap_or_default()
    }

    /// Keeps `facts` as the stories' own facts, when their keys changed.
    pub fn store_facts(&mut self, facts: &FactsMemo) {
        let keys = keys_hash(facts);
        if keys != self.facts_keys {
            let path = facts_path(&self.dir);
            if write_checked(facts, &path.with_extension("tmp"), &path).is_some() {
                self.facts_keys = keys;
            }
        }
    }

    /// The story files' fingerprints as the last build recorded them
    /// (once: validation holds them while it needs them, and no longer).
    pub fn take_known_files(&mut self) -> FileTable {
        self.files.take().unwrap_or_default()
    }

    /// Keeps `seen` as the story files' fingerprints, when they changed.
    /// Watch mode records none (`ValidationMemo::files_seen`); the table
    /// left then is still true, since an entry holds only while its file's
    /// fingerprint does.
    pub fn store_files(&mut self, seen: FileTable) {
        let hash = table_hash(&seen);
        if !seen.is_empty() && hash != self.files_hash {
            let path = files_path(&self.dir);
            if write_checked(&seen, &path.with_extension("tmp"), &path).is_some() {
                self.files_hash = hash;
            }
        }
    }

    /// Writes the buckets whose contents changed: a story validated afresh,
    /// or one that is gone.
    pub fn store_stories(&mut self, memo: &ValidationMemo) {
        let mut live: Vec<Vec<(u128, &Arc<Story>)>> = vec![Vec::new(); BUCKETS];
        let mut dirty = vec![false; BUCKETS];
        for entry in memo.stories.values() {
            if let Ok(story) = &entry.result {
                let b = bucket_of(entry.key);
                live[b].push((entry.key, story));
                dirty[b] |= entry.fresh && !self.on_disk[b].contains(&entry.key);
            }
        }
        for b in 0..BUCKETS {
            let keys: HashSet<u128> = live[b].iter().map(|(k, _)| *k).collect();
            dirty[b] |= keys != self.on_disk[b];
        }
        let stories_dir = self.dir.join("stories");
        let written: Vec<(usize, HashSet<u128>)> = (0..BUCKETS)
            .into_par_iter()
            .filter(|&b| dirty[b])
            .filter_map(|b| {
                let mut entries: Vec<(u128, &Story)> =
                    live[b].iter().map(|(k, s)| (*k, s.as_ref())).collect();
                entries.sort_unstable_by_key(|(k, _)| *k);
                let path = stories_dir.join(format!("{b:02x}.bin"));
                let tmp = stories_dir.join(format!("{b:02x}.tmp"));
                write_checked(&entries, &tmp, &path)?;
                Some((b, entries.iter().map(|(k, _)| *k).collect()))
            })
            .collect();
        for (b, keys) in written {
            self.on_disk[b] = keys;
        }
    }

    fn memo_path(&self, output: &Path) -> PathBuf {
        let abs = output
            .canonicalize()
            .unwrap_or_else(|_| output.to_path_buf());
        let id = xxh3_128(abs.as_os_str().as_encoded_bytes());
        self.dir.join("memo").join(format!("{id:032x}.bin"))
    }

    /// The last render into `output`, if the output is still as it left it.
    pub fn load_memo(&self, output: &Path, manifest: u128) -> Option<Memo> {
        let bytes = read_checked(&self.memo_path(output))?;
        let file: MemoFile<Memo> = postcard::from_bytes(&bytes).ok()?;
        (file.manifest == manifest).then_some(file.memo)
    }

    pub fn store_memo(&self, output: &Path, manifest: u128, memo: &Memo) {
        let path = self.memo_path(output);
        let file = MemoFile { manifest, memo };
        // Streamed: the memo holds every story card, tens of megabytes on a
        // large site, which a copy or a buffer would add to the peak.
        let _ = write_checked(&file, &path.with_extension("tmp"), &path);
    }
}

/// Where the stories' own facts are kept (`derive::FactsMemo`).
fn facts_path(dir: &Path) -> PathBuf {
    dir.join("facts.bin")
}

/// A hash of the facts' keys, in order: equal keys, equal facts.
fn keys_hash(facts: &FactsMemo) -> u128 {
    let mut keys: Vec<u128> = facts.keys().copied().collect();
    keys.sort_unstable();
    let mut hasher = Xxh3::new();
    for key in keys {
        hasher.update(&key.to_le_bytes());
    }
    hasher.digest128()
}

/// A hash of a fingerprint table, whatever order its entries are in.
fn table_hash(table: &FileTable) -> u128 {
    table
        .iter()
        .fold(table.len() as u128, |sum, (path, (print, hash))| {
            let mut hasher = Xxh3::new();
            hasher.update(&path.to_le_bytes());
            hasher.update(&postcard::to_allocvec(print).unwrap_or_default());
            hasher.update(&hash.to_le_bytes());
            sum.wrapping_add(hasher.digest128())
        })
}

/// Where the story files' fingerprints are kept (`fingerprint`).
fn files_path(dir: &Path) -> PathBuf {
    dir.join("files.bin")
}

/// Where the last search index is kept: one file, the index of one set of
/// documents (`search::index_stage`).
fn search_index_path(dir: &Path) -> PathBuf {
    dir.join("search-index.bin")
}

/// The index files stored for the documents whose hash is `key`, if those
/// are the ones stored.
pub fn load_search_index(dir: &Path, key: u128) -> Option<Vec<IndexFile>> {
    let bytes = read_checked(&search_index_path(dir))?;
    let stored: StoredIndex = postcard::from_bytes(&bytes).ok()?;
    (stored.key == key).then(|| {
        stored
            .files
            .into_iter()
            .map(|(path, bytes)| (path, bytes.0))
            .collect()
    })
}

/// Keeps `files` as the index of the documents whose hash is `key`,
/// replacing the one stored before.
pub fn store_search_index(dir: &Path, key: u128, files: &[IndexFile]) {
    let stored = StoredIndexRef {
        key,
        files: files.iter().map(|(p, b)| (p.as_str(), Bytes(b))).collect(),
    };
    let path = search_index_path(dir);
    let _ = write_checked(&stored, &path.with_extension("tmp"), &path);
}

#[derive(Serialize)]
struct StoredIndexRef<'a> {
    key: u128,
    files: Vec<(&'a str, Bytes<'a>)>,
}

#[derive(Deserialize)]
struct StoredIndex {
    key: u128,
    files: Vec<(String, ByteBuf)>,
}

/// Bytes written as one string of bytes: a `Vec<u8>` would go through
/// serde a byte at a time.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ByteBuf, D::Error> {
        struct Seen;
        impl serde::de::Visitor<'_> for Seen {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }
        }
        deserializer.deserialize_bytes(Seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_binary_never_gets_the_stored_search_index() {
        let site = tempfile::tempdir().unwrap();
        let folder = CacheFolder::open(site.path()).unwrap();
        let files = vec![("pagefind/a".to_string(), vec![1, 2, 3])];
        store_search_index(folder.dir(), 7, &files);
        assert_eq!(load_search_index(folder.dir(), 7), Some(files.clone()));
        assert_eq!(load_search_index(folder.dir(), 8), None);
        let again = CacheFolder::open(site.path()).unwrap();
        assert_eq!(load_search_index(again.dir(), 7), Some(files));
        // What another build of Parallax left: its Pagefind may differ.
        fs::write(again.dir().join("VERSION"), "parallax 0.0.0 1 1\n").unwrap();
        let other = CacheFolder::open(site.path()).unwrap();
        assert_eq!(load_search_index(other.dir(), 7), None);
    }
}
