//! The HTML pages, one function each: which views a page gets and which
//! template renders it. What a view holds is `views`; the machine-read files
//! are `feeds` and `story_json`. Each function renders one page and returns
//! its text: none decides whether it needs rendering (`render_site` does).

use super::json_ld::story_json_ld;
use super::views::{
    card_view, corrections_list, outlet_item, page_view, pagination, story_row, story_text,
    story_view, topic_item, Ctx, OutletListItem, StoryRow, TopicListItem,
};
use crate::derive::Derived;
use crate::diag::Diagnostic;
use crate::paths::SitePath;
use tera::Context;

/// A story card, which listings show as it is (see `Card`).
pub(super) fn render_card(ctx: &Ctx, i: usize) -> Result<String, Diagnostic> {
    let card = card_view(ctx, i);
    // A card is part of many pages, so it has no `page_url`.
    let mut c = ctx.site_context.clone();
    c.insert("story", &card);
    ctx.renderer.render("card.html", &c)
}

pub(super) fn render_story(ctx: &Ctx, i: usize) -> Result<String, Diagnostic> {
    let site = ctx.site;
    let story = &site.stories[i];
    let url = ctx.absolute(SitePath::Story(&story.slug));
    let share_card = ctx
        .layout
        .has_share_card(i)
        .then(|| ctx.absolute(SitePath::ShareCard(&story.slug)));
    // For previews: the story's image, else its share card, else the site's.
    let image = story
        .image
        .as_ref()
        .map(|img| ctx.image_absolute(&img.src))
        .or_else(|| share_card.clone())
        .or_else(|| {
            site.config
                .image
                .as_ref()
                .map(|img| ctx.image_absolute(img))
        });
    let text = story_text(ctx, i)?;
    let json_ld = story_json_ld(site, story, &text, &url, image.as_deref());
    let view = story_view(ctx, i, &text, url.clone(), json_ld, share_card);
    let mut c = ctx.context(&url);
    c.insert("story", &view);
    c.insert("og_image", &image);
    ctx.renderer.render("story.html", &c)
}

/// The cards of these stories.
fn cards<'a>(ctx: &Ctx<'a>, stories: &[usize]) -> Result<Vec<&'a str>, Diagnostic> {
    stories.iter().map(|&i| ctx.card(i)).collect()
}

/// Renders `template` as the page at `at`: `site`, `page_url`, and what
/// `fill` adds.
fn render_at(
    ctx: &Ctx,
    template: &str,
    at: SitePath,
    fill: impl FnOnce(&mut Context),
) -> Result<String, Diagnostic> {
    let mut context = ctx.context(&ctx.absolute(at));
    fill(&mut context);
    ctx.renderer.render(template, &context)
}

/// Index page `n`, from 1: the newest stories first.
pub(super) fn render_index(ctx: &Ctx, n: usize) -> Result<String, Diagnostic> {
    let stories: Vec<usize> = ctx.layout.index_page(n).collect();
    let pagination = pagination(ctx, n, ctx.layout.index_pages(), SitePath::Index);
    let cards = cards(ctx, &stories)?;
    render_at(ctx, "index.html", SitePath::Index(n), |c| {
        c.insert("cards", &cards);
        c.insert("pagination", &pagination);
    })
}

/// Alphabetical order as a reader expects it: "Élections" beside "Economy",
/// not after "Zoning".
fn collation_key(name: &str) -> String {
    deunicode::deunicode(name).to_lowercase()
}

pub(super) fn render_topics(ctx: &Ctx) -> Result<String, Diagnostic> {
    let mut topics: Vec<TopicListItem> = (0..ctx.derived.topics.len())
        .map(|t| topic_item(ctx, t))
        .collect();
    topics.sort_by_cached_key(|t| (collation_key(t.name), t.name));
    render_at(ctx, "topics.html", SitePath::Topics, |c| {
        c.insert("topics", &topics)
    })
}

