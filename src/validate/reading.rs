//! Reading a YAML document into its raw struct so that one misfit does not
//! hide the rest. serde stops at the first key it cannot take (an unknown
//! key, a list where a value belongs); here that key is reported, taken out
//! of the document and the document read again, until what is left fits.
//! The rules then check what was read, so a story with an unknown key, a
//! wrong bias and a bad date reports all three.
//!
//! The first read is serde's straight from the text, as fast as before;
//! only a document that does not fit pays for the rest.

use super::limits;
use super::positions::{KeyPath, Positions, Seg};
use super::problems::{reword_serde, syntax_error, yaml_error};
use crate::diag::Diagnostic;
use serde::de::DeserializeOwned;
use serde_yaml::Value;
use std::path::Path;

/// How many misfits one document may report before the rest are left
/// unsaid (each costs a read of the document).
const MAX_MISFITS: usize = 50;

/// The document read into `T` (`None` for an empty one, or one so broken
/// that nothing could be read), and every key that did not fit.
pub(super) fn read_yaml<T: DeserializeOwned>(
    file: &Path,
    yaml: &str,
    first_line: usize,
) -> (Option<T>, Vec<Diagnostic>) {
    if let Some(bound) = limits::check_yaml(file, yaml, first_line) {
        return (None, vec![bound]);
    }
    let first = match serde_yaml::from_str::<Option<T>>(yaml) {
        Ok(read) => return (read, Vec::new()),
        Err(e) => e,
    };
    let Ok(mut document) = serde_yaml::from_str::<Value>(yaml) else {
        // Not YAML at all: there is nothing to read the rest from.
        return (None, vec![syntax_error(file, yaml, first_line, &first)]);
    };
    let positions = Positions::parse(yaml);
    let (diagnostic, path) = yaml_error(file, yaml, first_line, &first);
    let mut diagnostics = vec![diagnostic];
    if !remove(&mut document, &path.0) {
        return (None, diagnostics);
    }
    for _ in 0..MAX_MISFITS {
        match serde_path_to_error::deserialize::<_, Option<T>>(&document) {
            Ok(read) => return (read, diagnostics),
            Err(error) => {
                let path = key_path(error.path());
                let message = reword_serde(&error.inner().to_string());
                let (line, col) = positions.locate_value(&path);
                diagnostics.push(misfit(file, line + first_line - 1, col, &path, message));
                if !remove(&mut document, &path.0) {
                    break;
                }
            }
        }
    }
    (None, diagnostics)
}

/// A misfit in the words `yaml_error` uses for the first one.
fn misfit(file: &Path, line: usize, col: usize, path: &KeyPath, message: String) -> Diagnostic {
    let diagnostic = Diagnostic::new(file, line, col, "");
    if message.starts_with("unknown key") && path.0.len() > 1 {
        let parent = KeyPath(path.0[..path.0.len() - 1].to_vec());
        Diagnostic {
            message: format!("in '{parent}': {message}"),
            ..diagnostic
        }
    } else if message.starts_with("unknown key") || path.0.is_empty() {
        Diagnostic {
            message,
            ..diagnostic
        }
    } else {
        Diagnostic {
            message,
            ..diagnostic.with_key(path.to_string())
        }
    }
}

fn key_path(path: &serde_path_to_error::Path) -> KeyPath {
    use serde_path_to_error::Segment;
    KeyPath(
        path.iter()
            .filter_map(|segment| match segment {
                Segment::Seq { index } => Some(Seg::Index(*index)),
                Segment::Map { key } => Some(Seg::Key(key.clone())),
                Segment::Enum { .. } | Segment::Unknown => None,
            })
            .collect(),
    )
}

/// Takes the key at `path` out of the document; false when it cannot (the
/// document itself, or an item of a list, is what does not fit).
fn remove(document: &mut Value, path: &[Seg]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = document;
    for seg in parents {
        node = match (seg, node) {
            (Seg::Key(k), Value::Mapping(map)) => match map.get_mut(k.as_str()) {
                Some(child) => child,
                None => return false,
            },
            (Seg::Index(i), Value::Sequence(items)) => match items.get_mut(*i) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Seg::Key(k), Value::Mapping(map)) => map.remove(k.as_str()).is_some(),
        // An item of a list is not taken out: the later items would move
        // up, and the rules would report them at their neighbours' places.
        _ => false,
    }
}
