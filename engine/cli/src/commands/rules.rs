//! `mediflux rules`: check, show and compare the yearly reimbursement rule
//! sets, for maintainers who swap a year's rules without rebuilding.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;

use crate::commands::Output;
use crate::settings::Settings;

/// Subcommands of `mediflux rules`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate a rule file or a rules folder: schema, unknown keys, sorted
    /// steps, known sources, year, continuity between years.
    Check {
        /// A `YEAR.toml` file or a folder; defaults to the configured rules
        /// folder.
        path: Option<PathBuf>,
    },
    /// Show the values of a year, optionally those in force at a date.
    Show {
        /// Civil year, such as 2025.
        year: i32,
        /// Date as YYYY-MM-DD within that year.
        #[arg(long)]
        at: Option<String>,
    },
    /// List the values that differ between two years.
    Diff {
        /// Earlier year.
        from: i32,
        /// Later year.
        to: i32,
    },
}

/// Runs a `mediflux rules` subcommand.
pub fn run(
    settings: &Settings,
    output: &Output,
    command: RulesCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        RulesCommand::Check { path } => {
            let Some(path) = path.or_else(|| settings.rules_dir.clone()) else {
                let rules = crate::catalog::load_rules(settings)?;
                println!(
                    "ok: the embedded rule sets ({:?}) pass every check",
                    rules.years()
                );
                return Ok(ExitCode::SUCCESS);
            };
            match mediflux_rules::check(&path) {
                Ok(report) => {
                    println!(
                        "ok: {} — years {:?}, {} rules, {} sources, {} values to confirm",
                        path.display(),
                        report.years,
                        report.rule_count,
                        report.source_count,
                        report.to_confirm_count
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(failed) => {
                    eprintln!("{failed}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        RulesCommand::Show { year, at } => {
            let rules = crate::catalog::load_rules(settings)?;
            let at = at
                .map(|text| {
                    text.parse::<mediflux_rules::Date>()
                        .with_context(|| format!("invalid date `{text}`; write it YYYY-MM-DD"))
                })
                .transpose()?;
            let shown = rules.show(year, at)?;
            if output.json {
                anyhow::bail!(
                    "--json is not available for `rules show`; the rule files themselves are TOML"
                );
            }
            print!("{shown}");
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Diff { from, to } => {
            let rules = crate::catalog::load_rules(settings)?;
            print!("{}", rules.diff(from, to)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}
