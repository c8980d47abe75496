//! Where a story's words are between validation and its page. Watch mode
//! and `check` hold them (`Body::held`). A one-off build writes each
//! story's words to a spill file as soon as the story is valid and reads
//! them back for its own outputs: a site's figures, listings and cards need
//! only the rest of the story, and the words are most of its bytes (about
//! 10 KB of a generated story's 17), so memory stays a few kilobytes a
//! story however large the site.
//!
//! A story read from the cache folder keeps its words in the cache's file
//! the same way (`decode_in_file`), so that a rebuild neither holds them
//! nor copies them.
//!
//! The spill file is unnamed where the system allows (it never shows in a
//! folder and vanishes with the process, however that ends) and lives in
//! the build's cache folder, or beside the output when there is none.

use crate::model::StoryText;
use serde::de::Visitor;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A story's words: in memory, encoded (as read from the cache folder), or
/// at a place in the spill file.
#[derive(Clone)]
pub struct Body(Repr);

#[derive(Clone)]
enum Repr {
    Held(Arc<StoryText>),
    Encoded(Arc<[u8]>),
    Spilled {
        spill: Arc<Spill>,
        at: u64,
        len: u32,
    },
}

impl Body {
    pub fn held(text: StoryText) -> Body {
        Body(Repr::Held(Arc::new(text)))
    }

    /// The words, decoded if they are not in memory. An error only when the
    /// spill file cannot be read back (the disk failed under the build).
    pub fn text(&self) -> io::Result<Arc<StoryText>> {
        match &self.0 {
            Repr::Held(text) => Ok(text.clone()),
            Repr::Encoded(bytes) => decode(bytes),
            Repr::Spilled { spill, at, len } => decode(&spill.read(*at, *len)?),
        }
    }

    /// The same words, kept in `spill` instead of memory.
    pub fn spilled(self, spill: &Arc<Spill>) -> io::Result<Body> {
        let bytes = match &self.0 {
            Repr::Spilled { .. } => return Ok(self),
            Repr::Held(text) => postcard::to_allocvec(&**text).map_err(io::Error::other)?,
            Repr::Encoded(bytes) => bytes.to_vec(),
        };
        let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
        let at = spill.append(&bytes)?;
        Ok(Body(Repr::Spilled {
            spill: spill.clone(),
            at,
            len,
        }))
    }

    #[cfg(test)]
    pub fn is_spilled(&self) -> bool {
        matches!(self.0, Repr::Spilled { .. })
    }

    /// The encoded words, as the cache folder stores them.
    fn encoded(&self) -> io::Result<Vec<u8>> {
        match &self.0 {
            Repr::Held(text) => postcard::to_allocvec(&**text).map_err(io::Error::other),
            Repr::Encoded(bytes) => Ok(bytes.to_vec()),
            Repr::Spilled { spill, at, len } => spill.read(*at, *len),
        }
    }
}

fn decode(bytes: &[u8]) -> io::Result<Arc<StoryText>> {
    postcard::from_bytes(bytes)
        .map(Arc::new)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Repr::Held(text) => text.fmt(f),
            Repr::Encoded(bytes) => write!(f, "Body({} bytes encoded)", bytes.len()),
            Repr::Spilled { at, len, .. } => write!(f, "Body({len} bytes spilled at {at})"),
        }
    }
}

/// Stored as its encoding, so that a spilled story goes to the cache
/// folder without being decoded, and one read from it is decoded only
/// when its page is rendered.
impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = self.encoded().map_err(serde::ser::Error::custom)?;
        serializer.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Body, D::Error> {
        struct Encoding;
        impl<'de> Visitor<'de> for Encoding {
            type Value = Body;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a story's encoded text")
            }
            fn visit_borrowed_bytes<E: serde::de::Error>(self, v: &'de [u8]) -> Result<Body, E> {
                let placed = IN_FILE.with_borrow(|file| file.as_ref().and_then(|f| f.place_of(v)));
                match placed {
                    Some(body) => Ok(body),
                    None => self.visit_bytes(v),
                }
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Body, E> {
                match v.is_empty() {
                    true => Err(E::custom("a story's text has no bytes")),
                    false => Ok(Body(Repr::Encoded(v.into()))),
                }
            }
        }
        deserializer.deserialize_bytes(Encoding)
    }
}

thread_local! {
    /// The file whose bytes this thread is decoding (`decode_in_file`).
    static IN_FILE: RefCell<Option<InFile>> = const { RefCell::new(None) };
}

/// Bytes read whole from `spill`'s file, being decoded.
struct InFile {
    start: usize,
    len: usize,
    spill: Arc<Spill>,
}

impl InFile {
    /// A body that stays in the file, when `encoded` lies in its bytes.
    fn place_of(&self, encoded: &[u8]) -> Option<Body> {
        let at = (encoded.as_ptr() as usize).checked_sub(self.start)?;
        let len = u32::try_from(encoded.len()).ok()?;
        (at + encoded.len() <= self.len && len > 0).then(|| {
            Body(Repr::Spilled {
                spill: self.spill.clone(),
                at: at as u64,
                len,
            })
        })
    }
}

