//! The files for machines: the Atom feeds (the site's and one per topic),
//! the JSON Feed, the Google News sitemap (the last two days by the build's
//! clock), the sitemap (split into parts with an index past sitemaps.org's
//! limit) and robots.txt. `sitemap_urls` is the
//! one list of what the sitemap shows: `jobs` counts it to know how many
//! parts there are, `render_sitemap` writes it; nothing else may count the
//! sitemap's URLs. Which URLs, not how they are spelled (`paths`).

use super::dates::rfc3339;
use super::jobs::Listings;
use super::templates::escape_html;
use super::views::{feed_entry, sitemap_entry, Ctx, FeedEntry, SitemapEntry};
use crate::derive::Derived;
use crate::diag::Diagnostic;
use crate::model::{Site, Story};
use crate::paths::{self, SitePath};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::fmt::Write as _;
use std::iter::once;

pub(super) fn render_feed(ctx: &Ctx) -> Result<String, Diagnostic> {
    let newest = ctx.site.stories.iter().take(ctx.site.config.feed_limit);
    let feed = FeedView {
        title: ctx.site.config.title.clone(),
        url: ctx.absolute(SitePath::Feed),
        home: ctx.absolute(SitePath::Index(1)),
    };
    render_atom(ctx, &feed, newest.map(|s| &**s))
}

/// A topic's feed: its newest stories, as many as the site's feed lists.
pub(super) fn render_topic_feed(ctx: &Ctx, t: usize) -> Result<String, Diagnostic> {
    let topic = &ctx.derived.topics[t];
    let feed = FeedView {
        title: format!("{} · {}", topic.name, ctx.site.config.title),
        url: ctx.absolute(SitePath::TopicFeed(&topic.slug)),
        home: ctx.absolute(SitePath::Topic(&topic.slug)),
    };
    let newest = topic.stories.iter().take(ctx.site.config.feed_limit);
    render_atom(ctx, &feed, newest.map(|&i| &*ctx.site.stories[i]))
}

/// `feed` in feed.xml: which feed this is.
#[derive(Serialize)]
struct FeedView {
    title: String,
    /// The feed's own absolute URL (its `self` link and id).
    url: String,
    /// The page it follows.
    home: String,
}

fn render_atom<'a>(
    ctx: &Ctx,
    feed: &FeedView,
    stories: impl Iterator<Item = &'a Story> + Clone,
) -> Result<String, Diagnostic> {
    let entries: Vec<FeedEntry> = stories.clone().map(|s| feed_entry(ctx, s)).collect();
    // The feed changes when its newest entry does; never the build time, so
    // the same input gives the same bytes.
    let updated = stories
        .map(Story::last_changed)
        .max()
        .map(|d| rfc3339(&d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut c = ctx.context(&feed.url);
    c.insert("feed", feed);
    c.insert("entries", &entries);
    c.insert("updated", &updated);
    ctx.renderer.render("feed.xml", &c)
}

/// JSON Feed 1.1 (jsonfeed.org): the same stories as feed.xml. Fields in
/// the specification's order; absent ones are left out, as it asks.
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    items: Vec<JsonFeedItem<'a>>,
}

#[derive(Serialize)]
struct JsonFeedItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    /// Every item needs `content_html` or `content_text`: the summary, else
    /// the title.
    content_text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

pub(super) fn render_json_feed(ctx: &Ctx) -> String {
    let config = &ctx.site.config;
    let items = ctx
        .site
        .stories
        .iter()
        .take(config.feed_limit)
        .map(|story| {
            let url = ctx.absolute(SitePath::Story(&story.slug));
            JsonFeedItem {
                id: url.clone(),
                url,
                title: &story.title,
                content_text: story.summary.as_deref().unwrap_or(&story.title),
                summary: story.summary.as_deref(),
                date_published: rfc3339(&story.date),
                date_modified: rfc3339(&story.last_changed()),
                tags: story.topics.iter().map(|t| t.name.as_str()).collect(),
            }
        })
        .collect();
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &config.title,
        home_page_url: ctx.absolute(SitePath::Index(1)),
        feed_url: ctx.absolute(SitePath::JsonFeed),
        description: &config.description,
        language: &config.language,
        items,
    };
    let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
    text.push('\n');
    text
}

/// How far back Google News looks: stories of the last two days.
const NEWS_WINDOW: chrono::TimeDelta = chrono::TimeDelta::days(2);
/// The most stories one news sitemap may list.
const NEWS_LIMIT: usize = 1000;

/// The stories of the news sitemap: those published in the two days before
/// the build's clock, newest first.
pub(super) fn news_stories(site: &Site) -> impl Iterator<Item = &Story> {
    let since = site.now - NEWS_WINDOW;
    site.stories
        .iter()
        .take_while(move |s| s.date.to_utc() >= since)
        .take(NEWS_LIMIT)
        .map(|s| &**s)
}

/// When the news sitemap next changes by the clock alone: when its oldest
/// story leaves the window.
pub fn news_sitemap_changes(site: &Site) -> Option<DateTime<chrono::Utc>> {
    news_stories(site)
        .last()
        .map(|s| s.date.to_utc() + NEWS_WINDOW)
}

