//! Where things are, written once: the layout of the site folder (what
//! editors write, and the two folders the build keeps for itself), and the
//! URL scheme of the output (every kind of page and file the build writes,
//! as a link, as an absolute URL and as a file under the output folder).
//! Everything else asks here instead of spelling a path. It must not read or
//! write a file, nor know the model: it maps names to paths and nothing more.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// The site folder, relative to its root.

pub const SITE_YAML: &str = "site.yaml";
pub const CONTENT_DIR: &str = "content";
pub const OUTLETS_YAML: &str = "content/outlets.yaml";
pub const STORIES_DIR: &str = "content/stories";
pub const PAGES_DIR: &str = "content/pages";
/// The site's own templates, over the theme's; also a theme's templates
/// folder (`themes/NAME/templates`).
pub const TEMPLATES_DIR: &str = "templates";
/// The site's own static files, over the theme's; also a theme's.
pub const STATIC_DIR: &str = "static";
pub const THEMES_DIR: &str = "themes";
/// Translation tables, `LANG.yaml`: the site's own (over the theme's), and
/// a theme's (`themes/NAME/i18n`).
pub const I18N_DIR: &str = "i18n";
/// What editors write: watched for changes, and never an output folder.
pub const EDITOR_DIRS: [&str; 5] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, THEMES_DIR, I18N_DIR];
/// The output folder when the command line names none.
pub const DEFAULT_OUTPUT_DIR: &str = "public";
/// The build cache (see `cache.rs`).
pub const CACHE_DIR: &str = ".parallax-cache";
/// In the output folder: marks it as Parallax's and lists what the last
/// build wrote (see `write.rs`).
pub const MANIFEST: &str = ".parallax-manifest";
/// In the output folder while a commit moves files in (see `journal.rs`).
pub const JOURNAL: &str = ".parallax-commit";
/// In the output folder while a build stages what it will move in.
pub const STAGING: &str = ".parallax-staging";
/// What the build keeps for itself in the output folder: no output may take
/// a name starting so.
pub const OWN_PREFIX: &str = ".parallax-";

/// In a theme folder: the fonts the share cards are drawn in, with their
/// licence (`themes/default/fonts/`).
pub const THEME_FONTS_DIR: &str = "fonts";
/// The share cards' fonts, in `THEME_FONTS_DIR`.
pub const CARD_FONT_REGULAR: &str = "Caladea-Regular.ttf";
pub const CARD_FONT_BOLD: &str = "Caladea-Bold.ttf";
/// The theme's stylesheet, a static file: the share cards take their colours
/// from its `:root` custom properties.
pub const THEME_STYLESHEET: &str = "parallax.css";

/// `themes/NAME`.
pub fn theme_dir(theme: &str) -> PathBuf {
    Path::new(THEMES_DIR).join(theme)
}

/// `i18n/LANG.yaml` under `dir` (the site root, or a theme's folder).
pub fn i18n_file(dir: &Path, language: &str) -> PathBuf {
    dir.join(I18N_DIR).join(format!("{language}.yaml"))
}

/// `content/stories/DATE-SLUG.md`, the file `new story` and `init` create.
pub fn new_story_file(date: &str, slug: &str) -> PathBuf {
    Path::new(STORIES_DIR).join(format!("{date}-{slug}.md"))
}

// ---------------------------------------------------------------------------
// The output: first segments of its URLs, and its fixed file names.

pub const STORIES: &str = "stories";
pub const TOPICS: &str = "topics";
pub const OUTLETS: &str = "outlets";
pub const BLINDSPOTS: &str = "blindspots";
/// Index pages after the first: `page/N/`.
pub const INDEX_PAGES: &str = "page";
pub const FEED: &str = "feed.xml";
/// The JSON Feed beside the Atom one.
pub const JSON_FEED: &str = "feed.json";
/// Google News' sitemap of the last two days' stories.
pub const NEWS_SITEMAP: &str = "news-sitemap.xml";
/// Every correction on the site, `corrections/`.
pub const CORRECTIONS: &str = "corrections";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const NOT_FOUND: &str = "404.html";
/// The search page, `search/`.
pub const SEARCH: &str = "search";
/// The search index (Pagefind's files), `pagefind/`.
pub const SEARCH_INDEX: &str = "pagefind";
/// What a folder URL is served from.
pub const INDEX_FILE: &str = "index.html";
/// A story's data, beside its page.
pub const STORY_JSON: &str = "index.json";
/// A story's share card (its `og:image` when it has no image), beside its
/// page.
pub const SHARE_CARD: &str = "card.png";

