//! Compiling the templates and reporting their errors: `Renderer` holds the
//! compiled Tera templates, knows where each came from, and turns Tera's
//! errors into diagnostics at a file, line and column. Also the escaping
//! Tera applies to `.html` and `.xml` output. It must not decide what a page
//! shows (that is `views` and `pages`) nor what a key is made of (`key`).

use super::key::{template_closures, templates_fingerprint};
use super::translate::{plain_words, Translate};
use crate::diag::Diagnostic;
use crate::i18n::Translations;
use crate::load::Template;
use crate::paths::{self, TEMPLATES_DIR};
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::{Context, ErrorKind, Tera};

/// Templates every theme must provide (a site may override any of them).
pub const REQUIRED_TEMPLATES: [&str; 14] = [
    "base.html",
    "card.html",
    "index.html",
    "story.html",
    "topics.html",
    "topic.html",
    "outlets.html",
    "outlet.html",
    "blindspots.html",
    "page.html",
    "404.html",
    "search.html",
    "feed.xml",
    "sitemap.xml",
];

/// Compiled templates, with what keys need to know of them.
pub struct Renderer {
    tera: Tera,
    /// Per template name, the file it came from.
    origins: Vec<(String, PathBuf)>,
    /// Per template: a hash of its text and of every template it may use.
    closures: FxHashMap<String, u128>,
    /// A hash of all of them.
    fingerprint: u128,
    /// The translation table `t` reads (its fingerprint).
    translations: u128,
    /// `sitemap.xml` is the built-in theme's, word for word.
    built_in_sitemap: bool,
}

impl Renderer {
    pub fn new(templates: &[Template]) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(write_escaped_html);
        // Known before the templates load, which checks every function
        // they call; the site's table replaces this empty one.
        let empty = Translations::new("en", []);
        let translations = empty.fingerprint();
        tera.register_function("t", Translate::new(Arc::new(empty)));
        let mut diags = syntax_errors(templates);
        diags.extend(missing_templates(templates));
        // Loading them together checks what one template asks of the others,
        // which only means something once each is well-formed.
        if diags.is_empty() {
            if let Err(e) =
                tera.add_raw_templates(templates.iter().map(|t| (t.name.as_str(), t.text.as_str())))
            {
                diags = load_errors(&e, templates);
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let origins = templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        let closures = template_closures(templates);
        let fingerprint = templates_fingerprint(&closures);
        let built_in_sitemap = templates.iter().any(|t| {
            t.name == paths::SITEMAP && Some(t.text.as_str()) == built_in_text(paths::SITEMAP)
        });
        Ok(Renderer {
            tera,
            origins,
            closures,
            fingerprint,
            translations,
            built_in_sitemap,
        })
    }

    /// The table the templates' `t` reads from now on (docs/templates.md).
    pub fn use_translations(&mut self, table: &Arc<Translations>) {
        if self.translations != table.fingerprint() {
            self.translations = table.fingerprint();
            self.tera
                .register_function("t", Translate::new(Arc::clone(table)));
            self.tera
                .global_context()
                .insert("words", &plain_words(table));
        }
    }

    /// Changes whenever any template does.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// Changes whenever the template, or any template it may use, does.
    pub fn closure_hash(&self, name: &str) -> u128 {
        self.closures.get(name).copied().unwrap_or(0)
    }

    /// Whether `sitemap.xml` is the built-in theme's, which `feeds` writes
    /// without Tera.
    pub(super) fn sitemap_is_built_in(&self) -> bool {
        self.built_in_sitemap
    }

    /// Whether the theme or the site has a template of this name (for the
    /// optional ones).
    pub(super) fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    fn origin(&self, name: &str) -> PathBuf {
        origin_in(self.origins.iter().map(|(n, o)| (n.as_str(), o)), name)
    }

    pub(super) fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| {
            // The error may sit in a template this one extends or includes.
            let (origin, line, col) = match error_place(&e) {
                Some((at, line, col)) => (self.origin(at), line, col),
                None => (self.origin(name), 0, 0),
            };
            Diagnostic::new(
                &origin,
                line,
                col,
                format!("cannot render: {}", error_chain(&e)),
            )
        })
    }
}

/// Each template's own syntax error, checked alone so that every template
/// that has one is reported, each naming its file.
fn syntax_errors(templates: &[Template]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for t in templates {
        let mut alone = Tera::default();
        if let Err(e) = alone.add_raw_template(&t.name, &t.text) {
            // Only syntax errors are this template's alone; the rest (a
            // parent or include not loaded here) are checked with all of them.
            if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                diags.push(diagnostic_at(&t.origin, &e));
            }
        }
    }
    diags
}

