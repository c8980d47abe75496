//! Front matter: the `---` fences around a Markdown file's YAML, and the
//! first problem that stops it from being read at all (no fences, bad YAML,
//! a key of the wrong type), and the title, the one key that stories and
//! pages both require. Every other rule belongs to `story` or `page`.

use super::limits;
use super::positions::KeyPath;
use super::problems::Problems;
use super::raw::Text;
use super::reading::read_yaml;
use super::values::check_required_text;
use crate::diag::Diagnostic;
use crate::load::TextFile;

pub(super) struct FrontMatter<'a> {
    pub(super) yaml: &'a str,
    pub(super) body: &'a str,
}

/// Splits `---\nYAML\n---\nBODY`. The YAML starts on line 2.
pub(super) fn split_front_matter(text: &str) -> Result<FrontMatter<'_>, String> {
    let after_open = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(|| {
            "expected front matter: the file must start with a line '---'".to_string()
        })?;
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(FrontMatter {
                yaml: &after_open[..offset],
                body: &after_open[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    if after_open[offset..].trim_end() == "---" {
        return Ok(FrontMatter {
            yaml: &after_open[..offset],
            body: "",
        });
    }
    Err("front matter is not closed: expected a line '---' after it".to_string())
}

/// A front matter read into `T`, and the keys that did not fit it (already
/// reported; the rules check the rest).
pub(super) type Read<'a, T> = (FrontMatter<'a>, T, Vec<Diagnostic>);

/// Splits a Markdown file and reads its front matter into `T`, reporting
/// every key that does not fit; `Err` when nothing could be read (no front
/// matter, not YAML, an empty one).
pub(super) fn parse_front_matter<'a, T: serde::de::DeserializeOwned>(
    file: &'a TextFile,
) -> Result<Read<'a, T>, Vec<Diagnostic>> {
    if let Some(bound) = limits::check_file(&file.rel, &file.text, limits::FILE_MAX) {
        return Err(vec![bound]);
    }
    let front_matter = split_front_matter(&file.text)
        .map_err(|message| vec![Diagnostic::new(&file.rel, 1, 1, message)])?;
    match read_yaml::<T>(&file.rel, front_matter.yaml, 2) {
        (Some(raw), misfits) => Ok((front_matter, raw, misfits)),
        (None, misfits) if !misfits.is_empty() => Err(misfits),
        (None, _) => Err(vec![Diagnostic::new(
            &file.rel,
            2,
            1,
            "missing key 'title' (the front matter is empty)",
        )]),
    }
}

/// The title that stories and pages both require.
pub(super) fn check_title(problems: &mut Problems, written: Option<&Text>) -> Option<String> {
    check_required_text(
        problems,
        written,
        &KeyPath::root(),
        "missing key 'title' (expected a non-empty string)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_split() {
        let fm = split_front_matter("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(fm.yaml, "title: x\n");
        assert_eq!(fm.body, "body\n");
        assert!(split_front_matter("title: x\n").is_err());
        assert!(split_front_matter("---\ntitle: x\n").is_err());
    }
}
