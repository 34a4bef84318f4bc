//! `mediflux profile` and `mediflux expense`: the patient's profiles and
//! yearly ledgers in the user memory, with the GDPR export and erasure.
//!
//! Output and errors are in French for the patient, and JSON with `--json`.
//! `expense add` is the only command that writes a ledger: simulations read
//! the totals and never change them.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use mediflux_memory::{
    DeletedRows, LedgerKind, MemoryDb, MemoryError, NewExpense, Profile, ProfileUpdate,
};
use mediflux_plugin_cost::intent::parse_euros;

use crate::commands::Output;
use crate::commands::french;
use crate::memory::french_error;
use crate::settings::Settings;

mod describe;
mod proposed;
mod update;

use describe::describe;
pub use proposed::{PROPOSED_UPDATE_SCHEMA, SavedProfile, save_proposed_update};
use update::build_update;

/// Label of the profile `profile set` creates when none exists and no
/// `--profile` is given.
const FIRST_PROFILE_LABEL: &str = "moi";

/// Subcommands of `mediflux profile`.
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Create or update a profile: only the given options change.
    Set(Box<SetArgs>),
    /// Show a profile.
    Show {
        /// Profile to show; the default profile when omitted.
        #[arg(long, value_name = "LABEL")]
        profile: Option<String>,
    },
    /// List the profiles.
    List,
    /// Make a profile the one used when no --profile is given.
    Default {
        /// Label of the profile.
        label: String,
    },
    /// Export everything held about a person as JSON: profile, ledger,
    /// history and documents.
    Export {
        /// Profile to export; the default profile when omitted.
        #[arg(long, value_name = "LABEL")]
        profile: Option<String>,
        /// File to write, which must not exist yet; standard output when omitted.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Erase a profile with its ledger, history and documents, and scrub
    /// the database files.
    Delete {
        /// Profile to erase.
        #[arg(long, value_name = "LABEL")]
        profile: String,
        /// Erase without asking; required when standard input is not a terminal.
        #[arg(long)]
        yes: bool,
    },
}

/// Options of `mediflux profile set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Profile to create or update; the default profile when omitted, or
    /// "moi" when no profile exists.
    #[arg(long, value_name = "LABEL")]
    profile: Option<String>,

    /// Age in whole years today; it grows with time.
    #[arg(long, value_name = "YEARS", conflicts_with = "birth_date")]
    age: Option<u32>,

    /// Birth date, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    birth_date: Option<String>,

    /// Mutuelle guarantee for consultations, medicines, hospital, dental
    /// and paramedical care, in percent of the base de remboursement, such
    /// as "200% BR". It replaces the stored contract.
    #[arg(long, value_name = "LEVEL")]
    mutuelle: Option<String>,

    /// Guarantee for doctors in secteur 1 or OPTAM, overriding --mutuelle.
    #[arg(long, value_name = "LEVEL")]
    mutuelle_optam: Option<String>,

    /// Guarantee for doctors outside OPTAM; unset, the contract's legal
    /// ceiling applies.
    #[arg(long, value_name = "LEVEL")]
    mutuelle_non_optam: Option<String>,

    /// Guarantee for medicines reimbursed at 65 %, overriding --mutuelle.
    #[arg(long, value_name = "LEVEL")]
    mutuelle_medicines: Option<String>,

    /// Name of the mutuelle or of the contract.
    #[arg(long, value_name = "NAME")]
    mutuelle_name: Option<String>,

    /// The contract is a contrat responsable (the default with --mutuelle).
    #[arg(long, conflicts_with = "non_responsable")]
    responsable: bool,

    /// The contract is not a contrat responsable.
    #[arg(long)]
    non_responsable: bool,

    /// Guarantees are "en sus de la Sécurité sociale", not "Sécurité
    /// sociale incluse"; --mutuelle alone resets it to incluse.
    #[arg(long)]
    en_sus: bool,

    /// Affection de longue durée to add, such as "diabète de type 2";
    /// repeat for several.
    #[arg(long, value_name = "CONDITION")]
    ald: Vec<String>,

    /// The person has the complémentaire santé solidaire (C2S).
    #[arg(long, conflicts_with = "ame")]
    c2s: bool,

    /// The person has the aide médicale de l'État (AME).
    #[arg(long)]
    ame: bool,

    /// First day of the pregnancy (début de grossesse), YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pregnancy_start: Option<String>,

    /// Expected delivery date, YYYY-MM-DD; 9 months after the start when omitted.
    #[arg(long, value_name = "YYYY-MM-DD")]
    expected_delivery: Option<String>,

    /// A médecin traitant is declared.
    #[arg(long, conflicts_with = "no_medecin_traitant")]
    medecin_traitant: bool,

    /// No médecin traitant is declared.
    #[arg(long)]
    no_medecin_traitant: bool,

    /// Home postcode, five digits; it sets the département.
    #[arg(long, value_name = "CODE")]
    postcode: Option<String>,

    /// Home city.
    #[arg(long, value_name = "NAME")]
    city: Option<String>,

    /// Maximum distance to a care provider, in km, from 1 to 1000.
    #[arg(long, value_name = "KM")]
    max_distance_km: Option<u32>,

    /// Accepted doctor sector: 1, 2-optam, 2-non-optam or 3; repeat for
    /// several. The list replaces the stored one.
    #[arg(long, value_name = "SECTOR")]
    sector: Vec<String>,

    /// Remove a stored field: age, mutuelle, ald, c2s, ame, pregnancy,
    /// medecin-traitant, location or preferences; repeat for several.
    #[arg(long, value_name = "FIELD")]
    clear: Vec<String>,
}

