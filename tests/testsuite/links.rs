//! Links in Markdown: root-relative links and images checked against what
//! the build makes, `@/` links to source files rendered as their target's
//! URL, and `check --external` against a local HTTP server.

use crate::support::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A story without content warnings: one center source, a center
/// perspective, `extra` front matter, and `body`.
fn brief(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\n{extra}perspectives:\n  center: [Calm.]\nsources:\n  - outlet: center-wire\n    title: Article\n    url: https://example.org/{title}\n    published: {date}\n---\n{body}"
    )
}

/// A test site whose registry has the one outlet its stories cite (an
/// outlet no story cites is a warning).
fn one_outlet_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/outlets.yaml",
        "center-wire:\n  name: Center Wire\n  bias: center\n",
    );
    site
}

/// A site with two stories (one with its own `slug:`), a topic, a page
/// and a static image; `a.md` gets `body`.
fn site_linking(body: &str) -> TestSite {
    let site = one_outlet_site();
    site.write(
        "content/stories/2025-05-15-a.md",
        &brief("A", "2025-05-15", "topics: [Peace talks]\n", body),
    );
    site.write(
        "content/stories/2025-05-14-b.md",
        &brief("B", "2025-05-14", "slug: b-story\n", "Text.\n"),
    );
    site.write("content/pages/about.md", "---\ntitle: About\n---\nUs.\n");
    site.write("static/images/a.png", "png");
    site
}

fn check(site: &TestSite, code: i32) -> String {
    stderr(
        &site
            .cmd(&["check"])
            .env_remove("GITHUB_ACTIONS")
            .assert()
            .code(code),
    )
}

#[test]
fn a_link_to_each_kind_of_output_passes() {
    let site = site_linking(
        "[home](/) [b](/stories/b-story/) [b json](/stories/b-story/index.json) \
         [topics](/topics/) [topic](/topics/peace-talks/) [outlets](/outlets/) \
         [outlet](/outlets/center-wire/) [blind](/blindspots/) [about](/about/) \
         [about file](/about/index.html) [feed](/feed.xml) [map](/sitemap.xml) \
         [robots](/robots.txt) [404](/404.html) [img](/images/a.png) [q](/topics/?x=1#y) \
         ![pic](/images/a.png) ![rel](images/a.png) ![dot](./images/a.png) [out](https://example.org/x) \
         [mail](mailto:a@example.org) [frag](#faq)\n",
    );
    assert_eq!(
        check(&site, 0),
        "ok: 2 stories, 1 page, 1 outlet\n",
        "every link names an output"
    );
}

#[test]
fn broken_links_and_images_are_errors_at_their_place() {
    let site = site_linking(
        "See [x](/topics/nowhere/) and\n![pic](/images/missing.png), [o](/outlets/nobody/).\n",
    );
    site.write(
        "content/pages/help.md",
        "---\ntitle: Help\n---\nRead [about](/abuot/) and [p](/page/2/) and [s](/stories/2025-05-14-b/).\n",
    );
    site.write(
        "content/stories/2025-05-13-c.md",
        &brief(
            "C",
            "2025-05-13",
            "faq:\n  - q: Where?\n    a: \"In [x](/sitemap.html).\"\nhistory:\n  - date: 2025-05-13\n    text: Shown ![i](img/none.png)\n",
            "Text.\n",
        ),
    );
    assert_eq!(check(&site, 1), BROKEN);
}

const BROKEN: &str = "\
error: content/pages/help.md:4:6: broken link '/abuot/': the site has no such page
  |
4 | Read [about](/abuot/) and [p](/page/2/) and [s](/stories/2025-05-14-b/).
  |      ^
  |
  = help: did you mean '/about/'?
error: content/pages/help.md:4:27: broken link '/page/2/': the index has 1 page
  |
4 | Read [about](/abuot/) and [p](/page/2/) and [s](/stories/2025-05-14-b/).
  |                           ^
error: content/pages/help.md:4:45: broken link '/stories/2025-05-14-b/': no published story has the slug '2025-05-14-b'
  |
4 | Read [about](/abuot/) and [p](/page/2/) and [s](/stories/2025-05-14-b/).
  |                                             ^
error: content/stories/2025-05-13-c.md:6:8: faq[0].a: broken link '/sitemap.html': the site has no such page or file
  |
6 |     a: \"In [x](/sitemap.html).\"
  |        ^^^
error: content/stories/2025-05-13-c.md:9:11: history[0].text: image 'img/none.png': no file static/img/none.png
  |
9 |     text: Shown ![i](img/none.png)
  |           ^^^^^
error: content/stories/2025-05-15-a.md:13:5: broken link '/topics/nowhere/': no published story has the topic 'nowhere'
   |
