//! `mediflux simulate`: prices one medicine or one consultation from
//! explicit options, through the bundled `cost` plugin.
//!
//! The options become a `case` slot, a JSON [`SimulationCase`], so the
//! plugin computes exactly what was asked and reads no profile. Options left
//! out (age, mutuelle, C2S or AME, pregnancy, médecin traitant, amounts
//! already charged this year) are filled from the patient's profile and
//! yearly ledger, read only. Errors about the options are in French, like
//! the answer, and name the rejected value.

use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use mediflux_host::FailureKind;
use mediflux_host::bindings::v0_1::IntentRequest;
use mediflux_host::types::Date as WitDate;
use mediflux_plugin_cost::intent::{
    BREAKDOWN_SCHEMA, CONSULTATION_INTENT, MEDICATION_INTENT, MedicineQuery, SimulationCase,
    parse_consultation_kind, parse_euros, parse_guarantee, parse_sector, parse_specialty,
    read_profile,
};
use mediflux_plugin_cost::{
    CareItem, ConsultationCase, CoverBasis, Date, Maternity, Mutuelle, Pathway, PublicCover,
};

use crate::commands::Output;
use crate::memory::PatientProfile;
use crate::settings::Settings;

/// Plugin id of the cost plugin.
const COST_PLUGIN: &str = "cost";

/// Options of `mediflux simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Medicine to price: a name such as "Doliprane 1000 mg", or the 13-digit
    /// CIP13 code printed on the box.
    #[arg(long, value_name = "NAME|CIP13")]
    medicine: Option<String>,

    /// Number of boxes of the medicine.
    #[arg(long, value_name = "BOXES", default_value_t = 1)]
    quantity: u32,

    /// Add the per-prescription pharmacy fees (exécution d'ordonnance, age
    /// and complex-prescription fees) to the medicine's cost.
    #[arg(long)]
    prescription_fees: bool,

    /// Doctor's specialty, such as "généraliste" or "cardiologue".
    #[arg(long, value_name = "SPECIALTY")]
    specialty: Option<String>,

    /// Form of the consultation: consultation (default), teleconsultation or
    /// avis (avis ponctuel de consultant, on referral).
    #[arg(long, value_name = "ACT")]
    act: Option<String>,

    /// Doctor's convention sector: 1, 2-optam, 2-non-optam or 3; secteur 1
    /// when omitted.
    #[arg(long, value_name = "SECTOR")]
    sector: Option<String>,

    /// Amount the doctor bills, in euros, such as 60 or 60,50; the base de
    /// remboursement when omitted.
    #[arg(long, value_name = "EUROS")]
    billed: Option<String>,

    /// Date of care, YYYY-MM-DD; it selects the rules in force that day.
    /// Today when omitted.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,

    /// Patient's age in whole years on the date of care; an adult when
    /// omitted.
    #[arg(long, value_name = "YEARS")]
    age: Option<u32>,

    /// The care is for the patient's affection de longue durée (ALD).
    #[arg(long)]
    ald: bool,

    /// Month of pregnancy on the date of care, 1 to 9.
    #[arg(long, value_name = "MONTH")]
    pregnancy_month: Option<u8>,

    /// Days since the birth on the date of care, 0 on the day of birth.
    #[arg(long, value_name = "DAYS")]
    days_after_birth: Option<u32>,

    /// The patient has the complémentaire santé solidaire (C2S).
    #[arg(long)]
    c2s: bool,

    /// The patient has the aide médicale de l'État (AME).
    #[arg(long)]
    ame: bool,

    /// The consultation is outside the parcours de soins: no declared
    /// médecin traitant, or a specialist seen without referral.
    #[arg(long)]
    outside_pathway: bool,

    /// Franchises already deducted this civil year, in euros (annual cap).
    #[arg(long, value_name = "EUROS")]
    franchises_this_year: Option<String>,

    /// Participations forfaitaires already deducted this civil year, in
    /// euros (annual cap).
    #[arg(long, value_name = "EUROS")]
    participations_this_year: Option<String>,

    /// Mutuelle guarantee for every care category, in percent of the base
    /// de remboursement, such as "200% BR". No mutuelle when omitted.
    #[arg(long, value_name = "LEVEL")]
    mutuelle: Option<String>,

    /// Guarantee for doctors in secteur 1 or OPTAM, overriding --mutuelle.
    #[arg(long, value_name = "LEVEL")]
    mutuelle_optam: Option<String>,

    /// Guarantee for doctors outside OPTAM (secteur 2 non-OPTAM, secteur 3),
    /// overriding --mutuelle; a contrat responsable is capped by law.
    #[arg(long, value_name = "LEVEL")]
    mutuelle_non_optam: Option<String>,

    /// Guarantee for medicines reimbursed at 65 % or 100 %, overriding
    /// --mutuelle.
    #[arg(long, value_name = "LEVEL")]
    mutuelle_medicines: Option<String>,

    /// The mutuelle also covers medicines reimbursed at 30 % and 15 %,
    /// which a contrat responsable may leave out.
    #[arg(long)]
    mutuelle_covers_low_rates: bool,

    /// The mutuelle is not a contrat responsable.
    #[arg(long)]
    non_responsable: bool,

    /// Guarantees are "en sus de la Sécurité sociale" (on top of the
    /// Assurance Maladie share), not "Sécurité sociale incluse".
    #[arg(long)]
    en_sus: bool,

    /// Profile that fills the options left out: age, mutuelle, C2S or AME,
    /// pregnancy, médecin traitant and the amounts already charged this
    /// year. The default profile when omitted.
    #[arg(long, value_name = "LABEL", conflicts_with = "no_profile")]
    profile: Option<String>,

    /// Read no profile: only the options given count.
    #[arg(long)]
    no_profile: bool,
}

