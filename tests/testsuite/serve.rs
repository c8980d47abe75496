//! `parallax serve` as a process, over real HTTP on 127.0.0.1: pages, live
//! reload, paths that try to leave the output, HEAD and other methods, large
//! files, a bounded load and flood, a low open-file limit, and the signals
//! that stop it. Every loop is bounded in count, every wait by `PATIENCE`
//! (or less); nothing is timed.

use crate::support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;

/// A running `parallax serve --port 0`, with the folder it was given as
/// TMPDIR (where it makes its `parallax-serve-…` build folder).
struct Serving {
    running: Running,
    port: u16,
    tmp: TempDir,
}

impl Serving {
    fn start(site: &TestSite) -> Serving {
        Serving::start_with(site, None)
    }

    /// `ulimit`: the open-file limit (soft and hard) to run the server under.
    fn start_with(site: &TestSite, ulimit: Option<u32>) -> Serving {
        let tmp = TempDir::new().expect("temp dir");
        let bin = env!("CARGO_BIN_EXE_parallax");
        let mut cmd = match ulimit {
            None => Command::new(bin),
            Some(n) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(bin);
                sh
            }
        };
        cmd.arg("--root")
            .arg(site.root())
            .args(["serve", "--port", "0"])
            .env("TMPDIR", tmp.path());
        let running = Running::spawn(cmd);
        let line = running.wait_line("the address", |l| {
            l.starts_with("serving http://127.0.0.1:")
        });
        let port = line
            .trim_start_matches("serving http://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Serving { running, port, tmp }
    }

    /// The `parallax-serve-…` folder, the only thing in TMPDIR.
    fn scratch(&self) -> PathBuf {
        let entries: Vec<PathBuf> = std::fs::read_dir(self.tmp.path())
            .expect("read TMPDIR")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("parallax-serve-"))
            })
            .collect();
        assert_eq!(entries.len(), 1, "{entries:?}");
        entries[0].clone()
    }

    /// The folder served (and built into).
    fn served(&self) -> PathBuf {
        self.scratch().join("site")
    }

    /// A number from /proc/PID/status ("Threads", "VmHWM" in kB…).
    fn status(&self, field: &str) -> u64 {
        let path = format!("/proc/{}/status", self.running.child.id());
        let text = std::fs::read_to_string(&path).expect("/proc status");
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{field}:")))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {field} in {path}"))
    }

    /// The numbers of the server's open file descriptors.
    fn fds(&self) -> Vec<usize> {
        let dir = format!("/proc/{}/fd", self.running.child.id());
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn open_fds(&self) -> usize {
        self.fds().len()
    }

    fn alive(&mut self) -> bool {
        self.running.child.try_wait().expect("try_wait").is_none()
    }
}

/// A site with one story, a.md ("Alpha").
fn one_story() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("Alpha", "2025-05-15", &["left-daily"]),
    );
    site
}

/// `parallax serve` on a site with one story.
fn serving_one_story() -> (TestSite, Serving) {
    let site = one_story();
    let serving = Serving::start(&site);
    (site, serving)
}

/// One request, the target sent exactly as written, `Connection: close`;
/// returns (status, head, body). Waits at most `patience` for each read.
fn request_within(
    port: u16,
    method: &str,
    target: &str,
    patience: Duration,
) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(patience))?;
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no head in {raw:?}")))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, head, raw[split + 4..].to_vec()))
}

fn request(port: u16, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    request_within(port, method, target, PATIENCE)
        .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
}

fn get(port: u16, target: &str) -> (u16, String, Vec<u8>) {
    request(port, "GET", target)
}

/// A header's value (names are matched in any case).
fn header(head: &str, name: &str) -> Option<String> {
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

/// Opens an event stream and reads it up to its `retry:` line; a status
/// other than 200 comes back as the error.
fn open_stream(port: u16) -> Result<BufReader<TcpStream>, u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__parallax/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if status != 200 {
        return Err(status);
    }
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).expect("read") > 0, "closed");
        if line.starts_with("retry:") {
            return Ok(reader);
        }
    }
}

/// Reads a stream until `event: NAME`; returns the data line after it.
fn wait_event(reader: &mut BufReader<TcpStream>, name: &str) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).expect("read") > 0, "closed");
        if line.trim() == format!("event: {name}") {
            line.clear();
            reader.read_line(&mut line).expect("data");
            return line;
        }
    }
}

