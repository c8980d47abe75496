//! One small function per command: call the library, report the outcome,
//! return the exit code (0 success, 1 content errors, 2 bad usage). Printing
//! happens here and nowhere deeper.

use crate::build::{self, Failure, Options};
use crate::clock::Schedule;
use crate::model::Scheduled;
use crate::paths;
use crate::report::{count, Counts, Format, Reporter, WithSource};
use std::path::{Path, PathBuf};

/// How long `check --external` waits for each answer, unless told.
pub use crate::external::DEFAULT_TIMEOUT as EXTERNAL_TIMEOUT;

pub const EXIT_OK: u8 = 0;
pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

pub struct BuildArgs {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub strict: bool,
    pub format: Format,
    pub schedule: Schedule,
}

pub struct CheckArgs {
    pub root: PathBuf,
    pub drafts: bool,
    pub strict: bool,
    pub format: Format,
    /// Also request every outside link (`--external`), each within this
    /// timeout (`--timeout`).
    pub external: Option<std::time::Duration>,
    pub schedule: Schedule,
}

/// Prints a failure and gives its exit code.
pub fn report_failure(failure: &Failure, reporter: &Reporter) -> u8 {
    match failure {
        Failure::Content(diags) => {
            reporter.diagnostics(diags);
            let counts = Counts::of(diags);
            let sentence = format!("{}; nothing was written", counts.sentence());
            reporter.summary(counts, &sentence, serde_json::json!({}));
            EXIT_CONTENT
        }
        Failure::Refused(why) => {
            report_plain(reporter, why, "");
            EXIT_USAGE
        }
        Failure::Io(why) => {
            report_plain(reporter, why, "\nthe previous output was left as it was");
            EXIT_CONTENT
        }
        Failure::Commit(why) => {
            let after = "\nthe output is partly updated; the next build completes it";
            report_plain(reporter, why, after);
            EXIT_CONTENT
        }
    }
}

/// A failure that is not about one input file: the output folder, the disk.
fn report_plain(reporter: &Reporter, why: &str, after: &str) {
    match reporter.format() {
        Format::Human => eprintln!("error: {why}{after}"),
        Format::Json => {
            println!("{}", crate::report::json_error_line(why));
            let counts = Counts {
                errors: 1,
                ..Counts::default()
            };
            reporter.summary(counts, "", serde_json::json!({}));
        }
    }
}

/// "load 12 ms, validate 40 ms, …"
fn stage_times(report: &crate::build::Report) -> String {
    let stages: Vec<String> = report
        .stages
        .iter()
        .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
        .collect();
    stages.join(", ")
}

/// "; 2 warnings in 1 file", or nothing.
fn warnings_clause(warnings: &[WithSource]) -> String {
    if warnings.is_empty() {
        String::new()
    } else {
        format!("; {}", Counts::of(warnings).sentence())
    }
}

/// " (2 drafts skipped: --drafts builds them)", or nothing.
fn drafts_clause(skipped: usize) -> String {
    if skipped == 0 {
        String::new()
    } else {
        format!(
            " ({} skipped: --drafts includes {})",
            count(skipped, "draft", "drafts"),
            if skipped == 1 { "it" } else { "them" }
        )
    }
}

/// " (1 scheduled story held back: --future includes it)", or nothing.
fn scheduled_clause(skipped: usize) -> String {
    if skipped == 0 {
        String::new()
    } else {
        format!(
            " ({} held back: --future includes {})",
            count(skipped, "scheduled story", "scheduled stories"),
            if skipped == 1 { "it" } else { "them" }
        )
    }
}

/// "next scheduled story: 2026-12-02 06:00 UTC (slug)": when to build again.
fn next_scheduled_line(next: &Scheduled) -> String {
    format!(
        "next scheduled story: {} ({})",
        next.date
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M UTC"),
        next.slug
    )
}

