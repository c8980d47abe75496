//! The integration tests: one binary, a module per feature. Each test copies
//! or writes a site into a temporary folder, runs the real `parallax` binary
//! on it and checks what it wrote (parsed HTML, JSON, XML), what it printed
//! and its exit code.

#[path = "../common/rng.rs"]
mod rng;
#[path = "../common/sitegen.rs"]
mod sitegen;
mod support;

mod cache;
mod cards;
mod checks;
mod commit;
mod corpus;
mod errors;
mod escaping;
mod example_site;
mod features;
mod fuzz_regressions;
mod i18n;
mod links;
mod output_safety;
mod pages;
mod pagination;
mod publishing;
mod rebuild;
mod reporting;
mod scaffold;
mod schedule;
mod schema;
mod search;
mod serve;
mod themes;
mod watch;
