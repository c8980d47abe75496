//! `parallax serve`: watch mode plus a small HTTP server for the output, with
//! live reload over Server-Sent Events and build errors shown in the page.
//! The watcher and the server share one thing: the `Hub`, which holds the
//! latest build's generation and problems and wakes the event streams.
//!
//! The server is hyper's HTTP/1 on a small tokio runtime (two workers, at
//! most eight threads for file reads). It is bounded: at most
//! `Limits::connections` connections at once (past that it stops accepting
//! and new ones wait in the kernel's queue), at most `Limits::streams` of
//! them event streams (past that: 503), request headers within
//! `HEADER_TIMEOUT` (idle and keep-alive connections are closed after it),
//! and files are streamed a chunk at a time. Accept errors (out of file
//! descriptors, say) are waited out, never fatal.

mod files;
mod live;

pub use live::{Hub, EVENTS_PATH, LIVE_JS, SCRIPT_PATH};

use files::{Answer, CHUNK};
use hyper::body::{Body as _, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{
    HeaderName, HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, LOCATION,
    RETRY_AFTER,
};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, ReadBuf};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Connections served at once when the open-file limit allows it.
pub const MAX_CONNECTIONS: usize = 4096;
/// File descriptors kept for everything but connections (the watcher, the
/// build's reads and writes, the runtime).
const RESERVED_FDS: u64 = 128;
/// A connection must send a whole request head within this long, the first
/// and each one after on a kept-alive connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// After a failed accept (no file descriptor left, say), how long to wait.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// The kernel's queue of connections not yet accepted.
const BACKLOG: u32 = 1024;
/// hyper's read and write buffers of one connection grow to at most this.
const MAX_BUFFER: usize = 2 * CHUNK;

/// How many connections and event streams are served at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub open_files: u64,
    pub connections: usize,
    pub streams: usize,
}

impl Limits {
    /// The limits that fit in `open_files` descriptors: a connection may
    /// hold two (its socket and the file it sends); half of the connections
    /// may be event streams, so pages can still be fetched.
    pub fn for_open_files(open_files: u64) -> Limits {
        let connections = (open_files.saturating_sub(RESERVED_FDS) / 2)
            .clamp(16, MAX_CONNECTIONS as u64) as usize;
        Limits {
            open_files,
            connections,
            streams: connections / 2,
        }
    }

    /// Raises this process's soft open-file limit as far as the hard limit
    /// lets it towards what `MAX_CONNECTIONS` needs, and gives the limits
    /// that fit in what it got.
    pub fn raised() -> Limits {
        let wanted = MAX_CONNECTIONS as u64 * 2 + RESERVED_FDS;
        let got = rlimit::increase_nofile_limit(wanted)
            .or_else(|_| rlimit::getrlimit(rlimit::Resource::NOFILE).map(|(soft, _)| soft))
            .unwrap_or(1024);
        Limits::for_open_files(got)
    }
}

/// The server, bound but not yet serving (`start`).
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: Option<TcpListener>,
    port: u16,
    limits: Limits,
}

