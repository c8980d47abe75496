//! One small function per command: call the library, report the outcome,
//! return the exit code (0 success, 1 content errors, 2 bad usage). Printing
//! happens here and nowhere deeper.

use crate::build::{self, Failure, Options};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub const EXIT_OK: u8 = 0;
pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

pub struct BuildArgs {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Prints a failure to stderr and gives its exit code.
pub fn report_failure(failure: &Failure) -> u8 {
    let mut err = std::io::stderr().lock();
    match failure {
        Failure::Content(diags) => {
            let snippets = std::io::stderr().is_terminal();
            for (d, source) in diags {
                let text = if snippets {
                    d.render(source.as_deref())
                } else {
                    d.to_string()
                };
                let _ = writeln!(err, "error: {text}");
            }
            let n = diags.len();
            let _ = writeln!(
                err,
                "{n} error{} found; nothing was written",
                if n == 1 { "" } else { "s" }
            );
            EXIT_CONTENT
        }
        Failure::Refused(why) => {
            let _ = writeln!(err, "error: {why}");
            EXIT_USAGE
        }
        Failure::Io(why) => {
            let _ = writeln!(err, "error: {why}\nthe previous output was left as it was");
            EXIT_CONTENT
        }
    }
}

pub fn build(args: BuildArgs) -> u8 {
    let options = Options {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    match build::build(&options) {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            let total: std::time::Duration = report.stages.iter().map(|s| s.1).sum();
            let stages: Vec<String> = report
                .stages
                .iter()
                .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
                .collect();
            eprintln!(
                "built {} stories and {} pages into {} in {} ms ({} files: {} written, {} unchanged, {} removed; {})",
                report.stories,
                report.pages,
                options.output.display(),
                total.as_millis(),
                report.outputs,
                report.summary.written,
                report.summary.unchanged,
                report.summary.removed,
                stages.join(", "),
            );
            EXIT_OK
        }
        Err(failure) => report_failure(&failure),
    }
}

pub fn check(root: &Path, drafts: bool) -> u8 {
    match build::check(root, None, drafts) {
        Ok(checked) => {
            eprintln!(
                "ok: {} stories, {} pages, {} outlets",
                checked.site.stories.len(),
                checked.site.pages.len(),
                checked.site.outlets.len()
            );
            EXIT_OK
        }
        Err(failure) => report_failure(&failure),
    }
}

pub fn init(dir: &Path) -> u8 {
    match crate::scaffold::init(dir) {
        Ok(files) => {
            for f in files {
                eprintln!("created {}", f.display());
            }
            eprintln!("next: parallax --root {} build", dir.display());
            EXIT_OK
        }
        Err(why) => {
            eprintln!("error: {why}");
            EXIT_USAGE
        }
    }
}

pub fn new_story(root: &Path, title: &str) -> u8 {
    let today = chrono::Utc::now();
    match crate::scaffold::new_story(root, title, today) {
        Ok(path) => {
            println!("{}", path.display());
            EXIT_OK
        }
        Err(why) => {
            eprintln!("error: {why}");
            EXIT_USAGE
        }
    }
}
