//! `parallax check --external`: every outside link an editor wrote (source
//! URLs, links in Markdown) is requested, and a dead one is a warning at the
//! place it was written. Politely: HEAD first and GET only where HEAD is
//! refused, at most `PARALLEL` requests at a time and `PER_HOST` to one host,
//! a timeout, at most `MAX_REDIRECTS` redirects, and results remembered for a
//! day in the cache folder so a second run asks nobody again.
//!
//! This is the only code that makes requests; nothing else in a check or a
//! build touches the network.

use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const PARALLEL: usize = 8;
pub const PER_HOST: usize = 2;
pub const MAX_REDIRECTS: u32 = 5;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a result is trusted.
const FRESH_FOR: Duration = Duration::from_secs(24 * 60 * 60);
/// The results file, inside the cache folder.
const RESULTS_FILE: &str = "external-links.json";

/// One link as written: where, under which key.
#[derive(Debug, Clone)]
pub struct Link {
    pub url: String,
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    /// `sources[2].url`, or `None` for a link in Markdown text.
    pub key: Option<String>,
}

/// What one URL answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// `None`: alive. Otherwise why it is dead ("404 Not Found", "timed
    /// out after 10 s", "no such host").
    pub dead: Option<String>,
    /// Seconds since the epoch.
    pub checked: u64,
}

pub struct Options {
    pub timeout: Duration,
    /// The cache folder to remember results in; `None` remembers nothing.
    pub cache: Option<PathBuf>,
    pub now: SystemTime,
}

/// A warning for every dead link, in the order given.
pub fn check(links: &[Link], options: &Options) -> Vec<Diagnostic> {
    let now = seconds(options.now);
    let mut known = options
        .cache
        .as_deref()
        .map(read_results)
        .unwrap_or_default();
    known.retain(|_, o| now.saturating_sub(o.checked) < FRESH_FOR.as_secs());
    let mut unknown: Vec<String> = links
        .iter()
        .map(|l| l.url.clone())
        .filter(|u| !known.contains_key(u))
        .collect();
    unknown.sort();
    unknown.dedup();
    for (url, dead) in request_all(unknown, options.timeout) {
        known.insert(url, Outcome { dead, checked: now });
    }
    if let Some(dir) = &options.cache {
        write_results(dir, &known);
    }
    links
        .iter()
        .filter_map(|link| {
            let why = known.get(&link.url)?.dead.as_ref()?;
            let mut d = Diagnostic::new(
                &link.file,
                link.line,
                link.col,
                format!("dead link {}: {why}", link.url),
            )
            .warning()
            .with_help("fix or remove the link; results are kept for 24 hours in the cache folder");
            if let Some(key) = &link.key {
                d = d.with_key(key.clone());
            }
            Some(d)
        })
        .collect()
}

fn seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn read_results(dir: &Path) -> BTreeMap<String, Outcome> {
    std::fs::read(dir.join(RESULTS_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Written whole to a temporary file and renamed, so a killed run leaves
/// the old results or the new ones. A cache that cannot be written only
/// costs the next run its requests.
fn write_results(dir: &Path, results: &BTreeMap<String, Outcome>) {
    let Ok(text) = serde_json::to_vec(results) else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let temp = dir.join(format!("{RESULTS_FILE}.tmp"));
    if std::fs::write(&temp, text).is_ok() {
        let _ = std::fs::rename(&temp, dir.join(RESULTS_FILE));
    }
}

/// Which URLs wait, and how many requests each host has under way.
struct Queue {
    waiting: VecDeque<String>,
    busy: HashMap<String, usize>,
    done: Vec<(String, Option<String>)>,
}

impl Queue {
    /// The next URL whose host has room, taken off the queue.
    fn next(&mut self) -> Option<(String, String)> {
        let at = self
            .waiting
            .iter()
            .position(|u| self.busy.get(&host_of(u)).copied().unwrap_or(0) < PER_HOST)?;
        let url = self.waiting.remove(at)?;
        let host = host_of(&url);
        *self.busy.entry(host.clone()).or_default() += 1;
        Some((url, host))
    }
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

/// Requests every URL, `PARALLEL` workers sharing one queue.
fn request_all(urls: Vec<String>, timeout: Duration) -> Vec<(String, Option<String>)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent = agent(timeout);
    let queue = Mutex::new(Queue {
        waiting: urls.into(),
        busy: HashMap::new(),
        done: Vec::new(),
    });
    let room = Condvar::new();
    let lock = || queue.lock().unwrap_or_else(|e| e.into_inner());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL {
            scope.spawn(|| loop {
                let mut q = lock();
                let (url, host) = loop {
                    if q.waiting.is_empty() {
                        return;
                    }
                    if let Some(next) = q.next() {
                        break next;
                    }
                    q = room.wait(q).unwrap_or_else(|e| e.into_inner());
                };
                drop(q);
                let dead = request(&agent, &url, timeout);
                let mut q = lock();
                if let Some(n) = q.busy.get_mut(&host) {
                    *n -= 1;
                }
                q.done.push((url, dead));
                room.notify_all();
            });
        }
    });
    queue.into_inner().unwrap_or_else(|e| e.into_inner()).done
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(concat!("parallax-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// `None` when the URL answers; else why not.
fn request(agent: &ureq::Agent, url: &str, timeout: Duration) -> Option<String> {
    let status = match agent.head(url).call() {
        // Some servers refuse HEAD (405, 501) or answer it wrongly (403,
        // 404 on a page that exists): ask again with GET before calling it
        // dead.
        Ok(r) if r.status().as_u16() < 400 => return None,
        Ok(_) | Err(ureq::Error::Protocol(_)) => match agent.get(url).call() {
            Ok(r) => r.status(),
            Err(e) => return Some(failure(&e, timeout)),
        },
        Err(e) => return Some(failure(&e, timeout)),
    };
    (status.as_u16() >= 400).then(|| {
        let reason = status.canonical_reason().unwrap_or("");
        format!("{} {reason}", status.as_u16())
            .trim_end()
            .to_string()
    })
}

fn failure(error: &ureq::Error, timeout: Duration) -> String {
    match error {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs()),
        ureq::Error::HostNotFound => "no such host".to_string(),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        ureq::Error::ConnectionFailed => "the connection was refused".to_string(),
        ureq::Error::Io(e) => format!("the connection failed ({e})"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_compared_without_path_port_or_user() {
        assert_eq!(host_of("https://Example.org/a?b"), "example.org");
        assert_eq!(host_of("http://u:p@e.org:8080/x"), "e.org:8080");
        assert_eq!(host_of("https://e.org#top"), "e.org");
    }

    #[test]
    fn a_host_gets_at_most_two_requests_at_a_time() {
        let mut q = Queue {
            waiting: ["http://a/1", "http://a/2", "http://a/3", "http://b/1"]
                .map(String::from)
                .into(),
            busy: HashMap::new(),
            done: Vec::new(),
        };
        let taken: Vec<String> = std::iter::from_fn(|| q.next().map(|(u, _)| u)).collect();
        assert_eq!(taken, ["http://a/1", "http://a/2", "http://b/1"]);
        assert_eq!(q.waiting, ["http://a/3"]);
    }
}
