//! A small builder for test sites: write files, run the binary, read output;
//! and a harness for the long-running commands (`watch`, `serve`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub struct TestSite {
    pub dir: TempDir,
}

pub const OUTLETS: &str = "\
left-daily:
  name: Left Daily
  bias: left
  factuality: high
  owner: Left Media
center-wire:
  name: Center Wire
  bias: center
  factuality: very-high
  owner: Wire Co-op
right-post:
  name: Right Post
  bias: right
  factuality: mixed
  owner: Right Holdings
unrated-news:
  name: Unrated News
";

/// A valid story with the given title, date and sources (outlet ids).
pub fn story(title: &str, date: &str, outlets: &[&str]) -> String {
    let mut s = format!("---\ntitle: \"{title}\"\ndate: {date}\nsources:\n");
    for (i, o) in outlets.iter().enumerate() {
        s.push_str(&format!(
            "  - outlet: {o}\n    title: Article {i}\n    url: https://example.org/{i}\n    published: {date}\n"
        ));
    }
    s.push_str("---\nThe overview.\n");
    s
}

/// `story(…)` with more front matter (`extra`, whole lines) before its
/// sources.
pub fn story_with(title: &str, date: &str, outlets: &[&str], extra: &str) -> String {
    story(title, date, outlets).replacen("sources:", &format!("{extra}\nsources:"), 1)
}

impl TestSite {
    /// A site with a site.yaml and the outlet registry above, and no stories.
    pub fn new() -> TestSite {
        let site = TestSite {
            dir: TempDir::new().expect("temp dir"),
        };
        site.write(
            "site.yaml",
            "title: Test Briefs\nbase_url: https://test.example.org\n",
        );
        site.write("content/outlets.yaml", OUTLETS);
        site
    }

    /// `new()` with one story, a.md ("A").
    pub fn with_one_story() -> TestSite {
        let site = TestSite::new();
        site.write(
            "content/stories/a.md",
            &story("A", "2025-05-15", &["left-daily"]),
        );
        site
    }

    /// `new()` with two stories, a.md ("Alpha") and b.md ("Bravo").
    pub fn with_two_stories() -> TestSite {
        let site = TestSite::new();
        site.write(
            "content/stories/a.md",
            &story("Alpha", "2025-05-15", &["left-daily"]),
        );
        site.write(
            "content/stories/b.md",
            &story("Bravo", "2025-05-16", &["left-daily"]),
        );
        site
    }

    /// A site with one outlet and one story citing it with a perspective
    /// for its side: nothing to warn about.
    pub fn without_warnings() -> TestSite {
        let site = TestSite::new();
        site.write(
            "content/outlets.yaml",
            "center-wire:\n  name: Center Wire\n  bias: center\n",
        );
        site.write(
            "content/stories/a.md",
            &story("A", "2025-05-15", &["center-wire"])
                .replace("sources:", "perspectives:\n  center: [Calm.]\nsources:"),
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &TestSite {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) -> &TestSite {
        std::fs::remove_file(self.path(rel)).expect("remove");
        self
    }

    /// `parallax --root SITE ARGS…`
    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("parallax").expect("binary");
        cmd.arg("--root").arg(self.root()).args(args);
        cmd
    }

    pub fn build(&self) -> assert_cmd::assert::Assert {
        self.cmd(&["build"]).assert()
    }

    pub fn build_ok(&self) -> &TestSite {
        self.build().success();
        self
    }

    /// A file of the output (public/).
    pub fn read(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }

    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(rel))
    }

    pub fn json(&self, rel: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(rel)).expect("valid JSON")
    }
}

/// The repository's default theme folder.
pub fn repo_theme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file below `dir`, relative, sorted, with its bytes.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(css).expect("selector");
    doc.select(&selector).collect()
}

pub fn text_of(el: &scraper::ElementRef) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// How long any wait for a running process is allowed: a generous bound,
/// never a timing.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A running parallax process whose stderr lines are collected.
pub struct Running {
    pub child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Running {
    /// `parallax --root SITE ARGS…`
    pub fn start(site: &TestSite, args: &[&str]) -> Running {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_parallax"));
        cmd.arg("--root").arg(site.root()).args(args);
        Running::spawn(cmd)
    }

    pub fn spawn(mut cmd: Command) -> Running {
        let mut child = cmd
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start parallax");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Running { child, lines }
    }

    pub fn log(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits until a stderr line satisfies `test`; returns it.
    pub fn wait_line(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            if let Some(line) = self.log().into_iter().find(|l| test(l)) {
                return line;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "gave up waiting for {what}; log:\n{}",
                self.log().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn rebuilds(&self) -> usize {
        self.log()
            .iter()
            .filter(|l| l.starts_with("rebuilt"))
            .count()
    }

    /// Waits until no rebuild has been logged for a while, and returns the
    /// count.
    pub fn settled_rebuilds(&self) -> usize {
        let start = Instant::now();
        loop {
            let before = self.rebuilds();
            std::thread::sleep(Duration::from_millis(400));
            if self.rebuilds() == before {
                return before;
            }
            assert!(start.elapsed() < PATIENCE, "rebuilds never stopped");
        }
    }

    /// Sends a signal (`INT`, `TERM`…) and waits for the process to end.
    pub fn signal(&mut self, name: &str) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .expect("kill");
        assert!(sent.success(), "kill -{name} {pid}");
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(start.elapsed() < PATIENCE, "did not stop on SIG{name}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Ctrl-C.
    pub fn stop(mut self) -> std::process::ExitStatus {
        self.signal("INT")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn wait_for(what: &str, test: impl Fn() -> bool) {
    let start = Instant::now();
    while !test() {
        assert!(start.elapsed() < PATIENCE, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
