//! The command line: parse it, run the command, turn the result into an exit
//! code. Nothing else happens here.

use clap::{Args, CommandFactory, Parser, Subcommand};
use parallax::clock::{Clock, Schedule};
use parallax::commands::{self, BuildArgs, CheckArgs};
use parallax::paths;
use parallax::report::Format;
use std::path::PathBuf;
use std::process::ExitCode;

/// Compiles a folder of story briefs into a static site.
#[derive(Parser)]
#[command(name = "parallax", version, about, propagate_version = true)]
struct Cli {
    /// The site folder (where site.yaml and content/ are)
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output)
    Build {
        /// Where to write the site (default: ROOT/public)
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Override site.yaml's base_url
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Also publish stories marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors: nothing is written when there are any
        #[arg(long)]
        strict: bool,
        /// How to print problems: text for people, or JSON lines for tools
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        schedule: ScheduleArgs,
    },
    /// Load and validate everything, write nothing, report every error
    Check {
        /// Also check as if drafts were published
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors (exit 1 when there are any)
        #[arg(long)]
        strict: bool,
        /// How to print problems: text for people, or JSON lines for tools
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also request every outside link (sources' URLs, http(s) links in Markdown); a dead one is a warning
        #[arg(long)]
        external: bool,
        /// With --external: how long to wait for each answer
        #[arg(
            long,
            value_name = "SECONDS",
            default_value_t = commands::EXTERNAL_TIMEOUT.as_secs(),
            value_parser = clap::value_parser!(u64).range(1..),
            requires = "external"
        )]
        timeout: u64,
        #[command(flatten)]
        schedule: ScheduleArgs,
    },
    /// Build, then rebuild what each change affects, until Ctrl-C
    Watch {
        /// Where to write the site (default: ROOT/public)
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Also publish stories marked `draft: true`
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        schedule: ScheduleArgs,
    },
    /// Watch, and serve the site locally with live reload
    Serve {
        /// The port to listen on (0: any free port)
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on (0.0.0.0 to let other machines in)
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: String,
        /// Also publish stories marked `draft: true`
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        schedule: ScheduleArgs,
    },
    /// Create a new site in DIR with one example story and an outlet registry
    Init {
        /// The folder to create (must not exist, or be empty)
        dir: PathBuf,
        /// Also in a folder that is not empty (existing files are never overwritten)
        #[arg(long)]
        force: bool,
    },
    /// Create new content
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Write the JSON Schemas of story front matter, outlets.yaml and site.yaml, for editors' tools
    Schema {
        /// Where to write them, relative to the current folder (not to --root)
        #[arg(long, default_value = "schemas", value_name = "DIR")]
        out: PathBuf,
    },
    /// Print a shell completion script (e.g. `parallax completions bash > ~/.local/share/bash-completion/completions/parallax`)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

/// When stories are published: a story dated later than now waits.
#[derive(Args)]
struct ScheduleArgs {
    /// Also publish stories dated in the future (for previews)
    #[arg(long)]
    future: bool,
    /// Publish as if it were this time (RFC 3339, e.g. 2026-12-02T06:00:00Z); the clock runs on from it
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    now: Option<chrono::DateTime<chrono::Utc>>,
}

impl ScheduleArgs {
    fn schedule(self) -> Schedule {
        Schedule {
            future: self.future,
            clock: self.now.map_or(Clock::System, Clock::starting_at),
        }
    }
}

fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{e} (expected an RFC 3339 time such as 2026-12-02T06:00:00Z)"))
}

#[derive(Subcommand)]
enum NewCommand {
    /// A story file dated today, with every key stubbed
    Story {
        /// The story's title
        title: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            strict,
            format,
            schedule,
        } => commands::build(BuildArgs {
            output: output.unwrap_or_else(|| cli.root.join(paths::DEFAULT_OUTPUT_DIR)),
            root: cli.root,
            base_url,
            drafts,
            strict,
            format,
            schedule: schedule.schedule(),
        }),
        Command::Check {
            drafts,
            strict,
            format,
            external,
            timeout,
            schedule,
        } => commands::check(CheckArgs {
            root: cli.root,
            drafts,
            strict,
            format,
            external: external.then_some(std::time::Duration::from_secs(timeout)),
            schedule: schedule.schedule(),
        }),
        Command::Watch {
            output,
            drafts,
            schedule,
        } => commands::watch(&cli.root, output, drafts, schedule.schedule()),
        Command::Serve {
            port,
            bind,
            drafts,
            schedule,
        } => commands::serve(&cli.root, port, &bind, drafts, schedule.schedule()),
        Command::Init { dir, force } => commands::init(&dir, force),
        Command::New {
            what: NewCommand::Story { title },
        } => commands::new_story(&cli.root, &title),
        Command::Schema { out } => commands::schema(&out),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "parallax",
                &mut std::io::stdout(),
            );
            commands::EXIT_OK
        }
    };
    ExitCode::from(code)
}

// Rendering allocates many small strings and maps across threads; mimalloc
// handles that markedly faster than the system allocator. Its `no_thp`
// feature keeps it from asking for transparent huge pages: with them, the
// 10,000-story build peaked 55 MiB higher (2 MiB pages, partly used, count
// whole) and was no faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
