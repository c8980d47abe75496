//! The files of the served output: which file a URL path names (never one
//! outside the output), its content type, and where the live-reload script
//! goes into a page. Everything here blocks; the server calls it on tokio's
//! blocking pool and streams the file it opened.

use crate::paths;
use hyper::StatusCode;
use percent_encoding::percent_decode_str;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Component, Path, PathBuf};

/// The tag added to every HTML page.
pub const SCRIPT_TAG: &str = "<script src=\"/__parallax/live.js\"></script>";
const BODY_END: &[u8] = b"</body>";
/// How much of a file is read at a time, when scanning and when streaming.
pub const CHUNK: usize = 64 * 1024;
/// Served when the site has no 404.html.
const FALLBACK_404: &str = "<!DOCTYPE html><title>Not found</title><h1>Not found</h1>";

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
            // The path as it came (still percent-encoded), with one leading
            // slash: `//x` would be another host.
            return Resolved::Redirect(paths::folder_url(url));
        }
        path.push(paths::INDEX_FILE);
    }
    match path.canonicalize() {
        Ok(real) if real.starts_with(output) && real.is_file() => Resolved::File(real),
        _ => Resolved::Missing,
    }
}

/// What a GET or HEAD of a path answers.
pub enum Answer {
    /// An open file, to stream from its start. `script_at` is, for a page,
    /// the offset where the live-reload tag goes (for a HEAD, where it would
    /// go is not looked for: only the length counts).
    File {
        status: StatusCode,
        content_type: String,
        file: File,
        len: u64,
        script_at: Option<u64>,
    },
    /// A page held in memory, the tag already in.
    Page(StatusCode, Vec<u8>),
    Redirect(String),
}

/// `answer` for a site served under `base_path` (`/`, or `/briefs/` when
/// its base_url has a path, as the host it is published on will serve it):
/// the site's root and the path without its last slash lead to it, and
/// anything outside it is the 404 page.
pub fn answer_under(output: &Path, base_path: &str, url: &str, head: bool) -> Answer {
    if base_path == "/" {
        return answer(output, url, head);
    }
    if url == "/" || url == base_path.trim_end_matches('/') {
        return Answer::Redirect(base_path.to_string());
    }
    let Some(rest) = url.strip_prefix(base_path) else {
        return not_found(
            &output
                .canonicalize()
                .unwrap_or_else(|_| output.to_path_buf()),
            head,
        );
    };
    match answer(output, &format!("/{rest}"), head) {
        Answer::Redirect(to) => {
            Answer::Redirect(format!("{base_path}{}", to.trim_start_matches('/')))
        }
        other => other,
    }
}

/// Finds and opens what `url` names under `output`, or the site's 404 page.
pub fn answer(output: &Path, url: &str, head: bool) -> Answer {
    // Resolved now, not at start: the folder appears with the first good
    // build, and its real path (through symlinks) is what files are
    // compared against.
    let output = output
        .canonicalize()
        .unwrap_or_else(|_| output.to_path_buf());
    match resolve(&output, url) {
        Resolved::File(path) => {
            open(StatusCode::OK, &path, head).unwrap_or_else(|| not_found(&output, head))
        }
        Resolved::Redirect(to) => Answer::Redirect(to),
        Resolved::Missing => not_found(&output, head),
    }
}

fn not_found(output: &Path, head: bool) -> Answer {
    open(StatusCode::NOT_FOUND, &output.join(paths::NOT_FOUND), head).unwrap_or_else(|| {
        Answer::Page(
            StatusCode::NOT_FOUND,
            inject_live_reload(FALLBACK_404.as_bytes()),
        )
    })
}

fn open(status: StatusCode, path: &Path, head: bool) -> Option<Answer> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let content_type = content_type(path);
    let script_at = if !content_type.starts_with("text/html") {
        None
    } else if head {
        Some(len)
    } else {
        let at = last_body_end(&mut file, CHUNK).ok()?.unwrap_or(len);
        file.rewind().ok()?;
        Some(at)
    };
    Some(Answer::File {
        status,
        content_type,
        file,
        len,
        script_at,
    })
}

/// The `Content-Type` of a served file.
pub fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut content_type = mime.essence_str().to_string();
    if path.file_name().is_some_and(|n| n == paths::FEED) {
        content_type = "application/atom+xml".into();
    }
    if content_type.starts_with("text/")
        || content_type.ends_with("xml")
        || content_type.ends_with("json")
        || content_type.ends_with("javascript")
    {
        content_type.push_str("; charset=utf-8");
    }
    content_type
}