/// Raises this test process's soft open-file limit to its hard limit;
/// returns the soft limit.
fn raise_own_fd_limit() -> u64 {
    rlimit::increase_nofile_limit(u64::MAX).expect("RLIMIT_NOFILE")
}

/// Threads a server may have whatever its load: main, the watcher and
/// Ctrl-C threads, the build's pools, two runtime workers and at most eight
/// for file reads. A thread per connection would be thousands.
fn thread_bound() -> u64 {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    48 + 2 * cpus
}

#[test]
fn serve_over_http_with_live_reload() {
    let (site, serving) = serving_one_story();
    let port = serving.port;

    let (status, head, body) = get(port, "/stories/a/");
    assert_eq!(status, 200);
    assert_eq!(
        header(&head, "content-type").as_deref(),
        Some("text/html; charset=utf-8"),
        "{head}"
    );
    assert_eq!(
        header(&head, "content-length"),
        Some(body.len().to_string()),
        "{head}"
    );
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains("<script src=\"/__parallax/live.js\"></script></body>"),
        "live reload injected before </body>"
    );
    assert!(
        html.contains(&format!("http://127.0.0.1:{port}/stories/a/")),
        "base_url is the local address"
    );
    for (path, type_start) in [
        ("/parallax.css", "text/css"),
        ("/stories/a/index.json", "application/json"),
        ("/__parallax/live.js", "text/javascript"),
    ] {
        let (status, head, _) = get(port, path);
        assert_eq!(status, 200, "{path}");
        assert!(
            header(&head, "content-type").is_some_and(|t| t.starts_with(type_start)),
            "{head}"
        );
    }
    let (_, _, body) = get(port, "/__parallax/live.js");
    assert!(String::from_utf8_lossy(&body).contains("new EventSource(\"/__parallax/events\")"));
    let (status, head, _) = get(port, "/stories/a");
    assert_eq!(status, 301);
    assert_eq!(header(&head, "location").as_deref(), Some("/stories/a/"));
    let (status, head, _) = get(port, "/stories/a?x=1");
    assert_eq!(status, 301, "the query is not part of the path");
    assert_eq!(header(&head, "location").as_deref(), Some("/stories/a/"));
    assert!(!site.path("public").exists(), "serve leaves public/ alone");

    // Live reload: an event stream gets "reload" after an edit.
    let mut stream = open_stream(port).expect("an event stream");
    site.write(
        "content/stories/a.md",
        &story("Alpha edited", "2025-05-15", &["left-daily"]),
    );
    wait_event(&mut stream, "reload");
    let (_, _, body) = get(port, "/stories/a/");
    assert!(String::from_utf8_lossy(&body).contains("Alpha edited"));

    // A bad edit: the stream carries the problems, with file:line:col, and
    // so does a stream opened after it.
    site.write(
        "content/stories/a.md",
        "---\ntitle: A\ndate: nope\nsources: []\n---\n",
    );
    let data = wait_event(&mut stream, "problems");
    assert!(data.starts_with("data: [\""), "{data}");
    assert!(data.contains("content/stories/a.md:3:1: date:"), "{data}");
    let mut late = open_stream(port).expect("an event stream");
    let data = wait_event(&mut late, "problems");
    assert!(data.contains("content/stories/a.md:3:1: date:"), "{data}");
    assert!(serving.running.stop().success());
}

#[test]
fn the_missing_page_is_the_sites_404_with_status_404() {
    let (_site, serving) = serving_one_story();
    let (status, head, body) = get(serving.port, "/no/such/page/");
    assert_eq!(status, 404);
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("Page not found"), "the site's 404 page");
    assert!(page.contains("/__parallax/live.js"), "it reloads too");
    assert_eq!(
        header(&head, "content-length"),
        Some(body.len().to_string())
    );
    let served = std::fs::read_to_string(serving.served().join("404.html")).unwrap();
    assert_eq!(
        page.replace("<script src=\"/__parallax/live.js\"></script>", ""),
        served
    );
}

