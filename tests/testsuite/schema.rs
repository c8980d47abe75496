//! `parallax schema`: the JSON Schemas of story front matter, outlets.yaml
//! and site.yaml are written where asked, describe every key, are the ones
//! committed in `schemas/`, accept the example site and what `init` makes,
//! refuse misspelt keys and unknown ratings, and require no key that the
//! validator does not.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const NAMES: [&str; 3] = [
    "story.schema.json",
    "outlets.schema.json",
    "site.schema.json",
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `parallax schema` in a new folder with `args`; the folder.
fn run_schema(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("parallax").unwrap();
    cmd.current_dir(dir.path())
        .arg("schema")
        .args(args)
        .assert()
        .success();
    dir
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The committed schema `name`, as a validator.
fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&read_json(&repo().join("schemas").join(name))).unwrap()
}

/// YAML as the JSON a schema validator reads.
fn yaml(text: &str) -> Value {
    let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    serde_json::to_value(value).unwrap()
}

/// The YAML between the `---` lines at the top of a Markdown file.
fn front_matter_yaml(text: &str) -> &str {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("closed front matter");
    &rest[..=end]
}

fn front_matter(text: &str) -> Value {
    yaml(front_matter_yaml(text))
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors = errors(validator, instance);
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

/// Every object schema under `schema` (the whole tree, `$defs` included)
/// that lists `properties`, each property without a description named by
/// its JSON pointer.
fn undescribed(schema: &Value, at: &str, found: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{at}/{key}");
                if key == "properties" {
                    for (name, property) in value.as_object().expect("properties") {
                        let described = property
                            .get("description")
                            .and_then(Value::as_str)
                            .is_some_and(|d| !d.trim().is_empty());
                        if !described {
                            found.push(format!("{here}/{name}"));
                        }
                    }
                }
                undescribed(value, &here, found);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                undescribed(item, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn schema_writes_three_described_draft_2020_12_schemas() {
    let dir = run_schema(&["--out", "out/json"]);
    for name in NAMES {
        let schema = read_json(&dir.path().join("out/json").join(name));
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert!(schema["description"].is_string(), "{name}: a description");
        let mut missing = Vec::new();
        undescribed(&schema, "", &mut missing);
        assert!(
            missing.is_empty(),
            "{name}: keys without a description: {missing:?}"
        );
        jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // Without --out: schemas/ in the current folder.
    let dir = run_schema(&[]);
    for name in NAMES {
        assert!(dir.path().join("schemas").join(name).is_file(), "{name}");
    }
}

#[test]
fn the_committed_schemas_are_current() {
    let dir = run_schema(&["--out", "fresh"]);
    for name in NAMES {
        let fresh = std::fs::read(dir.path().join("fresh").join(name)).unwrap();
        let committed = std::fs::read(repo().join("schemas").join(name)).unwrap_or_default();
        assert!(
            fresh == committed,
            "schemas/{name} is not what the code generates: run `cargo run -- schema` and commit schemas/"
        );
    }
}

#[test]
fn the_example_site_matches_the_schemas() {
    let story = validator("story.schema.json");
    let files = markdown_files(&repo().join("content/stories"));
    assert!(files.len() >= 4, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_valid(&story, &front_matter(&text), &file.display().to_string());
    }
    let outlets = std::fs::read_to_string(repo().join("content/outlets.yaml")).unwrap();
    assert_valid(
        &validator("outlets.schema.json"),
        &yaml(&outlets),
        "content/outlets.yaml",
    );
    let site = std::fs::read_to_string(repo().join("site.yaml")).unwrap();
    assert_valid(&validator("site.schema.json"), &yaml(&site), "site.yaml");
}

/// The YAML `text` with its first `find` replaced by `with`.
fn edited(text: &str, find: &str, with: &str) -> Value {
    assert!(text.contains(find), "{find}");
    yaml(&text.replacen(find, with, 1))
}

#[test]
fn misspelt_keys_and_unknown_values_are_refused() {
    let story = validator("story.schema.json");
    let text = story_text();
    let fm = front_matter_yaml(&text);
    assert_valid(&story, &yaml(fm), "the base story");
    // Each edit, and the path of the value it makes wrong ("" the root).
    for (find, with, refused) in [
        (
            "title: \"A Story\"\n",
            "title: \"A Story\"\nsumary: x\n",
            "",
        ),
        (
            "    published: 2025-05-15\n",
            "    published: 2025-05-15\n    bias: centre\n",
            "/sources/0/bias",
        ),
        (
            "    published: 2025-05-15\n",
            "    published: 2025-05-15\n    sorce: x\n",
            "/sources/0",
        ),
        ("date: 2025-05-15\n", "date: 15/05/2025\n", "/date"),
        (
            "date: 2025-05-15\n",
            "date: 2025-05-15\nslug: Not A Slug\n",
            "/slug",
        ),
        ("title: \"A Story\"\n", "title: [a, b]\n", "/title"),
        ("title: \"A Story\"\n", "", ""),
    ] {
        let errors = errors(&story, &edited(fm, find, with));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{refused}: "))),
            "{with:?} at {refused:?}: {errors:#?}"
        );
    }
    // Numbers and booleans are text, as the validator reads them.
    assert_valid(
        &story,
        &edited(fm, "title: \"A Story\"\n", "title: 1984\n"),
        "title: 1984",
    );

    let outlets = validator("outlets.schema.json");
    assert_valid(&outlets, &yaml(OUTLETS), "the base registry");
    for (find, with) in [
        ("  bias: center\n", "  bias: centre\n"),
        ("  factuality: high\n", "  factuality: great\n"),
        ("  owner: Left Media\n", "  ownr: Left Media\n"),
        ("left-daily:\n", "Left Daily:\n"),
        ("left-daily:\n", "left--daily:\n"),
    ] {
        assert!(!outlets.is_valid(&edited(OUTLETS, find, with)), "{with:?}");
    }

    let site = validator("site.schema.json");
    let base = "title: T\ntheme: default\nblindspot:\n  max_share: 0.2\n";
    assert_valid(&site, &yaml(base), "the base site.yaml");
    for (find, with) in [
        ("theme: default\n", "themee: default\n"),
        ("  max_share: 0.2\n", "  max_shares: 0.2\n"),
        (
            "theme: default\n",
            "theme: default\nstories_per_page: many\n",
        ),
    ] {
        assert!(!site.is_valid(&edited(base, find, with)), "{with:?}");
    }
}

/// A story with every key written.
fn story_text() -> String {
    "---
title: \"A Story\"
summary: What happened.
date: 2025-05-15
updated: 2025-05-15T12:00:00+02:00
draft: false
topics: [World, 2025]
location: Istanbul
image:
  src: https://example.org/photo.jpg
  alt: A photo.
  credit: Someone
ai_summary: true
perspectives:
  left: [One.]
  center: []
  right: [Two.]
sources:
  - outlet: left-daily
    title: Article
    url: https://example.org/1
    published: 2025-05-15
    excerpt: A sentence.
  - outlet: right-post
    title: Article 2
    url: https://example.org/2
    published: 2025-05-15T07:00:00Z
faq:
  - q: Why?
    a: Because.
history:
  - date: 2025-05-14
    text: It began.
related: []
---
The overview.
"
    .to_string()
}

/// Every copy of `instance` with one key that `schema` requires left out,
/// found by following `instance` down `schema` (through `$ref`, `anyOf`,
/// `items` and `additionalProperties`); each with where the key was.
fn without_each_required(
    root: &Value,
    schema: &Value,
    instance: &Value,
    at: &str,
) -> Vec<(String, Value)> {
    let mut schema = schema;
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        schema = root
            .pointer(reference.trim_start_matches('#'))
            .expect("a $ref");
    }
    let mut found = Vec::new();
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        for option in options {
            found.extend(without_each_required(root, option, instance, at));
        }
    }
    match instance {
        Value::Object(map) => {
            for key in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key = key.as_str().unwrap();
                let mut copy = map.clone();
                if copy.remove(key).is_some() {
                    found.push((format!("{at}/{key}"), Value::Object(copy)));
                }
            }
            for (key, value) in map {
                let sub = schema
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| schema.get("additionalProperties"));
                if let Some(sub) = sub.filter(|s| s.is_object()) {
                    for (path, variant) in
                        without_each_required(root, sub, value, &format!("{at}/{key}"))
                    {
                        let mut copy = map.clone();
                        copy.insert(key.clone(), variant);
                        found.push((path, Value::Object(copy)));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    for (path, variant) in
                        without_each_required(root, sub, item, &format!("{at}/{i}"))
                    {
                        let mut copy = items.clone();
                        copy[i] = variant;
                        found.push((path, Value::Array(copy)));
                    }
                }
            }
        }
        _ => {}
    }
    found
}

