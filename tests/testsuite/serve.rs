//! `parallax serve` as a process: the server answers over real HTTP, with
//! live reload.

use crate::support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// A plain HTTP/1.1 GET; returns (status, headers, body).
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, raw[split + 4..].to_vec())
}

#[test]
fn serve_over_http_with_live_reload() {
    let site = TestSite::new();
    site.write(
        "content/stories/a.md",
        &story("Alpha", "2025-05-15", &["left-daily"]),
    );
    let serve = Running::start(&site, &["serve", "--port", "0"]);
    let line = serve.wait_line("the address", |l| {
        l.starts_with("serving http://127.0.0.1:")
    });
    let port: u16 = line
        .trim_start_matches("serving http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    let (status, head, body) = get(port, "/stories/a/");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains("/__parallax/live.js"), "live reload injected");
    assert!(
        html.contains(&format!("http://127.0.0.1:{port}/stories/a/")),
        "base_url is the local address"
    );
    let (status, head, _) = get(port, "/parallax.css");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase().contains("content-type: text/css"),
        "{head}"
    );
    let (status, head, _) = get(port, "/stories/a/index.json");
    assert!(
        status == 200 && head.to_ascii_lowercase().contains("application/json"),
        "{head}"
    );
    let (status, _, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("Page not found"),
        "the site's 404 page"
    );
    for attempt in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/stories/..%2f..%2fsite.yaml",
        "/..%5csite.yaml",
    ] {
        let (status, _, body) = get(port, attempt);
        assert_eq!(status, 404, "{attempt}");
        assert!(
            !String::from_utf8_lossy(&body).contains("base_url"),
            "{attempt} leaked a file"
        );
    }
    let (status, head, _) = get(port, "/stories/a");
    assert_eq!(status, 301);
    assert!(head.contains("/stories/a/"));
    assert!(!site.path("public").exists(), "serve leaves public/ alone");

    // Live reload: an event stream gets "reload" after an edit.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__parallax/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    // Wait until the stream is open (its retry line) before editing.
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.starts_with("retry:") {
            break;
        }
    }
    site.write(
        "content/stories/a.md",
        &story("Alpha edited", "2025-05-15", &["left-daily"]),
    );
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
        if line.trim() == "event: reload" {
            break;
        }
    }
    let (_, _, body) = get(port, "/stories/a/");
    assert!(String::from_utf8_lossy(&body).contains("Alpha edited"));

    // A bad edit: the stream carries the problems, with file:line:col.
    site.write(
        "content/stories/a.md",
        "---\ntitle: A\ndate: nope\nsources: []\n---\n",
    );
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
        if line.trim() == "event: problems" {
            line.clear();
            reader.read_line(&mut line).unwrap();
            assert!(line.contains("content/stories/a.md:3:1: date:"), "{line}");
            break;
        }
    }
    assert!(serve.stop().success());
}
