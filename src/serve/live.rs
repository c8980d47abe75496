//! Live reload: the `Hub` the watch loop reports each build to, and the
//! Server-Sent Events every open page listens to. One `watch` channel wakes
//! all streams; a stream is a response body polled by its connection's task,
//! so a thousand open pages cost a thousand small tasks, not threads.

use hyper::body::Bytes;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::sync::watch;

pub const EVENTS_PATH: &str = "/__parallax/events";
pub const SCRIPT_PATH: &str = "/__parallax/live.js";

/// How long a stream stays silent before a comment is sent: it keeps proxies
/// from closing an idle stream, and tells us when the page has gone.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The latest build as the open pages need to know it.
#[derive(Default)]
pub struct Status {
    generation: u64,
    /// Empty when the latest build succeeded.
    problems: Vec<String>,
}

/// What the watch loop and the server share: the latest build's generation
/// and problems.
pub struct Hub {
    status: watch::Sender<Status>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub {
            status: watch::Sender::new(Status::default()),
        }
    }
}

impl Hub {
    /// A build finished: open pages reload.
    pub fn built(&self) {
        self.status.send_modify(|s| {
            s.generation += 1;
            s.problems.clear();
        });
    }

    /// A build failed: open pages show the problems over the last good page.
    pub fn failed(&self, problems: Vec<String>) {
        self.status.send_modify(|s| {
            s.generation += 1;
            s.problems = problems;
        });
    }

    pub(super) fn subscribe(&self) -> watch::Receiver<Status> {
        self.status.subscribe()
    }
}

/// The next bytes of one stream, with what is needed to wait for the ones
/// after; `None` when the hub is gone.
pub(super) type NextEvent = Pin<Box<dyn Future<Output = Option<Pending>> + Send>>;
pub(super) type Pending = (Bytes, watch::Receiver<Status>, u64);

/// The first bytes of a stream: the reconnection delay, and the problems of
/// the latest build if it failed.
pub(super) fn first_event(mut rx: watch::Receiver<Status>) -> NextEvent {
    Box::pin(async move {
        let (text, seen) = {
            let s = rx.borrow_and_update();
            let mut text = String::from("retry: 1000\n\n");
            if !s.problems.is_empty() {
                text.push_str(&event("problems", &problems_json(&s.problems)));
            }
            (text, s.generation)
        };
        Some((Bytes::from(text), rx, seen))
    })
}

/// Waits for the next build (or `KEEP_ALIVE`), then gives its event.
pub(super) fn next_event(mut rx: watch::Receiver<Status>, seen: u64) -> NextEvent {
    Box::pin(async move {
        match tokio::time::timeout(KEEP_ALIVE, rx.changed()).await {
            Err(_) => Some((Bytes::from_static(b": keep-alive\n\n"), rx, seen)),
            Ok(Err(_)) => None,
            Ok(Ok(())) => {
                let (text, seen) = {
                    let s = rx.borrow_and_update();
                    let text = if s.generation == seen {
                        ": keep-alive\n\n".to_string()
                    } else if s.problems.is_empty() {
                        event("reload", &s.generation.to_string())
                    } else {
                        event("problems", &problems_json(&s.problems))
                    };
                    (text, s.generation)
                };
                Some((Bytes::from(text), rx, seen))
            }
        }
    })
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn problems_json(problems: &[String]) -> String {
    serde_json::to_string(problems).unwrap_or_else(|_| "[]".into())
}

pub const LIVE_JS: &str = r#"// parallax serve: reload after each rebuild, show build errors over the page.
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

    fn text(p: &Option<Pending>) -> String {
        String::from_utf8(p.as_ref().expect("an event").0.to_vec()).unwrap()
    }

    #[test]
    fn streams_carry_reloads_and_problems_in_the_scripts_format() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let hub = Hub::default();
            hub.failed(vec!["a.md:3:1: date: bad".into()]);
            let first = first_event(hub.subscribe()).await;
            assert_eq!(
                text(&first),
                "retry: 1000\n\nevent: problems\ndata: [\"a.md:3:1: date: bad\"]\n\n"
            );
            let (_, rx, seen) = first.unwrap();
            let waiting = tokio::spawn(next_event(rx, seen));
            hub.built();
            let reload = waiting.await.unwrap();
            assert_eq!(text(&reload), "event: reload\ndata: 2\n\n");
            let (_, rx, seen) = reload.unwrap();
            drop(hub);
            assert!(next_event(rx, seen).await.is_none(), "the hub has gone");
        });
    }
}
