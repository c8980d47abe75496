//! The commit guarantee, end to end: a commit that fails half-way says so
//! (not that the output was left as it was), and the next build makes the
//! output exactly what a cold build of the same site writes.

use crate::support::*;

/// Every file and folder of the output, with each file's bytes.
fn output_tree(site: &TestSite) -> Vec<(String, Option<Vec<u8>>)> {
    let root = site.path("public");
    let mut tree: Vec<(String, Option<Vec<u8>>)> = walkdir::WalkDir::new(&root)
        .min_depth(1)
        .into_iter()
        .map(|e| e.expect("walk"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).expect("read"));
            (rel, bytes)
        })
        .collect();
    tree.sort();
    tree
}

#[test]
fn a_commit_failing_half_way_says_so_and_the_next_build_repairs_it() {
    let site = TestSite::new();
    for (slug, title) in [("a", "Story A"), ("b", "Story B"), ("c", "Story C")] {
        site.write(
            &format!("content/stories/{slug}.md"),
            &story(title, "2025-05-15", &["center-wire", "left-daily"]),
        );
    }
    site.build_ok();
    // The next build changes every story page and the feed, and removes
    // c's pages; a folder where the feed must go makes its move fail, after
    // the stale files are gone and some pages have moved in.
    site.remove("content/stories/c.md");
    for (slug, title) in [("a", "Story A, revised"), ("b", "Story B, revised")] {
        site.write(
            &format!("content/stories/{slug}.md"),
            &story(title, "2025-05-15", &["center-wire", "left-daily"]),
        );
    }
    let feed = site.path("public/feed.xml");
    std::fs::remove_file(&feed).expect("rm feed");
    std::fs::create_dir_all(feed.join("in-the-way")).expect("mkdir");

    let failed = site.build().code(1);
    let log = stderr(&failed);
    assert!(
        log.ends_with("\nthe output is partly updated; the next build completes it\n"),
        "{log}"
    );
    assert!(!log.contains("left as it was"), "{log}");
    assert!(
        site.path("public/.parallax-commit").is_file(),
        "the journal stays"
    );

    std::fs::remove_dir_all(&feed).expect("clear the way");
    site.build_ok();
    assert!(!site.path("public/.parallax-commit").exists());

    let cold = TestSite::new();
    copy_tree(&site.path("content"), &cold.path("content"));
    std::fs::copy(site.path("site.yaml"), cold.path("site.yaml")).expect("site.yaml");
    cold.build_ok();
    assert_eq!(output_tree(&site), output_tree(&cold));
}