impl Server {
    /// Listens on `host:port` (port 0: any free port). Connections that come
    /// before `start` wait in the kernel's queue.
    pub fn bind(host: &str, port: u16, limits: Limits) -> io::Result<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(8)
            .thread_name("parallax-serve")
            .enable_io()
            .enable_time()
            .build()?;
        let listener = runtime.block_on(listen(host, port))?;
        let port = listener.local_addr()?.port();
        Ok(Server {
            runtime,
            listener: Some(listener),
            port,
            limits,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves the files of `output` and the events of `hub` until `stop`.
    /// `base_path` is the site's (`/`, or `/briefs/`): it is served there.
    pub fn start(&mut self, output: PathBuf, base_path: String, hub: Arc<Hub>) {
        if let Some(listener) = self.listener.take() {
            let site = Arc::new(Site {
                output,
                base_path,
                hub,
                streams: Arc::new(Semaphore::new(self.limits.streams)),
            });
            let connections = Arc::new(Semaphore::new(self.limits.connections));
            self.runtime.spawn(accept(listener, connections, site));
        }
    }

    /// Closes every connection and ends the runtime's threads.
    pub fn stop(self) {
        self.runtime.shutdown_timeout(Duration::from_secs(1));
    }
}

async fn listen(host: &str, port: u16) -> io::Result<TcpListener> {
    let mut last = None;
    for addr in tokio::net::lookup_host((host, port)).await? {
        let socket = if addr.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        let bound = socket
            .set_reuseaddr(true)
            .and_then(|_| socket.bind(addr))
            .and_then(|_| socket.listen(BACKLOG));
        match bound {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such address")))
}

/// What every request needs.
struct Site {
    output: PathBuf,
    /// Where the site is served: `/`, or its base_url's path.
    base_path: String,
    hub: Arc<Hub>,
    streams: Arc<Semaphore>,
}

/// Accepts connections while fewer than the limit are open; each is served
/// by a task of its own.
async fn accept(listener: TcpListener, connections: Arc<Semaphore>, site: Arc<Site>) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_BUFFER);
    loop {
        let Ok(permit) = connections.clone().acquire_owned().await else {
            return;
        };
        let stream = loop {
            match listener.accept().await {
                Ok((stream, _)) => break stream,
                // Out of descriptors or memory, or a connection reset before
                // it was accepted: none of these is a reason to stop.
                Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
            }
        };
        let _ = stream.set_nodelay(true);
        let (http, site) = (http.clone(), site.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let site = site.clone();
                async move { Ok::<_, Infallible>(handle(request, &site).await) }
            });
            // A connection's errors (a timeout, a reset, a malformed
            // request) end that connection only.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
            drop(permit);
        });
    }
}

async fn handle(request: Request<Incoming>, site: &Site) -> Response<Body> {
    let head = request.method() == Method::HEAD;
    if !head && request.method() != Method::GET {
        let refused = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
        return with_header(refused, ALLOW, "GET, HEAD");
    }
    let url = request.uri().path();
    let response = if !url.starts_with('/') {
        // `GET name HTTP/1.1`: hyper takes `name` for a host.
        plain(StatusCode::BAD_REQUEST, "bad request")
    } else if url == EVENTS_PATH {
        event_stream(site, head)
    } else if url == SCRIPT_PATH {
        respond(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Body::from(LIVE_JS),
        )
    } else {
        let (output, url) = (site.output.clone(), url.to_string());
        let base_path = site.base_path.clone();
        let answer = move || files::answer_under(&output, &base_path, &url, head);
        match tokio::task::spawn_blocking(answer).await {
            Ok(answer) => file_response(answer),
            Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
        }
    };
    if head {
        without_body(response)
    } else {
        response
    }
}

/// A response with its type and `Cache-Control: no-store`; the length comes
/// from the body.
fn respond(status: StatusCode, content_type: &str, body: Body) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(CONTENT_TYPE, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A short text, for the answers that are not files.
fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", Body::from(text))
}

fn with_header(
    mut response: Response<Body>,
    name: HeaderName,
    value: &'static str,
) -> Response<Body> {
    response
        .headers_mut()
        .insert(name, HeaderValue::from_static(value));
    response
}

/// The response to a HEAD: the same headers, with the length the body would
/// have had, and no body.
fn without_body(response: Response<Body>) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    if let Some(len) = body.size_hint().exact() {
        parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    }
    Response::from_parts(parts, Body::Bytes(None))
}

fn file_response(answer: Answer) -> Response<Body> {
    match answer {
        Answer::File {
            status,
            content_type,
            file,
            len,
            script_at,
        } => {
            let body = Body::File(FileBody {
                file: tokio::fs::File::from_std(file),
                left: len + script_at.map_or(0, |_| files::SCRIPT_TAG.len() as u64),
                before_script: script_at,
                buf: vec![0; CHUNK],
            });
            respond(status, &content_type, body)
        }
        Answer::Page(status, bytes) => respond(status, "text/html; charset=utf-8", bytes.into()),
        Answer::Redirect(to) => {
            let mut response = Response::new(Body::Bytes(None));
            *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(LOCATION, value);
            }
            response
        }
    }
}

