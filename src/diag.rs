//! Diagnostics: every problem an editor can fix, with the file, line and column
//! it sits at. Validation collects them instead of stopping at the first one, so
//! a build reports every error of every file in one run.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one input file. `line` and `col` are 1-based; 0 means the
/// whole file (an unreadable file, say).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: &Path, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            col,
            message: message.into(),
        }
    }

    /// The `path:line:col: message` line, then the offending source line with a
    /// caret under the column when the source is at hand.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = self.to_string();
        if let Some(text) = source.and_then(|s| s.lines().nth(self.line.wrapping_sub(1))) {
            let gutter = self.line.to_string();
            let caret_pad: String = text
                .chars()
                .take(self.col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "\n{pad} |\n{gutter} | {text}\n{pad} | {caret_pad}^",
                pad = " ".repeat(gutter.len())
            ));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display().to_string().replace('\\', "/");
        if self.line == 0 {
            write!(f, "{path}: {}", self.message)
        } else {
            write!(f, "{path}:{}:{}: {}", self.line, self.col, self.message)
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
