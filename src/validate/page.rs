//! Pages (content/pages/**): the title, the URL the file path gives, the
//! paths a page may not take, and URLs two pages would share. Pages are few
//! and cheap, so they are checked afresh on every run; nothing here is
//! remembered between runs.

use super::front_matter::{check_title, parse_front_matter};
use super::limits::{too_long, URL_SEGMENT_MAX};
use super::problems::Problems;
use super::raw::{RawPage, Text};
use crate::diag::Diagnostic;
use crate::load::TextFile;
use crate::markdown::{Links, Markdown};
use crate::model::{Page, TextAt};
use crate::slug::slug_from_file_name;
use rayon::prelude::*;
use std::collections::HashMap;

/// Every valid page that is not a draft, sorted by path; the problems go
/// to `diags`.
pub(super) fn pages(
    files: &[TextFile],
    markdown: Markdown,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let checked: Vec<(Option<Page>, Vec<Diagnostic>)> =
        files.par_iter().map(|file| page(file, markdown)).collect();
    let mut pages = Vec::new();
    for (page, page_diags) in checked {
        diags.extend(page_diags);
        pages.extend(page);
    }
    check_paths_unique(&pages, diags);
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

/// Two pages may not give the same URL (`About.md` and `about.md`, say).
fn check_paths_unique(pages: &[Page], diags: &mut Vec<Diagnostic>) {
    let mut by_path: HashMap<String, &Page> = HashMap::new();
    for page in pages {
        if let Some(other) = by_path.insert(page.path.clone(), page) {
            diags.push(Diagnostic::new(
                &page.file,
                1,
                1,
                format!(
                    "page URL '{}/' is already used by {}",
                    page.path,
                    other.file.display()
                ),
            ));
        }
    }
}

fn page(file: &TextFile, markdown: Markdown) -> (Option<Page>, Vec<Diagnostic>) {
    let (front_matter, raw, misfits) = match parse_front_matter::<RawPage>(file) {
        Ok(parsed) => parsed,
        Err(diags) => return (None, diags),
    };
    let mut problems = Problems::new(&file.rel, front_matter.yaml, 2);
    let title = check_title(&mut problems, raw.title.as_ref());
    let rel = file
        .rel
        .strip_prefix(crate::paths::PAGES_DIR)
        .unwrap_or(&file.rel)
        .with_extension("");
    let segments: Vec<String> = rel
        .components()
        .map(|c| slug_from_file_name(&c.as_os_str().to_string_lossy()))
        .collect();
    let path = segments.join("/");
    let mut diags = problems.finish_after(misfits);
    if segments.iter().any(String::is_empty) {
        diags.push(Diagnostic::new(
            &file.rel,
            1,
            1,
            "the file name gives an empty URL segment: rename the file",
        ));
    } else if let Some(long) = segments.iter().find(|s| s.len() > URL_SEGMENT_MAX) {
        diags.push(Diagnostic::new(
            &file.rel,
            1,
            1,
            too_long("URL segment the file name gives", long.len()),
        ));
    } else if crate::paths::RESERVED.contains(&segments[0].as_str()) {
        diags.push(Diagnostic::new(&file.rel, 1, 1, format!("the page would be written to '{path}/', which the build uses itself: rename the file")));
    }
    if !diags.is_empty() || raw.draft.unwrap_or(false) {
        return (None, diags);
    }
    let mut links = Vec::new();
    let body = Links {
        list: &mut links,
        at: TextAt::Body,
    };
    let body_html = markdown.block_with(front_matter.body, 0, Some(body));
    let page = Page {
        file: file.rel.clone(),
        path,
        title: title.unwrap_or_default(),
        description: raw.description.as_ref().and_then(Text::non_empty),
        body_html,
        links,
    };
    (Some(page), diags)
}