/// First segments of the URLs the build writes itself: a plain page may not
/// take one (validation says so).
pub const RESERVED: [&str; 13] = [
    STORIES,
    TOPICS,
    OUTLETS,
    BLINDSPOTS,
    INDEX_PAGES,
    FEED,
    JSON_FEED,
    NEWS_SITEMAP,
    CORRECTIONS,
    SITEMAP,
    NOT_FOUND,
    SEARCH,
    SEARCH_INDEX,
];

/// An output of the build, by the names in its URL. Its `Display` is the URL
/// path under the site root: `stories/SLUG/`, `feed.xml`, and nothing at all
/// for the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitePath<'a> {
    /// Index page N, from 1; page 1 is the home page.
    Index(usize),
    Story(&'a str),
    StoryJson(&'a str),
    /// A story's share card.
    ShareCard(&'a str),
    Topics,
    Topic(&'a str),
    /// Page N (from 2) of a topic's stories, `topics/SLUG/page/N/`.
    TopicPage(&'a str, usize),
    /// A topic's Atom feed, `topics/SLUG/feed.xml`.
    TopicFeed(&'a str),
    Outlets,
    Outlet(&'a str),
    /// Page N (from 2) of the stories citing an outlet, `outlets/ID/page/N/`.
    OutletPage(&'a str, usize),
    Blindspots,
    /// A plain page, by its path (`about`, `help/contact`).
    Page(&'a str),
    Feed,
    JsonFeed,
    NewsSitemap,
    Corrections,
    /// `sitemap.xml` (0), and `sitemap-N.xml` when one sitemap cannot hold
    /// every URL.
    Sitemap(usize),
    Robots,
    NotFound,
    /// The search page.
    Search,
    /// A file of the search index, by its path under `pagefind/`.
    SearchIndex(&'a str),
}

impl fmt::Display for SitePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            SitePath::Index(1) => Ok(()),
            SitePath::Index(n) => write!(f, "{INDEX_PAGES}/{n}/"),
            SitePath::Story(slug) => write!(f, "{STORIES}/{slug}/"),
            SitePath::StoryJson(slug) => write!(f, "{STORIES}/{slug}/{STORY_JSON}"),
            SitePath::ShareCard(slug) => write!(f, "{STORIES}/{slug}/{SHARE_CARD}"),
            SitePath::Topics => write!(f, "{TOPICS}/"),
            SitePath::Topic(slug) => write!(f, "{TOPICS}/{slug}/"),
            SitePath::TopicPage(slug, n) => write!(f, "{TOPICS}/{slug}/{INDEX_PAGES}/{n}/"),
            SitePath::TopicFeed(slug) => write!(f, "{TOPICS}/{slug}/{FEED}"),
            SitePath::Outlets => write!(f, "{OUTLETS}/"),
            SitePath::Outlet(id) => write!(f, "{OUTLETS}/{id}/"),
            SitePath::OutletPage(id, n) => write!(f, "{OUTLETS}/{id}/{INDEX_PAGES}/{n}/"),
            SitePath::Blindspots => write!(f, "{BLINDSPOTS}/"),
            SitePath::Page(path) => write!(f, "{path}/"),
            SitePath::Feed => f.write_str(FEED),
            SitePath::JsonFeed => f.write_str(JSON_FEED),
            SitePath::NewsSitemap => f.write_str(NEWS_SITEMAP),
            SitePath::Corrections => write!(f, "{CORRECTIONS}/"),
            SitePath::Sitemap(0) => f.write_str(SITEMAP),
            SitePath::Sitemap(n) => write!(f, "sitemap-{n}.xml"),
            SitePath::Robots => f.write_str(ROBOTS),
            SitePath::NotFound => f.write_str(NOT_FOUND),
            SitePath::Search => write!(f, "{SEARCH}/"),
            SitePath::SearchIndex(file) => write!(f, "{SEARCH_INDEX}/{file}"),
        }
    }
}

impl<'a> SitePath<'a> {
    /// The output a URL path under the site root names (`Display` read
    /// back): `stories/x/`, `feed.xml`, `` for the home page. A folder may
    /// also be named by its `index.html` or without its last slash (servers
    /// answer those too). Anything else is a plain page's path when it is a
    /// folder, else None (maybe a static file).
    pub fn parse(url_path: &'a str) -> Option<SitePath<'a>> {
        let folder = url_path
            .strip_suffix(INDEX_FILE)
            .filter(|rest| rest.is_empty() || rest.ends_with('/'))
            .unwrap_or(url_path);
        let folder = folder.strip_suffix('/').unwrap_or(folder);
        let files = [
            (FEED, SitePath::Feed),
            (JSON_FEED, SitePath::JsonFeed),
            (NEWS_SITEMAP, SitePath::NewsSitemap),
            (SITEMAP, SitePath::Sitemap(0)),
            (ROBOTS, SitePath::Robots),
            (NOT_FOUND, SitePath::NotFound),
        ];
        let folders = [
            (TOPICS, SitePath::Topics),
            (OUTLETS, SitePath::Outlets),
            (BLINDSPOTS, SitePath::Blindspots),
            (CORRECTIONS, SitePath::Corrections),
            (SEARCH, SitePath::Search),
        ];
        let fixed = files.iter().find(|(name, _)| *name == url_path);
        let fixed = fixed.or_else(|| folders.iter().find(|(name, _)| *name == folder));
        if let Some((_, path)) = fixed {
            return Some(*path);
        }
        if folder.is_empty() {
            return Some(SitePath::Index(1));
        }
        if let Some(n) = url_path
            .strip_prefix("sitemap-")
            .and_then(|rest| rest.strip_suffix(".xml"))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n > 0)
        {
            return Some(SitePath::Sitemap(n));
        }
        let (first, rest) = folder.split_once('/').unwrap_or((folder, ""));
        let one = |rest: &'a str| (!rest.is_empty() && !rest.contains('/')).then_some(rest);
        match first {
            STORIES => {
                let file = |name: &str| rest.strip_suffix(name)?.strip_suffix('/');
                if let Some(slug) = file(STORY_JSON) {
                    one(slug).map(SitePath::StoryJson)
                } else if let Some(slug) = file(SHARE_CARD) {
                    one(slug).map(SitePath::ShareCard)
                } else {
                    one(rest).map(SitePath::Story)
                }
            }
            TOPICS => match (rest.strip_suffix(FEED), listing_page(rest)) {
                (Some(slug), _) => one(slug.strip_suffix('/')?).map(SitePath::TopicFeed),
                (None, Some((slug, n))) => one(slug).map(|s| SitePath::TopicPage(s, n)),
                (None, None) => one(rest).map(SitePath::Topic),
            },
            OUTLETS => match listing_page(rest) {
                Some((id, n)) => one(id).map(|id| SitePath::OutletPage(id, n)),
                None => one(rest).map(SitePath::Outlet),
            },
            SEARCH_INDEX => (!rest.is_empty()).then_some(SitePath::SearchIndex(rest)),
            INDEX_PAGES => page_number(rest).map(SitePath::Index),
            _ if RESERVED.contains(&first) => None,
            // A file name with an extension is no folder: a static file.
            _ if folder
                .rsplit('/')
                .next()
                .is_some_and(|last| last.contains('.')) =>
            {
                None
            }
            _ => Some(SitePath::Page(folder)),
        }
    }

    /// Page `n` (from 1) of a topic's stories: the topic's own page first.
    pub fn topic_page(slug: &'a str, n: usize) -> SitePath<'a> {
        match n {
            0 | 1 => SitePath::Topic(slug),
            n => SitePath::TopicPage(slug, n),
        }
    }

    /// Page `n` (from 1) of an outlet's stories.
    pub fn outlet_page(id: &'a str, n: usize) -> SitePath<'a> {
        match n {
            0 | 1 => SitePath::Outlet(id),
            n => SitePath::OutletPage(id, n),
        }
    }

    /// The file it is written to, relative to the output folder: for a
    /// folder URL, its `index.html`.
    pub fn file(&self) -> String {
        // Room for a long slug, so that the name is written without growing.
        let mut file = String::with_capacity(96);
        let _ = write!(file, "{self}");
        if file.is_empty() || file.ends_with('/') {
            file.push_str(INDEX_FILE);
        }
        file
    }
}

/// `N` of a `page/N` segment: 2 or more, written without a leading zero
/// (page 1 is the listing's own URL).
fn page_number(text: &str) -> Option<usize> {
    text.parse::<usize>()
        .ok()
        .filter(|n| *n > 1 && n.to_string() == text)
}

/// `NAME/page/N` (a listing's page N) as its name and N.
fn listing_page(rest: &str) -> Option<(&str, usize)> {
    let (name, n) = rest.split_once(&format!("/{INDEX_PAGES}/"))?;
    Some((name, page_number(n)?))
}

/// A link from one page to another, under the site's base path (`/` or
/// `/briefs/`).
pub fn link(base_path: &str, to: SitePath) -> String {
    format!("{base_path}{to}")
}

/// An absolute URL, for the feed, the sitemap, canonical and share links.
/// `base_url` has no trailing slash.
pub fn absolute(base_url: &str, to: SitePath) -> String {
    format!("{base_url}/{to}")
}

/// A link to a static file named as front matter names it (`/img/a.jpg` or
/// `img/a.jpg`, under `static/`), or an https URL as it is.
pub fn static_link(base_path: &str, src: &str) -> String {
    if src.starts_with("https://") {
        src.to_string()
    } else {
        format!("{base_path}{}", src.trim_start_matches('/'))
    }
}

/// `static_link` as an absolute URL.
pub fn static_absolute(base_url: &str, src: &str) -> String {
    if src.starts_with("https://") {
        src.to_string()
    } else {
        format!("{base_url}/{}", src.trim_start_matches('/'))
    }
}

/// The URL a folder must be asked for: one leading slash (`//x` would be
/// another host) and one trailing slash, so that relative links on its
/// `index.html` resolve inside it.
pub fn folder_url(url_path: &str) -> String {
    format!("/{}/", url_path.trim_matches('/'))
}

/// The path part of a base URL, with a slash at either end: `/` for
/// `https://x.org`, `/briefs/` for `https://x.org/briefs`. Every link the
/// site writes starts with it.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map(|x| x.1).unwrap_or("");
    match after_scheme.find('/') {
        Some(i) => format!("{}/", after_scheme[i..].trim_end_matches('/')),
        None => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_paths_are_under_the_content_folder() {
        for path in [OUTLETS_YAML, STORIES_DIR, PAGES_DIR] {
            assert!(Path::new(path).starts_with(CONTENT_DIR), "{path}");
        }
    }

    #[test]
    fn folder_urls_are_served_from_their_index_file() {
        let cases = [
            (SitePath::Index(1), "", "index.html"),
            (SitePath::Index(3), "page/3/", "page/3/index.html"),
            (
                SitePath::Story("a-b"),
                "stories/a-b/",
                "stories/a-b/index.html",
            ),
            (
                SitePath::StoryJson("a-b"),
                "stories/a-b/index.json",
                "stories/a-b/index.json",
            ),
            (
                SitePath::ShareCard("a-b"),
                "stories/a-b/card.png",
                "stories/a-b/card.png",
            ),
            (SitePath::Topic("x"), "topics/x/", "topics/x/index.html"),
            (
                SitePath::TopicFeed("x"),
                "topics/x/feed.xml",
                "topics/x/feed.xml",
            ),
            (
                SitePath::TopicPage("x", 2),
                "topics/x/page/2/",
                "topics/x/page/2/index.html",
            ),
            (
                SitePath::OutletPage("o", 12),
                "outlets/o/page/12/",
                "outlets/o/page/12/index.html",
            ),
            (SitePath::JsonFeed, "feed.json", "feed.json"),
            (
                SitePath::NewsSitemap,
                "news-sitemap.xml",
                "news-sitemap.xml",
            ),
            (
                SitePath::Corrections,
                "corrections/",
                "corrections/index.html",
            ),
            (SitePath::Outlets, "outlets/", "outlets/index.html"),
            (
                SitePath::Page("help/faq"),
                "help/faq/",
                "help/faq/index.html",
            ),
            (SitePath::Sitemap(0), "sitemap.xml", "sitemap.xml"),
            (SitePath::Sitemap(2), "sitemap-2.xml", "sitemap-2.xml"),
            (SitePath::NotFound, "404.html", "404.html"),
            (SitePath::Search, "search/", "search/index.html"),
            (
                SitePath::SearchIndex("pagefind.js"),
                "pagefind/pagefind.js",
                "pagefind/pagefind.js",
            ),
        ];
        for (path, url, file) in cases {
            assert_eq!(path.to_string(), url);
            assert_eq!(path.file(), file);
            assert_eq!(SitePath::parse(url), Some(path), "{url}");
            assert_eq!(SitePath::parse(file), Some(path), "{file}");
        }
        assert_eq!(SitePath::parse("stories/a-b"), Some(SitePath::Story("a-b")));
        assert_eq!(SitePath::parse("about"), Some(SitePath::Page("about")));
        assert_eq!(SitePath::parse("page/1/"), None, "page 1 is the home page");
        assert_eq!(SitePath::parse("page/02/"), None);
        assert_eq!(SitePath::parse("topics/x/page/1/"), None);
        assert_eq!(
            SitePath::parse("topics/page/"),
            Some(SitePath::Topic("page"))
        );
        assert_eq!(SitePath::topic_page("x", 1), SitePath::Topic("x"));
        assert_eq!(SitePath::parse("stories/"), None);
        assert_eq!(SitePath::parse("stories/a/b/"), None);
        assert_eq!(SitePath::parse("images/a.png"), None);
        assert_eq!(SitePath::parse("feed.xml/"), None);
        assert_eq!(link("/b/", SitePath::Topics), "/b/topics/");
        assert_eq!(
            absolute("https://x.org", SitePath::Index(1)),
            "https://x.org/"
        );
        assert_eq!(static_link("/b/", "/img/a.jpg"), "/b/img/a.jpg");
        assert_eq!(
            static_absolute("https://x.org", "https://y.org/a.jpg"),
            "https://y.org/a.jpg"
        );
        assert_eq!(folder_url("a/b"), "/a/b/");
    }
}