/// Subcommands of `mediflux expense`.
#[derive(Debug, Subcommand)]
pub enum ExpenseCommand {
    /// Record a franchise or a participation forfaitaire already charged,
    /// in the yearly ledger of a profile.
    Add(ExpenseArgs),
}

/// Options of `mediflux expense add`.
#[derive(Debug, Args)]
pub struct ExpenseArgs {
    /// Kind of deduction: franchise (medicines), franchise-paramedical,
    /// franchise-transport or participation (participation forfaitaire).
    #[arg(long, value_name = "KIND")]
    kind: String,

    /// Amount charged, in euros, such as 1 or 0,50.
    #[arg(long, value_name = "EUROS")]
    amount: String,

    /// Day the amount was charged, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,

    /// Profile charged; the default profile when omitted.
    #[arg(long, value_name = "LABEL")]
    profile: Option<String>,

    /// Pharmacy or professional, such as "Pharmacie du Marché".
    #[arg(long, value_name = "TEXT")]
    label: Option<String>,
}

/// Runs a `mediflux profile` subcommand.
pub fn run(
    settings: &Settings,
    output: &Output,
    command: ProfileCommand,
) -> anyhow::Result<ExitCode> {
    let mut db = crate::memory::open(settings)?;
    match command {
        ProfileCommand::Set(args) => set(&mut db, output, &args),
        ProfileCommand::Show { profile } => {
            let profile = db
                .resolve_profile(profile.as_deref())
                .map_err(french_error)?;
            if output.json {
                output.print_json(&profile)?;
            } else {
                print!("{}", describe(&profile, Utc::now().date_naive()));
            }
            Ok(ExitCode::SUCCESS)
        }
        ProfileCommand::List => list(&db, output),
        ProfileCommand::Default { label } => {
            let profile = db.resolve_profile(Some(&label)).map_err(french_error)?;
            db.set_default_profile(profile.id).map_err(french_error)?;
            let profile = db.profile(profile.id).map_err(french_error)?;
            if output.json {
                output.print_json(&profile)?;
            } else {
                println!(
                    "Le profil « {} » est désormais utilisé par défaut.",
                    profile.label
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ProfileCommand::Export {
            profile,
            output: file,
        } => export(&db, profile.as_deref(), file.as_deref()),
        ProfileCommand::Delete { profile, yes } => delete(&mut db, output, &profile, yes),
    }
}

/// Runs a `mediflux expense` subcommand.
pub fn run_expense(
    settings: &Settings,
    output: &Output,
    command: ExpenseCommand,
) -> anyhow::Result<ExitCode> {
    let ExpenseCommand::Add(args) = command;
    let kind = parse_kind(&args.kind)?;
    let amount_cents =
        parse_euros(&args.amount).map_err(|message| anyhow::anyhow!("--amount : {message}"))?;
    let charged_on = parse_date("--date", &args.date)?;
    if let Some(label) = &args.label
        && label.chars().count() > 200
    {
        bail!(
            "--label : libellé trop long ({} caractères) : donnez-en 200 au plus",
            label.chars().count()
        );
    }

    let mut db = crate::memory::open(settings)?;
    let profile = db
        .resolve_profile(args.profile.as_deref())
        .map_err(french_error)?;
    let entry = db
        .record_expense(
            profile.id,
            NewExpense {
                charged_on,
                kind,
                amount_cents,
                label: args.label.clone(),
            },
        )
        .map_err(french_error)?;
    let year = chrono::Datelike::year(&charged_on);
    let totals = db
        .ledger()
        .year_totals(profile.id, year)
        .map_err(french_error)?;

    if output.json {
        output.print_json(&serde_json::json!({
            "profile": profile.label,
            "entry": entry,
            "year": year,
            "year_totals": totals,
        }))?;
    } else {
        println!(
            "Enregistré pour « {} » : {} de {} le {}.",
            profile.label,
            kind_text(kind),
            french::euros(entry.amount_cents),
            french::date(charged_on)
        );
        println!(
            "Total {year} : {} de franchises, {} de participations forfaitaires.",
            french::euros(totals.franchises_cents),
            french::euros(totals.participations_cents)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Creates or updates the profile named by `args`.
fn set(db: &mut MemoryDb, output: &Output, args: &SetArgs) -> anyhow::Result<ExitCode> {
    let existing = existing_profile(db, args.profile.as_deref())?;
    let today = Utc::now().date_naive();
    let update = build_update(args, existing.as_ref(), today)?;
    if let Some(profile) = &existing
        && update == ProfileUpdate::default()
    {
        bail!(
            "rien à modifier dans le profil « {} » : donnez au moins une option, par exemple --age 40 ou --mutuelle \"200% BR\" (voir `mediflux profile set --help`)",
            profile.label
        );
    }
    let (profile, created) = store(db, args.profile.as_deref(), existing, update)?;

    if output.json {
        output.print_json(&profile)?;
    } else {
        let verb = if created { "créé" } else { "mis à jour" };
        println!("Profil « {} » {verb}.\n", profile.label);
        print!("{}", describe(&profile, today));
    }
    Ok(ExitCode::SUCCESS)
}

/// Resolves the profile `label` names, or the default profile for `None`;
/// returns `None` when that profile does not exist yet.
fn existing_profile(db: &MemoryDb, label: Option<&str>) -> anyhow::Result<Option<Profile>> {
    match db.resolve_profile(label) {
        Ok(profile) => Ok(Some(profile)),
        Err(MemoryError::ProfileNotFound { .. } | MemoryError::NoDefaultProfile) => Ok(None),
        Err(error) => Err(french_error(error)),
    }
}

/// Applies `update` to `existing`, or creates the profile `label` with it
/// (« moi » when `label` is `None`). Returns the stored profile and whether
/// it was created.
fn store(
    db: &mut MemoryDb,
    label: Option<&str>,
    existing: Option<Profile>,
    update: ProfileUpdate,
) -> anyhow::Result<(Profile, bool)> {
    match existing {
        Some(profile) => {
            let updated = db
                .update_profile(profile.id, update)
                .map_err(french_error)?;
            Ok((updated, false))
        }
        None => {
            let label = label.unwrap_or(FIRST_PROFILE_LABEL);
            let created = db.create_profile(label, update).map_err(french_error)?;
            Ok((created, true))
        }
    }
}

fn parse_kind(text: &str) -> anyhow::Result<LedgerKind> {
    let kind = match text.trim().to_lowercase().as_str() {
        "franchise" | "franchise-medicament" | "franchise-médicament" => {
            LedgerKind::FranchiseMedicine
        }
        "franchise-paramedical" | "franchise-paramédical" => LedgerKind::FranchiseParamedical,
        "franchise-transport" => LedgerKind::FranchiseTransport,
        "participation" | "participation-forfaitaire" => LedgerKind::ParticipationForfaitaire,
        _ => bail!(
            "--kind : type « {text} » invalide : choisissez franchise (médicaments), franchise-paramedical, franchise-transport ou participation"
        ),
    };
    Ok(kind)
}

/// Parses a `YYYY-MM-DD` date, naming the option and the value on failure.
fn parse_date(option: &str, text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        anyhow::anyhow!(
            "{option} : date « {text} » invalide : écrivez un jour qui existe au format AAAA-MM-JJ, par exemple 2025-06-01"
        )
    })
}

fn list(db: &MemoryDb, output: &Output) -> anyhow::Result<ExitCode> {
    let profiles = db.profiles().map_err(french_error)?;
    if output.json {
        output.print_json(&profiles)?;
        return Ok(ExitCode::SUCCESS);
    }
    if profiles.is_empty() {
        println!(
            "Aucun profil. Créez le vôtre, par exemple : mediflux profile set --age 40 --mutuelle \"200% BR\""
        );
        return Ok(ExitCode::SUCCESS);
    }
    for profile in &profiles {
        let marker = if profile.is_default {
            " (par défaut)"
        } else {
            ""
        };
        println!("{}{marker}", profile.label);
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the GDPR export of a profile to `file`, or to standard output.
fn export(db: &MemoryDb, label: Option<&str>, file: Option<&Path>) -> anyhow::Result<ExitCode> {
    let profile = db.resolve_profile(label).map_err(french_error)?;
    let export = db.export_json(profile.id).map_err(french_error)?;
    let text = format!("{}\n", serde_json::to_string_pretty(&export)?);

    let Some(path) = file else {
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    };
    write_new_private_file(path, text.as_bytes()).with_context(|| {
        format!(
            "impossible d'écrire l'export dans {} : choisissez un fichier qui n'existe pas encore, dans un dossier accessible en écriture",
            path.display()
        )
    })?;
    eprintln!(
        "Export du profil « {} » écrit dans {}. Il contient des données de santé : gardez-le en lieu sûr.",
        profile.label,
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Creates `path`, readable by its owner only on Unix, and fails when it exists.
fn write_new_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Erases a profile after confirmation.
fn delete(db: &mut MemoryDb, output: &Output, label: &str, yes: bool) -> anyhow::Result<ExitCode> {
    let profile = db.resolve_profile(Some(label)).map_err(french_error)?;
    if !yes {
        if !std::io::stdin().is_terminal() {
            bail!(
                "suppression du profil « {} » non confirmée : ajoutez --yes pour effacer définitivement le profil et tout ce qui s'y rattache",
                profile.label
            );
        }
        eprint!(
            "Effacer définitivement le profil « {} », ses dépenses, son historique et ses documents ? Tapez le nom du profil pour confirmer : ",
            profile.label
        );
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if answer.trim() != profile.label {
            eprintln!("Suppression annulée : rien n'a été effacé.");
            return Ok(ExitCode::FAILURE);
        }
    }

    let deleted = db.erase(profile.id).map_err(french_error)?;
    if output.json {
        output.print_json(&serde_json::json!({
            "profile": profile.label,
            "deleted_rows": deleted,
            "total": deleted.total(),
        }))?;
    } else {
        println!(
            "Profil « {} » effacé : {}.",
            profile.label,
            deleted_text(&deleted)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn deleted_text(deleted: &DeletedRows) -> String {
    let plural = |count: usize, one: &str, many: &str| {
        if count > 1 {
            format!("{count} {many}")
        } else {
            format!("{count} {one}")
        }
    };
    format!(
        "{} en tout ({}, {}, {}, {}, {})",
        plural(deleted.total(), "ligne supprimée", "lignes supprimées"),
        plural(deleted.profiles, "profil", "profils"),
        plural(deleted.ledger_entries, "dépense", "dépenses"),
        plural(deleted.exchanges, "échange", "échanges"),
        plural(
            deleted.exchange_summaries,
            "résumé d'échanges",
            "résumés d'échanges"
        ),
        plural(deleted.documents, "document", "documents"),
    )
}

fn kind_text(kind: LedgerKind) -> &'static str {
    match kind {
        LedgerKind::FranchiseMedicine => "franchise sur les médicaments",
        LedgerKind::FranchiseParamedical => "franchise sur les actes paramédicaux",
        LedgerKind::FranchiseTransport => "franchise sur les transports",
        LedgerKind::ParticipationForfaitaire => "participation forfaitaire",
    }
}