/// Runs `decode` over `bytes`, the start of `file` as read: the stories'
/// words it decodes stay in the file, to be read when rendered, instead of
/// being copied into memory. `file` must not change while they are used
/// (the cache folder replaces its files, never writes into one).
pub fn decode_in_file<T>(bytes: &[u8], file: File, decode: impl FnOnce(&[u8]) -> T) -> T {
    let spill = Arc::new(Spill {
        file,
        end: AtomicU64::new(bytes.len() as u64),
    });
    let range = InFile {
        start: bytes.as_ptr() as usize,
        len: bytes.len(),
        spill,
    };
    /// Puts the last range back however `decode` ends: a stale one would
    /// place other bytes in this file.
    struct Restore(Option<InFile>);
    impl Drop for Restore {
        fn drop(&mut self) {
            IN_FILE.set(self.0.take());
        }
    }
    let _restore = Restore(IN_FILE.replace(Some(range)));
    decode(bytes)
}

/// The file a one-off build keeps its stories' words in.
pub struct Spill {
    file: File,
    /// Where the next append goes: appends reserve their room here, so
    /// that threads write at once.
    end: AtomicU64,
}

impl Spill {
    /// A new, empty spill file in `dir`.
    pub fn create_in(dir: &Path) -> io::Result<Arc<Spill>> {
        Ok(Arc::new(Spill {
            file: tempfile::tempfile_in(dir)?,
            end: AtomicU64::new(0),
        }))
    }

    fn append(&self, bytes: &[u8]) -> io::Result<u64> {
        let at = self.end.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        write_at(&self.file, bytes, at)?;
        Ok(at)
    }

    fn read(&self, at: u64, len: u32) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; len as usize];
        read_at(&self.file, &mut bytes, at)?;
        Ok(bytes)
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, at)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, bytes, at)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let rest = bytes;
        bytes = &mut rest[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Faq, SourceText};

    fn words(n: usize) -> StoryText {
        StoryText {
            perspectives: [vec![format!("left {n}")], vec![], vec!["right".into()]],
            perspectives_html: [vec![format!("<p>left {n}</p>")], vec![], vec![]],
            sources: vec![SourceText {
                title: format!("Headline {n}"),
                url: "https://example.org/a".into(),
                excerpt: None,
            }],
            faq: vec![Faq {
                question: "Why?".into(),
                answer: "Because.".into(),
                answer_html: "<p>Because.</p>".into(),
            }],
            history: vec![],
            body_html: "<p>Body</p>".repeat(n),
        }
    }

    fn same(a: &StoryText, b: &StoryText) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn spilled_words_read_back_as_written_from_many_threads() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create_in(dir.path()).unwrap();
        let bodies: Vec<(usize, Body)> = std::thread::scope(|scope| {
            let spill = &spill;
            let handles: Vec<_> = (0..4)
                .map(|t| {
                    scope.spawn(move || {
                        (0..50)
                            .map(|k| {
                                let n = t * 50 + k;
                                (n, Body::held(words(n)).spilled(spill).unwrap())
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        for (n, body) in &bodies {
            assert!(matches!(body.0, Repr::Spilled { .. }));
            assert!(same(&body.text().unwrap(), &words(*n)), "story {n}");
        }
        // Nothing shows in the folder: the file has no name.
        #[cfg(target_os = "linux")]
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_body_goes_through_the_cache_encoding_whatever_its_form() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create_in(dir.path()).unwrap();
        let held = Body::held(words(3));
        let spilled = held.clone().spilled(&spill).unwrap();
        for body in [held, spilled] {
            let bytes = postcard::to_allocvec(&body).unwrap();
            let read: Body = postcard::from_bytes(&bytes).unwrap();
            assert!(matches!(read.0, Repr::Encoded(_)));
            assert!(same(&read.text().unwrap(), &words(3)));
            let again = read.spilled(&spill).unwrap();
            assert!(same(&again.text().unwrap(), &words(3)));
        }
    }

    #[test]
    fn words_decoded_from_a_file_stay_in_it_and_read_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bucket.bin");
        let entries: Vec<(u32, Body)> = (0..20)
            .map(|n| (n, Body::held(words(n as usize))))
            .collect();
        std::fs::write(&path, postcard::to_allocvec(&entries).unwrap()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let file = File::open(&path).unwrap();
        let read: Vec<(u32, Body)> =
            decode_in_file(&bytes, file, |b| postcard::from_bytes(b)).unwrap();
        drop(bytes);
        for (n, body) in &read {
            assert!(body.is_spilled(), "story {n}");
            assert!(
                same(&body.text().unwrap(), &words(*n as usize)),
                "story {n}"
            );
        }
        // Replaced as the cache folder replaces its files: what was read
        // still reads from the file it came from.
        std::fs::write(dir.path().join("new.bin"), b"other").unwrap();
        std::fs::rename(dir.path().join("new.bin"), &path).unwrap();
        assert!(same(&read[7].1.text().unwrap(), &words(7)));
        // Outside `decode_in_file`, the words are copied, not placed.
        let again: Vec<(u32, Body)> =
            postcard::from_bytes(&postcard::to_allocvec(&read).unwrap()).unwrap();
        assert!(again
            .iter()
            .all(|(_, body)| matches!(body.0, Repr::Encoded(_))));
    }

    #[test]
    fn cut_or_garbled_words_are_an_error_not_a_panic() {
        let bytes = postcard::to_allocvec(&Body::held(words(2))).unwrap();
        let cut: Result<Body, _> = postcard::from_bytes(&bytes[..bytes.len() / 2]);
        assert!(cut.is_err());
        let garbled = Body(Repr::Encoded(vec![0xff; 8].into()));
        assert_eq!(
            garbled.text().unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }
}