fn missing_templates(templates: &[Template]) -> Vec<Diagnostic> {
    REQUIRED_TEMPLATES
        .iter()
        .filter(|name| !templates.iter().any(|t| t.name == **name))
        .map(|name| {
            Diagnostic::new(
                &PathBuf::from(TEMPLATES_DIR).join(name),
                0,
                0,
                "missing template: the theme and the site both lack it",
            )
        })
        .collect()
}

/// What loading all templates together found, each at its template.
fn load_errors(err: &tera::Error, templates: &[Template]) -> Vec<Diagnostic> {
    let origin_of =
        |name: &str| origin_in(templates.iter().map(|t| (t.name.as_str(), &t.origin)), name);
    if let Some((name, _, _)) = error_place(err) {
        return vec![diagnostic_at(&origin_of(name), err)];
    }
    let text = err.to_string();
    let places = reported_places(&text);
    if places.is_empty() {
        let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        return vec![Diagnostic::new(
            &PathBuf::from(TEMPLATES_DIR),
            0,
            0,
            one_line,
        )];
    }
    places
        .into_iter()
        .map(|(name, line, col, message)| Diagnostic::new(&origin_of(name), line, col, message))
        .collect()
}

fn diagnostic_at(origin: &Path, err: &tera::Error) -> Diagnostic {
    let (line, col) = error_place(err).map_or((0, 0), |(_, line, col)| (line, col));
    Diagnostic::new(origin, line, col, error_chain(err))
}

fn error_chain(err: &tera::Error) -> String {
    let mut message = match err.kind() {
        // The report's own text is a multi-line excerpt; the diagnostic shows
        // the file, line and column on its own.
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => r.message().to_string(),
        _ => err.to_string(),
    };
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Where in which template an error sits, when Tera knows: the template's
/// name, and the 1-based line and column.
fn error_place(err: &tera::Error) -> Option<(&str, usize, usize)> {
    match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            Some((r.filename(), span.start_line, span.start_col + 1))
        }
        _ => None,
    }
}

/// The checks Tera makes once all templates are loaded (unknown filters,
/// functions, tests and included templates, in every template at once) come
/// as one message of reports, each starting "error: MESSAGE" then
/// "--> NAME:LINE:COLUMN". Returns (name, line, column, message) for each.
fn reported_places(text: &str) -> Vec<(&str, usize, usize, &str)> {
    text.split("\n\n")
        .filter_map(|report| {
            let mut lines = report.lines();
            let message = lines.next()?.strip_prefix("error: ")?;
            let locus = lines.next()?.trim_start().strip_prefix("--> ")?;
            let mut parts = locus.rsplitn(3, ':');
            let col = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some((parts.next()?, line, col, message))
        })
        .collect()
}

/// Where the template `name` came from, for messages.
fn origin_in<'a>(mut origins: impl Iterator<Item = (&'a str, &'a PathBuf)>, name: &str) -> PathBuf {
    origins
        .find(|(n, _)| *n == name)
        .map(|(_, o)| o.clone())
        .unwrap_or_else(|| PathBuf::from(TEMPLATES_DIR).join(name))
}

/// Escapes the five characters that matter in HTML and XML text and
/// attributes. (Tera's own escaper also rewrites `/`, which bloats every URL.)
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    escape_runs(input, |run| out.push_str(run));
    out
}

/// The built-in theme's text of the template `name`.
fn built_in_text(name: &str) -> Option<&'static str> {
    crate::load::DEFAULT_THEME
        .get_file(Path::new(TEMPLATES_DIR).join(name))
        .and_then(|file| file.contents_utf8())
}

/// `escape_html` as Tera's autoescape calls it, straight into the page.
pub(super) fn write_escaped_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_runs(input, |run| {
        if result.is_ok() {
            result = out.write_all(run.as_bytes());
        }
    });
    result
}

/// Hands `emit` the input with the five characters replaced, as the runs
/// between them (copied whole) and their entities.
fn escape_runs(input: &str, mut emit: impl FnMut(&str)) {
    // The five characters are ASCII, so byte offsets are char boundaries.
    let mut start = 0;
    for (i, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        emit(&input[start..i]);
        emit(entity);
        start = i + 1;
    }
    emit(&input[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters_and_nothing_else() {
        assert_eq!(
            escape_html("é<b>&\"c\"'/€>"),
            "é&lt;b&gt;&amp;&quot;c&quot;&#39;/€&gt;"
        );
        assert_eq!(escape_html("plain / text"), "plain / text");
        assert_eq!(escape_html(""), "");
    }
}