/// Runs `mediflux simulate`.
pub fn run(settings: &Settings, output: &Output, args: &SimulateArgs) -> anyhow::Result<ExitCode> {
    let (intent, mut case) = build_case(args)?;
    let date_of_care = match case.date {
        Some(date) => date,
        None => wit_to_date(super::today())?,
    };
    let patient = if args.no_profile {
        None
    } else {
        crate::memory::intent_profile(
            settings,
            args.profile.as_deref(),
            date_to_chrono(date_of_care)?,
        )?
    };
    let filled = match &patient {
        Some(patient) => fill_from_profile(args, &mut case, patient, date_of_care),
        None => Vec::new(),
    };

    let host = crate::catalog::host(settings)?;
    let request = IntentRequest {
        intent: intent.to_owned(),
        slots: vec![("case".to_owned(), serde_json::to_string(&case)?)],
        date_of_care: super::today(),
        profile: patient
            .as_ref()
            .map(|patient| patient.fields.clone())
            .unwrap_or_default(),
        question: String::new(),
    };

    let response = match super::runtime()?.block_on(host.handle(COST_PLUGIN, request)) {
        Ok(response) => response,
        Err(error) => match error.failure() {
            Some(FailureKind::Plugin { code, .. }) if code == "no-snapshot" => bail!(
                "aucune base des médicaments n'est importée : lancez `mediflux data import bdpm <dossier>` avec les fichiers de la BDPM, puis relancez la simulation"
            ),
            _ => bail!("la simulation a échoué : {error}"),
        },
    };

    let priced = response.result.schema == BREAKDOWN_SCHEMA;
    if output.json {
        let mut body: serde_json::Value = serde_json::from_str(&response.result.body)?;
        if let Some(object) = body.as_object_mut() {
            object.insert(
                "schema".to_owned(),
                serde_json::Value::String(response.result.schema.clone()),
            );
            if let Some(patient) = &patient {
                object.insert(
                    "profile".to_owned(),
                    serde_json::json!({
                        "label": patient.profile.label,
                        "filled": filled.iter().map(|(code, _)| *code).collect::<Vec<_>>(),
                    }),
                );
            }
        }
        output.print_json(&body)?;
    } else {
        if let Some(patient) = &patient
            && !filled.is_empty()
        {
            let names: Vec<&str> = filled.iter().map(|(_, name)| *name).collect();
            println!(
                "Repris du profil « {} » : {}. Les options de la commande remplacent ces valeurs, et --no-profile les ignore.\n",
                patient.profile.label,
                names.join(", ")
            );
        }
        print!("{}", response.answer);
    }
    Ok(if priced {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Turns the options into the intent id and the case the plugin computes.
fn build_case(args: &SimulateArgs) -> anyhow::Result<(&'static str, SimulationCase)> {
    let mut case = SimulationCase {
        date: match &args.date {
            Some(text) => Some(parse_date(text)?),
            None => None,
        },
        mutuelle: mutuelle(args)?,
        ..SimulationCase::default()
    };

    let patient = &mut case.patient;
    patient.age_years = args.age;
    patient.cover = match (args.c2s, args.ame) {
        (true, true) => bail!(
            "--c2s et --ame s'excluent : un patient relève de la C2S ou de l'AME, gardez l'une des deux options"
        ),
        (true, false) => PublicCover::C2s,
        (false, true) => PublicCover::Ame,
        (false, false) => PublicCover::Standard,
    };
    patient.maternity = match (args.pregnancy_month, args.days_after_birth) {
        (Some(_), Some(_)) => bail!(
            "--pregnancy-month et --days-after-birth s'excluent : donnez le mois de grossesse ou les jours depuis la naissance"
        ),
        (Some(month), None) if !(1..=9).contains(&month) => bail!(
            "mois de grossesse « {month} » invalide : donnez un mois de 1 à 9 avec --pregnancy-month"
        ),
        (Some(month), None) => Some(Maternity::PregnancyMonth(month)),
        (None, Some(days)) => Some(Maternity::DaysAfterBirth(days)),
        (None, None) => None,
    };
    if let Some(text) = &args.franchises_this_year {
        case.already_charged.franchises_year_cents = euros("--franchises-this-year", text)?;
    }
    if let Some(text) = &args.participations_this_year {
        case.already_charged.participations_year_cents = euros("--participations-this-year", text)?;
    }

    match (&args.medicine, &args.specialty) {
        (Some(_), Some(_)) => bail!(
            "--medicine et --specialty s'excluent : simulez un médicament ou une consultation à la fois"
        ),
        (Some(name), None) => {
            for (option, given) in [
                ("--act", args.act.is_some()),
                ("--sector", args.sector.is_some()),
                ("--billed", args.billed.is_some()),
                ("--outside-pathway", args.outside_pathway),
            ] {
                if given {
                    bail!(
                        "{option} concerne une consultation, pas un médicament : retirez {option} ou remplacez --medicine par --specialty"
                    );
                }
            }
            if args.quantity == 0 {
                bail!("quantité « 0 » invalide : donnez au moins une boîte avec --quantity");
            }
            case.medicines.push(MedicineQuery {
                name: name.clone(),
                dosage: None,
                quantity: args.quantity,
                ald_linked: args.ald,
            });
            case.include_prescription_fees = args.prescription_fees;
            Ok((MEDICATION_INTENT, case))
        }
        (None, Some(specialty)) => {
            case.items
                .push(CareItem::Consultation(consultation(args, specialty)?));
            Ok((CONSULTATION_INTENT, case))
        }
        (None, None) => bail!(
            "rien à simuler : donnez --medicine NOM (ou code CIP13) ou --specialty SPÉCIALITÉ, par exemple --specialty généraliste"
        ),
    }
}

/// Fills the options left out from the patient's profile and yearly
/// ledger. Returns each value filled, as a JSON code and a French name.
fn fill_from_profile(
    args: &SimulateArgs,
    case: &mut SimulationCase,
    patient: &PatientProfile,
    date_of_care: Date,
) -> Vec<(&'static str, &'static str)> {
    let facts = read_profile(&patient.fields, date_of_care);
    let mut filled = Vec::new();

    if args.age.is_none()
        && let Some(years) = facts.patient.age_years
    {
        case.patient.age_years = Some(years);
        filled.push(("age", "âge"));
    }
    if args.mutuelle.is_none()
        && let Some(contract) = facts.mutuelle
    {
        case.mutuelle = Some(contract);
        filled.push(("mutuelle", "mutuelle"));
    }
    if !args.c2s && !args.ame && facts.patient.cover != PublicCover::Standard {
        case.patient.cover = facts.patient.cover;
        filled.push(("public_cover", "C2S ou AME"));
    }
    if args.pregnancy_month.is_none()
        && args.days_after_birth.is_none()
        && let Some(maternity) = facts.patient.maternity
    {
        case.patient.maternity = Some(maternity);
        filled.push(("pregnancy", "grossesse"));
    }
    if !args.outside_pathway && facts.medecin_traitant == Some(false) {
        for item in &mut case.items {
            if let CareItem::Consultation(consultation) = item {
                consultation.pathway = Some(Pathway::NotRespected);
                filled.push(("medecin_traitant", "pas de médecin traitant déclaré"));
            }
        }
    }

    let totals = &patient.year_totals;
    if args.franchises_this_year.is_none() && totals.franchises_cents > 0 {
        case.already_charged.franchises_year_cents = totals.franchises_cents;
        filled.push(("franchises_this_year", "franchises déjà payées cette année"));
    }
    if args.participations_this_year.is_none() && totals.participations_cents > 0 {
        case.already_charged.participations_year_cents = totals.participations_cents;
        filled.push((
            "participations_this_year",
            "participations forfaitaires déjà payées cette année",
        ));
    }
    filled
}

/// Builds the consultation from the doctor options.
fn consultation(args: &SimulateArgs, specialty: &str) -> anyhow::Result<ConsultationCase> {
    let specialty = parse_specialty(specialty).map_err(anyhow::Error::msg)?;
    let kind = match &args.act {
        Some(text) => parse_consultation_kind(text).map_err(anyhow::Error::msg)?,
        None => Default::default(),
    };
    let sector = match &args.sector {
        Some(text) => Some(parse_sector(text).map_err(anyhow::Error::msg)?.sector),
        None => None,
    };
    let billed_cents = match &args.billed {
        Some(text) => Some(euros("--billed", text)?),
        None => None,
    };
    Ok(ConsultationCase {
        label: None,
        specialty,
        kind,
        sector,
        billed_cents,
        pathway: Some(if args.outside_pathway {
            Pathway::NotRespected
        } else {
            Pathway::Respected
        }),
        ald_linked: args.ald,
        participations_today_cents: 0,
    })
}

/// Builds the contract from the `--mutuelle*` options, or `None` without
/// `--mutuelle`.
fn mutuelle(args: &SimulateArgs) -> anyhow::Result<Option<Mutuelle>> {
    let Some(level) = &args.mutuelle else {
        for (option, given) in [
            ("--mutuelle-optam", args.mutuelle_optam.is_some()),
            ("--mutuelle-non-optam", args.mutuelle_non_optam.is_some()),
            ("--mutuelle-medicines", args.mutuelle_medicines.is_some()),
            (
                "--mutuelle-covers-low-rates",
                args.mutuelle_covers_low_rates,
            ),
            ("--non-responsable", args.non_responsable),
            ("--en-sus", args.en_sus),
        ] {
            if given {
                bail!(
                    "{option} précise un contrat de mutuelle : ajoutez son niveau général, par exemple --mutuelle \"100% BR\""
                );
            }
        }
        return Ok(None);
    };

    let mut contract = Mutuelle::responsible(guarantee("--mutuelle", level)?);
    contract.responsible = !args.non_responsable;
    if args.en_sus {
        contract.basis = CoverBasis::OnTopOfSecu;
    }
    if let Some(text) = &args.mutuelle_optam {
        contract.doctors_optam_basis_points = guarantee("--mutuelle-optam", text)?;
    }
    if let Some(text) = &args.mutuelle_non_optam {
        contract.doctors_non_optam_basis_points = Some(guarantee("--mutuelle-non-optam", text)?);
    }
    if let Some(text) = &args.mutuelle_medicines {
        contract.medicines_basis_points = guarantee("--mutuelle-medicines", text)?;
    }
    contract.covers_low_rate_medicines = args.mutuelle_covers_low_rates;
    Ok(Some(contract))
}

fn guarantee(option: &str, text: &str) -> anyhow::Result<i64> {
    parse_guarantee(text).map_err(|message| anyhow::anyhow!("{option} : {message}"))
}

fn euros(option: &str, text: &str) -> anyhow::Result<i64> {
    parse_euros(text).map_err(|message| anyhow::anyhow!("{option} : {message}"))
}

fn parse_date(text: &str) -> anyhow::Result<Date> {
    text.parse().map_err(|_| {
        anyhow::anyhow!(
            "--date : date « {text} » invalide : écrivez un jour qui existe au format AAAA-MM-JJ, par exemple 2025-06-01"
        )
    })
}

fn wit_to_date(date: WitDate) -> anyhow::Result<Date> {
    let text = format!("{:04}-{:02}-{:02}", date.year, date.month, date.day);
    text.parse()
        .map_err(|_| anyhow::anyhow!("date du jour « {text} » invalide"))
}

fn date_to_chrono(date: Date) -> anyhow::Result<chrono::NaiveDate> {
    let text = date.to_string();
    chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("date de soins « {text} » invalide"))
}