fn to_yaml(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap()
}

/// What the schemas require, `parallax check` requires too: a story, an
/// outlet or site.yaml with any one required key left out is an error.
#[test]
fn every_required_key_is_one_the_validator_requires() {
    let story_schema = read_json(&repo().join("schemas/story.schema.json"));
    let story = front_matter(&story_text());
    let variants = without_each_required(&story_schema, &story_schema, &story, "");
    assert!(
        variants.len() >= 12,
        "{:?}",
        variants.iter().map(|v| &v.0).collect::<Vec<_>>()
    );
    let site = TestSite::new();
    site.write("content/stories/a-story.md", &story_text());
    site.cmd(&["check"]).assert().success();
    for (i, (_, variant)) in variants.iter().enumerate() {
        site.write(
            &format!("content/stories/variant-{i}.md"),
            &format!("---\n{}---\nThe overview.\n", to_yaml(variant)),
        );
    }
    let out = site.cmd(&["check"]).assert().code(1);
    let errors = stderr(&out);
    for (i, (path, _)) in variants.iter().enumerate() {
        assert!(
            errors.contains(&format!("content/stories/variant-{i}.md:")),
            "without {path} the story is still valid:\n{errors}"
        );
    }

    refused_without_each_required(
        "outlets.schema.json",
        "content/outlets.yaml",
        "solo:\n  name: Solo\n  bias: center\n",
        &["solo: missing key 'name'"],
    );
    refused_without_each_required(
        "site.schema.json",
        "site.yaml",
        "title: T\nnewsletter:\n  text: Sign up.\n  url: https://example.org/n\n",
        &[
            "newsletter: missing key 'text'",
            "newsletter: missing key 'url'",
        ],
    );
}

