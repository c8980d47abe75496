//! How diagnostics reach a person or a tool: as text with a code frame (the
//! offending line, its number and a caret, drawn by annotate-snippets and
//! coloured only on a terminal), as one JSON object a line for editors' tools
//! and CI, and, on GitHub Actions, as workflow commands that put each problem
//! on its line of the pull request. Only the command layer calls this; the
//! pipeline never prints.

use crate::diag::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A diagnostic and the text of its file, when there is one to quote.
pub type WithSource = (Diagnostic, Option<Arc<str>>);

/// Each of `diagnostics` (sorted, so a file's are together) with its file's
/// text from `text_of`, read once a file: a large site's check can report
/// hundreds of thousands of warnings, and a copy of the text for each was
/// gigabytes.
pub fn with_sources<'a>(
    diagnostics: Vec<Diagnostic>,
    text_of: impl Fn(&Path) -> Option<std::borrow::Cow<'a, str>>,
) -> Vec<WithSource> {
    let mut last: Option<(PathBuf, Option<Arc<str>>)> = None;
    crate::diag::sorted(diagnostics)
        .into_iter()
        .map(|d| {
            let text = match &last {
                Some((path, text)) if *path == d.path => text.clone(),
                _ => {
                    let text: Option<Arc<str>> = text_of(&d.path).map(Arc::from);
                    last = Some((d.path.clone(), text.clone()));
                    text
                }
            };
            (d, text)
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Lines for people: `error: path:line:col: message` and a code frame
    #[default]
    Human,
    /// One JSON object a line on stdout, then a summary object
    Json,
}

/// Where and how diagnostics are printed for one run of a command.
pub struct Reporter {
    format: Format,
    colour: bool,
    /// Print workflow commands for GitHub Actions as well.
    github: bool,
    /// The site root as given on the command line, to turn paths relative to
    /// the site into paths relative to the current folder.
    root: PathBuf,
}

/// What a run found, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub files: usize,
}

impl Counts {
    pub fn of(diagnostics: &[WithSource]) -> Counts {
        let errors = diagnostics.iter().filter(|(d, _)| d.is_error()).count();
        let files: BTreeSet<&Path> = diagnostics.iter().map(|(d, _)| d.path.as_path()).collect();
        Counts {
            errors,
            warnings: diagnostics.len() - errors,
            files: files.len(),
        }
    }

    /// "2 errors and 3 warnings in 2 files", "1 warning in 1 file".
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        if self.errors > 0 {
            parts.push(count(self.errors, "error", "errors"));
        }
        if self.warnings > 0 {
            parts.push(count(self.warnings, "warning", "warnings"));
        }
        if parts.is_empty() {
            return "no problems".to_string();
        }
        format!(
            "{} in {}",
            parts.join(" and "),
            count(self.files, "file", "files")
        )
    }
}

/// "1 story", "2 stories".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Reporter {
    /// Colour follows the terminal and `NO_COLOR`; workflow commands follow
    /// `GITHUB_ACTIONS=true`.
    pub fn new(format: Format, root: &Path) -> Reporter {
        let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Reporter {
            format,
            colour: !no_colour && std::io::stderr().is_terminal(),
            github: std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"),
            root: root.to_path_buf(),
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Prints every diagnostic, in the order given.
    pub fn diagnostics(&self, diagnostics: &[WithSource]) {
        let mut err = std::io::stderr().lock();
        let mut out = std::io::stdout().lock();
        for (diagnostic, source) in diagnostics {
            match self.format {
                Format::Human => {
                    let _ = writeln!(err, "{}", self.human(diagnostic, source.as_deref()));
                }
                Format::Json => {
                    let _ = writeln!(out, "{}", json_line(diagnostic));
                }
            }
            if self.github {
                // stdout is the channel the runner reads commands from; with
                // JSON on stdout they go to stderr, which it reads as well.
                let line = self.workflow_command(diagnostic);
                let _ = match self.format {
                    Format::Human => writeln!(out, "{line}"),
                    Format::Json => writeln!(err, "{line}"),
                };
            }
        }
    }

    /// The closing line: a sentence for people, an object for tools.
    /// `extra` holds further fields of the JSON summary (the build's own).
    pub fn summary(&self, counts: Counts, sentence: &str, extra: serde_json::Value) {
        match self.format {
            Format::Human => eprintln!("{sentence}"),
            Format::Json => {
                let mut summary = serde_json::json!({
                    "errors": counts.errors,
                    "warnings": counts.warnings,
                });
                if let (Some(map), serde_json::Value::Object(more)) =
                    (summary.as_object_mut(), extra)
                {
                    map.extend(more);
                }
                println!("{}", serde_json::json!({ "summary": summary }));
            }
        }
    }

    /// A line that is not a diagnostic (progress, a note): people see it,
    /// tools reading JSON do not.
    pub fn note(&self, line: &str) {
        if self.format == Format::Human {
            eprintln!("{line}");
        }
    }

    pub(crate) fn human(&self, diagnostic: &Diagnostic, source: Option<&str>) -> String {
        let title = diagnostic.to_string();
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let Some(text) = source.and_then(|s| source_line(s, diagnostic.line)) else {
            // Nothing to quote (the whole file, or a setting left out).
            let help = diagnostic.help.as_ref();
            let help = help.map(|h| format!("\nhelp: {h}")).unwrap_or_default();
            return format!("{}: {title}{help}", diagnostic.severity.word());
        };
        let span = underline(text, diagnostic.col);
        let mut group = Group::with_title(level.primary_title(&title)).element(
            Snippet::source(text)
                .line_start(diagnostic.line)
                .annotation(AnnotationKind::Primary.span(span)),
        );
        if let Some(help) = &diagnostic.help {
            group = group.element(Level::HELP.message(help));
        }
        let renderer = if self.colour {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }

    fn workflow_command(&self, diagnostic: &Diagnostic) -> String {
        let path = self.relative_to_current_folder(&diagnostic.path);
        let mut place = format!("file={}", escape_property(&path));
        if diagnostic.line > 0 {
            place.push_str(&format!(",line={},col={}", diagnostic.line, diagnostic.col));
        }
        let mut message = diagnostic.keyed_message();
        if let Some(help) = &diagnostic.help {
            message.push_str(&format!(" ({help})"));
        }
        format!(
            "::{} {place}::{}",
            diagnostic.severity.word(),
            escape_data(&message)
        )
    }

    /// A path relative to the site root, as a path relative to the current
    /// folder (what GitHub matches against the checkout).
    fn relative_to_current_folder(&self, path: &Path) -> String {
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        };
        let relative = match std::env::current_dir() {
            Ok(cwd) if joined.is_absolute() => joined
                .strip_prefix(&cwd)
                .map(Path::to_path_buf)
                .unwrap_or(joined),
            _ => joined,
        };
        let shown: PathBuf = relative
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        shown.display().to_string().replace('\\', "/")
    }
}

/// The 1-based `line` of `source`, without its line ending.
fn source_line(source: &str, line: usize) -> Option<&str> {
    let text = source.split('\n').nth(line.checked_sub(1)?)?;
    Some(text.strip_suffix('\r').unwrap_or(text))
}

/// The byte range to underline: the word that starts at the 1-based
/// character column `col`, or one character.
fn underline(text: &str, col: usize) -> std::ops::Range<usize> {
    let start = text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let word_end = text[start..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, ':' | ',' | '[' | ']' | '{' | '}'))
        .map(|(i, _)| start + i)
        .unwrap_or(text.len());
    let one_char = text[start..].chars().next().map_or(0, char::len_utf8);
    start..word_end.max(start + one_char)
}

