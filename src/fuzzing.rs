//! Entry points for the fuzz targets in `fuzz/` (see docs/fuzzing.md): thin
//! wrappers that hand fuzzed text to the real validation and Markdown code,
//! in memory, the way a build would, and then show every diagnostic as
//! `check` prints it. Nothing here is a second implementation; it only
//! builds the `Inputs` that loading would have read from disk.
//!
//! Each wrapper also checks what a user relies on and a panic would not
//! show: every diagnostic points at a place that exists in its file.

use crate::diag::Diagnostic;
use crate::load::{Inputs, TextFile};
use crate::markdown::{self, Links, Markdown};
use crate::model::TextAt;
use crate::paths::{OUTLETS_YAML, SITE_YAML, STORIES_DIR};
use crate::report::{Format, Reporter, WithSource};
use crate::validate::{self, ValidationMemo};
use std::path::{Path, PathBuf};

/// Validates a site made of the given texts, as `check` would: site.yaml
/// (when given), outlets.yaml (when given) and one story file per entry of
/// `stories`, then shows each diagnostic. Returns how many there were.
pub fn check_texts(site_yaml: Option<&str>, outlets_yaml: Option<&str>, stories: &[&str]) -> usize {
    let site_yaml = site_yaml.map(|text| TextFile {
        rel: PathBuf::from(SITE_YAML),
        text: text.to_string(),
    });
    let (config, mut diags) = validate::config(site_yaml.as_ref(), None);
    let mut inputs = Inputs {
        site_yaml,
        outlets_yaml: outlets_yaml.map(|text| TextFile {
            rel: PathBuf::from(OUTLETS_YAML),
            text: text.to_string(),
        }),
        stories: stories
            .iter()
            .enumerate()
            .map(|(i, text)| TextFile {
                rel: Path::new(STORIES_DIR).join(format!("fuzz-{i}.md")),
                text: text.to_string(),
            })
            .collect(),
        ..Inputs::default()
    };
    // Drafts and dates to come published too: every story is looked at.
    let publish = crate::model::Publish {
        drafts: true,
        future: true,
        now: chrono::Utc::now(),
    };
    let (site, site_diags) = validate::site_cached(
        config,
        &mut inputs,
        &publish,
        &mut ValidationMemo::default(),
    );
    diags.extend(site_diags);
    if !diags.iter().any(Diagnostic::is_error) {
        diags.extend(validate::content_warnings(&site, &inputs));
    }
    let shown: Vec<WithSource> = crate::report::with_sources(diags, |path| inputs.text_of(path));
    show(&shown);
    shown.len()
}

/// Shows diagnostics as both formats would, and checks that each one's
/// line and column lie in its file.
pub fn show(diagnostics: &[WithSource]) {
    let human = Reporter::new(Format::Human, Path::new("."));
    for (diagnostic, source) in diagnostics {
        let _ = human.human(diagnostic, source.as_deref());
        let _ = crate::report::json_line(diagnostic);
        if let Some(source) = source {
            assert_in_file(diagnostic, source);
        }
    }
}

/// Panics when a diagnostic's line or column is past the end of its file (a
/// column may stand one past the end of its line, or a line one past the
/// last, for "expected more here").
pub fn assert_in_file(diagnostic: &Diagnostic, source: &str) {
    if diagnostic.line == 0 {
        return;
    }
    let lines: Vec<&str> = source.split('\n').collect();
    assert!(
        diagnostic.line <= lines.len() + 1,
        "{diagnostic:?} is past the last line ({})",
        lines.len()
    );
    let Some(line) = lines.get(diagnostic.line - 1) else {
        return;
    };
    let chars = line.strip_suffix('\r').unwrap_or(line).chars().count();
    assert!(
        diagnostic.col <= chars + 1,
        "{diagnostic:?} is past the end of its line ({chars} characters)"
    );
}

/// Renders Markdown as a story's body and as one of its inline texts,
/// gathering links, then resolves each link marker as validation would.
pub fn markdown(text: &str, allow_raw_html: bool, heading_shift: usize) -> (String, String) {
    let md = Markdown { allow_raw_html };
    let mut list = Vec::new();
    let block = md.block_with(
        text,
        heading_shift,
        Some(Links {
            list: &mut list,
            at: TextAt::Body,
        }),
    );
    let inline = md.inline_with(
        text,
        Some(Links {
            list: &mut list,
            at: TextAt::History(0),
        }),
    );
    let urls: Vec<Option<String>> = list
        .iter()
        .map(|link| markdown::is_safe_url(&link.dest).then(|| link.dest.clone()))
        .collect();
    let block = markdown::resolve_markers(&block, &urls).unwrap_or(block);
    let inline = markdown::resolve_markers(&inline, &urls).unwrap_or(inline);
    (block, inline)
}
