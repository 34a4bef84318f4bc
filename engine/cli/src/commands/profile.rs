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
use chrono::{Months, NaiveDate, Utc};
use clap::{Args, Subcommand};
use mediflux_memory::{
    Age, AldCondition, DeletedRows, GuaranteeBasis, LedgerKind, MemoryDb, MemoryError,
    MutuelleContract, NewExpense, Patch, Pregnancy, Profile, ProfileUpdate, PublicCover, Sector,
};
use mediflux_plugin_cost::intent::{parse_euros, parse_guarantee};

use crate::commands::Output;
use crate::commands::french;
use crate::memory::{french_error, guarantee_text};
use crate::settings::Settings;

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
    let existing = match db.resolve_profile(args.profile.as_deref()) {
        Ok(profile) => Some(profile),
        Err(MemoryError::ProfileNotFound { .. } | MemoryError::NoDefaultProfile) => None,
        Err(error) => return Err(french_error(error)),
    };
    let today = Utc::now().date_naive();
    let update = build_update(args, existing.as_ref(), today)?;

    let (profile, created) = match existing {
        Some(profile) => {
            if update == ProfileUpdate::default() {
                bail!(
                    "rien à modifier dans le profil « {} » : donnez au moins une option, par exemple --age 40 ou --mutuelle \"200% BR\" (voir `mediflux profile set --help`)",
                    profile.label
                );
            }
            let updated = db
                .update_profile(profile.id, update)
                .map_err(french_error)?;
            (updated, false)
        }
        None => {
            let label = args.profile.as_deref().unwrap_or(FIRST_PROFILE_LABEL);
            (
                db.create_profile(label, update).map_err(french_error)?,
                true,
            )
        }
    };

    if output.json {
        output.print_json(&profile)?;
    } else {
        let verb = if created { "créé" } else { "mis à jour" };
        println!("Profil « {} » {verb}.\n", profile.label);
        print!("{}", describe(&profile, today));
    }
    Ok(ExitCode::SUCCESS)
}

/// Field of `profile set --clear`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClearField {
    Age,
    Mutuelle,
    Ald,
    PublicCover,
    Pregnancy,
    MedecinTraitant,
    Location,
    Preferences,
}

fn parse_clear(text: &str) -> anyhow::Result<ClearField> {
    let field = match text.trim().to_lowercase().replace('_', "-").as_str() {
        "age" | "âge" | "birth-date" => ClearField::Age,
        "mutuelle" => ClearField::Mutuelle,
        "ald" => ClearField::Ald,
        "c2s" | "ame" => ClearField::PublicCover,
        "pregnancy" | "grossesse" => ClearField::Pregnancy,
        "medecin-traitant" => ClearField::MedecinTraitant,
        "location" => ClearField::Location,
        "preferences" => ClearField::Preferences,
        _ => bail!(
            "--clear : champ « {text} » inconnu : choisissez age, mutuelle, ald, c2s, ame, pregnancy, medecin-traitant, location ou preferences"
        ),
    };
    Ok(field)
}

