//! The files for machines: the Atom feed, the sitemap (split into parts with
//! an index past sitemaps.org's limit) and robots.txt. `sitemap_urls` is the
//! one list of what the sitemap shows: `jobs` counts it to know how many
//! parts there are, `render_sitemap` writes it; nothing else may count the
//! sitemap's URLs. Which URLs, not how they are spelled (`paths`).

use super::dates::rfc3339;
use super::templates::escape_html;
use super::views::{feed_entry, sitemap_entry, Ctx, FeedEntry, SitemapEntry};
use crate::derive::Derived;
use crate::diag::Diagnostic;
use crate::model::Site;
use crate::paths::{self, SitePath};
use chrono::{DateTime, FixedOffset};
use std::iter::once;

pub(super) fn render_feed(ctx: &Ctx) -> Result<String, Diagnostic> {
    let newest = || ctx.site.stories.iter().take(ctx.site.config.feed_limit);
    let entries: Vec<FeedEntry> = newest().map(|s| feed_entry(ctx, s)).collect();
    // The feed changes when its newest entry does; never the build time, so
    // the same input gives the same bytes.
    let updated = newest()
        .map(|s| s.updated.unwrap_or(s.date))
        .max()
        .map(|d| rfc3339(&d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut c = ctx.context(&ctx.absolute(SitePath::Feed));
    c.insert("entries", &entries);
    c.insert("updated", &updated);
    ctx.renderer.render("feed.xml", &c)
}

/// The most URLs one sitemap may list (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// How many `sitemap-N.xml` files `urls` URLs need: none when they fit in
/// `sitemap.xml` itself; otherwise `sitemap.xml` is an index of the parts.
pub fn sitemap_parts(urls: usize, limit: usize) -> usize {
    if urls <= limit {
        0
    } else {
        urls.div_ceil(limit)
    }
}

/// A sitemap index listing `sitemap-1.xml` … `sitemap-N.xml`.
pub fn sitemap_index(base_url: &str, parts: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=parts {
        xml.push_str("<sitemap><loc>");
        xml.push_str(&escape_html(&paths::absolute(
            base_url,
            SitePath::Sitemap(n),
        )));
        xml.push_str("</loc></sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

/// One URL of the sitemap; stories say when they last changed.
pub(super) struct SitemapUrl<'a> {
    pub(super) path: SitePath<'a>,
    pub(super) lastmod: Option<DateTime<FixedOffset>>,
}

/// Every page a search engine should know, in the sitemap's order: the index
/// pages, the stories, the topics, outlets and blindspots pages, the plain
/// pages.
pub(super) fn sitemap_urls<'a>(
    site: &'a Site,
    derived: &'a Derived,
    index_pages: usize,
) -> impl Iterator<Item = SitemapUrl<'a>> {
    fn plain(path: SitePath) -> SitemapUrl {
        SitemapUrl {
            path,
            lastmod: None,
        }
    }
    let stories = site.stories.iter().map(|s| SitemapUrl {
        path: SitePath::Story(&s.slug),
        lastmod: Some(s.updated.unwrap_or(s.date)),
    });
    (1..=index_pages)
        .map(|n| plain(SitePath::Index(n)))
        .chain(stories)
        .chain(once(plain(SitePath::Topics)))
        .chain(
            derived
                .topics
                .iter()
                .map(|t| plain(SitePath::Topic(&t.slug))),
        )
        .chain(once(plain(SitePath::Outlets)))
        .chain(site.outlets.iter().map(|o| plain(SitePath::Outlet(&o.id))))
        .chain(once(plain(SitePath::Blindspots)))
        .chain(site.pages.iter().map(|p| plain(SitePath::Page(&p.path))))
}

/// `sitemap.xml` (part 0), or one `sitemap-N.xml` of a split sitemap, in
/// which case part 0 is their index.
pub(super) fn render_sitemap(ctx: &Ctx, part: usize) -> Result<String, Diagnostic> {
    let parts = ctx.layout.sitemap_parts();
    if parts > 0 && part == 0 {
        return Ok(sitemap_index(&ctx.site.config.base_url, parts));
    }
    let skipped = part.saturating_sub(1) * SITEMAP_LIMIT;
    let urls: Vec<SitemapEntry> = sitemap_urls(ctx.site, ctx.derived, ctx.layout.index_pages())
        .skip(skipped)
        .take(SITEMAP_LIMIT)
        .map(|url| sitemap_entry(ctx, url.path, url.lastmod))
        .collect();
    let mut c = ctx.context(&ctx.absolute(SitePath::Sitemap(part)));
    c.insert("urls", &urls);
    ctx.renderer.render("sitemap.xml", &c)
}

/// The theme's `robots.txt` if it has one, else one that allows everything
/// and names the sitemap.
pub(super) fn render_robots(ctx: &Ctx) -> Result<String, Diagnostic> {
    if ctx.renderer.has_template("robots.txt") {
        return ctx
            .renderer
            .render("robots.txt", &ctx.context(&ctx.absolute(SitePath::Robots)));
    }
    Ok(format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        ctx.absolute(SitePath::Sitemap(0))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_sitemaps_are_split_with_an_index() {
        assert_eq!(sitemap_parts(50_000, SITEMAP_LIMIT), 0);
        assert_eq!(sitemap_parts(50_001, SITEMAP_LIMIT), 2);
        assert_eq!(sitemap_parts(210_000, SITEMAP_LIMIT), 5);
        let xml = sitemap_index("https://x.example.org", 3);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let locs: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            locs,
            [
                "https://x.example.org/sitemap-1.xml",
                "https://x.example.org/sitemap-2.xml",
                "https://x.example.org/sitemap-3.xml"
            ]
        );
        assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    }
}