#[test]
fn paths_that_leave_the_output_are_refused_in_every_spelling() {
    let (_site, serving) = serving_one_story();
    let port = serving.port;
    let secret = "TOP SECRET, outside the output";
    let tmp = serving.tmp.path().canonicalize().unwrap();
    let scratch = serving.scratch();
    let served = serving.served();
    // A secret one and two levels above the served folder, one in a folder
    // beside it, and links to them from inside.
    std::fs::write(scratch.join("secret.txt"), secret).unwrap();
    std::fs::write(tmp.join("secret.txt"), secret).unwrap();
    std::fs::create_dir_all(tmp.join("outside")).unwrap();
    std::fs::write(tmp.join("outside/secret.txt"), secret).unwrap();
    std::fs::write(served.join("inside.txt"), secret).unwrap();
    let link = |to: PathBuf, name: &str| std::os::unix::fs::symlink(to, served.join(name)).unwrap();
    link(tmp.join("secret.txt"), "out-file.txt");
    link(tmp.join("outside"), "out-dir");
    link(PathBuf::from("../secret.txt"), "out-relative.txt");
    link(served.join("inside.txt"), "in-link.txt");

    // The checks can see the secret: inside the output, it is served, and
    // so is a link that stays inside.
    for allowed in ["/inside.txt", "/in-link.txt"] {
        let (status, _, body) = get(port, allowed);
        assert_eq!(
            (status, String::from_utf8_lossy(&body).as_ref()),
            (200, secret)
        );
    }

    let abs = tmp.join("secret.txt").display().to_string();
    let abs_encoded = abs.replace('/', "%2F");
    let attempts: Vec<(String, u16)> = [
        ("/../secret.txt", 404),
        ("/../../secret.txt", 404),
        ("/stories/../../secret.txt", 404),
        ("/%2e%2e/secret.txt", 404),
        ("/%2E%2E/secret.txt", 404),
        ("/%2E%2E%2Fsecret.txt", 404),
        ("/%2e%2e%2f%2e%2e%2fsecret.txt", 404),
        ("/..%2fsecret.txt", 404),
        ("/stories/..%2f..%2f..%2fsecret.txt", 404),
        ("/.%2e/secret.txt", 404),
        ("/%252e%252e/secret.txt", 404),
        ("/%252e%252e%252fsecret.txt", 404),
        ("/..%5csecret.txt", 404),
        ("/%5c..%5csecret.txt", 404),
        ("/..\\secret.txt", 404),
        ("/secret.txt%00", 404),
        ("/%00/../secret.txt", 404),
        ("/inside.txt%00.html", 404),
        ("/out-file.txt", 404),
        ("/out-dir/secret.txt", 404),
        ("/out-dir/", 404),
        ("/out-relative.txt", 404),
        ("http://127.0.0.1/../secret.txt", 404),
        ("/%c0%ae%c0%ae/secret.txt", 404),
    ]
    .into_iter()
    .map(|(t, s)| (t.to_string(), s))
    .chain([
        (format!("/{abs}"), 404),
        (format!("//{abs}"), 404),
        (format!("/{abs_encoded}"), 404),
        (abs.clone(), 404),
        // Not a path at all: hyper refuses the request.
        ("secret.txt".to_string(), 400),
        ("../secret.txt".to_string(), 400),
    ])
    .collect();
    for (target, expected) in &attempts {
        let (status, _, body) = get(port, target);
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains(secret), "{target} leaked the secret");
        assert!(!body.contains("base_url"), "{target} leaked site.yaml");
        assert_eq!(status, *expected, "{target}");
        if status == 404 {
            assert!(body.contains("Page not found"), "{target}: the 404 page");
        }
    }
    assert!(serving.running.stop().success());
}