/// Turns the options of `profile set` into a partial update of `existing`
/// (`None` for a new profile).
fn build_update(
    args: &SetArgs,
    existing: Option<&Profile>,
    today: NaiveDate,
) -> anyhow::Result<ProfileUpdate> {
    let clear = args
        .clear
        .iter()
        .map(|text| parse_clear(text))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let clears = |field: ClearField| clear.contains(&field);
    let conflict = |option: &str, field: &str| {
        anyhow::anyhow!(
            "{option} et --clear {field} s'excluent : donnez une nouvelle valeur ou effacez l'ancienne, pas les deux"
        )
    };

    let mut update = ProfileUpdate {
        age: age_patch(args, today)?,
        mutuelle: mutuelle_patch(args, existing)?,
        ..ProfileUpdate::default()
    };
    if clears(ClearField::Age) {
        if update.age != Patch::Keep {
            return Err(conflict("--age ou --birth-date", "age"));
        }
        update.age = Patch::Clear;
    }

    if clears(ClearField::Mutuelle) {
        if update.mutuelle != Patch::Keep {
            return Err(conflict("--mutuelle", "mutuelle"));
        }
        update.mutuelle = Patch::Clear;
    }

    if !args.ald.is_empty() || clears(ClearField::Ald) {
        let mut conditions = match existing {
            Some(profile) if !clears(ClearField::Ald) => profile.ald.clone(),
            _ => Vec::new(),
        };
        for name in &args.ald {
            let name = name.trim();
            let known = conditions
                .iter()
                .any(|condition| condition.name.to_lowercase() == name.to_lowercase());
            if !known {
                conditions.push(AldCondition {
                    name: name.to_owned(),
                    since: None,
                    until: None,
                });
            }
        }
        update.ald = Some(conditions);
    }

    update.public_cover = match (args.c2s, args.ame) {
        (true, _) => Patch::Set(PublicCover::C2s),
        (false, true) => Patch::Set(PublicCover::Ame),
        (false, false) if clears(ClearField::PublicCover) => Patch::Clear,
        (false, false) => Patch::Keep,
    };
    if clears(ClearField::PublicCover) && update.public_cover != Patch::Clear {
        return Err(conflict("--c2s ou --ame", "c2s"));
    }

    update.pregnancy = pregnancy_patch(args, existing)?;
    if clears(ClearField::Pregnancy) {
        if update.pregnancy != Patch::Keep {
            return Err(conflict("--pregnancy-start", "pregnancy"));
        }
        update.pregnancy = Patch::Clear;
    }

    update.medecin_traitant = match (args.medecin_traitant, args.no_medecin_traitant) {
        (true, _) => Patch::Set(true),
        (false, true) => Patch::Set(false),
        (false, false) if clears(ClearField::MedecinTraitant) => Patch::Clear,
        (false, false) => Patch::Keep,
    };
    if clears(ClearField::MedecinTraitant) && update.medecin_traitant != Patch::Clear {
        return Err(conflict("--medecin-traitant", "medecin-traitant"));
    }

    if clears(ClearField::Location) {
        if args.postcode.is_some() || args.city.is_some() {
            return Err(conflict("--postcode ou --city", "location"));
        }
        update.postcode = Patch::Clear;
        update.city = Patch::Clear;
        update.departement = Patch::Clear;
    } else {
        if let Some(code) = &args.postcode {
            update.postcode = Patch::Set(code.trim().to_owned());
        }
        if let Some(city) = &args.city {
            update.city = Patch::Set(city.clone());
        }
    }

    if clears(ClearField::Preferences) {
        if args.max_distance_km.is_some() || !args.sector.is_empty() {
            return Err(conflict("--max-distance-km ou --sector", "preferences"));
        }
        update.sectors = Some(Vec::new());
        update.max_distance_km = Patch::Clear;
    } else {
        if let Some(km) = args.max_distance_km {
            update.max_distance_km = Patch::Set(km);
        }
        if !args.sector.is_empty() {
            let sectors = args
                .sector
                .iter()
                .map(|text| parse_sector(text))
                .collect::<anyhow::Result<Vec<_>>>()?;
            update.sectors = Some(sectors);
        }
    }

    Ok(update)
}

/// Builds the age change from `--age` or `--birth-date`.
fn age_patch(args: &SetArgs, today: NaiveDate) -> anyhow::Result<Patch<Age>> {
    if let Some(years) = args.age {
        let Some(years) = u8::try_from(years).ok().filter(|years| *years <= 130) else {
            bail!("--age : âge « {years} » invalide : donnez un âge de 0 à 130 ans");
        };
        return Ok(Patch::Set(Age::Stated {
            years,
            recorded_on: today,
        }));
    }

    let Some(text) = &args.birth_date else {
        return Ok(Patch::Keep);
    };
    let birth = parse_date("--birth-date", text)?;
    if birth > today {
        bail!("--birth-date : date de naissance « {text} » invalide : elle est dans le futur");
    }
    Ok(Patch::Set(Age::BirthDate(birth)))
}

