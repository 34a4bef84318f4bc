//! Turning the options of `mediflux profile set` into a partial update of
//! the profile, with French errors that name the rejected value.

use anyhow::{Context, bail};
use chrono::{Months, NaiveDate};
use mediflux_memory::{
    Age, AldCondition, GuaranteeBasis, MutuelleContract, Patch, Pregnancy, Profile, ProfileUpdate,
    PublicCover, Sector,
};
use mediflux_plugin_cost::intent::parse_guarantee;

use super::{SetArgs, parse_date};

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
pub(super) fn build_update(
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
