//! The pipeline, as one flat list of stages: load → validate → derive →
//! render → write. Reading `build` tells the whole story; each stage lives in
//! its own module.

use crate::derive::{derive, Derived};
use crate::diag::{sorted, Diagnostic};
use crate::load::{self, Inputs};
use crate::model::Site;
use crate::render::{render_site, Output, Renderer};
use crate::validate;
use crate::write::{check_output, OutputDir, Refused, Summary};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Why a build did not finish.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content: every one found, each with its source text
    /// (when there is one) for the caret display. Exit 1.
    Content(Vec<(Diagnostic, Option<String>)>),
    /// The output folder may not be used. Exit 2.
    Refused(String),
    /// The file system failed us. Exit 1.
    Io(String),
}

/// What a successful build did and how long each stage took.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub stories: usize,
    pub pages: usize,
    pub outputs: usize,
    pub summary: Summary,
    pub stages: Vec<(&'static str, Duration)>,
    pub warnings: Vec<String>,
}

/// A validated site and what it was made from: the output of `check`.
pub struct Checked {
    pub inputs: Inputs,
    pub site: Site,
    pub stages: Vec<(&'static str, Duration)>,
}

fn with_sources(diags: Vec<Diagnostic>, inputs: &Inputs) -> Failure {
    let text_of = |path: &Path| -> Option<String> {
        let files = inputs
            .site_yaml
            .iter()
            .chain(inputs.outlets_yaml.iter())
            .chain(inputs.stories.iter())
            .chain(inputs.pages.iter());
        for f in files {
            if f.rel == path {
                return Some(f.text.clone());
            }
        }
        None
    };
    Failure::Content(
        sorted(diags)
            .into_iter()
            .map(|d| {
                let text = text_of(&d.path);
                (d, text)
            })
            .collect(),
    )
}

/// Load and validate: everything `parallax check` does.
pub fn check(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Checked, Failure> {
    let mut stages = Vec::new();
    let t = Instant::now();
    let (site_yaml, mut diags) = load::site_yaml(root);
    let (config, config_diags) = validate::config(site_yaml.as_ref(), base_url);
    diags.extend(config_diags);
    let theme = if load::theme_exists(root, &config.theme) {
        config.theme.clone()
    } else {
        diags.push(validate::missing_theme(site_yaml.as_ref(), &config.theme));
        "default".to_string()
    };
    let inputs = load::content(root, site_yaml, &theme);
    stages.push(("load", t.elapsed()));

    let t = Instant::now();
    let (site, site_diags) = validate::site(config, &inputs, drafts);
    diags.extend(site_diags);
    // Templates are inputs too: a syntax error is a content error.
    if let Err(template_diags) = Renderer::new(&inputs.templates) {
        diags.extend(template_diags);
    }
    stages.push(("validate", t.elapsed()));
    if !diags.is_empty() {
        return Err(with_sources(diags, &inputs));
    }
    Ok(Checked {
        inputs,
        site,
        stages,
    })
}

/// Builds the site into `options.output`. On any failure the output folder is
/// left exactly as it was.
pub fn build(options: &Options) -> Result<Report, Failure> {
    check_output(&options.root, &options.output).map_err(|Refused(why)| Failure::Refused(why))?;
    let Checked {
        mut inputs,
        site,
        mut stages,
    } = check(&options.root, options.base_url.as_deref(), options.drafts)?;
    // The model holds all that rendering needs; the source texts (a tenth of
    // a gigabyte for a large archive) only served error messages.
    inputs.stories = Vec::new();
    inputs.pages = Vec::new();

    let t = Instant::now();
    let derived: Derived = derive(&site);
    stages.push(("derive", t.elapsed()));

    let t = Instant::now();
    let renderer = Renderer::new(&inputs.templates).map_err(|d| with_sources(d, &inputs))?;
    let out = OutputDir::open(&options.output)
        .map_err(|e| Failure::Io(format!("{}: {e}", options.output.display())))?;
    let count = std::sync::atomic::AtomicUsize::new(0);
    let sink = |o: Output| {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        out.put(&o.path, &o.bytes);
    };
    // Static files first: a page of the same path (a theme's 404.html, say)
    // is the site's to make, and `put` reports the clash.
    inputs.statics.par_iter().for_each(|s| out.put_static(s));
    let render_errors = render_site(&site, &derived, &renderer, &sink);
    stages.push(("render+write", t.elapsed()));
    if !render_errors.is_empty() {
        out.abort();
        return Err(with_sources(render_errors, &inputs));
    }
    let write_errors = out.errors();
    if !write_errors.is_empty() {
        out.abort();
        return Err(Failure::Io(write_errors.join("\n")));
    }
    let t = Instant::now();
    let summary = out
        .commit()
        .map_err(|e| Failure::Io(format!("{}: {e}", options.output.display())))?;
    stages.push(("commit", t.elapsed()));

    let mut warnings = Vec::new();
    if site.config.base_url_is_default {
        warnings.push(format!(
            "site.yaml has no base_url: absolute URLs (feed, sitemap, canonical links) use {}",
            site.config.base_url
        ));
    }
    Ok(Report {
        stories: site.stories.len(),
        pages: site.pages.len(),
        outputs: count.into_inner() + inputs.statics.len(),
        summary,
        stages,
        warnings,
    })
}
