//! Problems found in one YAML document, and serde_yaml's errors, turned
//! into positioned diagnostics in the site format's words. Owns the wording
//! of syntax and type errors and the `path: message` form of rule errors;
//! it decides no rule itself, and looks up positions (a second parse) only
//! for a document that has a problem.

use super::positions::{KeyPath, Positions};
use crate::diag::Diagnostic;
use std::path::Path;

/// Problems of one YAML document, each tied to a key path; turned into
/// positioned diagnostics by `finish`, which parses for positions only when
/// something is wrong.
pub(super) struct Problems<'a> {
    file: &'a Path,
    yaml: &'a str,
    /// Line of the file on which the YAML starts (1 for a .yaml file, 2 for
    /// front matter after `---`).
    first_line: usize,
    found: Vec<(KeyPath, String)>,
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
        self.found.push((path, message.into()));
    }

    pub(super) fn finish(self) -> Vec<Diagnostic> {
        if self.found.is_empty() {
            return Vec::new();
        }
        let positions = Positions::parse(self.yaml);
        self.found
            .into_iter()
            .map(|(path, message)| {
                let (line, col) = positions.locate(&path);
                let message = if path.0.is_empty() {
                    message
                } else {
                    format!("{path}: {message}")
                };
                Diagnostic::new(self.file, line + self.first_line - 1, col, message)
            })
            .collect()
    }
}

/// Turns a serde_yaml error into a diagnostic that names the key, in the
/// site format's words ("key", not "field").
pub(super) fn yaml_error(
    file: &Path,
    yaml: &str,
    first_line: usize,
    err: &serde_yaml::Error,
) -> Diagnostic {
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
    let message = reword_serde(&message);
    let message = if path.0.is_empty() || message.starts_with("unknown key") && path.0.len() == 1 {
        message
    } else if message.starts_with("unknown key") {
        let parent = KeyPath(path.0[..path.0.len() - 1].to_vec());
        format!("in '{parent}': {message}")
    } else {
        format!("{path}: {message}")
    };
    Diagnostic::new(file, line + first_line - 1, col, message)
}

fn reword_serde(message: &str) -> String {
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
}