/// Builds the mutuelle change: a new contract with `--mutuelle`, else the
/// stored contract with the other `--mutuelle-*` options applied.
fn mutuelle_patch(
    args: &SetArgs,
    existing: Option<&Profile>,
) -> anyhow::Result<Patch<MutuelleContract>> {
    let detail_options = [
        ("--mutuelle-optam", args.mutuelle_optam.is_some()),
        ("--mutuelle-non-optam", args.mutuelle_non_optam.is_some()),
        ("--mutuelle-medicines", args.mutuelle_medicines.is_some()),
        ("--mutuelle-name", args.mutuelle_name.is_some()),
        ("--responsable", args.responsable),
        ("--non-responsable", args.non_responsable),
        ("--en-sus", args.en_sus),
    ];

    let mut contract = match &args.mutuelle {
        Some(text) => {
            let level = guarantee("--mutuelle", text)?;
            let mut contract = MutuelleContract {
                responsable: true,
                ..MutuelleContract::default()
            };
            let guarantees = &mut contract.guarantees;
            guarantees.consultation_optam = Some(level);
            guarantees.pharmacy_65 = Some(level);
            guarantees.hospital_optam = Some(level);
            guarantees.dental = Some(level);
            guarantees.paramedical = Some(level);
            contract
        }
        None => {
            let Some((option, _)) = detail_options.iter().find(|(_, given)| *given) else {
                return Ok(Patch::Keep);
            };
            match existing.and_then(|profile| profile.mutuelle.clone()) {
                Some(contract) => contract,
                None => bail!(
                    "{option} modifie un contrat de mutuelle, mais ce profil n'en a pas encore : ajoutez son niveau général, par exemple --mutuelle \"100% BR\""
                ),
            }
        }
    };

    if args.responsable {
        contract.responsable = true;
    }
    if args.non_responsable {
        contract.responsable = false;
    }
    if args.en_sus {
        contract.basis = GuaranteeBasis::EnSus;
    }
    if let Some(name) = &args.mutuelle_name {
        contract.name = Some(name.trim().to_owned());
    }
    if let Some(text) = &args.mutuelle_optam {
        contract.guarantees.consultation_optam = Some(guarantee("--mutuelle-optam", text)?);
    }
    if let Some(text) = &args.mutuelle_non_optam {
        contract.guarantees.consultation_non_optam = Some(guarantee("--mutuelle-non-optam", text)?);
    }
    if let Some(text) = &args.mutuelle_medicines {
        contract.guarantees.pharmacy_65 = Some(guarantee("--mutuelle-medicines", text)?);
    }
    Ok(Patch::Set(contract))
}

/// Builds the pregnancy change from `--pregnancy-start` and `--expected-delivery`.
fn pregnancy_patch(args: &SetArgs, existing: Option<&Profile>) -> anyhow::Result<Patch<Pregnancy>> {
    let start = match &args.pregnancy_start {
        Some(text) => parse_date("--pregnancy-start", text)?,
        None => {
            if args.expected_delivery.is_none() {
                return Ok(Patch::Keep);
            }
            match existing.and_then(|profile| profile.pregnancy) {
                Some(pregnancy) => pregnancy.start,
                None => bail!(
                    "--expected-delivery demande une grossesse : ajoutez son début avec --pregnancy-start AAAA-MM-JJ"
                ),
            }
        }
    };
    // NOTE: without a given date, the expected delivery is the start plus
    // 9 months, the usual French count from the début de grossesse. The
    // date on the déclaration de grossesse is more precise.
    let expected_delivery = match &args.expected_delivery {
        Some(text) => parse_date("--expected-delivery", text)?,
        None => start.checked_add_months(Months::new(9)).with_context(|| {
            format!("--pregnancy-start : date « {start} » hors du calendrier pris en charge")
        })?,
    };
    Ok(Patch::Set(Pregnancy {
        start,
        expected_delivery,
        delivery: None,
    }))
}

/// Parses a guarantee level into basis points of the BR.
fn guarantee(option: &str, text: &str) -> anyhow::Result<u32> {
    let basis_points =
        parse_guarantee(text).map_err(|message| anyhow::anyhow!("{option} : {message}"))?;
    u32::try_from(basis_points)
        .with_context(|| format!("{option} : niveau de garantie « {text} » hors limites"))
}

