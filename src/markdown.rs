//! Markdown to HTML, safe by default: raw HTML is shown as text unless the site
//! opts in, and links or images whose scheme is not http, https or mailto (or a
//! relative path) lose their target but keep their text.

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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

fn shift(level: HeadingLevel, by: usize) -> HeadingLevel {
    let n = (level as usize + by).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

impl Markdown {
    /// A block of Markdown. Headings move down `heading_shift` levels so that a
    /// story's `#` never competes with the page's own title.
    pub fn block(&self, text: &str, heading_shift: usize) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        html::push_html(&mut out, self.events(text, heading_shift).into_iter());
        out
    }

    /// One paragraph's worth of Markdown (a perspective point, a history line),
    /// without the `<p>` around it.
    pub fn inline(&self, text: &str) -> String {
        let html = self.block(text, 2);
        let trimmed = html.trim_end();
        match trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => trimmed.to_string(),
        }
    }

    fn events<'a>(&self, text: &'a str, heading_shift: usize) -> Vec<Event<'a>> {
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        // For each open link or image: whether its tags were dropped.
        let mut dropped: Vec<bool> = Vec::new();
        let mut events = Vec::new();
        for event in Parser::new_ext(text, options) {
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
}
