//! A generated corpus: every output path exists, and every story's coverage
//! and blindspot in index.json match figures computed here independently
//! (floating-point quotas, not the build's integer arithmetic). The same
//! corpus written in two different file orders builds byte-identically,
//! whatever the thread count.

use crate::rng::Rng;
use crate::sitegen::BIASES;
use crate::support::*;
use std::collections::{BTreeMap, BTreeSet};

/// A bias id, or "" (unrated) for 7.
fn bias(i: usize) -> &'static str {
    BIASES.get(i).copied().unwrap_or("")
}
const TOPICS: [&str; 7] = [
    "Economy",
    "Élections",
    "NATO",
    "Climate & Energy",
    "Health",
    "Courts",
    "Data Privacy",
];

pub struct Expected {
    /// slug → (counts left/center/right/untracked, total)
    pub coverage: BTreeMap<String, [u32; 5]>,
    pub topics: BTreeSet<String>,
    pub outlets: Vec<String>,
}

/// Writes `n` stories and 40 outlets into `site`, in `order` (a permutation
/// seed), and returns what the build must find.
pub fn generate(site: &TestSite, n: usize, order_seed: u64) -> Expected {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut outlets = String::new();
    let mut outlet_bias = Vec::new();
    for i in 0..40 {
        let bias = bias(rng.below(BIASES.len() + 1));
        outlets.push_str(&format!("outlet-{i}:\n  name: \"Outlet {i} <News>\"\n"));
        if !bias.is_empty() {
            outlets.push_str(&format!("  bias: {bias}\n"));
        }
        outlet_bias.push(bias);
    }
    site.write("content/outlets.yaml", &outlets);
    let mut files = Vec::new();
    let mut expected = Expected {
        coverage: BTreeMap::new(),
        topics: BTreeSet::new(),
        outlets: (0..40).map(|i| format!("outlet-{i}")).collect(),
    };
    for i in 0..n {
        let slug = format!("story-{i}");
        let day = 1 + i % 28;
        let mut text = format!(
            "---\ntitle: Story number {i}\ndate: 2025-{:02}-{day:02}T{:02}:00:00Z\n",
            1 + (i / 28) % 12,
            i % 24
        );
        let topics: Vec<&str> = (0..1 + rng.below(3))
            .map(|_| TOPICS[rng.below(TOPICS.len())])
            .collect();
        text.push_str(&format!(
            "topics: [{}]\n",
            topics
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for t in &topics {
            expected.topics.insert(
                t.to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("-"),
            );
        }
        text.push_str("sources:\n");
        let mut counts = [0u32; 5];
        let count = 1 + rng.below(12);
        for k in 0..count {
            let o = rng.below(40);
            let mut bias = outlet_bias[o];
            let mut line = format!("  - outlet: outlet-{o}\n    title: Headline {k}\n    url: https://example.org/{i}/{k}\n    published: 2025-01-{:02}\n", 1 + k % 28);
            if rng.below(10) == 0 {
                bias = crate::corpus::bias(rng.below(7));
                line.push_str(&format!("    bias: {bias}\n"));
            }
            text.push_str(&line);
            let bucket = match bias {
                "far-left" | "left" | "lean-left" => 0,
                "center" => 1,
                "lean-right" | "right" | "far-right" => 2,
                _ => 3,
            };
            counts[bucket] += 1;
            counts[4] += 1;
        }
        text.push_str("---\nBody.\n");
        expected.coverage.insert(slug.clone(), counts);
        // Folders and names vary; the slug comes from the name.
        files.push((
            format!("content/stories/{}/2025-01-01-{slug}.md", i % 7),
            text,
        ));
    }
    let mut order = Rng(order_seed | 1);
    for i in (1..files.len()).rev() {
        files.swap(i, order.below(i + 1));
    }
    for (path, text) in files {
        site.write(&path, &text);
    }
    expected
}

/// Largest remainder with floating-point quotas: an independent computation.
fn percents(c: [u32; 5]) -> [u64; 3] {
    let rated = (c[0] + c[1] + c[2]) as f64;
    if rated == 0.0 {
        return [0, 0, 0];
    }
    let quotas: Vec<f64> = (0..3).map(|i| c[i] as f64 * 100.0 / rated).collect();
    let mut p: Vec<u64> = quotas.iter().map(|q| q.floor() as u64).collect();
    let mut left_over = 100 - p.iter().sum::<u64>();
    let mut idx = vec![0usize, 1, 2];
    // Fractions compared on a micro grid, so float noise cannot break a tie.
    let frac = |i: usize| ((quotas[i] - quotas[i].floor()) * 1e6).round() as i64;
    idx.sort_by(|&a, &b| frac(b).cmp(&frac(a)).then(a.cmp(&b)));
    for i in idx {
        if left_over == 0 {
            break;
        }
        if quotas[i] > quotas[i].floor() {
            p[i] += 1;
            left_over -= 1;
        }
    }
    [p[0], p[1], p[2]]
}

fn expected_blindspot(c: [u32; 5]) -> serde_json::Value {
    let rated = c[0] + c[1] + c[2];
    if rated < 5 {
        return serde_json::Value::Null;
    }
    let blind = |n: u32| n as f64 / rated as f64 <= 0.2 + 1e-12;
    match (blind(c[0]), blind(c[2])) {
        (true, false) => "left".into(),
        (false, true) => "right".into(),
        _ => serde_json::Value::Null,
    }
}

#[test]
fn every_output_path_and_every_coverage_figure() {
    let site = TestSite::new();
    let expected = generate(&site, 150, 7);
    site.write("content/pages/about.md", "---\ntitle: About\n---\nHi.\n");
    site.build_ok();

    let mut paths = vec![
        "index.html".to_string(),
        "topics/index.html".into(),
        "outlets/index.html".into(),
        "blindspots/index.html".into(),
        "about/index.html".into(),
        "feed.xml".into(),
        "sitemap.xml".into(),
        "robots.txt".into(),
        "404.html".into(),
        "parallax.css".into(),
    ];
    // 150 stories at 20 a page: pages 2..=8.
    paths.extend((2..=8).map(|n| format!("page/{n}/index.html")));
    for slug in expected.coverage.keys() {
        paths.push(format!("stories/{slug}/index.html"));
        paths.push(format!("stories/{slug}/index.json"));
    }
    paths.extend(
        expected
            .topics
            .iter()
            .map(|t| format!("topics/{t}/index.html")),
    );
    paths.extend(
        expected
            .outlets
            .iter()
            .map(|o| format!("outlets/{o}/index.html")),
    );
    for p in &paths {
        assert!(site.exists(p), "missing output {p}");
    }
    assert!(!site.exists("page/9/index.html"));
    assert!(
        site.exists("topics/élections/index.html"),
        "topic URLs keep letters of any script"
    );
    assert!(site.exists("topics/climate-energy/index.html"));

    let mut blindspots = 0;
    for (slug, c) in &expected.coverage {
        let json = site.json(&format!("stories/{slug}/index.json"));
        let cov = &json["coverage"];
        assert_eq!(cov["left"], c[0], "{slug} left");
        assert_eq!(cov["center"], c[1], "{slug} center");
        assert_eq!(cov["right"], c[2], "{slug} right");
        assert_eq!(cov["untracked"], c[3], "{slug} untracked");
        assert_eq!(cov["total"], c[4], "{slug} total");
        let p = percents(*c);
        assert_eq!(
            [
                cov["percent"]["left"].as_u64(),
                cov["percent"]["center"].as_u64(),
                cov["percent"]["right"].as_u64()
            ],
            [Some(p[0]), Some(p[1]), Some(p[2])],
            "{slug} percent"
        );
        let sum: u64 = p.iter().sum();
        assert!(sum == 100 || (sum == 0 && c[0] + c[1] + c[2] == 0));
        assert_eq!(
            json["blindspot"],
            expected_blindspot(*c),
            "{slug} blindspot"
        );
        assert_eq!(
            json["url"],
            format!("https://test.example.org/stories/{slug}/")
        );
        blindspots += json["blindspot"].is_string() as usize;
    }
    assert!(blindspots > 0, "the corpus should exercise blindspots");
    let page = site.html("blindspots/index.html");
    assert_eq!(select(&page, "article.card").len(), blindspots);
}

#[test]
fn same_input_same_bytes_whatever_the_order_and_threads() {
    let a = TestSite::new();
    generate(&a, 60, 1);
    let b = TestSite::new();
    generate(&b, 60, 99);
    a.cmd(&["build"])
        .env("RAYON_NUM_THREADS", "1")
        .assert()
        .success();
    b.cmd(&["build"])
        .env("RAYON_NUM_THREADS", "4")
        .assert()
        .success();
    let snap_a = snapshot(&a.path("public"));
    let snap_b = snapshot(&b.path("public"));
    assert_eq!(snap_a.len(), snap_b.len());
    for (x, y) in snap_a.iter().zip(&snap_b) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs between builds", x.0);
    }
    // A rebuild in place changes nothing.
    a.cmd(&["build"]).assert().success();
    assert!(snapshot(&a.path("public")) == snap_a);
}

#[test]
fn the_build_cache_never_changes_the_output() {
    let site = TestSite::new();
    generate(&site, 40, 3);
    site.build_ok();
    assert!(site.path(".parallax-cache").is_dir());
    // Edit one story, add one, remove one; rebuild with the warm cache.
    let stories: Vec<_> = walkdir::WalkDir::new(site.path("content/stories"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let text = std::fs::read_to_string(&stories[0]).unwrap();
    std::fs::write(
        &stories[0],
        text.replacen("title: Story number", "title: Retitled story", 1),
    )
    .unwrap();
    std::fs::remove_file(&stories[1]).unwrap();
    site.write(
        "content/stories/extra.md",
        &story("Extra", "2025-06-01", &["outlet-1", "outlet-2"]),
    );
    site.build_ok();
    let cached = snapshot(&site.path("public"));
    assert!(cached
        .iter()
        .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("Retitled story")));
    // The same input without any cache, into a new folder.
    std::fs::remove_dir_all(site.path(".parallax-cache")).unwrap();
    site.cmd(&["build", "--output", site.path("fresh").to_str().unwrap()])
        .assert()
        .success();
    let fresh = snapshot(&site.path("fresh"));
    assert_eq!(cached.len(), fresh.len());
    for (a, b) in cached.iter().zip(&fresh) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs with the cache", a.0);
    }
}

#[test]
fn outputs_deleted_by_hand_come_back_on_the_next_build() {
    let site = TestSite::new();
    generate(&site, 12, 3);
    site.build_ok();
    let before = snapshot(&site.path("public"));
    let story_page = before
        .iter()
        .map(|(path, _)| path.clone())
        .find(|p| p.starts_with("stories/") && p.ends_with("index.html"))
        .expect("a story page");
    // The cache folder's memo says every output is in place; it is not.
    std::fs::remove_file(site.path("public").join(&story_page)).unwrap();
    std::fs::remove_file(site.path("public/index.html")).unwrap();
    site.build_ok();
    assert!(snapshot(&site.path("public")) == before);
}

#[test]
fn a_build_streaming_many_batches_of_texts_reports_the_one_it_cannot_read() {
    // More stories than a build reads at once (512), with a file that is
    // not UTF-8 in the middle of the second batch: the one error, at its
    // place, and nothing written; without it, every story is built.
    let site = TestSite::new();
    let expected = generate(&site, 1100, 11);
    let bad = site.path("content/stories/3/2025-01-01-zz-not-utf8.md");
    std::fs::write(&bad, b"---\ntitle: caf\xe9\n---\n").unwrap();
    let out = site.build().code(1);
    assert_eq!(
        stderr(&out),
        "error: content/stories/3/2025-01-01-zz-not-utf8.md:2:11: not valid UTF-8: byte 0xe9 cannot start a character (save the file as UTF-8)\n1 error in 1 file; nothing was written\n"
    );
    assert!(!site.path("public").exists());
    std::fs::remove_file(&bad).unwrap();
    site.build_ok();
    for slug in expected.coverage.keys() {
        assert!(
            site.path(&format!("public/stories/{slug}/index.json"))
                .is_file(),
            "{slug}"
        );
    }
    assert_eq!(expected.coverage.len(), 1100);
}