13 | See [x](/topics/nowhere/) and
   |     ^
error: content/stories/2025-05-15-a.md:14:1: image '/images/missing.png': no file static/images/missing.png
   |
14 | ![pic](/images/missing.png), [o](/outlets/nobody/).
   | ^
error: content/stories/2025-05-15-a.md:14:30: broken link '/outlets/nobody/': no outlet 'nobody' in content/outlets.yaml
   |
14 | ![pic](/images/missing.png), [o](/outlets/nobody/).
   |                              ^
8 errors in 3 files; nothing was written
";

#[test]
fn source_links_become_the_targets_urls() {
    let site = site_linking(
        "Read [B](@/stories/2025-05-14-b.md), [its FAQ](@/stories/2025-05-14-b.md#faq) \
         and [us](@/pages/about.md).\n",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nOur [first](@/stories/2025-05-15-a.md).\n",
    );
    site.build_ok();
    let hrefs = |rel: &str, css: &str| -> Vec<String> {
        let doc = site.html(rel);
        select(&doc, css)
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(
        hrefs(
            "stories/a/index.html",
            "main p a[href^='/stories/'], main p a[href^='/about']"
        ),
        ["/stories/b-story/", "/stories/b-story/#faq", "/about/"]
    );
    assert_eq!(hrefs("about/index.html", "main p a"), ["/stories/a/"]);

    // A new slug for B: A's page follows, in the same output folder.
    site.write(
        "content/stories/2025-05-14-b.md",
        &brief("B", "2025-05-14", "slug: b-renamed\n", "Text.\n"),
    );
    site.build_ok();
    assert_eq!(
        hrefs("stories/a/index.html", "main p a[href^='/stories/']"),
        ["/stories/b-renamed/", "/stories/b-renamed/#faq"]
    );

    // Under a base path, the URL starts with it.
    site.write(
        "site.yaml",
        "title: Test Briefs\nbase_url: https://test.example.org/briefs\n",
    );
    site.build_ok();
    assert_eq!(
        hrefs("stories/a/index.html", "main p a[href*='b-renamed']"),
        [
            "/briefs/stories/b-renamed/",
            "/briefs/stories/b-renamed/#faq"
        ]
    );
}

#[test]
fn a_broken_source_link_says_did_you_mean() {
    let site = site_linking(
        "Read [B](@/stories/2025-05-14-bb.md) and [us](@/pages/abut.md) and [x](@/other.md).\n",
    );
    site.write(
        "content/stories/2025-05-12-d.md",
        &brief("D", "2025-05-12", "draft: true\n", "Text.\n"),
    );
    site.write(
        "content/stories/2025-05-11-e.md",
        &brief(
            "E",
            "2025-05-11",
            "",
            "Not yet: [D](@/stories/2025-05-12-d.md).\n",
        ),
    );
    assert_eq!(check(&site, 1), BROKEN_SOURCES);
    // With --drafts, the draft is published and the link to it fine.
    let drafts = site.cmd(&["check", "--drafts"]).assert().code(1);
    assert!(!stderr(&drafts).contains("2025-05-11-e.md"));
}

const BROKEN_SOURCES: &str = "\
error: content/stories/2025-05-11-e.md:12:10: broken link '@/stories/2025-05-12-d.md': content/stories/2025-05-12-d.md is not published (a draft, a story scheduled for later, or it has errors)
   |
12 | Not yet: [D](@/stories/2025-05-12-d.md).
   |          ^
   |
   = help: publish it, or check with --drafts or --future
error: content/stories/2025-05-15-a.md:13:6: broken link '@/stories/2025-05-14-bb.md': no file content/stories/2025-05-14-bb.md
   |
13 | Read [B](@/stories/2025-05-14-bb.md) and [us](@/pages/abut.md) and [x](@/other.md).
   |      ^
   |
   = help: did you mean '@/stories/2025-05-14-b.md'?
error: content/stories/2025-05-15-a.md:13:42: broken link '@/pages/abut.md': no file content/pages/abut.md
   |
13 | Read [B](@/stories/2025-05-14-bb.md) and [us](@/pages/abut.md) and [x](@/other.md).
   |                                          ^
   |
   = help: did you mean '@/pages/about.md'?
error: content/stories/2025-05-15-a.md:13:68: broken link '@/other.md': expected a story (`@/stories/…`) or a page (`@/pages/…`) file under content/
   |
13 | Read [B](@/stories/2025-05-14-bb.md) and [us](@/pages/abut.md) and [x](@/other.md).
   |                                                                    ^
4 errors in 2 files; nothing was written
";

// ---------------------------------------------------------------------------
// check --external, against a server on 127.0.0.1 that counts requests.

struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
}