fn parse_sector(text: &str) -> anyhow::Result<Sector> {
    let sector = match text.trim().to_lowercase().as_str() {
        "1" => Sector::Secteur1,
        "2-optam" => Sector::Secteur2Optam,
        "2-non-optam" => Sector::Secteur2,
        "3" => Sector::Secteur3,
        _ => bail!(
            "--sector : secteur « {text} » invalide : choisissez 1, 2-optam, 2-non-optam ou 3"
        ),
    };
    Ok(sector)
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

/// Describes a profile in French, one line per field.
fn describe(profile: &Profile, today: NaiveDate) -> String {
    const UNKNOWN: &str = "non renseigné";
    let mut lines = Vec::new();
    let default = if profile.is_default {
        " (profil par défaut)"
    } else {
        ""
    };
    lines.push(format!("Profil « {} »{default}", profile.label));

    let age = match profile.age {
        Some(Age::BirthDate(birth)) => {
            let years = Age::BirthDate(birth).years_on(today).unwrap_or(0);
            format!("{years} ans (date de naissance : {})", french::date(birth))
        }
        Some(stated @ Age::Stated { recorded_on, .. }) => format!(
            "{} ans (âge déclaré le {})",
            stated.years_on(today).unwrap_or(0),
            french::date(recorded_on)
        ),
        None => UNKNOWN.to_owned(),
    };
    lines.push(format!("  Âge : {age}"));

    match &profile.mutuelle {
        Some(contract) => {
            let kind = if contract.responsable {
                "contrat responsable"
            } else {
                "contrat non responsable"
            };
            let basis = match contract.basis {
                GuaranteeBasis::SecuriteSocialeIncluse => "Sécurité sociale incluse",
                GuaranteeBasis::EnSus => "en sus de la Sécurité sociale",
            };
            let name = contract
                .name
                .as_ref()
                .map(|name| format!("{name}, "))
                .unwrap_or_default();
            lines.push(format!("  Mutuelle : {name}{kind}, {basis}"));
            let guarantees = &contract.guarantees;
            let categories = [
                ("consultation_optam", guarantees.consultation_optam),
                ("consultation_non_optam", guarantees.consultation_non_optam),
                ("pharmacy_65", guarantees.pharmacy_65),
                ("pharmacy_30", guarantees.pharmacy_30),
                ("pharmacy_15", guarantees.pharmacy_15),
                ("hospital_optam", guarantees.hospital_optam),
                ("hospital_non_optam", guarantees.hospital_non_optam),
                ("dental", guarantees.dental),
                ("optical", guarantees.optical),
                ("paramedical", guarantees.paramedical),
            ];
            for (category, level) in categories {
                if let Some(level) = level {
                    lines.push(format!(
                        "    {} : {}",
                        guarantee_heading(category),
                        guarantee_text(level)
                    ));
                }
            }
        }
        None => lines.push("  Mutuelle : aucune renseignée".to_owned()),
    }

    let ald = if profile.ald.is_empty() {
        "aucune".to_owned()
    } else {
        profile
            .ald
            .iter()
            .map(|condition| condition.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    lines.push(format!("  Affections de longue durée (ALD) : {ald}"));

    let cover = match profile.public_cover {
        Some(PublicCover::C2s) => "complémentaire santé solidaire (C2S)",
        Some(PublicCover::Ame) => "aide médicale de l'État (AME)",
        None => "aucune",
    };
    lines.push(format!("  Couverture publique : {cover}"));

    if let Some(pregnancy) = profile.pregnancy {
        lines.push(format!(
            "  Grossesse : début le {}, accouchement prévu le {}",
            french::date(pregnancy.start),
            french::date(pregnancy.expected_delivery)
        ));
    }

    let doctor = match profile.medecin_traitant {
        Some(true) => "déclaré",
        Some(false) => "non déclaré",
        None => UNKNOWN,
    };
    lines.push(format!("  Médecin traitant : {doctor}"));

    let place = &profile.place;
    let mut location = [place.postcode.as_deref(), place.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(departement) = &place.departement {
        location.push_str(&format!(" (département {departement})"));
    }
    if location.trim().is_empty() {
        location = UNKNOWN.to_owned();
    }
    lines.push(format!("  Lieu : {}", location.trim()));

    let preferences = &profile.preferences;
    let mut parts = Vec::new();
    if !preferences.sectors.is_empty() {
        let sectors = preferences
            .sectors
            .iter()
            .map(|sector| match sector {
                Sector::Secteur1 => "secteur 1",
                Sector::Secteur2Optam => "secteur 2 OPTAM",
                Sector::Secteur2 => "secteur 2 hors OPTAM",
                Sector::Secteur3 => "secteur 3",
            })
            .collect::<Vec<_>>()
            .join(", ");
        parts.push(format!("médecins en {sectors}"));
    }
    if let Some(km) = preferences.max_distance_km {
        parts.push(format!("à {km} km au plus"));
    }
    if !parts.is_empty() {
        lines.push(format!("  Préférences : {}", parts.join(", ")));
    }

    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Returns the heading of a guarantee category in `profile show`.
fn guarantee_heading(category: &str) -> &'static str {
    match category {
        "consultation_optam" => "Consultations, secteur 1 ou OPTAM",
        "consultation_non_optam" => "Consultations hors OPTAM",
        "pharmacy_65" => "Médicaments remboursés à 65 %",
        "pharmacy_30" => "Médicaments remboursés à 30 %",
        "pharmacy_15" => "Médicaments remboursés à 15 %",
        "hospital_optam" => "Hospitalisation, secteur 1 ou OPTAM",
        "hospital_non_optam" => "Hospitalisation hors OPTAM",
        "dental" => "Soins dentaires",
        "optical" => "Optique",
        _ => "Soins paramédicaux",
    }
}