/// `file`, written as `text` in an otherwise valid site, with each key the
/// schema requires left out in turn: `parallax check` refuses each, with
/// the message listed for it.
fn refused_without_each_required(schema: &str, file: &str, text: &str, messages: &[&str]) {
    let schema = read_json(&repo().join("schemas").join(schema));
    let variants = without_each_required(&schema, &schema, &yaml(text), "");
    assert_eq!(variants.len(), messages.len(), "{file}");
    for ((path, variant), message) in variants.iter().zip(messages) {
        let site = TestSite::new();
        site.write(file, &to_yaml(variant));
        let out = site.cmd(&["check"]).assert().code(1);
        let errors = stderr(&out);
        assert!(errors.contains(message), "{file} without {path}: {errors}");
    }
}

#[test]
fn init_writes_the_schemas_and_points_its_yaml_at_them() {
    let dir = tempfile::TempDir::new().unwrap();
    let site = dir.path().join("briefs");
    let init = assert_cmd::Command::cargo_bin("parallax")
        .unwrap()
        .arg("init")
        .arg(&site)
        .assert();
    init.success();
    let fresh = run_schema(&[]);
    for name in NAMES {
        assert_eq!(
            std::fs::read(site.join("schemas").join(name)).unwrap(),
            std::fs::read(fresh.path().join("schemas").join(name)).unwrap(),
            "{name}"
        );
    }
    // yaml-language-server reads a modeline's relative path from the
    // folder of the file it is in.
    for (file, schema) in [
        ("site.yaml", "site.schema.json"),
        ("content/outlets.yaml", "outlets.schema.json"),
    ] {
        let text = std::fs::read_to_string(site.join(file)).unwrap();
        let first = text.lines().next().unwrap();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{file} starts with {first:?}"));
        let resolved = site.join(file).parent().unwrap().join(target);
        assert_eq!(
            resolved.canonicalize().unwrap(),
            site.join("schemas").join(schema).canonicalize().unwrap(),
            "{file}"
        );
        let validator = jsonschema::validator_for(&read_json(&resolved)).unwrap();
        assert_valid(&validator, &yaml(&text), file);
    }
    let story = validator("story.schema.json");
    for file in markdown_files(&site.join("content/stories")) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_valid(&story, &front_matter(&text), &file.display().to_string());
    }
}