#[test]
fn head_gives_headers_only_and_other_methods_get_405() {
    let (_site, serving) = serving_one_story();
    let port = serving.port;
    for target in [
        "/",
        "/stories/a/",
        "/stories/a/index.json",
        "/parallax.css",
        "/__parallax/live.js",
        "/no/such/page/",
        "/stories/a",
    ] {
        let (get_status, get_head, body) = get(port, target);
        let (status, head, rest) = request(port, "HEAD", target);
        assert_eq!(status, get_status, "{target}");
        assert!(rest.is_empty(), "HEAD {target} sent a body");
        assert_eq!(
            header(&head, "content-length"),
            Some(body.len().to_string()),
            "HEAD {target}: the length GET sends"
        );
        assert_eq!(
            header(&head, "content-type"),
            header(&get_head, "content-type"),
            "{target}"
        );
    }
    // HEAD of the event stream: its headers, and the connection ends.
    let (status, head, rest) = request(port, "HEAD", "/__parallax/events");
    assert_eq!(status, 200);
    assert_eq!(
        header(&head, "content-type").as_deref(),
        Some("text/event-stream")
    );
    assert!(rest.is_empty());

    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        for target in ["/", "/stories/a/", "/__parallax/events", "/no/such/"] {
            let (status, head, _) = request(port, method, target);
            assert_eq!(status, 405, "{method} {target}");
            assert_eq!(
                header(&head, "allow").as_deref(),
                Some("GET, HEAD"),
                "{method} {target}"
            );
        }
    }
    assert!(serving.running.stop().success());
}

/// Deterministic bytes that no shift of themselves repeats.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = crate::rng::Rng(seed);
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        bytes.extend_from_slice(&rng.next().to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

#[test]
fn large_files_are_streamed_whole_in_little_memory() {
    const MIB: usize = 1024 * 1024;
    const SIZE: usize = 32 * MIB;
    let site = one_story();
    // A page far longer than one read, with `</body>` twice, the last one
    // past the first megabyte and away from any read's edge.
    let filler = "<p>filler</p>\n".repeat(90_000);
    let page = format!("<html><body>{filler}</body>{filler}<!-- x --></body>\n</html>\n");
    site.write("static/big.html", &page);
    let serving = Serving::start(&site);
    let port = serving.port;
    // The big file goes straight into the served folder: copied there by
    // the build, it would have been read whole once, by the build.
    let big = noise(SIZE, 7);
    std::fs::write(serving.served().join("big.bin"), &big).unwrap();

    let (status, head, body) = get(port, "/big.bin");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-length"), Some(SIZE.to_string()));
    assert_eq!(
        header(&head, "content-type").as_deref(),
        Some("application/octet-stream")
    );
    assert!(body == big, "the bytes served are the file's");

    let (status, head, body) = get(port, "/big.html");
    assert_eq!(status, 200);
    let at = page.rfind("</body>").unwrap();
    let expected = format!(
        "{}<script src=\"/__parallax/live.js\"></script>{}",
        &page[..at],
        &page[at..]
    );
    assert_eq!(
        header(&head, "content-length"),
        Some(expected.len().to_string())
    );
    assert!(body == expected.as_bytes(), "the page with the tag put in");

    // Eight downloads at once, all asked for before any is read: a server
    // that reads each file whole holds 8 × 32 MiB.
    let before = serving.status("VmHWM");
    let mut streams: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.set_read_timeout(Some(PATIENCE)).unwrap();
            write!(
                s,
                "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            s
        })
        .collect();
    // Let the server fill every socket's buffers.
    std::thread::sleep(Duration::from_millis(500));
    let during = serving.status("VmRSS");
    let readers: Vec<_> = streams
        .drain(..)
        .map(|mut s| {
            std::thread::spawn(move || {
                let mut raw = Vec::new();
                s.read_to_end(&mut raw).unwrap();
                raw
            })
        })
        .collect();
    for reader in readers {
        let raw = reader.join().unwrap();
        assert!(raw.ends_with(&big), "each download is the whole file");
    }
    let grown_kib = serving.status("VmHWM").saturating_sub(before);
    eprintln!(
        "eight 32 MiB downloads at once: peak memory {before} KiB before, grew {grown_kib} KiB; {during} KiB resident while all eight were under way"
    );
    assert!(
        grown_kib < (SIZE / 1024) as u64,
        "peak memory grew {grown_kib} KiB: more than one whole file"
    );
    assert!(serving.running.stop().success());
}