/// `news-sitemap.xml` (Google News): each story of the last two days with
/// the publication's name and language, its date and title.
pub(super) fn render_news_sitemap(ctx: &Ctx) -> String {
    let config = &ctx.site.config;
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" ",
        "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n"
    ));
    let name = escape_html(&config.title);
    let language = escape_html(&news_language(&config.language));
    for story in news_stories(ctx.site) {
        let _ = writeln!(
            xml,
            "<url><loc>{}</loc><news:news><news:publication><news:name>{name}</news:name>\
             <news:language>{language}</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date>\
             <news:title>{}</news:title></news:news></url>",
            escape_html(&ctx.absolute(SitePath::Story(&story.slug))),
            rfc3339(&story.date),
            escape_html(&story.title),
        );
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Google News wants an ISO 639 code, except `zh-cn` and `zh-tw`: the
/// language without its region (`en-GB` is `en`), lowercase.
fn news_language(language: &str) -> String {
    let lower = language.to_ascii_lowercase().replace('_', "-");
    if lower == "zh-cn" || lower == "zh-tw" {
        return lower;
    }
    lower.split('-').next().unwrap_or("en").to_string()
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
    listings: &Listings,
) -> impl Iterator<Item = SitemapUrl<'a>> {
    fn plain(path: SitePath) -> SitemapUrl {
        SitemapUrl {
            path,
            lastmod: None,
        }
    }
    let stories = site.stories.iter().map(|s| SitemapUrl {
        path: SitePath::Story(&s.slug),
        lastmod: Some(s.last_changed()),
    });
    let topic_pages: Vec<(&str, usize)> = derived
        .topics
        .iter()
        .zip(&listings.topics)
        .map(|(t, &pages)| (t.slug.as_str(), pages))
        .collect();
    let outlet_pages: Vec<(&str, usize)> = site
        .outlets
        .iter()
        .zip(&listings.outlets)
        .map(|(o, &pages)| (o.id.as_str(), pages))
        .collect();
    (1..=listings.index)
        .map(|n| plain(SitePath::Index(n)))
        .chain(stories)
        .chain(once(plain(SitePath::Topics)))
        .chain(topic_pages.into_iter().flat_map(|(slug, pages)| {
            (1..=pages).map(move |n| plain(SitePath::topic_page(slug, n)))
        }))
        .chain(once(plain(SitePath::Outlets)))
        .chain(
            outlet_pages.into_iter().flat_map(|(id, pages)| {
                (1..=pages).map(move |n| plain(SitePath::outlet_page(id, n)))
            }),
        )
        .chain(once(plain(SitePath::Blindspots)))
        .chain(listings.corrections.then(|| SitemapUrl {
            path: SitePath::Corrections,
            lastmod: latest_correction(site),
        }))
        .chain(site.pages.iter().map(|p| plain(SitePath::Page(&p.path))))
}

/// When the corrections page last changed: the newest correction's date.
fn latest_correction(site: &Site) -> Option<DateTime<FixedOffset>> {
    site.stories
        .iter()
        .filter_map(|s| s.newest_correction())
        .max()
}

/// `sitemap.xml` (part 0), or one `sitemap-N.xml` of a split sitemap, in
/// which case part 0 is their index.
pub(super) fn render_sitemap(ctx: &Ctx, part: usize) -> Result<String, Diagnostic> {
    let parts = ctx.layout.sitemap_parts();
    if parts > 0 && part == 0 {
        return Ok(sitemap_index(&ctx.site.config.base_url, parts));
    }
    let skipped = part.saturating_sub(1) * SITEMAP_LIMIT;
    let part_urls = sitemap_urls(ctx.site, ctx.derived, ctx.layout.listings())
        .skip(skipped)
        .take(SITEMAP_LIMIT);
    if ctx.renderer.sitemap_is_built_in() {
        return Ok(built_in_sitemap(ctx, part_urls));
    }
    let urls: Vec<SitemapEntry> = part_urls
        .map(|url| sitemap_entry(ctx, url.path, url.lastmod))
        .collect();
    let mut c = ctx.context(&ctx.absolute(SitePath::Sitemap(part)));
    c.insert("urls", &urls);
    ctx.renderer.render("sitemap.xml", &c)
}

/// What the built-in theme's `sitemap.xml` makes of `urls`, byte for byte,
/// without it: through Tera, each of a large site's URLs became a map of
/// values first, and a new story in watch mode spent a fifth of its
/// rebuild drawing the sitemap again. (`sitemap_is_built_in`: a theme's
/// own sitemap still goes through its template.)
fn built_in_sitemap<'a>(ctx: &Ctx, urls: impl Iterator<Item = SitemapUrl<'a>>) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        let entry = sitemap_entry(ctx, url.path, url.lastmod);
        xml.push_str("<url><loc>");
        xml.push_str(&escape_html(&entry.url));
        xml.push_str("</loc>");
        if let Some(lastmod) = &entry.lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&escape_html(lastmod));
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
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
        "User-agent: *\nAllow: /\nSitemap: {}\nSitemap: {}\n",
        ctx.absolute(SitePath::Sitemap(0)),
        ctx.absolute(SitePath::NewsSitemap)
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
