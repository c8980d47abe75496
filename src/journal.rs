//! The commit journal: a file in the output folder, written before a commit
//! changes anything there and removed once the new manifest is in place. It
//! lists every path the commit is about to move in. Found at the start of a
//! build, it says the last commit was cut short (killed, or failed half-way):
//! the output is then part old, part new, and the manifest may not describe
//! it, so that build trusts no memo and no file's time, checks every file it
//! keeps by content, and treats each listed path as possibly present (to be
//! rewritten, or removed if it is no longer made). Reading and writing the
//! file is all this module does; `write.rs` decides what it means.

use crate::paths::JOURNAL;
use std::fs;
use std::io;
use std::path::Path;

/// The first line, which tells a journal from anything else of that name.
const HEADER: &str = "parallax-commit 1";

/// Writes the journal of a commit that will move `paths` into `output`.
pub(crate) fn begin<'a>(output: &Path, paths: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let mut text = String::with_capacity(4096);
    text.push_str(HEADER);
    text.push('\n');
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    // Whole or not at all: a journal cut short would list too few paths.
    let tmp = output.join(format!("{JOURNAL}.tmp"));
    fs::write(&tmp, text)?;
    fs::rename(&tmp, output.join(JOURNAL))
}

/// The commit is complete: the manifest describes the output again.
pub(crate) fn end(output: &Path) -> io::Result<()> {
    fs::remove_file(output.join(JOURNAL))
}

/// The paths a cut-short commit was moving in, if the last one was cut
/// short. A journal that cannot be read (or was never finished) still says
/// so: with no paths, every file is checked all the same.
pub(crate) fn interrupted(output: &Path) -> Option<Vec<String>> {
    let _ = fs::remove_file(output.join(format!("{JOURNAL}.tmp")));
    let file = output.join(JOURNAL);
    let meta = fs::symlink_metadata(&file).ok()?;
    if !meta.is_file() {
        return Some(Vec::new());
    }
    let text = fs::read_to_string(&file).unwrap_or_default();
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Some(Vec::new());
    }
    Some(lines.map(str::to_string).collect())
}
