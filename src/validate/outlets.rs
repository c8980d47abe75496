//! content/outlets.yaml: the registry of outlets, each checked on its own
//! (slug id, name, bias, factuality, homepage). Knows nothing of stories:
//! whether a source names a known outlet is checked in `story`.

use super::positions::KeyPath;
use super::problems::{yaml_error, Problems};
use super::raw::{RawOutlet, Text};
use crate::diag::Diagnostic;
use crate::load::{TextFile, OUTLETS_YAML};
use crate::markdown::is_web_url;
use crate::model::{Bias, Factuality, Outlet};
use crate::slug::is_slug;
use std::collections::BTreeMap;
use std::path::Path;

pub(super) fn outlets(file: Option<&TextFile>, diags: &mut Vec<Diagnostic>) -> Vec<Outlet> {
    let Some(file) = file else {
        return Vec::new();
    };
    let path = Path::new(OUTLETS_YAML);
    let raw: BTreeMap<String, RawOutlet> =
        match serde_yaml::from_str::<Option<BTreeMap<String, RawOutlet>>>(&file.text) {
            Ok(raw) => raw.unwrap_or_default(),
            Err(e) => {
                diags.push(yaml_error(path, &file.text, 1, &e));
                return Vec::new();
            }
        };
    let mut problems = Problems::new(path, &file.text, 1);
    let mut list = Vec::with_capacity(raw.len());
    for (id, o) in raw {
        let key = KeyPath::root().key(&id);
        if !is_slug(&id) {
            problems.at(key.clone(), format!("outlet id '{id}' must be lowercase letters, digits and single dashes (it is part of a URL)"));
        }
        let name = o.name.as_ref().and_then(Text::non_empty);
        if name.is_none() {
            problems.at(
                key.clone(),
                "missing key 'name' (expected the outlet's name)",
            );
        }
        let bias = o.bias.as_deref().and_then(|b| {
            let parsed = Bias::parse(b.trim());
            if parsed.is_none() {
                problems.at(key.key("bias"), format!("unknown bias '{b}' (expected one of: far-left, left, lean-left, center, lean-right, right, far-right)"));
            }
            parsed
        });
        let factuality = o.factuality.as_deref().and_then(|f| {
            let parsed = Factuality::parse(f.trim());
            if parsed.is_none() {
                problems.at(key.key("factuality"), format!("unknown factuality '{f}' (expected one of: very-high, high, mixed, low, very-low)"));
            }
            parsed
        });
        let homepage = o.homepage.as_ref().and_then(Text::non_empty);
        if let Some(url) = &homepage {
            if !is_web_url(url) {
                problems.at(
                    key.key("homepage"),
                    format!("expected an http or https URL, found '{url}'"),
                );
            }
        }
        list.push(Outlet {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            bias,
            factuality,
            owner: o.owner.as_ref().and_then(Text::non_empty),
            homepage,
        });
    }
    diags.extend(problems.finish());
    list
}