/// One diagnostic for tools, its fields in the documented order.
#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    key: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
}

pub(crate) fn json_line(diagnostic: &Diagnostic) -> String {
    let position = |n: usize| (n > 0).then_some(n);
    let line = JsonDiagnostic {
        severity: diagnostic.severity.word(),
        file: Some(diagnostic.shown_path()),
        line: position(diagnostic.line),
        column: position(diagnostic.col),
        key: diagnostic.key.as_deref(),
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// A problem that belongs to no input file (the output folder, the disk).
pub fn json_error_line(message: &str) -> String {
    let line = JsonDiagnostic {
        severity: "error",
        file: None,
        line: None,
        column: None,
        key: None,
        message,
        help: None,
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// Workflow command data: `%`, CR and LF are the runner's escapes.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow command properties escape `:` and `,` as well.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_read_as_english() {
        let c = |errors, warnings, files| Counts {
            errors,
            warnings,
            files,
        };
        assert_eq!(c(1, 0, 1).sentence(), "1 error in 1 file");
        assert_eq!(c(2, 3, 2).sentence(), "2 errors and 3 warnings in 2 files");
        assert_eq!(c(0, 1, 1).sentence(), "1 warning in 1 file");
        assert_eq!(count(1, "story", "stories"), "1 story");
        assert_eq!(count(0, "story", "stories"), "0 stories");
    }

    #[test]
    fn the_underline_covers_the_word_at_the_column() {
        assert_eq!(underline("sorces:", 1), 0..6);
        assert_eq!(underline("  - outlet: x", 5), 4..10);
        // Columns count characters: é is two bytes.
        assert_eq!(underline("é: ab", 4), 4..6);
        assert_eq!(underline("", 1), 0..0);
        assert_eq!(underline("a", 9), 1..1);
    }

    #[test]
    fn workflow_commands_escape_what_the_runner_reads() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn a_code_frame_quotes_the_line_with_a_caret() {
        let reporter = Reporter {
            format: Format::Human,
            colour: false,
            github: false,
            root: PathBuf::from("."),
        };
        let d = Diagnostic::new(
            Path::new("content/stories/x.md"),
            2,
            1,
            "unknown key 'sorces'",
        )
        .with_help("did you mean 'sources'?");
        let text = reporter.human(&d, Some("---\nsorces: []\n---\n"));
        assert_eq!(
            text,
            "error: content/stories/x.md:2:1: unknown key 'sorces'\n  |\n2 | sorces: []\n  | ^^^^^^\n  |\n  = help: did you mean 'sources'?"
        );
    }

    #[test]
    fn diagnostics_of_one_file_share_its_text() {
        let at = |path: &str, line| Diagnostic::new(Path::new(path), line, 1, "m");
        let diagnostics = vec![at("b.md", 2), at("a.md", 1), at("b.md", 1), at("c.md", 1)];
        let reads = std::cell::Cell::new(0);
        let shown = with_sources(diagnostics, |path| {
            reads.set(reads.get() + 1);
            (path != Path::new("c.md"))
                .then(|| std::borrow::Cow::Owned(format!("text of {}", path.display())))
        });
        let texts: Vec<(&str, Option<&str>)> = shown
            .iter()
            .map(|(d, text)| (d.path.to_str().unwrap_or(""), text.as_deref()))
            .collect();
        assert_eq!(
            texts,
            [
                ("a.md", Some("text of a.md")),
                ("b.md", Some("text of b.md")),
                ("b.md", Some("text of b.md")),
                ("c.md", None),
            ]
        );
        assert_eq!(reads.get(), 3, "one read a file");
        let (b1, b2) = (&shown[1].1, &shown[2].1);
        assert!(matches!((b1, b2), (Some(x), Some(y)) if Arc::ptr_eq(x, y)));
    }
}
