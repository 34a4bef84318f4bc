//! The `mediflux` command: a thin layer that reads the settings, builds the
//! plugin host and dispatches to one module per command group.

mod catalog;
mod commands;
mod memory;
mod reference;
mod routing;
mod settings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Mediflux: answers about French health costs, medicines and care,
/// computed on this machine.
#[derive(Debug, Parser)]
#[command(name = "mediflux", version, about)]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Folder for Mediflux data (reference store, user plugins, compiled
    /// cache). Overrides MEDIFLUX_DATA_DIR and the configuration file.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<std::path::PathBuf>,

    /// Configuration file to read instead of the platform default.
    #[arg(long, global = true, value_name = "FILE", env = "MEDIFLUX_CONFIG")]
    config: Option<std::path::PathBuf>,

    /// Log more: -v for lifecycle lines, -vv for decisions, -vvv for traces.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ask a question in French, such as "Combien coûte le Doliprane ?".
    Ask {
        /// The question, in quotes.
        question: String,
        /// Profile the question is about; the default profile otherwise.
        #[arg(long, value_name = "LABEL")]
        profile: Option<String>,
        /// Never download the medicine data (BDPM), even when a medicine
        /// question finds none installed; also set by MEDIFLUX_OFFLINE=1
        /// or `offline = true` in the configuration file.
        #[arg(long)]
        offline: bool,
        /// Text file of a health document (carte de tiers payant, feuille
        /// de soins, ordonnance, attestation de droits) to analyse, in
        /// UTF-8 or Windows-1252. Images are not read yet.
        #[arg(long, value_name = "PATH")]
        file: Option<std::path::PathBuf>,
    },
    /// Show how a question is routed: intent, slots, confidence and layer.
    Route {
        /// The question, in quotes.
        question: String,
        /// Route with the rules alone, even when a local model is installed.
        #[arg(long)]
        rules_only: bool,
    },
    /// Measure parts of Mediflux on evaluation sets.
    #[command(subcommand)]
    Eval(commands::route::EvalCommand),
    /// List, check and query plugins.
    #[command(subcommand)]
    Plugins(commands::plugins::PluginsCommand),
    /// Query data-source plugins, import and sync their data.
    #[command(subcommand)]
    Data(commands::data::DataCommand),
    /// Search medicines and their generics in the BDPM data.
    #[command(subcommand)]
    Med(commands::med::MedCommand),
    /// Check, show and compare the yearly reimbursement rule sets.
    #[command(subcommand)]
    Rules(commands::rules::RulesCommand),
    /// Compute what the Assurance Maladie and the mutuelle pay for a
    /// medicine or a consultation, and the reste à charge, from explicit
    /// options, with the patient's profile for those left out.
    Simulate(Box<commands::simulate::SimulateArgs>),
    /// Create, show, export and erase the profiles of the people you ask
    /// for; they stay in this machine's data folder.
    #[command(subcommand)]
    Profile(commands::profile::ProfileCommand),
    /// Record franchises and participations forfaitaires already charged.
    #[command(subcommand)]
    Expense(commands::profile::ExpenseCommand),
    /// Print the folders Mediflux uses, after applying the configuration
    /// file, environment variables and flags.
    Paths,
}

fn main() -> ExitCode {
    exit_quietly_on_closed_stdout();
    let cli = Cli::parse();
    init_logging(cli.verbose);

    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = settings::Settings::resolve(cli.config.as_deref(), cli.data_dir.as_deref())?;
    let output = commands::Output { json: cli.json };
    match cli.command {
        Command::Ask {
            question,
            profile,
            offline,
            file,
        } => {
            let settings = settings::Settings {
                offline: settings.offline || offline,
                ..settings
            };
            commands::ask::run(
                &settings,
                &output,
                &question,
                profile.as_deref(),
                file.as_deref(),
            )
        }
        Command::Route {
            question,
            rules_only,
        } => commands::route::route(&settings, &output, &question, rules_only),
        Command::Eval(command) => commands::route::eval(&settings, &output, command),
        Command::Plugins(command) => commands::plugins::run(&settings, &output, command),
        Command::Data(command) => commands::data::run(&settings, &output, command),
        Command::Med(command) => commands::med::run(&settings, &output, command),
        Command::Rules(command) => commands::rules::run(&settings, &output, command),
        Command::Simulate(args) => commands::simulate::run(&settings, &output, &args),
        Command::Profile(command) => commands::profile::run(&settings, &output, command),
        Command::Expense(command) => commands::profile::run_expense(&settings, &output, command),
        Command::Paths => commands::paths::run(&settings, &output),
    }
}

/// Logs to standard error. `RUST_LOG` overrides the level chosen by `-v`.
/// `-v` raises the level of Mediflux's own crates and of plugin log lines
/// only. Wasmtime and the other dependencies stay at `warn`, because their
/// debug output drowns the lines a plugin author is looking for.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    // llama.cpp logs quirks of model files that a patient cannot act on,
    // and Mediflux reports its failures itself; its errors show from -v on.
    let llama_level = match verbose {
        0 => "off",
        1 => "error",
        2 => "warn",
        _ => "info",
    };
    let directives = format!(
        "warn,llama-cpp-2={llama_level},mediflux={level},mediflux_host={level},mediflux_manifest={level},\
         mediflux_rules={level},mediflux_memory={level},mediflux_refdata={level},\
         mediflux_router={level},mediflux_model={level}"
    );
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(directives));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}

/// Ends the process quietly when standard output is a closed pipe, as in
/// `mediflux … | head`, instead of printing a panic.
///
/// Rust ignores SIGPIPE, so `println!` panics on EPIPE. Restoring SIGPIPE's
/// default action would fix that, but would also kill the process when a
/// download server resets a connection during a vectored socket write,
/// which returns EPIPE too. So the hook recognises the standard library's
/// stdout panic and exits with the status a shell reports for SIGPIPE.
fn exit_quietly_on_closed_stdout() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default_hook(info);
    }));
}
