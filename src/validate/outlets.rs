//! content/outlets.yaml: the registry of outlets, each checked on its own
//! (slug id, name, bias, factuality, homepage). Knows nothing of stories:
//! whether a source names a known outlet is `story`'s rule, and whether the
//! registry is missing while stories need it is the site's.

use super::limits::{self, too_long, URL_SEGMENT_MAX};
use super::positions::KeyPath;
use super::problems::Problems;
use super::raw::{RawOutlet, Text};
use super::reading::read_yaml;
use super::values::{check_bias, check_factuality, check_required_text, check_web_url};
use crate::diag::Diagnostic;
use crate::load::TextFile;
use crate::model::Outlet;
use crate::paths::OUTLETS_YAML;
use crate::slug::is_slug;
use std::collections::BTreeMap;
use std::path::Path;

/// The outlets, sorted by id (none without the file); every problem found
/// goes to `diags`.
pub(super) fn outlets(file: Option<&TextFile>, diags: &mut Vec<Diagnostic>) -> Vec<Outlet> {
    let Some(file) = file else {
        return Vec::new();
    };
    let path = Path::new(OUTLETS_YAML);
    if let Some(bound) = limits::check_file(path, &file.text, limits::REGISTRY_MAX) {
        diags.push(bound);
        return Vec::new();
    }
    let (raw, misfits) = read_yaml::<BTreeMap<String, RawOutlet>>(path, &file.text, 1);
    if raw.is_none() && !misfits.is_empty() {
        diags.extend(misfits);
        return Vec::new();
    }
    let raw = raw.unwrap_or_default();
    let mut problems = Problems::new(path, &file.text, 1);
    let mut list = Vec::with_capacity(raw.len());
    for (id, written) in raw {
        list.push(check_outlet(&mut problems, id, &written));
    }
    diags.extend(problems.finish_after(misfits));
    list
}

/// One outlet; a missing name falls back to the id, so that the checks of
/// the stories citing it can go on.
fn check_outlet(problems: &mut Problems, id: String, written: &RawOutlet) -> Outlet {
    let key = KeyPath::root().key(&id);
    if !is_slug(&id) {
        problems.at(key.clone(), format!("outlet id '{id}' must be lowercase letters, digits and single dashes (it is part of a URL)"));
    } else if id.len() > URL_SEGMENT_MAX {
        problems.at(key.clone(), too_long("outlet id", id.len()));
    }
    let name = check_required_text(
        problems,
        written.name.as_ref(),
        &key,
        "missing key 'name' (expected the outlet's name)",
    );
    let bias = check_bias(problems, &key, written.bias.as_deref());
    let factuality = check_factuality(problems, &key, written.factuality.as_deref());
    let homepage = written.homepage.as_ref().and_then(Text::non_empty);
    if let Some(url) = &homepage {
        check_web_url(problems, &key, "homepage", url);
    }
    Outlet {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        bias,
        factuality,
        owner: written.owner.as_ref().and_then(Text::non_empty),
        homepage,
    }
}
