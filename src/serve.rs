//! `parallax serve`: watch mode plus a small HTTP server for the output, with
//! live reload over Server-Sent Events and build errors shown in the page.
//! The watcher and the server share one thing: the `Hub`, which holds the
//! latest build's generation and problems and wakes the event streams.

use crate::paths;
use percent_encoding::percent_decode_str;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

pub const EVENTS_PATH: &str = "/__parallax/events";
pub const SCRIPT_PATH: &str = "/__parallax/live.js";

/// The latest build as the open pages need to know it.
#[derive(Default)]
struct Status {
    generation: u64,
    /// Empty when the latest build succeeded.
    problems: Vec<String>,
}

#[derive(Default)]
pub struct Hub {
    status: Mutex<Status>,
    changed: Condvar,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A build finished: open pages reload.
    pub fn built(&self) {
        let mut s = self.lock();
        s.generation += 1;
        s.problems.clear();
        self.changed.notify_all();
    }

    /// A build failed: open pages show the problems over the last good page.
    pub fn failed(&self, problems: Vec<String>) {
        let mut s = self.lock();
        s.generation += 1;
        s.problems = problems;
        self.changed.notify_all();
    }
}

/// Serves `output` on `server` until the process ends, a thread a request
/// (event streams stay open).
pub fn run(server: Server, output: PathBuf, hub: Arc<Hub>) {
    for request in server.incoming_requests() {
        let output = output.clone();
        let hub = hub.clone();
        std::thread::spawn(move || handle(request, &output, &hub));
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("static header")
    })
}

fn handle(request: Request, output: &Path, hub: &Hub) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == EVENTS_PATH {
        return event_stream(request, hub);
    }
    if url == SCRIPT_PATH {
        let response = Response::from_string(LIVE_JS)
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    // Resolved now, not at start: the folder appears with the first good
    // build, and its real path (through symlinks) is what files are
    // compared against.
    let output = output
        .canonicalize()
        .unwrap_or_else(|_| output.to_path_buf());
    let output = output.as_path();
    match resolve(output, &url) {
        Resolved::File(path) => {
            let (status, body) = match std::fs::read(&path) {
                Ok(bytes) => (200, bytes),
                Err(_) => not_found(output),
            };
            respond_file(request, status, &path, body);
        }
        Resolved::Redirect(to) => {
            let _ = request.respond(Response::empty(301).with_header(header("Location", &to)));
        }
        Resolved::Missing => {
            let (_, body) = not_found(output);
            respond_file(request, 404, Path::new(paths::NOT_FOUND), body);
        }
    }
}

fn not_found(output: &Path) -> (u16, Vec<u8>) {
    let body = std::fs::read(output.join(paths::NOT_FOUND))
        .unwrap_or_else(|_| b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec());
    (404, body)
}

fn respond_file(request: Request, status: u16, path: &Path, mut body: Vec<u8>) {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut content_type = mime.essence_str().to_string();
    if path.file_name().is_some_and(|n| n == paths::FEED) {
        content_type = "application/atom+xml".into();
    }
    let is_html = content_type == "text/html";
    if content_type.starts_with("text/")
        || content_type.ends_with("xml")
        || content_type.ends_with("json")
        || content_type.ends_with("javascript")
    {
        content_type.push_str("; charset=utf-8");
    }
    if is_html {
        body = inject_live_reload(body);
    }
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", &content_type))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

/// Adds the live-reload script before `</body>` (or at the end).
pub fn inject_live_reload(body: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    let text = String::from_utf8_lossy(&body);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

pub enum Resolved {
    File(PathBuf),
    Redirect(String),
    Missing,
}

/// Maps a URL path to a file under `output`, never outside it: `..`, encoded
/// or not, and links that point elsewhere are misses.
pub fn resolve(output: &Path, url: &str) -> Resolved {
    let Ok(decoded) = percent_decode_str(url).decode_utf8() else {
        return Resolved::Missing;
    };
    if decoded.contains(['\0', '\\']) {
        return Resolved::Missing;
    }
    let mut path = output.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        match Path::new(segment).components().next() {
            Some(Component::Normal(_)) if Path::new(segment).components().count() == 1 => {
                path.push(segment)
            }
            _ => return Resolved::Missing,
        }
    }
    if path.is_dir() {
        if !decoded.ends_with('/') {
            // The path as it came, still percent-encoded.
            return Resolved::Redirect(paths::folder_url(url));
        }
        path.push(paths::INDEX_FILE);
    }
    match path.canonicalize() {
        Ok(real) if real.starts_with(output) && real.is_file() => Resolved::File(real),
        _ => Resolved::Missing,
    }
}

fn event_stream(request: Request, hub: &Hub) {
    let mut stream = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
    if stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.flush())
        .is_err()
    {
        return;
    }
    let mut seen = {
        let s = hub.lock();
        if !s.problems.is_empty()
            && write_event(&mut stream, "problems", &problems_json(&s.problems)).is_err()
        {
            return;
        }
        s.generation
    };
    loop {
        let message = {
            let s = hub.lock();
            let (s, _) = hub
                .changed
                .wait_timeout_while(s, Duration::from_secs(15), |s| s.generation == seen)
                .unwrap_or_else(|e| e.into_inner());
            if s.generation == seen {
                None
            } else {
                seen = s.generation;
                Some(if s.problems.is_empty() {
                    ("reload", seen.to_string())
                } else {
                    ("problems", problems_json(&s.problems))
                })
            }
        };
        let sent = match message {
            Some((event, data)) => write_event(&mut stream, event, &data),
            // A comment keeps proxies from closing an idle stream, and tells
            // us when the page has gone.
            None => stream
                .write_all(b": keep-alive\n\n")
                .and_then(|_| stream.flush()),
        };
        if sent.is_err() {
            return;
        }
    }
}

fn problems_json(problems: &[String]) -> String {
    serde_json::to_string(problems).unwrap_or_else(|_| "[]".into())
}

fn write_event(stream: &mut Box<dyn Write + Send>, event: &str, data: &str) -> std::io::Result<()> {
    write!(stream, "event: {event}\ndata: {data}\n\n")?;
    stream.flush()
}

const LIVE_JS: &str = r#"// parallax serve: reload after each rebuild, show build errors over the page.
(function () {
  "use strict";
  var box = null;
  function show(problems) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.id = "parallax-problems";
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0a0a;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #e11d48;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last edit did not build; this page is the last good one.\n\n" + problems.join("\n");
  }
  var events = new EventSource("/__parallax/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_output() {
        let dir = tempfile::TempDir::new().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("stories/a")).unwrap();
        std::fs::write(out.join("stories/a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let out = out.canonicalize().unwrap();
        assert!(matches!(resolve(&out, "/stories/a/"), Resolved::File(_)));
        assert!(
            matches!(resolve(&out, "/stories/a"), Resolved::Redirect(to) if to == "/stories/a/")
        );
        assert!(
            matches!(resolve(&out, "//stories/a"), Resolved::Redirect(to) if to == "/stories/a/")
        );
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/stories/../../secret.txt",
            "/..%2fsecret.txt",
            "/%00",
            "/stories%5c..%5c..%5csecret.txt",
        ] {
            assert!(matches!(resolve(&out, bad), Resolved::Missing), "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_body_end() {
        let html = inject_live_reload(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            format!("<html><body><p>x</p><script src=\"{SCRIPT_PATH}\"></script></body></html>")
        );
    }
}
