//! Diagnostics: every problem an editor can fix, with the file, line and column
//! it sits at. Validation collects them instead of stopping at the first one, so
//! a build reports every error of every file in one run. How they are shown
//! (text with code frames, JSON lines, workflow commands) is `report.rs`'s
//! business, not this one's.

use std::fmt;
use std::path::{Path, PathBuf};

/// An error stops the build; a warning is printed and counted, and stops it
/// only under `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in one input file. `line` and `col` are 1-based; 0 means the
/// whole file (an unreadable file, say). `col` counts characters, not bytes.
///
/// The field order is the sort order: by file, then position, then text, so
/// that parallel stages report in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub severity: Severity,
    /// The front-matter key the problem is about (`sources[0].url`), when
    /// there is one; shown before the message.
    pub key: Option<String>,
    /// What to do about it (`did you mean 'summary'?`).
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(path: &Path, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            col,
            message: message.into(),
            severity: Severity::Error,
            key: None,
            help: None,
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into()).filter(|k: &String| !k.is_empty());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The message with its key in front, as the first line shows it.
    pub fn keyed_message(&self) -> String {
        match &self.key {
            Some(key) => format!("{key}: {}", self.message),
            None => self.message.clone(),
        }
    }

    /// The path with forward slashes, as every report prints it.
    pub fn shown_path(&self) -> String {
        self.path.display().to_string().replace('\\', "/")
    }
}

/// `path:line:col: key: message`, the first line of every report.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.shown_path();
        let message = self.keyed_message();
        if self.line == 0 {
            write!(f, "{path}: {message}")
        } else {
            write!(f, "{path}:{}:{}: {message}", self.line, self.col)
        }
    }
}

/// Diagnostics in a stable order (path, line, column), whatever order the
/// parallel stages produced them in.
pub fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort();
    diagnostics.dedup();
    diagnostics
}
