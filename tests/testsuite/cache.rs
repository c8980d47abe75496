//! The cache folder is verified: a file of it that was cut short, had a bit
//! flipped or was edited is dropped, and the build is what a build without
//! any cache writes.

use crate::support::*;

/// Replaces `from` by `to` (same length) in every cache file that holds it.
fn edit_cache(site: &TestSite, from: &[u8], to: &[u8]) -> usize {
    let mut edited = 0;
    for entry in walkdir::WalkDir::new(site.path(".parallax-cache")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let mut bytes = std::fs::read(entry.path()).unwrap();
        let Some(at) = bytes.windows(from.len()).position(|w| w == from) else {
            continue;
        };
        bytes[at..at + from.len()].copy_from_slice(to);
        std::fs::write(entry.path(), bytes).unwrap();
        edited += 1;
    }
    edited
}

#[test]
fn an_edited_cache_never_reaches_the_output() {
    let site = TestSite::without_warnings();
    site.write(
        "content/stories/a.md",
        &std::fs::read_to_string(site.path("content/stories/a.md"))
            .unwrap()
            .replace("title: \"A\"", "title: \"Distinctive\""),
    );
    site.build_ok();
    let built = snapshot(&site.path("public"));
    assert!(site.read("index.html").contains("Distinctive"));
    // The validated story in its bucket, one letter changed: what a
    // flipped bit on the disk does. (Cards are drawn when a page needs
    // them, so no memo holds the title.)
    let edited = edit_cache(&site, b"Distinctive", b"Distinctivf");
    assert!(edited >= 1, "the story's bucket holds the title");
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.build_ok();
    assert!(snapshot(&site.path("public")) == built, "a fresh output");
    edit_cache(&site, b"Distinctive", b"Distinctivf");
    site.write("content/pages/new.md", "---\ntitle: New\n---\nA page.\n");
    site.build_ok();
    assert!(
        !site.read("index.html").contains("Distinctivf"),
        "an update"
    );
    assert!(!site.read("stories/a/index.html").contains("Distinctivf"));
}

/// A warm build reads no story file whose size, inode and times are what
/// the last build saw (`files.bin`); a rewrite that keeps the size and puts
/// the old modification time back (as `cp -p` or an archive may) still
/// moves the change time, and the story is built again.
#[test]
fn a_rewrite_that_keeps_the_size_and_the_modification_time_is_built_again() {
    let site = TestSite::without_warnings();
    let story = site.path("content/stories/a.md");
    let text = std::fs::read_to_string(&story)
        .unwrap()
        .replace("title: \"A\"", "title: \"Before\"");
    site.write("content/stories/a.md", &text);
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let set_old_time = || {
        let file = std::fs::File::options().write(true).open(&story).unwrap();
        file.set_modified(old).unwrap();
    };
    set_old_time();
    // A file written in the last seconds is not trusted by its times (its
    // next write could fall in the same clock tick): let it settle.
    std::thread::sleep(std::time::Duration::from_secs(4));
    site.build_ok();
    assert!(site.read("stories/a/index.html").contains("Before"));
    assert!(
        site.path(".parallax-cache/files.bin").is_file(),
        "the stories' fingerprints are kept"
    );
    site.write("content/stories/a.md", &text.replace("Before", "Latter"));
    set_old_time();
    site.build_ok();
    assert!(site.read("stories/a/index.html").contains("Latter"));
    assert!(site.read("index.html").contains("Latter"));
}
