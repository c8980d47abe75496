//! Problems found in one YAML document, and serde_yaml's errors, turned
//! into positioned diagnostics in the site format's words. Owns the wording
//! of syntax and type errors and the `path: message` form of rule errors;
//! it decides no rule itself, and looks up positions (a second parse) only
//! for a document that has a problem.

use super::positions::{KeyPath, Positions};
use super::suggest::did_you_mean;
use crate::diag::{Diagnostic, Severity};
use std::path::Path;

/// One problem before its position is known.
struct Found {
    path: KeyPath,
    message: String,
    help: Option<String>,
    severity: Severity,
}

/// Problems of one YAML document, each tied to a key path; turned into
/// positioned diagnostics by `finish`, which parses for positions only when
/// something is wrong.
pub(super) struct Problems<'a> {
    file: &'a Path,
    yaml: &'a str,
    /// Line of the file on which the YAML starts (1 for a .yaml file, 2 for
    /// front matter after `---`).
    first_line: usize,
    found: Vec<Found>,
}

impl<'a> Problems<'a> {
    pub(super) fn new(file: &'a Path, yaml: &'a str, first_line: usize) -> Self {
        Problems {
            file,
            yaml,
            first_line,
            found: Vec::new(),
        }
    }

    pub(super) fn at(&mut self, path: KeyPath, message: impl Into<String>) {
        self.push(path, message.into(), None, Severity::Error);
    }

    /// An error with a hint at the fix (`did you mean …`), when there is one.
    pub(super) fn at_with_help(
        &mut self,
        path: KeyPath,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(path, message.into(), help, Severity::Error);
    }

    /// A problem that does not stop the build (unless `--strict`).
    pub(super) fn warn(&mut self, path: KeyPath, message: impl Into<String>) {
        self.push(path, message.into(), None, Severity::Warning);
    }

    /// A warning with a hint at the fix, when there is one.
    pub(super) fn warn_with_help(
        &mut self,
        path: KeyPath,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(path, message.into(), help, Severity::Warning);
    }

    fn push(&mut self, path: KeyPath, message: String, help: Option<String>, severity: Severity) {
        self.found.push(Found {
            path,
            message,
            help,
            severity,
        });
    }

    /// `finish`, after the misfits `read_yaml` found in the same document:
    /// a key that did not fit was taken out before the rules ran, so a
    /// rule's "missing key" for it is dropped (the misfit says what is
    /// wrong with it; it is not missing).
    pub(super) fn finish_after(mut self, misfits: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let misfit_keys: Vec<&str> = misfits.iter().filter_map(|d| d.key.as_deref()).collect();
        self.found.retain(|found| {
            let missing = found
                .message
                .strip_prefix("missing key '")
                .and_then(|rest| rest.split_once('\''))
                .map(|(name, _)| found.path.key(name).to_string());
            !missing.is_some_and(|key| misfit_keys.contains(&key.as_str()))
        });
        let mut diags = misfits;
        diags.extend(self.finish());
        diags
    }

    pub(super) fn finish(self) -> Vec<Diagnostic> {
        if self.found.is_empty() {
            return Vec::new();
        }
        let positions = Positions::parse(self.yaml);
        self.found
            .into_iter()
            .map(|found| {
                let (line, col) = positions.locate(&found.path);
                let mut d =
                    Diagnostic::new(self.file, line + self.first_line - 1, col, found.message)
                        .with_key(found.path.to_string());
                d.severity = found.severity;
                d.help = found.help;
                d
            })
            .collect()
    }
}

/// Turns a serde_yaml error into a diagnostic that names the key, in the
/// site format's words ("key", not "field"), and the path of that key.
pub(super) fn yaml_error(
    file: &Path,
    yaml: &str,
    first_line: usize,
    err: &serde_yaml::Error,
) -> (Diagnostic, KeyPath) {
    let (line, col) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let mut message = err.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    // serde_yaml starts nested errors with its own path ("sources[1]: …");
    // the path computed below replaces it.
    if let Some((prefix, rest)) = message.split_once(": ") {
        if !prefix.contains(' ') {
            message = rest.to_string();
        }
    }
    let path = Positions::parse(yaml).path_at(line, col);
    let help = unknown_key_help(&message);
    let message = reword_serde(&message);
    let at = Diagnostic::new(file, line + first_line - 1, col, "");
    let diagnostic = if path.0.is_empty() || message.starts_with("unknown key") && path.0.len() == 1
    {
        Diagnostic { message, ..at }
    } else if message.starts_with("unknown key") {
        let parent = KeyPath(path.0[..path.0.len() - 1].to_vec());
        Diagnostic {
            message: format!("in '{parent}': {message}"),
            ..at
        }
    } else {
        Diagnostic { message, ..at }.with_key(path.to_string())
    };
    let diagnostic = match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    };
    (diagnostic, path)
}

/// A document that is not YAML: where it breaks, and what to do about the
/// two breaks editors make most (a tab in the indentation, a quote left
/// open).
pub(super) fn syntax_error(
    file: &Path,
    yaml: &str,
    first_line: usize,
    err: &serde_yaml::Error,
) -> Diagnostic {
    if let Some((line, col)) = first_indenting_tab(yaml) {
        return Diagnostic::new(
            file,
            line + first_line - 1,
            col,
            "YAML indentation must use spaces, not tabs",
        )
        .with_help("replace the tab at the start of this line with spaces");
    }
    let full = err.to_string();
    if let Some((line, col)) = scanning_start(&full, "while scanning a quoted scalar") {
        return Diagnostic::new(
            file,
            line + first_line - 1,
            col,
            "this quote is never closed",
        )
        .with_help(
            "end the text with the same quote mark it starts with, on this line or a later one",
        );
    }
    yaml_error(file, yaml, first_line, err).0
}

/// The first tab among a line's leading white space (1-based line and column).
fn first_indenting_tab(yaml: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        line[..indent].find('\t').map(|col| (i + 1, col + 1))
    })
}

/// libyaml names where a construct it could not finish began: "…, while
/// scanning a quoted scalar at line 2 column 8".
fn scanning_start(message: &str, context: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find(context)? + context.len()..];
    let rest = rest.strip_prefix(" at line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

/// `did you mean 'summary'?` for serde's "unknown field `sumary`, expected
/// one of `title`, `summary`, …".
fn unknown_key_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, expected) = rest.split_once('`')?;
    let known: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    did_you_mean(name, known.iter().map(String::as_str))
}

pub(super) fn reword_serde(message: &str) -> String {
    // "unknown field `sorces`, expected one of `title`, `summary`"
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((name, expected)) = rest.split_once('`') {
            let expected = expected
                .trim_start_matches(", ")
                .trim_start_matches("expected one of ")
                .trim_start_matches("expected ")
                .replace('`', "");
            return format!("unknown key '{name}' (expected one of: {expected})");
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        return format!("missing key '{}'", rest.trim_end_matches('`'));
    }
    message
        .replace("invalid type: ", "wrong type: found ")
        .replace("a sequence", "a list")
        .replace("struct Raw", "a mapping ")
        .replace("Option value", "a value")
        .replace("unit value", "an empty value")
}