/// `/ok` 200; `/gone` 404; `/nohead` 405 to HEAD and 200 to GET; `/hop/N`
/// a redirect to `/hop/N+1` up to 7 (six redirects from `/hop/1`);
/// `/silent` never answers.
fn server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let counter = counter.clone();
            std::thread::spawn(move || answer(stream, &counter));
        }
    });
    Server { port, requests }
}

fn answer(mut stream: TcpStream, counter: &AtomicUsize) {
    loop {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => return,
            }
        }
        counter.fetch_add(1, Ordering::SeqCst);
        let head = String::from_utf8_lossy(&head).into_owned();
        let mut words = head.split_whitespace();
        let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let status = match path {
            "/ok" => "200 OK".to_string(),
            "/gone" => "404 Not Found".to_string(),
            "/nohead" if method == "HEAD" => "405 Method Not Allowed".to_string(),
            "/nohead" => "200 OK".to_string(),
            "/silent" => {
                std::thread::sleep(std::time::Duration::from_secs(30));
                return;
            }
            _ => match path
                .strip_prefix("/hop/")
                .and_then(|n| n.parse::<u32>().ok())
            {
                Some(n) if n < 7 => format!("302 Found\r\nLocation: /hop/{}", n + 1),
                Some(_) => "200 OK".to_string(),
                None => "404 Not Found".to_string(),
            },
        };
        let response = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n");
        if stream.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn check_external(site: &TestSite, code: i32) -> String {
    let mut cmd = site.cmd(&["check", "--external", "--timeout", "1"]);
    cmd.env_remove("GITHUB_ACTIONS");
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(proxy);
    }
    stderr(&cmd.assert().code(code))
}

#[test]
fn external_links_are_requested_once_a_day_and_dead_ones_are_warnings() {
    let server = server();
    let base = format!("http://127.0.0.1:{}", server.port);
    let site = one_outlet_site();
    let sources = ["ok", "gone", "nohead", "hop/1", "silent"]
        .iter()
        .map(|path| {
            format!("  - outlet: center-wire\n    title: {path}\n    url: {base}/{path}\n    published: 2025-05-15\n")
        })
        .collect::<String>();
    site.write(
        "content/stories/a.md",
        &format!("---\ntitle: A\ndate: 2025-05-15\nperspectives:\n  center: [\"Said [here]({base}/gone).\"]\nsources:\n{sources}---\nSee [it]({base}/ok) and [that]({base}/hop/2).\n"),
    );
    site.write(
        "content/pages/about.md",
        &format!("---\ntitle: About\n---\nOur [home]({base}/gone).\n"),
    );
    let first = check_external(&site, 0);
    let help =
        "  = help: fix or remove the link; results are kept for 24 hours in the cache folder";
    assert_eq!(
        first,
        format!(
            "\
warning: content/pages/about.md:4:5: dead link {base}/gone: 404 Not Found
  |
4 | Our [home]({base}/gone).
  |     ^
  |
{help}
warning: content/stories/a.md:5:12: perspectives.center[0]: dead link {base}/gone: 404 Not Found
  |
5 |   center: [\"Said [here]({base}/gone).\"]
  |            ^^^^^
  |
{help}
warning: content/stories/a.md:13:10: sources[1].url: dead link {base}/gone: 404 Not Found
   |
13 |     url: {base}/gone
   |          ^^^^
   |
 {help}
warning: content/stories/a.md:21:10: sources[3].url: dead link {base}/hop/1: more than 5 redirects
   |
21 |     url: {base}/hop/1
   |          ^^^^
   |
 {help}
warning: content/stories/a.md:25:10: sources[4].url: dead link {base}/silent: no answer within 1 s
   |
25 |     url: {base}/silent
   |          ^^^^
   |
 {help}
ok: 1 story, 1 page, 1 outlet; 5 warnings in 2 files
"
        )
    );
    let asked = server.requests.load(Ordering::SeqCst);
    assert!(asked > 0);
    assert!(site.path(".parallax-cache/external-links.json").is_file());

    let second = check_external(&site, 0);
    assert_eq!(second, first, "the same warnings from the results kept");
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        asked,
        "no request within a day"
    );

    // Without --external, nothing is asked and nothing is said.
    assert_eq!(check(&site, 0), "ok: 1 story, 1 page, 1 outlet\n");
    // --strict makes the dead links errors.
    let strict = site
        .cmd(&["check", "--external", "--strict"])
        .env_remove("GITHUB_ACTIONS")
        .assert()
        .code(1);
    assert!(stderr(&strict).ends_with("; nothing was written\n"));
}
