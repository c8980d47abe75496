//! Pages (content/pages/**): the title, the URL the file path gives, the
//! paths a page may not take, and URLs two pages would share. Pages are few
//! and cheap, so they are checked afresh on every run; nothing here is
//! remembered between runs.

use super::front_matter::parse_front_matter;
use super::positions::KeyPath;
use super::problems::Problems;
use super::raw::{RawPage, Text};
use crate::diag::Diagnostic;
use crate::load::TextFile;
use crate::markdown::Markdown;
use crate::model::Page;
use crate::slug::slug_from_file_name;

/// Output folders the build itself writes; a page may not take their place.
const RESERVED: [&str; 8] = [
    "stories",
    "topics",
    "outlets",
    "blindspots",
    "page",
    "feed.xml",
    "sitemap.xml",
    "404.html",
];

pub(super) fn page(file: &TextFile, markdown: Markdown) -> (Option<Page>, Vec<Diagnostic>) {
    let (fm, raw) = match parse_front_matter::<RawPage>(file) {
        Ok(parsed) => parsed,
        Err(diag) => return (None, vec![diag]),
    };
    let mut p = Problems::new(&file.rel, fm.yaml, 2);
    let title = raw.title.as_ref().and_then(Text::non_empty);
    if title.is_none() {
        p.at(
            KeyPath::root(),
            "missing key 'title' (expected a non-empty string)",
        );
    }
    let rel = file
        .rel
        .strip_prefix(crate::load::PAGES_DIR)
        .unwrap_or(&file.rel)
        .with_extension("");
    let segments: Vec<String> = rel
        .components()
        .map(|c| slug_from_file_name(&c.as_os_str().to_string_lossy()))
        .collect();
    let path = segments.join("/");
    let mut diags = p.finish();
    if segments.iter().any(String::is_empty) {
        diags.push(Diagnostic::new(
            &file.rel,
            1,
            1,
            "the file name gives an empty URL segment: rename the file",
        ));
    } else if RESERVED.contains(&segments[0].as_str()) {
        diags.push(Diagnostic::new(&file.rel, 1, 1, format!("the page would be written to '{path}/', which the build uses itself: rename the file")));
    }
    if !diags.is_empty() || raw.draft.unwrap_or(false) {
        return (None, diags);
    }
    let page = Page {
        file: file.rel.clone(),
        path,
        title: title.unwrap_or_default(),
        description: raw.description.as_ref().and_then(Text::non_empty),
        body_html: markdown.block(fm.body, 0),
    };
    (Some(page), diags)
}
