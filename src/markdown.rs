//! Markdown to HTML, safe by default: raw HTML is shown as text unless the site
//! opts in, and links or images whose scheme is not http, https or mailto (or a
//! relative path) lose their target but keep their text.
//!
//! In the same pass, the links and images worth checking are gathered
//! (`Link`: root-relative, `@/` source-file links, relative images, http(s)),
//! and an `@/` link's target is replaced by a marker (`@/N`, N its place in
//! the story's or page's list of links) that validation later replaces with
//! the target's URL (`resolve_markers`).

use crate::model::{Link, TextAt};
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown {
    pub allow_raw_html: bool,
}

/// Whether a link target may appear in a page: no scheme (a relative path or
/// fragment), or http, https or mailto. Browsers drop tabs and newlines and
/// leading control characters before reading a scheme, so this does too.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = cleaned.find(['/', '?', '#']).unwrap_or(cleaned.len());
    match cleaned[..end].find(':') {
        None => true,
        Some(colon) => {
            let scheme = cleaned[..colon].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
    }
}

/// An absolute http(s) URL with a host and nothing a browser would reinterpret.
pub fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// What a link's target is, as far as checking it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// From the site's root (`/stories/x/`): the path after the `/`, without
    /// its query or fragment.
    Root(&'a str),
    /// A source file (`@/stories/x.md`): the path after `@/`, without its
    /// fragment.
    Source(&'a str),
    /// An absolute http(s) URL.
    Web,
    /// A relative path (`img/a.png`, `../x/`), without its query or fragment.
    Relative(&'a str),
    /// A fragment, mailto, a protocol-relative URL, …: not checked.
    Other,
}

/// How a link target written in Markdown is read.
pub fn target(dest: &str) -> Target<'_> {
    let without = |s: &str, stops: &[char]| -> usize { s.find(stops).unwrap_or(s.len()) };
    if let Some(rest) = dest.strip_prefix(SOURCE_PREFIX) {
        return Target::Source(&rest[..without(rest, &['#'])]);
    }
    if dest.starts_with("//") {
        return Target::Other;
    }
    if let Some(rest) = dest.strip_prefix('/') {
        return Target::Root(&rest[..without(rest, &['?', '#'])]);
    }
    // Without a lowercased copy: a rebuild classifies every story's links.
    let scheme_is = |scheme: &str| {
        dest.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    };
    if scheme_is("http://") || scheme_is("https://") {
        return Target::Web;
    }
    let end = without(dest, &['?', '#']);
    let path = &dest[..end];
    if path.is_empty() || path.contains(':') {
        Target::Other
    } else {
        Target::Relative(path)
    }
}

/// How a link to a source file starts, as in Zola: `@/stories/x.md`.
pub const SOURCE_PREFIX: &str = "@/";

/// Whether a link is worth keeping for the checks: an image that is not a
/// fragment or another scheme, and any link but fragments, mailto and
/// relative paths.
fn worth_checking(dest: &str, image: bool) -> bool {
    match target(dest) {
        Target::Root(_) | Target::Source(_) | Target::Web => true,
        Target::Relative(_) => image,
        Target::Other => false,
    }
}

/// Replaces each `@/N` marker in an `href` or `src` attribute with
/// `urls[N]` (HTML-escaped), keeping what follows it (a `#fragment`). None
/// when the HTML has no marker; a marker without a URL is left as it is.
pub fn resolve_markers(html: &str, urls: &[Option<String>]) -> Option<String> {
    if !html.contains("=\"@/") {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    let mut found = false;
    while let Some(at) = rest.find("=\"@/") {
        let attribute_end = at + 2;
        let before = &rest[..attribute_end];
        let is_link = before.ends_with("href=\"") || before.ends_with("src=\"");
        let after = &rest[attribute_end + SOURCE_PREFIX.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let url = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| urls.get(n))
            .and_then(Option::as_deref);
        match url {
            Some(url) if is_link => {
                out.push_str(before);
                escape_attribute(&mut out, url);
                rest = &after[digits..];
                found = true;
            }
            _ => {
                out.push_str(&rest[..attribute_end]);
                rest = &rest[attribute_end..];
            }
        }
    }
    out.push_str(rest);
    found.then_some(out)
}

fn escape_attribute(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn shift(level: HeadingLevel, by: usize) -> HeadingLevel {
    let n = (level as usize + by).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

/// Where the links of one text go: the list of its story or page, and
/// which text this is.
pub struct Links<'a> {
    pub list: &'a mut Vec<Link>,
    pub at: TextAt,
}

impl Markdown {
    /// A block of Markdown. Headings move down `heading_shift` levels so that a
    /// story's `#` never competes with the page's own title.
    #[cfg(test)]
    pub fn block(&self, text: &str, heading_shift: usize) -> String {
        self.block_with(text, heading_shift, None)
    }

    /// `block`, gathering the text's links into `links`.
    pub fn block_with(&self, text: &str, heading_shift: usize, links: Option<Links>) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        html::push_html(
            &mut out,
            self.events(text, heading_shift, links).into_iter(),
        );
        // Kept for the whole build (a story's body and answers): the
        // estimate's slack, or a doubling past it, would stay with it.
        out.shrink_to_fit();
        out
    }

    /// One paragraph's worth of Markdown (a perspective point, a history line),
    /// without the `<p>` around it.
    #[cfg(test)]
    pub fn inline(&self, text: &str) -> String {
        self.inline_with(text, None)
    }

    /// `inline`, gathering the text's links into `links`.
    pub fn inline_with(&self, text: &str, links: Option<Links>) -> String {
        let html = self.block_with(text, 2, links);
        let trimmed = html.trim_end();
        match trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => trimmed.to_string(),
        }
    }

    fn events<'a>(
        &self,
        text: &'a str,
        heading_shift: usize,
        mut links: Option<Links>,
    ) -> Vec<Event<'a>> {
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        // For each open link or image: whether its tags were dropped.
        let mut dropped: Vec<bool> = Vec::new();
        let mut events = Vec::new();
        for (mut event, range) in Parser::new_ext(text, options).into_offset_iter() {
            if let Some(links) = links.as_mut() {
                let found = match &mut event {
                    Event::Start(Tag::Link { dest_url, .. }) => Some((dest_url, false)),
                    Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url, true)),
                    _ => None,
                };
                if let Some((dest_url, image)) = found.filter(|(d, i)| worth_checking(d, *i)) {
                    let index = links.list.len();
                    links.list.push(Link {
                        dest: dest_url.to_string(),
                        image,
                        at: links.at,
                        offset: range.start,
                    });
                    if let Some(rest) = dest_url.strip_prefix(SOURCE_PREFIX) {
                        let fragment = rest.find('#').map_or("", |i| &rest[i..]);
                        *dest_url = CowStr::from(format!("{SOURCE_PREFIX}{index}{fragment}"));
                    }
                }
            }
            match event {
                Event::Html(raw) | Event::InlineHtml(raw) if !self.allow_raw_html => {
                    events.push(Event::Text(raw));
                }
                Event::Start(Tag::HtmlBlock) if !self.allow_raw_html => {}
                Event::End(TagEnd::HtmlBlock) if !self.allow_raw_html => {}
                Event::Start(Tag::Link { ref dest_url, .. })
                | Event::Start(Tag::Image { ref dest_url, .. }) => {
                    let safe = is_safe_url(dest_url);
                    dropped.push(!safe);
                    if safe {
                        events.push(event);
                    }
                }
                Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                    if !dropped.pop().unwrap_or(false) {
                        events.push(event);
                    }
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => events.push(Event::Start(Tag::Heading {
                    level: shift(level, heading_shift),
                    id,
                    classes,
                    attrs,
                })),
                Event::End(TagEnd::Heading(level)) => {
                    events.push(Event::End(TagEnd::Heading(shift(level, heading_shift))))
                }
                other => events.push(other),
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(is_safe_url("https://example.org"));
        assert!(is_safe_url("/about/"));
        assert!(is_safe_url("#faq"));
        assert!(is_safe_url("mailto:desk@example.org"));
        assert!(is_safe_url("a/b:c"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url("JavaScript:alert(1)"));
        assert!(!is_safe_url("java\tscript:alert(1)"));
        assert!(!is_safe_url(" \u{1}javascript:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("vbscript:x"));
    }

    #[test]
    fn drops_unsafe_links_keeps_text() {
        let md = Markdown::default();
        assert_eq!(md.inline("[click](javascript:alert(1))"), "click");
        assert_eq!(
            md.inline("[ok](https://example.org)"),
            r#"<a href="https://example.org">ok</a>"#
        );
        assert_eq!(md.inline("![x](data:image/png;base64,AA)"), "x");
    }

    #[test]
    fn raw_html_is_text_unless_allowed() {
        let md = Markdown::default();
        let html = md.block("<script>alert(1)</script>\n\nhi <b>x</b>", 0);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        let open = Markdown {
            allow_raw_html: true,
        };
        assert!(open.block("hi <b>x</b>", 0).contains("<b>x</b>"));
    }

    #[test]
    fn headings_shift() {
        let md = Markdown::default();
        assert_eq!(md.block("## Sub", 1).trim(), "<h3>Sub</h3>");
        assert_eq!(md.block("###### Deep", 1).trim(), "<h6>Deep</h6>");
    }

    #[test]
    fn targets_are_read_as_written() {
        assert_eq!(target("/topics/x/?a#b"), Target::Root("topics/x/"));
        assert_eq!(target("@/stories/a.md#faq"), Target::Source("stories/a.md"));
        for web in ["HTTPS://e.org", "Http://e.org", "https://é.org", "http://"] {
            assert_eq!(target(web), Target::Web, "{web}");
        }
        assert_eq!(target("img/a.png"), Target::Relative("img/a.png"));
        assert_eq!(target("héllo.png"), Target::Relative("héllo.png"));
        for other in [
            "//e.org/x",
            "#faq",
            "mailto:a@e.org",
            "",
            "ftp://e.org",
            "httpé:x",
        ] {
            assert_eq!(target(other), Target::Other, "{other}");
        }
    }

    #[test]
    fn source_links_become_markers_that_resolve() {
        let md = Markdown::default();
        let mut list = Vec::new();
        let links = Links {
            list: &mut list,
            at: TextAt::Body,
        };
        let html = md.block_with(
            "[a](https://e.org) [b](@/stories/b.md#faq) ![c](/c.png) [d](#x)",
            0,
            Some(links),
        );
        let dests: Vec<&str> = list.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["https://e.org", "@/stories/b.md#faq", "/c.png"]);
        assert_eq!(list[1].offset, 19);
        assert!(list[2].image);
        assert!(html.contains(r#"href="@/1#faq""#), "{html}");
        let urls = [None, Some("/s/b\"x/".to_string()), None];
        let resolved = resolve_markers(&html, &urls).expect("a marker");
        assert!(
            resolved.contains(r#"href="/s/b&quot;x/#faq""#),
            "{resolved}"
        );
        assert_eq!(resolve_markers("<p>x</p>", &urls), None);
        assert_eq!(
            resolve_markers(r#"<img alt="@/1">"#, &urls),
            None,
            "only href and src"
        );
    }
}