#[test]
fn a_thousand_idle_connections_and_a_thousand_streams_then_a_flood() {
    let site = one_story();
    let limit = raise_own_fd_limit();
    let mut serving = Serving::start(&site);
    let port = serving.port;
    // What this process can hold: each kind below at once, plus the other
    // tests' files and the flood's connections.
    let per_kind = 1000.min(limit.saturating_sub(400) / 2) as usize;
    if per_kind < 1000 {
        eprintln!(
            "NOTE: the open-file limit is {limit}: {per_kind} connections of each kind, not 1000"
        );
    }
    assert!(
        per_kind >= 100,
        "open-file limit {limit} is too low for this test"
    );

    let mut streams = Vec::with_capacity(per_kind);
    for i in 0..per_kind {
        streams.push(open_stream(port).unwrap_or_else(|s| panic!("stream {i}: status {s}")));
    }
    let idle: Vec<TcpStream> = (0..per_kind)
        .map(|i| {
            TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("idle {i}: {e}"))
        })
        .collect();
    // The server has accepted them all (rather than leaving them queued).
    wait_for("the server to hold every connection", || {
        serving.open_fds() >= 2 * per_kind
    });
    let fds = serving.open_fds();

    // A page is still answered, within a few seconds.
    let (status, _, body) = request_within(port, "GET", "/stories/a/", Duration::from_secs(10))
        .expect("a page under load");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Alpha"));
    let threads = serving.status("Threads");
    let resident_kib = serving.status("VmRSS");
    assert!(threads <= thread_bound(), "{threads} threads");
    assert!(serving.alive());

    // Idle connections are closed once the header timeout has passed.
    for conn in idle.iter().take(5) {
        conn.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut byte = [0u8];
        assert_eq!((&*conn).read(&mut byte).expect("closed, not timed out"), 0);
    }
    wait_for("the idle connections to be closed", || {
        serving.open_fds() <= fds - per_kind / 2
    });
    drop(idle);

    // A flood: short requests from four threads, while the streams are open.
    const FLOOD: usize = 2000;
    let workers: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let (mut answered, mut refused) = (0, 0);
                for _ in 0..FLOOD / 4 {
                    match request_within(port, "GET", "/parallax.css", PATIENCE) {
                        Ok((200, _, _)) => answered += 1,
                        Ok((status, _, _)) => panic!("status {status}"),
                        Err(_) => refused += 1,
                    }
                }
                (answered, refused)
            })
        })
        .collect();
    let (answered, refused) = workers
        .into_iter()
        .map(|w| w.join().unwrap())
        .fold((0, 0), |(a, r), (wa, wr)| (a + wa, r + wr));
    let threads_after = serving.status("Threads");
    eprintln!(
        "{per_kind} streams and {per_kind} idle connections held ({fds} descriptors), \
         {threads} threads, {resident_kib} KiB resident; \
         flood: {answered} answered, {refused} refused, {threads_after} threads"
    );
    assert_eq!(
        (answered, refused),
        (FLOOD, 0),
        "under the connection cap, all are answered"
    );
    assert!(threads_after <= thread_bound(), "{threads_after} threads");
    assert_eq!(get(port, "/stories/a/").0, 200, "answers after the flood");

    // Every stream still hears the next build.
    site.write(
        "content/stories/a.md",
        &story("Alpha edited", "2025-05-15", &["left-daily"]),
    );
    for stream in &mut streams {
        wait_event(stream, "reload");
    }
    assert!(serving.alive());
    assert!(serving.running.stop().success());
}

#[test]
fn under_an_open_file_limit_of_1024_it_stays_up_and_answers_again() {
    let site = one_story();
    raise_own_fd_limit();
    let mut serving = Serving::start_with(&site, Some(1024));
    let port = serving.port;
    let warning = serving.running.wait_line("the warning", |l| {
        l.starts_with("warning: the open-file limit")
    });
    assert_eq!(
        warning,
        "warning: the open-file limit is 1024: serving at most 448 connections and 224 live-reload streams at once"
    );

    // Streams past their cap are refused with 503, the others stay open.
    let (mut open, mut refused) = (Vec::new(), 0);
    for _ in 0..274 {
        match open_stream(port) {
            Ok(stream) => open.push(stream),
            Err(status) => {
                assert_eq!(status, 503);
                refused += 1;
            }
        }
    }
    assert_eq!((open.len(), refused), (224, 50));

    // More connections than the server has descriptors: those past the cap
    // wait in the kernel's queue.
    let idle: Vec<TcpStream> = (0..1000)
        .filter_map(|_| {
            let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()
        })
        .collect();
    eprintln!("{} of 1000 idle connections made", idle.len());
    assert!(idle.len() >= 448, "only {} connections made", idle.len());
    std::thread::sleep(Duration::from_millis(500));
    assert!(serving.alive(), "the server died");
    let (fds, threads) = (serving.open_fds(), serving.status("Threads"));
    eprintln!("under ulimit -n 1024: {fds} descriptors, {threads} threads");
    assert!(fds <= 1024);
    assert!(threads <= thread_bound(), "{threads} threads");

    // Once they go, pages are answered again, and the streams still work.
    drop(idle);
    assert_eq!(get(port, "/stories/a/").0, 200);
    site.write(
        "content/stories/a.md",
        &story("Alpha edited", "2025-05-15", &["left-daily"]),
    );
    for stream in open.iter_mut().take(10) {
        wait_event(stream, "reload");
    }
    assert!(serving.alive());
    assert!(serving.running.stop().success());
}

