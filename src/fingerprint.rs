//! Whether a story file is unchanged since an earlier build, told from what
//! the file system says of it (size, inode, modification and change times)
//! without reading it: a warm rebuild of a large site otherwise spends most
//! of its validation reading every file only to hash it.
//!
//! The test is the one git's index makes. Any write to a file moves its
//! change time to the present, and no tool can set that time back (a tool
//! can set the modification time, and `cp -p` or an archive does); a file
//! replaced by a new one (an editor's save by rename) has a new inode. A
//! file whose times are within `SETTLING` of the moment it was read gets no
//! fingerprint, because a second write in the same tick of a coarse clock
//! could leave all four unchanged (git's "racy" files); it is read again
//! next time, and gets one then.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::fs::Metadata;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};
use xxhash_rust::xxh3::xxh3_128;

/// How long after its last write a file's fingerprint can be trusted: more
/// than the coarsest timestamp tick of a common file system (FAT's two
/// seconds).
const SETTLING_SECS: i64 = 3;

/// What the file system said of a file when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    len: u64,
    inode: u64,
    /// Seconds and nanoseconds since 1970, as the file system keeps them.
    modified: (i64, i64),
    changed: (i64, i64),
}

/// Each story file's fingerprint and the hash of its path and text
/// (`validate::story::content_hash`), by the hash of its path
/// (`path_key`): a path's text would be most of the table. Two paths with
/// one hash could only mistake one file for another with the same inode
/// and times, which two files never have.
pub type FileTable = FxHashMap<u128, (Fingerprint, u128)>;

/// The key of the file at `rel` in a `FileTable`.
pub fn path_key(rel: &Path) -> u128 {
    xxh3_128(rel.as_os_str().as_encoded_bytes())
}

impl Fingerprint {
    /// The file's fingerprint now (None where the platform keeps no change
    /// time).
    pub fn of(meta: &Metadata) -> Option<Fingerprint> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Fingerprint {
                len: meta.len(),
                inode: meta.ino(),
                modified: (meta.mtime(), meta.mtime_nsec()),
                changed: (meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// The fingerprint of a file read at `read_at` (taken before it was
    /// opened), if it had settled by then.
    pub fn settled(meta: &Metadata, read_at: SystemTime) -> Option<Fingerprint> {
        let print = Fingerprint::of(meta)?;
        let now = read_at.duration_since(UNIX_EPOCH).ok()?.as_secs();
        let now = i64::try_from(now).ok()?;
        let last_write = print.modified.0.max(print.changed.0);
        (last_write.checked_add(SETTLING_SECS)? < now).then_some(print)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_file_just_written_has_no_fingerprint_until_it_settles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let now = SystemTime::now();
        assert_eq!(Fingerprint::settled(&meta, now), None);
        let later = now + Duration::from_secs(SETTLING_SECS as u64 + 2);
        assert_eq!(
            Fingerprint::settled(&meta, later),
            Fingerprint::of(&meta),
            "settled once its times are older than the settling time"
        );
        assert!(Fingerprint::of(&meta).is_some());
    }

    #[test]
    fn a_rewrite_of_the_same_size_with_the_old_modification_time_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(old).unwrap();
        drop(file);
        let before = Fingerprint::of(&std::fs::metadata(&path).unwrap()).unwrap();
        // The change time has a clock tick of its own; let it move on.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, "two").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(old).unwrap();
        drop(file);
        let after = Fingerprint::of(&std::fs::metadata(&path).unwrap()).unwrap();
        assert_eq!((before.len, before.modified), (after.len, after.modified));
        assert_ne!(before, after, "the change time tells the rewrite");
    }
}