/// A topic's page `n`: its stories, `stories_per_page` at a time.
pub(super) fn render_topic(ctx: &Ctx, t: usize, n: usize) -> Result<String, Diagnostic> {
    let topic = &ctx.derived.topics[t];
    let shown = &topic.stories[ctx.layout.page_slice(n, topic.stories.len())];
    let slug = topic.slug.as_str();
    let pagination = pagination(ctx, n, ctx.layout.topic_pages(t), |k| {
        SitePath::topic_page(slug, k)
    });
    let cards = cards(ctx, shown)?;
    render_at(ctx, "topic.html", SitePath::topic_page(slug, n), |c| {
        c.insert("topic", &topic_item(ctx, t));
        c.insert("cards", &cards);
        c.insert("pagination", &pagination);
        c.insert(
            "topic_feed",
            &serde_json::json!({
                "title": format!("{} · {}", topic.name, ctx.site.config.title),
                "url": ctx.absolute(SitePath::TopicFeed(&topic.slug)),
            }),
        );
    })
}

pub(super) fn render_outlets(ctx: &Ctx) -> Result<String, Diagnostic> {
    let mut outlets: Vec<OutletListItem> = (0..ctx.site.outlets.len())
        .map(|o| outlet_item(ctx, o))
        .collect();
    outlets.sort_by_cached_key(|o| {
        let (name, id) = o.name_and_id();
        (collation_key(name), id)
    });
    render_at(ctx, "outlets.html", SitePath::Outlets, |c| {
        c.insert("outlets", &outlets)
    })
}

/// An outlet is cited by hundreds of stories: its page lists them as compact
/// rows rather than full cards.
/// An outlet's page `n`: the stories citing it, `stories_per_page` at a
/// time.
pub(super) fn render_outlet(ctx: &Ctx, o: usize, n: usize) -> Result<String, Diagnostic> {
    let outlet = &ctx.site.outlets[o];
    let listed = &ctx.derived.outlet_stories[o];
    let rows: Vec<StoryRow> = listed[ctx.layout.page_slice(n, listed.len())]
        .iter()
        .map(|&i| story_row(ctx, i))
        .collect();
    let id = outlet.id.as_str();
    let pagination = pagination(ctx, n, ctx.layout.outlet_pages(o), |k| {
        SitePath::outlet_page(id, k)
    });
    render_at(ctx, "outlet.html", SitePath::outlet_page(id, n), |c| {
        c.insert("outlet", &outlet_item(ctx, o));
        c.insert("stories", &rows);
        c.insert("pagination", &pagination);
    })
}

pub(super) fn render_blindspots(ctx: &Ctx) -> Result<String, Diagnostic> {
    let cards = cards(ctx, &ctx.derived.blindspots)?;
    render_at(ctx, "blindspots.html", SitePath::Blindspots, |c| {
        c.insert("cards", &cards)
    })
}

/// A plain page (`content/pages/`).
pub(super) fn render_page(ctx: &Ctx, p: usize) -> Result<String, Diagnostic> {
    let page = &ctx.site.pages[p];
    render_at(ctx, "page.html", SitePath::Page(&page.path), |c| {
        c.insert("page", &page_view(ctx, page))
    })
}

/// The corrections page's template: a theme may leave it out (one written
/// before corrections were), and then the site has no such page.
pub(super) const CORRECTIONS_TEMPLATE: &str = "corrections.html";

/// Every correction on the site, newest first.
pub(super) fn render_corrections(ctx: &Ctx) -> Result<String, Diagnostic> {
    render_at(ctx, CORRECTIONS_TEMPLATE, SitePath::Corrections, |c| {
        c.insert("corrections", &corrections_list(ctx))
    })
}

pub(super) fn render_not_found(ctx: &Ctx) -> Result<String, Diagnostic> {
    render_at(ctx, "404.html", SitePath::NotFound, |_| {})
}

/// The search page: the script draws the results from the search index.
/// The page lists the topics to filter by itself, so that opening it
/// loads none of the index's filters (on a large site, hundreds of KB).
pub(super) fn render_search(ctx: &Ctx) -> Result<String, Diagnostic> {
    let names = search_topic_names(ctx.derived);
    render_at(ctx, "search.html", SitePath::Search, |c| {
        c.insert("topic_names", &names)
    })
}

/// The values of the search index's `topic` filter: each topic's name,
/// sorted, once.
fn search_topic_names(derived: &Derived) -> Vec<&str> {
    let mut names: Vec<&str> = derived.topics.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names
}
