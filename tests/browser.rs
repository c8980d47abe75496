//! Browser tests of the default theme (tests/browser/run.mjs): axe-core in
//! light and dark, the Nu HTML checker on every kind of page, the tabs and
//! filters with and without JavaScript, no foreign requests, screenshots;
//! and `parallax serve` itself: its 404 page, live reload and the error
//! overlay.
//!
//! They need Node.js with npm, Java, and Debian's Chromium at /usr/bin/chromium
//! (or CHROMIUM_PATH). Without them the test says what is missing and passes,
//! unless PARALLAX_REQUIRE_ALL_TESTS is set (as in CI), when it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    for (program, arg) in [
        ("node", "--version"),
        ("npm", "--version"),
        ("java", "-version"),
    ] {
        if !runs(program, arg) {
            missing.push(program.to_string());
        }
    }
    let chromium = chromium_path();
    if !chromium.is_file() {
        missing.push(chromium.display().to_string());
    }
    missing
}

fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Whether `npm ci` has installed every package the tests use.
fn installed(dir: &Path) -> bool {
    ["playwright-core", "axe-core", "vnu-jar"].iter().all(|p| {
        dir.join("node_modules")
            .join(p)
            .join("package.json")
            .is_file()
    })
}

fn show(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn default_theme_in_a_real_browser() {
    let missing = missing_tools();
    if !missing.is_empty() {
        let message = format!(
            "browser tests need {}; see tests/browser/README.md",
            missing.join(", ")
        );
        if std::env::var_os("PARALLAX_REQUIRE_ALL_TESTS").is_some() {
            panic!("{message} (PARALLAX_REQUIRE_ALL_TESTS is set)");
        }
        eprintln!("SKIPPED: {message}");
        return;
    }

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !installed(&dir) {
        // --ignore-scripts: vnu-jar's install script would fetch a Java
        // runtime; the machine's own Java is used instead.
        let npm = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .output()
            .expect("run npm ci");
        assert!(npm.status.success(), "npm ci failed:\n{}", show(&npm));
    }

    let run = Command::new("node")
        .arg("run.mjs")
        .current_dir(&dir)
        .env("PARALLAX_BIN", env!("CARGO_BIN_EXE_parallax"))
        .env("CHROMIUM_PATH", chromium_path())
        .output()
        .expect("run node");
    let text = show(&run);
    println!("{text}");
    assert!(run.status.success(), "browser tests failed:\n{text}");
}
