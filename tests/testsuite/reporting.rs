//! How problems are reported: the text with its code frame, the summary
//! line, JSON lines for tools, workflow commands for GitHub Actions,
//! `--strict`, and the refusal to work in a folder that is not a site.

use crate::support::*;

const BAD_KEY: &str = "---\ntitle: T\nsumary: S\ndate: 2025-05-15\nsources:\n  - outlet: center-wire\n    title: A\n    url: https://e.org/a\n    published: 2025-05-15\n---\nText.\n";

fn site_with_a_bad_key() -> TestSite {
    let site = TestSite::new();
    site.write("content/stories/a.md", BAD_KEY);
    site
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

const UNKNOWN_KEY: &str = "unknown key 'sumary' (expected one of: title, summary, date, updated, slug, draft, topics, location, image, ai_summary, perspectives, sources, faq, history, corrections, related)";

#[test]
fn an_error_is_its_line_then_a_code_frame_then_the_summary() {
    let site = site_with_a_bad_key();
    let out = site
        .cmd(&["check"])
        .env_remove("GITHUB_ACTIONS")
        .assert()
        .code(1);
    assert_eq!(
        stderr(&out),
        format!(
            "error: content/stories/a.md:3:1: {UNKNOWN_KEY}\n  |\n3 | sumary: S\n  | ^^^^^^\n  |\n  = help: did you mean 'summary'?\n1 error in 1 file; nothing was written\n"
        )
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn json_lines_carry_every_field_and_a_summary_and_nothing_else() {
    let site = site_with_a_bad_key();
    for command in ["check", "build"] {
        let out = site
            .cmd(&[command, "--format", "json"])
            .env("GITHUB_ACTIONS", "false")
            .assert()
            .code(1);
        let lines: Vec<serde_json::Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        assert_eq!(
            lines,
            vec![
                serde_json::json!({"severity": "error", "file": "content/stories/a.md",
                    "line": 3, "column": 1, "key": null, "message": UNKNOWN_KEY,
                    "help": "did you mean 'summary'?"}),
                serde_json::json!({"summary": {"errors": 1, "warnings": 0}}),
            ],
            "{command}"
        );
        assert_eq!(stderr(&out), "", "{command}: nothing for people");
    }
    assert!(!site.exists("index.html"));
}

#[test]
fn a_warning_is_printed_and_counted_and_strict_makes_it_an_error() {
    let site = TestSite::without_warnings();
    site.write("site.yaml", "title: No URL\n");
    let warning = "warning: site.yaml: base_url: no base_url: absolute URLs (feed, sitemap, canonical links) use http://127.0.0.1:1111\nhelp: add `base_url: https://your.site/` to site.yaml, or pass --base-url\n";
    let out = site.cmd(&["check"]).assert().success();
    assert_eq!(
        stderr(&out),
        format!("{warning}ok: 1 story, 0 pages, 1 outlet; 1 warning in 1 file\n")
    );
    let out = site.cmd(&["check", "--strict"]).assert().code(1);
    assert_eq!(
        stderr(&out),
        format!("{warning}1 warning in 1 file; nothing was written\n")
    );
    site.cmd(&["build", "--strict"]).assert().code(1);
    assert!(!site.exists("index.html"), "--strict writes nothing");
    let out = site.cmd(&["build"]).assert().success();
    assert!(stderr(&out).starts_with(warning), "{}", stderr(&out));
    assert!(site.exists("index.html"));

    let out = site
        .cmd(&["check", "--format", "json"])
        .env("GITHUB_ACTIONS", "false")
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["severity"], "warning");
    assert_eq!(lines[0]["key"], "base_url");
    assert_eq!(lines[0]["line"], serde_json::Value::Null);
    assert_eq!(
        lines[1],
        serde_json::json!({"summary": {"errors": 0, "warnings": 1,
            "stories": 1, "pages": 0, "outlets": 1, "drafts_skipped": 0,
            "scheduled_skipped": 0, "next_scheduled": null}})
    );
}

#[test]
fn on_github_actions_each_problem_is_a_workflow_command_on_its_line() {
    let site = site_with_a_bad_key();
    let parent = site.root().parent().unwrap();
    let name = site.root().file_name().unwrap().to_str().unwrap();
    // Run from the site's parent folder: the path is relative to it.
    let out = assert_cmd::Command::cargo_bin("parallax")
        .unwrap()
        .current_dir(parent)
        .args(["--root", name, "check"])
        .env("GITHUB_ACTIONS", "true")
        .assert()
        .code(1);
    assert_eq!(
        stdout(&out),
        format!("::error file={name}/content/stories/a.md,line=3,col=1::{UNKNOWN_KEY} (did you mean 'summary'?)\n")
    );
    // With JSON on stdout, the commands go to stderr.
    let out = assert_cmd::Command::cargo_bin("parallax")
        .unwrap()
        .current_dir(parent)
        .args(["--root", name, "check", "--format", "json"])
        .env("GITHUB_ACTIONS", "true")
        .assert()
        .code(1);
    assert_eq!(
        stderr(&out),
        format!("::error file={name}/content/stories/a.md,line=3,col=1::{UNKNOWN_KEY} (did you mean 'summary'?)\n")
    );
    assert_eq!(stdout(&out).lines().count(), 2);
}

#[test]
fn a_folder_that_is_not_a_site_is_refused_by_every_command_but_init() {
    let dir = tempfile::TempDir::new().unwrap();
    let shown = dir.path().display().to_string();
    for args in [
        vec!["build"],
        vec!["check"],
        vec!["watch"],
        vec!["serve", "--port", "0"],
        vec!["new", "story", "A title"],
    ] {
        let out = assert_cmd::Command::cargo_bin("parallax")
            .unwrap()
            .arg("--root")
            .arg(dir.path())
            .args(&args)
            .assert()
            .code(1);
        assert_eq!(
            stderr(&out),
            format!("error: not a Parallax site: {shown} has neither site.yaml nor content/\nhelp: make one with `parallax init DIR`, or point at one with `--root DIR`\n"),
            "{args:?}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing was created"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_parallax()"),
        ("zsh", "#compdef parallax"),
        ("fish", "complete -c parallax"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = assert_cmd::Command::cargo_bin("parallax")
            .unwrap()
            .args(["completions", shell])
            .assert()
            .success();
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}");
        assert!(
            script.contains("build") && script.contains("strict"),
            "{shell}"
        );
    }
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    // `script` (util-linux) runs the command on a pseudo-terminal.
    if !std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_ALL_TESTS").is_none(),
            "script (util-linux) is needed for this test"
        );
        eprintln!("skip: no `script` command to give parallax a terminal");
        return;
    }
    let site = site_with_a_bad_key();
    let binary = assert_cmd::cargo::cargo_bin("parallax");
    let on_a_terminal = |no_color: bool| {
        let command = format!(
            "{} --root {} check",
            binary.display(),
            site.root().display()
        );
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", &command, "/dev/null"]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    let coloured = on_a_terminal(false);
    assert!(coloured.contains("\u{1b}["), "{coloured:?}");
    assert!(coloured.contains("sumary: S"), "{coloured:?}");
    let plain = on_a_terminal(true);
    assert!(!plain.contains("\u{1b}["), "{plain:?}");
    assert!(
        plain.contains("error: content/stories/a.md:3:1: unknown key 'sumary'"),
        "{plain:?}"
    );
    // Not a terminal (as in every other test): no colour either.
    let piped = site.cmd(&["check"]).env_remove("NO_COLOR").assert().code(1);
    assert!(!stderr(&piped).contains('\u{1b}'));
}