#[test]
fn out_of_descriptors_it_waits_and_answers_again() {
    // 24 descriptors: about half are the server's own, and its smallest
    // connection cap (16) is more than the rest, so accepting runs out of
    // descriptors: the case that used to stop the server for good.
    const LIMIT: usize = 24;
    let site = one_story();
    let mut serving = Serving::start_with(&site, Some(LIMIT as u32));
    let port = serving.port;
    assert_eq!(get(port, "/stories/a/").0, 200);
    let idle: Vec<TcpStream> = (0..40)
        .filter_map(|_| {
            let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()
        })
        .collect();
    assert_eq!(idle.len(), 40, "the kernel queues what is not accepted");
    wait_for("every descriptor below the limit in use", || {
        let fds = serving.fds();
        (0..LIMIT).all(|n| fds.contains(&n))
    });
    // A few failed accepts, waited out.
    std::thread::sleep(Duration::from_millis(500));
    assert!(serving.alive(), "the server died");
    drop(idle);
    assert_eq!(get(port, "/stories/a/").0, 200, "answers again");
    assert!(serving.running.stop().success());
}

#[test]
fn sigterm_sigint_and_sighup_stop_it_and_remove_its_folder() {
    let site = one_story();
    for signal in ["TERM", "INT", "HUP"] {
        let serving = Serving::start(&site);
        let scratch = serving.scratch();
        assert!(scratch.join("site/stories/a/index.html").is_file());
        // An open stream must not keep it from stopping.
        let _stream = open_stream(serving.port).expect("an event stream");
        let Serving {
            mut running, tmp, ..
        } = serving;
        let status = running.signal(signal);
        assert!(status.success(), "SIG{signal}: {status:?}");
        assert!(!scratch.exists(), "SIG{signal} left {}", scratch.display());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
        // The last line may still be on its way from the pipe.
        let stopped = running.wait_line("the stop line", |l| l.starts_with("stopped"));
        assert_eq!(
            stopped,
            format!("stopped; removed the served build in {}", scratch.display()),
            "SIG{signal}"
        );
    }
}

#[test]
fn a_site_with_a_path_in_its_base_url_is_served_under_that_path() {
    let site = one_story();
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://user.github.io/briefs/\n",
    );
    let serving = Serving::start(&site);
    let line = serving
        .running
        .wait_line("the address", |l| l.starts_with("serving "));
    assert!(
        line.ends_with(&format!(
            "{}/briefs/ (live reload on); Ctrl-C to stop",
            serving.port
        )),
        "{line}"
    );
    let (status, _, page) = get(serving.port, "/briefs/");
    assert_eq!(status, 200);
    let page = String::from_utf8_lossy(&page);
    assert!(
        page.contains("href=\"/briefs/parallax.css\""),
        "links keep the path"
    );
    assert_eq!(get(serving.port, "/briefs/parallax.css").0, 200);
    for (from, to) in [
        ("/", "/briefs/"),
        ("/briefs", "/briefs/"),
        ("/briefs/topics", "/briefs/topics/"),
    ] {
        let (status, head, _) = get(serving.port, from);
        assert_eq!(status, 301, "{from}");
        assert_eq!(header(&head, "location").as_deref(), Some(to), "{from}");
    }
    // Outside the path is outside the site, as on the real host.
    let (status, _, body) = get(serving.port, "/parallax.css");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("<html"),
        "the 404 page"
    );
}