/// Where the last `</body>` of a page starts, read `chunk` bytes at a time
/// (a page is never held whole).
fn last_body_end(reader: &mut impl Read, chunk: usize) -> std::io::Result<Option<u64>> {
    let keep_max = BODY_END.len() - 1;
    let mut buf = vec![0; chunk + keep_max];
    // `buf[..keep]` are the last bytes of the previous read, which may start
    // a `</body>` that this read ends; `start` is their offset in the file.
    let (mut keep, mut start, mut found) = (0, 0u64, None);
    loop {
        let n = reader.read(&mut buf[keep..])?;
        if n == 0 {
            return Ok(found);
        }
        let filled = keep + n;
        if let Some(i) = buf[..filled]
            .windows(BODY_END.len())
            .rposition(|w| w == BODY_END)
        {
            found = Some(start + i as u64);
        }
        let next_keep = keep_max.min(filled);
        buf.copy_within(filled - next_keep..filled, 0);
        start += (filled - next_keep) as u64;
        keep = next_keep;
    }
}

/// Adds the live-reload script before the last `</body>` (or at the end).
pub fn inject_live_reload(body: &[u8]) -> Vec<u8> {
    let at = body
        .windows(BODY_END.len())
        .rposition(|w| w == BODY_END)
        .unwrap_or(body.len());
    [&body[..at], SCRIPT_TAG.as_bytes(), &body[at..]].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::SCRIPT_PATH;

    #[test]
    fn the_tag_names_the_script() {
        assert_eq!(
            SCRIPT_TAG,
            format!("<script src=\"{SCRIPT_PATH}\"></script>")
        );
    }

    /// A folder with `out/stories/a/index.html`, `out/inside/page.txt` and,
    /// outside `out/`, `secret.txt` and `elsewhere/secret.txt`.
    fn output_beside_secrets() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::TempDir::new().unwrap();
        let out = dir.path().join("out");
        for (rel, text) in [
            ("out/stories/a/index.html", "a"),
            ("out/inside/page.txt", "in"),
            ("secret.txt", "s"),
            ("elsewhere/secret.txt", "s"),
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        (dir, out)
    }

    #[test]
    fn paths_never_leave_the_output() {
        let (_dir, out) = output_beside_secrets();
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

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_while_they_stay_inside() {
        let (dir, out) = output_beside_secrets();
        let link = |to: &Path, name: &str| std::os::unix::fs::symlink(to, out.join(name)).unwrap();
        link(&dir.path().join("elsewhere/secret.txt"), "file-out.txt");
        link(&dir.path().join("elsewhere"), "dir-out");
        link(&out.join("inside/page.txt"), "file-in.txt");
        link(Path::new("../elsewhere/secret.txt"), "relative-out.txt");
        let out = out.canonicalize().unwrap();
        for bad in ["/file-out.txt", "/dir-out/secret.txt", "/relative-out.txt"] {
            assert!(matches!(resolve(&out, bad), Resolved::Missing), "{bad}");
        }
        assert!(
            matches!(resolve(&out, "/file-in.txt"), Resolved::File(p) if p == out.join("inside/page.txt"))
        );
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = inject_live_reload(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            format!("<html><body><p>x</p>{SCRIPT_TAG}</body></html>")
        );
        let text = inject_live_reload(b"no body");
        assert_eq!(text, format!("no body{SCRIPT_TAG}").into_bytes());
    }

    #[test]
    fn the_scan_finds_what_a_whole_read_finds_across_chunk_edges() {
        let cases: &[&[u8]] = &[
            b"",
            b"</body>",
            b"x</body>y</body>z",
            b"</bod",
            b"<</body></body",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaa</body>aaaaaaaaaaaa",
            b"\xff\xfe</body>\xff",
        ];
        for &case in cases {
            let whole = case.windows(BODY_END.len()).rposition(|w| w == BODY_END);
            for chunk in 1..12 {
                let found = last_body_end(&mut &case[..], chunk).unwrap();
                assert_eq!(
                    found,
                    whole.map(|i| i as u64),
                    "{:?} chunk {chunk}",
                    String::from_utf8_lossy(case)
                );
            }
        }
    }

    #[test]
    fn content_types() {
        let ct = |p: &str| content_type(Path::new(p));
        assert_eq!(ct("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(ct("feed.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(ct("a/index.json"), "application/json; charset=utf-8");
        assert_eq!(ct("parallax.css"), "text/css; charset=utf-8");
        assert_eq!(ct("parallax.js"), "text/javascript; charset=utf-8");
        assert_eq!(ct("logo.png"), "image/png");
        assert_eq!(ct("blob"), "application/octet-stream");
    }
}