fn event_stream(site: &Site, head: bool) -> Response<Body> {
    let body = if head {
        Body::Bytes(None)
    } else {
        match site.streams.clone().try_acquire_owned() {
            Ok(permit) => Body::Events {
                next: live::first_event(site.hub.subscribe()),
                _permit: permit,
            },
            Err(_) => {
                let busy = plain(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "too many live-reload streams are open",
                );
                return with_header(busy, RETRY_AFTER, "10");
            }
        }
    };
    respond(StatusCode::OK, "text/event-stream", body)
}

/// Every response body the server sends.
pub enum Body {
    /// Bytes in memory (`None` once sent, or for none at all).
    Bytes(Option<Bytes>),
    /// A file read a chunk at a time.
    File(FileBody),
    /// An event stream: the next event, and the stream's place under
    /// `Limits::streams`.
    Events {
        next: live::NextEvent,
        _permit: OwnedSemaphorePermit,
    },
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Body {
        Body::Bytes(Some(Bytes::from_static(text.as_bytes())))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body::Bytes(Some(Bytes::from(bytes)))
    }
}

/// A file, with the live-reload tag put in at `before_script` bytes (pages
/// only).
pub struct FileBody {
    file: tokio::fs::File,
    /// Bytes still to send, the tag included.
    left: u64,
    before_script: Option<u64>,
    buf: Vec<u8>,
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            Body::Bytes(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::File(file) => file.poll_chunk(cx).map(|c| c.map(|c| c.map(Frame::data))),
            Body::Events { next, .. } => match ready!(next.as_mut().poll(cx)) {
                Some((bytes, rx, seen)) => {
                    *next = live::next_event(rx, seen);
                    Poll::Ready(Some(Ok(Frame::data(bytes))))
                }
                None => Poll::Ready(None),
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Bytes(bytes) => bytes.is_none(),
            Body::File(file) => file.left == 0,
            Body::Events { .. } => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Bytes(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Body::File(file) => SizeHint::with_exact(file.left),
            Body::Events { .. } => SizeHint::default(),
        }
    }
}

impl FileBody {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        if self.before_script == Some(0) {
            self.before_script = None;
            self.left -= files::SCRIPT_TAG.len() as u64;
            return Poll::Ready(Some(Ok(Bytes::from_static(files::SCRIPT_TAG.as_bytes()))));
        }
        let tag = self
            .before_script
            .map_or(0, |_| files::SCRIPT_TAG.len() as u64);
        let want = (self.left - tag).min(self.before_script.unwrap_or(u64::MAX));
        let want = want.min(self.buf.len() as u64) as usize;
        let mut buf = ReadBuf::new(&mut self.buf[..want]);
        ready!(Pin::new(&mut self.file).poll_read(cx, &mut buf))?;
        let n = buf.filled().len();
        if n == 0 {
            // The file is shorter than it was when opened.
            return Poll::Ready(Some(Err(io::ErrorKind::UnexpectedEof.into())));
        }
        self.left -= n as u64;
        if let Some(before) = &mut self.before_script {
            *before -= n as u64;
        }
        Poll::Ready(Some(Ok(Bytes::copy_from_slice(buf.filled()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_fit_the_open_file_limit() {
        assert_eq!(
            Limits::for_open_files(1_048_576),
            Limits {
                open_files: 1_048_576,
                connections: MAX_CONNECTIONS,
                streams: MAX_CONNECTIONS / 2
            }
        );
        let low = Limits::for_open_files(1024);
        assert_eq!((low.connections, low.streams), (448, 224));
        assert!(low.connections as u64 * 2 + RESERVED_FDS <= 1024);
        let tiny = Limits::for_open_files(20);
        assert_eq!((tiny.connections, tiny.streams), (16, 8));
    }
}