/// The next scheduled story for `--format json`: its date (RFC 3339, UTC)
/// and slug, or null.
fn next_scheduled_json(next: Option<&Scheduled>) -> serde_json::Value {
    match next {
        Some(next) => serde_json::json!({
            "date": crate::render::rfc3339(&next.date.to_utc().fixed_offset()),
            "slug": next.slug,
        }),
        None => serde_json::Value::Null,
    }
}

pub fn build(args: BuildArgs) -> u8 {
    let reporter = Reporter::new(args.format, &args.root);
    // A mistyped --root must not build an empty site (or make a folder).
    if let Err(code) = site_root(&args.root) {
        return code;
    }
    let options = Options {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    match build::build_strict(&options, args.strict, args.schedule) {
        Ok(report) => {
            reporter.diagnostics(&report.warnings);
            let total = report.total();
            let sentence = format!(
                "built {}{}{} and {} into {} in {} ms ({} files: {} written, {} unchanged, {} removed; {}){}",
                count(report.stories, "story", "stories"),
                drafts_clause(report.drafts_skipped),
                scheduled_clause(report.scheduled_skipped),
                count(report.pages, "page", "pages"),
                options.output.display(),
                total.as_millis(),
                report.outputs,
                report.summary.written,
                report.summary.unchanged,
                report.summary.removed,
                stage_times(&report),
                warnings_clause(&report.warnings),
            );
            let extra = serde_json::json!({
                "stories": report.stories,
                "drafts_skipped": report.drafts_skipped,
                "scheduled_skipped": report.scheduled_skipped,
                "next_scheduled": next_scheduled_json(report.next_scheduled.as_ref()),
                "pages": report.pages,
                "files": report.outputs,
                "written": report.summary.written,
                "unchanged": report.summary.unchanged,
                "removed": report.summary.removed,
            });
            reporter.summary(Counts::of(&report.warnings), &sentence, extra);
            if let Some(next) = &report.next_scheduled {
                reporter.note(&next_scheduled_line(next));
            }
            EXIT_OK
        }
        Err(failure) => report_failure(&failure, &reporter),
    }
}

pub fn check(args: CheckArgs) -> u8 {
    let reporter = Reporter::new(args.format, &args.root);
    if let Err(code) = site_root(&args.root) {
        return code;
    }
    match build::check(
        &args.root,
        None,
        args.drafts,
        args.strict,
        args.external,
        args.schedule,
    ) {
        Ok(checked) => {
            reporter.diagnostics(&checked.warnings);
            let site = &checked.site;
            let sentence = format!(
                "ok: {}, {}, {}{}{}{}",
                count(site.stories.len(), "story", "stories"),
                count(site.pages.len(), "page", "pages"),
                count(site.outlets.len(), "outlet", "outlets"),
                drafts_clause(site.drafts_skipped),
                scheduled_clause(site.scheduled_skipped),
                warnings_clause(&checked.warnings),
            );
            let extra = serde_json::json!({
                "stories": site.stories.len(),
                "pages": site.pages.len(),
                "outlets": site.outlets.len(),
                "drafts_skipped": site.drafts_skipped,
                "scheduled_skipped": site.scheduled_skipped,
                "next_scheduled": next_scheduled_json(site.next_scheduled.as_ref()),
            });
            reporter.summary(Counts::of(&checked.warnings), &sentence, extra);
            if let Some(next) = &site.next_scheduled {
                reporter.note(&next_scheduled_line(next));
            }
            EXIT_OK
        }
        Err(failure) => report_failure(&failure, &reporter),
    }
}

pub fn init(dir: &Path, force: bool) -> u8 {
    match crate::scaffold::init(dir, force) {
        Ok(done) => {
            for f in done.created {
                eprintln!("created {}", f.display());
            }
            for f in done.kept {
                eprintln!("kept {} (it was already there)", f.display());
            }
            eprintln!("next: parallax --root {} build", dir.display());
            EXIT_OK
        }
        Err(why) => {
            eprintln!("error: {why}");
            EXIT_USAGE
        }
    }
}

pub fn schema(out: &Path) -> u8 {
    match crate::scaffold::write_schemas(out) {
        Ok(written) => {
            for path in written {
                eprintln!("wrote {}", path.display());
            }
            EXIT_OK
        }
        Err(why) => {
            eprintln!("error: {why}");
            EXIT_USAGE
        }
    }
}

pub fn new_story(root: &Path, title: &str) -> u8 {
    if let Err(code) = site_root(root) {
        return code;
    }
    let today = chrono::Utc::now();
    match crate::scaffold::new_story(root, title, today) {
        Ok(path) => {
            println!("{}", path.display());
            EXIT_OK
        }
        Err(why) => {
            eprintln!("error: {why}");
            EXIT_USAGE
        }
    }
}

fn describe(changes: &[crate::build::Change]) -> String {
    use crate::build::Change;
    let names: Vec<String> = changes
        .iter()
        .map(|c| match c {
            Change::Everything => paths::SITE_YAML.to_string(),
            Change::Outlets => paths::OUTLETS_YAML.to_string(),
            Change::Story(p) => p.display().to_string(),
            Change::StoryTree => paths::STORIES_DIR.to_string(),
            Change::Pages => paths::PAGES_DIR.to_string(),
            Change::Theme => "theme".to_string(),
            Change::I18n => format!("{}/", paths::I18N_DIR),
        })
        .collect();
    names.join(", ")
}

/// Prints one watch-mode rebuild; returns the problems (for the page overlay).
fn print_outcome(outcome: &crate::watch::Outcome, output: &Path) -> Vec<String> {
    match outcome.result {
        Ok(report) => {
            let ms = report.total().as_millis();
            let what = if outcome.due {
                format!("rebuilt in {ms} ms: a scheduled time came (a story fell due, or left the news sitemap)")
            } else if outcome.changes.is_empty() {
                format!("built in {ms} ms")
            } else {
                format!("rebuilt in {ms} ms after {}", describe(outcome.changes))
            };
            eprintln!(
                "{what}: {} pages rendered, {} files written, {} removed ({})",
                report.rendered,
                report.summary.written,
                report.summary.removed,
                stage_times(report)
            );
            if let Some(next) = &report.next_scheduled {
                eprintln!("{}", next_scheduled_line(next));
            }
            Vec::new()
        }
        Err(failure) => {
            let problems = match failure {
                Failure::Content(diags) => diags.iter().map(|(d, _)| d.to_string()).collect(),
                Failure::Refused(why) | Failure::Io(why) | Failure::Commit(why) => {
                    vec![why.clone()]
                }
            };
            report_failure(failure, &Reporter::new(Format::Human, output));
            eprintln!(
                "the last good output stays in {}; waiting for the next save",
                output.display()
            );
            problems
        }
    }
}

/// The site folder, made absolute; a folder that is not a Parallax site is
/// refused before anything is read or written.
fn site_root(root: &Path) -> Result<PathBuf, u8> {
    let canonical = root.canonicalize().map_err(|e| {
        eprintln!("error: {}: {e}", root.display());
        EXIT_USAGE
    })?;
    if !crate::load::is_site(&canonical) {
        eprintln!(
            "error: not a Parallax site: {} has neither {} nor {}/\n\
             help: make one with `parallax init DIR`, or point at one with `--root DIR`",
            root.display(),
            paths::SITE_YAML,
            paths::CONTENT_DIR,
        );
        return Err(EXIT_CONTENT);
    }
    Ok(canonical)
}

/// The path of site.yaml's base_url (`/` when it has none, or site.yaml
/// cannot be read: the build reports that).
fn configured_base_path(root: &Path) -> String {
    let (site_yaml, _) = crate::load::site_yaml(root);
    crate::validate::config(site_yaml.as_ref(), None)
        .0
        .base_path
}

fn start_watch(options: Options, schedule: Schedule) -> Result<crate::watch::Watch, u8> {
    if let Err(crate::write::Refused(why)) =
        crate::write::check_output(&options.root, &options.output)
    {
        eprintln!("error: {why}");
        return Err(EXIT_USAGE);
    }
    let mut watch = crate::watch::Watch::new(options, schedule).map_err(|why| {
        eprintln!("error: {why}");
        EXIT_CONTENT
    })?;
    // The index lags the pages by design; only a failure is worth a line.
    watch.on_search_index(Box::new(|outcome| {
        if let Err(why) = outcome {
            eprintln!("error: {why}");
        }
    }));
    // Ctrl-C, SIGTERM and SIGHUP alike (ctrlc's `termination` feature) stop
    // the watch after the rebuild in progress, so the output is complete and
    // `serve` can remove its folder.
    let stopper = watch.stopper();
    if let Err(e) = ctrlc::set_handler(move || stopper.stop()) {
        eprintln!("warning: cannot catch Ctrl-C: {e}");
    }
    Ok(watch)
}

pub fn watch(root: &Path, output: Option<PathBuf>, drafts: bool, schedule: Schedule) -> u8 {
    let root = match site_root(root) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let output = output.unwrap_or_else(|| root.join(paths::DEFAULT_OUTPUT_DIR));
    let options = Options {
        root,
        output: output.clone(),
        base_url: None,
        drafts,
    };
    let watch = match start_watch(options, schedule) {
        Ok(w) => w,
        Err(code) => return code,
    };
    eprintln!("watching for changes; Ctrl-C to stop");
    watch.run(&mut |outcome| {
        print_outcome(&outcome, &output);
    });
    eprintln!("stopped; {} holds the last good build", output.display());
    EXIT_OK
}

pub fn serve(root: &Path, port: u16, bind: &str, drafts: bool, schedule: Schedule) -> u8 {
    let root = match site_root(root) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let limits = crate::serve::Limits::raised();
    if limits.connections < crate::serve::MAX_CONNECTIONS {
        eprintln!(
            "warning: the open-file limit is {}: serving at most {} connections and {} live-reload streams at once",
            limits.open_files, limits.connections, limits.streams
        );
    }
    let mut server = match crate::serve::Server::bind(bind, port, limits) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on {bind}:{port}: {e}");
            return EXIT_USAGE;
        }
    };
    let port = server.port();
    let host = match bind {
        "0.0.0.0" | "::" => "127.0.0.1",
        other => other,
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    // Served under the path of the site's own base_url, as its host will
    // serve it, so that a link that forgets the path breaks here too.
    let base_path = configured_base_path(&root);
    let base_url = format!("http://{host}:{port}{}", base_path.trim_end_matches('/'));
    // The served build goes to a folder of its own, so public/ keeps the
    // site's real base_url.
    let scratch = match tempfile::Builder::new().prefix("parallax-serve-").tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("error: cannot make a folder for the served site: {e}");
            return EXIT_CONTENT;
        }
    };
    let output = scratch.path().join("site");
    let options = Options {
        root,
        output: output.clone(),
        base_url: Some(base_url.clone()),
        drafts,
    };
    let watch = match start_watch(options, schedule) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let hub = std::sync::Arc::new(crate::serve::Hub::default());
    let mut started = false;
    // Until Ctrl-C, SIGTERM or SIGHUP (see `start_watch`).
    watch.run(&mut |outcome| {
        let problems = print_outcome(&outcome, &output);
        if problems.is_empty() {
            hub.built();
        } else {
            hub.failed(problems);
        }
        // The server starts once the first build is done (or has failed).
        if !started {
            started = true;
            server.start(output.clone(), base_path.clone(), hub.clone());
            eprintln!("serving {base_url}/ (live reload on); Ctrl-C to stop");
        }
    });
    server.stop();
    let folder = scratch.path().display().to_string();
    match scratch.close() {
        Ok(()) => eprintln!("stopped; removed the served build in {folder}"),
        Err(e) => eprintln!("stopped; warning: cannot remove {folder}: {e}"),
    }
    EXIT_OK
}
