//! Profile types, the partial update request and their validation.
//!
//! Rates are stored in basis points of the base de remboursement (BR):
//! 10000 = 100 % BR, so no float enters the reimbursement arithmetic.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{MemoryError, Result};

/// Maximum length of a profile label, in characters.
pub const MAX_LABEL_CHARS: usize = 64;

/// Highest guarantee accepted, in basis points (1000 % BR). Real contracts stop
/// well below it, so a larger number is almost surely a typo.
pub const MAX_GUARANTEE_BP: u32 = 100_000;

/// Maximum plausible number of days from the start of a pregnancy to the expected delivery.
const MAX_PREGNANCY_DAYS: i64 = 310;

/// One person known to the assistant, with what the simulators need about them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Database id, stable for the life of the profile.
    pub id: i64,
    /// Name the user calls this profile by ("moi", "Léa"), unique case-insensitively for ASCII letters.
    pub label: String,
    /// Whether questions without a named profile use this one.
    pub is_default: bool,
    /// Birth date or stated age.
    pub age: Option<Age>,
    /// Complementary insurance contract.
    pub mutuelle: Option<MutuelleContract>,
    /// Affections de longue durée recognised for this person.
    pub ald: Vec<AldCondition>,
    /// Public complementary cover (C2S) or state medical aid (AME).
    pub public_cover: Option<PublicCover>,
    /// Current or most recent pregnancy.
    pub pregnancy: Option<Pregnancy>,
    /// Whether a médecin traitant is declared; `None` when the user did not state it.
    pub medecin_traitant: Option<bool>,
    /// Home place: postcode, city and département.
    pub place: Place,
    /// Search preferences for care providers.
    pub preferences: Preferences,
    /// Creation time (UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Time of the last update (UTC).
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Age of a person, from a birth date or from an age the user stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Age {
    /// Exact birth date.
    BirthDate(NaiveDate),
    /// Age in full years on the day the user stated it.
    Stated {
        /// Age in full years.
        years: u8,
        /// Day the age was stated, so it can be aged forward.
        recorded_on: NaiveDate,
    },
}

impl Age {
    /// Returns the age in full years on `date`, or `None` when `date` is before the birth.
    ///
    /// A stated age grows by the full years elapsed since it was recorded, so it
    /// can be one year low until the unknown birthday passes.
    pub fn years_on(&self, date: NaiveDate) -> Option<u32> {
        match *self {
            Age::BirthDate(birth) => date.years_since(birth),
            Age::Stated { years, recorded_on } => {
                let elapsed = date.years_since(recorded_on).unwrap_or(0);
                Some(u32::from(years) + elapsed)
            }
        }
    }
}

/// Basis of a guarantee percentage relative to the Assurance Maladie share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuaranteeBasis {
    /// "X % BR, Sécurité sociale incluse": AMO + AMC ≤ X % × BR.
    #[default]
    SecuriteSocialeIncluse,
    /// "X % BR en sus de la Sécurité sociale": the AMC pays X % × BR on top of the AMO.
    EnSus,
}

/// Complementary insurance (mutuelle) contract.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MutuelleContract {
    /// Insurer or contract name, free text.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the contract is a contrat responsable (legal floors and ceilings apply).
    pub responsable: bool,
    /// Basis of the guarantee percentages.
    #[serde(default)]
    pub basis: GuaranteeBasis,
    /// Guarantee per care category.
    #[serde(default)]
    pub guarantees: Guarantees,
}

/// Guarantee per care category, in basis points of BR (10000 = 100 % BR).
///
/// `None` means the contract does not cover the category or the user did not
/// state it, and a simulator treats it as no cover. For `pharmacy_30` and
/// `pharmacy_15` that is the usual case: their cover is optional even in a
/// contrat responsable.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Guarantees {
    /// Doctor consultations, doctor in OPTAM or secteur 1.
    pub consultation_optam: Option<u32>,
    /// Doctor consultations, secteur 2 doctor outside OPTAM.
    pub consultation_non_optam: Option<u32>,
    /// Medicines reimbursed at 65 %.
    pub pharmacy_65: Option<u32>,
    /// Medicines reimbursed at 30 % (optional cover).
    pub pharmacy_30: Option<u32>,
    /// Medicines reimbursed at 15 % (optional cover).
    pub pharmacy_15: Option<u32>,
    /// Hospital fees, doctor in OPTAM or secteur 1.
    pub hospital_optam: Option<u32>,
    /// Hospital fees, secteur 2 doctor outside OPTAM.
    pub hospital_non_optam: Option<u32>,
    /// Dental care.
    pub dental: Option<u32>,
    /// Optical care.
    pub optical: Option<u32>,
    /// Paramedical acts (nurse, physiotherapist, speech therapist…).
    pub paramedical: Option<u32>,
}

impl Guarantees {
    fn named(&self) -> [(&'static str, Option<u32>); 10] {
        [
            ("consultation_optam", self.consultation_optam),
            ("consultation_non_optam", self.consultation_non_optam),
            ("pharmacy_65", self.pharmacy_65),
            ("pharmacy_30", self.pharmacy_30),
            ("pharmacy_15", self.pharmacy_15),
            ("hospital_optam", self.hospital_optam),
            ("hospital_non_optam", self.hospital_non_optam),
            ("dental", self.dental),
            ("optical", self.optical),
            ("paramedical", self.paramedical),
        ]
    }
}

/// One affection de longue durée.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AldCondition {
    /// Name of the condition as the user gave it ("diabète de type 2").
    pub name: String,
    /// Start of the exemption, when known.
    #[serde(default)]
    pub since: Option<NaiveDate>,
    /// End of the exemption, when known.
    #[serde(default)]
    pub until: Option<NaiveDate>,
}

/// Public cover that replaces or complements the mutuelle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicCover {
    /// Complémentaire santé solidaire.
    C2s,
    /// Aide médicale de l'État.
    Ame,
}

impl PublicCover {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PublicCover::C2s => "c2s",
            PublicCover::Ame => "ame",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "c2s" => Some(PublicCover::C2s),
            "ame" => Some(PublicCover::Ame),
            _ => None,
        }
    }
}

/// Pregnancy dates, used for the maternity exemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pregnancy {
    /// First day of the pregnancy (début de grossesse).
    pub start: NaiveDate,
    /// Expected delivery date.
    pub expected_delivery: NaiveDate,
    /// Actual delivery date, once known.
    #[serde(default)]
    pub delivery: Option<NaiveDate>,
}

impl Pregnancy {
    /// Returns whether `date` falls in the maternity exemption: from the first
    /// day of the 6th month to the 12th day after the birth (expected birth while
    /// the actual one is unknown).
    pub fn is_maternity_period(&self, date: NaiveDate) -> bool {
        let Some(first) = self.start.checked_add_months(Months::new(5)) else {
            return false;
        };
        let birth = self.delivery.unwrap_or(self.expected_delivery);
        let last = birth + chrono::Days::new(12);
        first <= date && date <= last
    }
}

/// Home place of a person.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Place {
    /// Five-digit French postcode.
    pub postcode: Option<String>,
    /// City name.
    pub city: Option<String>,
    /// Département code ("75", "2A", "974"), derived from the postcode unless given.
    pub departement: Option<String>,
}

/// Convention sector of a doctor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sector {
    /// Secteur 1: fees at the BR.
    #[serde(rename = "secteur_1")]
    Secteur1,
    /// Secteur 2 doctor who signed OPTAM or OPTAM-CO.
    #[serde(rename = "secteur_2_optam")]
    Secteur2Optam,
    /// Secteur 2 doctor outside OPTAM.
    #[serde(rename = "secteur_2")]
    Secteur2,
    /// Secteur 3: not conventioned.
    #[serde(rename = "secteur_3")]
    Secteur3,
}

/// Search preferences for care providers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Accepted doctor sectors; empty means any.
    pub sectors: Vec<Sector>,
    /// Maximum distance to a provider, in km.
    pub max_distance_km: Option<u32>,
}

/// Change to one optional field: keep it, clear it, or set a new value.
///
/// In JSON a missing key keeps the field, `null` clears it and a value sets it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Leave the stored value as it is.
    #[default]
    Keep,
    /// Remove the stored value.
    Clear,
    /// Replace the stored value.
    Set(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Option::<T>::deserialize(deserializer)?;
        Ok(match value {
            Some(value) => Patch::Set(value),
            None => Patch::Clear,
        })
    }
}

impl<T> Patch<T> {
    pub(crate) fn apply_to(self, current: &mut Option<T>) {
        match self {
            Patch::Keep => {}
            Patch::Clear => *current = None,
            Patch::Set(value) => *current = Some(value),
        }
    }
}

/// Partial update of a profile: only the fields that are not [`Patch::Keep`] change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileUpdate {
    /// New label; labels cannot be cleared.
    pub label: Option<String>,
    /// Birth date or stated age.
    pub age: Patch<Age>,
    /// Mutuelle contract.
    pub mutuelle: Patch<MutuelleContract>,
    /// Full new list of ALD conditions; an empty list removes them all.
    pub ald: Option<Vec<AldCondition>>,
    /// C2S or AME.
    pub public_cover: Patch<PublicCover>,
    /// Pregnancy dates.
    pub pregnancy: Patch<Pregnancy>,
    /// Whether a médecin traitant is declared.
    pub medecin_traitant: Patch<bool>,
    /// Postcode; setting it also sets the département unless `departement` is set too.
    pub postcode: Patch<String>,
    /// City name.
    pub city: Patch<String>,
    /// Département code.
    pub departement: Patch<String>,
    /// Full new list of accepted sectors; an empty list means any.
    pub sectors: Option<Vec<Sector>>,
    /// Maximum distance to a provider, in km.
    pub max_distance_km: Patch<u32>,
}

impl ProfileUpdate {
    /// Validates every field and applies the update to `profile` in memory.
    ///
    /// `today` bounds the dates that must not be in the future. The error names
    /// the first invalid field and value.
    pub fn apply(self, profile: &mut Profile, today: NaiveDate) -> Result<()> {
        if let Some(label) = self.label {
            profile.label = validate_label(&label)?;
        }

        if let Patch::Set(age) = &self.age {
            validate_age(age, today)?;
        }
        self.age.apply_to(&mut profile.age);

        if let Patch::Set(contract) = &self.mutuelle {
            validate_mutuelle(contract)?;
        }
        self.mutuelle.apply_to(&mut profile.mutuelle);

        if let Some(conditions) = self.ald {
            for condition in &conditions {
                validate_ald(condition)?;
            }
            profile.ald = conditions;
        }

        self.public_cover.apply_to(&mut profile.public_cover);

        if let Patch::Set(pregnancy) = &self.pregnancy {
            validate_pregnancy(pregnancy)?;
        }
        self.pregnancy.apply_to(&mut profile.pregnancy);

        self.medecin_traitant
            .apply_to(&mut profile.medecin_traitant);

        apply_place(
            &mut profile.place,
            self.postcode,
            self.city,
            self.departement,
        )?;

        if let Some(mut sectors) = self.sectors {
            sectors.sort();
            sectors.dedup();
            profile.preferences.sectors = sectors;
        }
        if let Patch::Set(km) = &self.max_distance_km
            && !(1..=1000).contains(km)
        {
            return Err(MemoryError::invalid(
                "max_distance_km",
                km,
                "give a distance from 1 to 1000 km",
            ));
        }
        self.max_distance_km
            .apply_to(&mut profile.preferences.max_distance_km);

        Ok(())
    }
}

/// Trims and checks a profile label.
pub(crate) fn validate_label(label: &str) -> Result<String> {
    let trimmed = label.trim();
    if trimmed.is_empty() {
        return Err(MemoryError::invalid(
            "label",
            label,
            "give a non-empty name such as \"moi\"",
        ));
    }
    if trimmed.chars().count() > MAX_LABEL_CHARS {
        return Err(MemoryError::invalid(
            "label",
            label,
            format!("use at most {MAX_LABEL_CHARS} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(MemoryError::invalid(
            "label",
            label,
            "remove control characters such as line breaks",
        ));
    }
    Ok(trimmed.to_owned())
}

fn validate_age(age: &Age, today: NaiveDate) -> Result<()> {
    let oldest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    match *age {
        Age::BirthDate(birth) => {
            if birth > today {
                return Err(MemoryError::invalid(
                    "age",
                    birth,
                    "give a birth date that is not in the future",
                ));
            }
            if birth < oldest {
                return Err(MemoryError::invalid(
                    "age",
                    birth,
                    "give a birth date after 1900-01-01",
                ));
            }
        }
        Age::Stated { years, recorded_on } => {
            if years > 130 {
                return Err(MemoryError::invalid(
                    "age",
                    years,
                    "give an age from 0 to 130 years",
                ));
            }
            if recorded_on > today {
                return Err(MemoryError::invalid(
                    "age",
                    recorded_on,
                    "the day the age was stated cannot be in the future",
                ));
            }
        }
    }
    Ok(())
}

/// Checks guarantee bounds and, for a contrat responsable expressed "Sécurité
/// sociale incluse", the legal floors and ceilings of Code de la sécurité
/// sociale R871-2. The ticket modérateur must be covered in full. Cover for
/// doctors outside OPTAM stays at most 200 % BR and at least 20 points below
/// OPTAM cover.
fn validate_mutuelle(contract: &MutuelleContract) -> Result<()> {
    if let Some(name) = &contract.name
        && (name.trim().is_empty() || name.chars().count() > 200)
    {
        return Err(MemoryError::invalid(
            "mutuelle.name",
            name,
            "give a name of 1 to 200 characters or leave it out",
        ));
    }

    for (category, value) in contract.guarantees.named() {
        if let Some(bp) = value
            && bp > MAX_GUARANTEE_BP
        {
            return Err(MemoryError::invalid(
                guarantee_field(category),
                bp,
                "give the guarantee in basis points of BR, at most 100000 (1000 % BR); 100 % BR is 10000",
            ));
        }
    }

    let responsable_incluse =
        contract.responsable && contract.basis == GuaranteeBasis::SecuriteSocialeIncluse;
    if !responsable_incluse {
        return Ok(());
    }

    let guarantees = &contract.guarantees;
    let must_cover_tm = [
        ("consultation_optam", guarantees.consultation_optam),
        ("consultation_non_optam", guarantees.consultation_non_optam),
        ("pharmacy_65", guarantees.pharmacy_65),
        ("hospital_optam", guarantees.hospital_optam),
        ("hospital_non_optam", guarantees.hospital_non_optam),
        ("paramedical", guarantees.paramedical),
    ];
    for (category, value) in must_cover_tm {
        if let Some(bp) = value
            && bp < 10_000
        {
            return Err(MemoryError::invalid(
                guarantee_field(category),
                bp,
                "a contrat responsable covers the whole ticket modérateur, so give at least 10000 (100 % BR) or set responsable to false",
            ));
        }
    }

    let pairs = [
        (
            "consultation_non_optam",
            guarantees.consultation_optam,
            guarantees.consultation_non_optam,
        ),
        (
            "hospital_non_optam",
            guarantees.hospital_optam,
            guarantees.hospital_non_optam,
        ),
    ];
    for (category, optam, non_optam) in pairs {
        let Some(non_optam) = non_optam else { continue };
        if non_optam <= 10_000 {
            continue;
        }
        if non_optam > 20_000 {
            return Err(MemoryError::invalid(
                guarantee_field(category),
                non_optam,
                "a contrat responsable covers doctors outside OPTAM at most at 20000 (200 % BR); check the contract table",
            ));
        }
        if let Some(optam) = optam
            && non_optam + 2_000 > optam
        {
            return Err(MemoryError::invalid(
                guarantee_field(category),
                non_optam,
                format!(
                    "a contrat responsable covers doctors outside OPTAM at least 2000 (20 % BR) below OPTAM cover, so give at most {}",
                    optam.saturating_sub(2_000).max(10_000)
                ),
            ));
        }
    }
    Ok(())
}

fn guarantee_field(category: &str) -> &'static str {
    match category {
        "consultation_optam" => "mutuelle.guarantees.consultation_optam",
        "consultation_non_optam" => "mutuelle.guarantees.consultation_non_optam",
        "pharmacy_65" => "mutuelle.guarantees.pharmacy_65",
        "pharmacy_30" => "mutuelle.guarantees.pharmacy_30",
        "pharmacy_15" => "mutuelle.guarantees.pharmacy_15",
        "hospital_optam" => "mutuelle.guarantees.hospital_optam",
        "hospital_non_optam" => "mutuelle.guarantees.hospital_non_optam",
        "dental" => "mutuelle.guarantees.dental",
        "optical" => "mutuelle.guarantees.optical",
        _ => "mutuelle.guarantees.paramedical",
    }
}

fn validate_ald(condition: &AldCondition) -> Result<()> {
    let name = condition.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(MemoryError::invalid(
            "ald.name",
            &condition.name,
            "give the condition name in 1 to 200 characters",
        ));
    }
    if let (Some(since), Some(until)) = (condition.since, condition.until)
        && until < since
    {
        return Err(MemoryError::invalid(
            "ald.until",
            until,
            format!("give an end date on or after the start {since}"),
        ));
    }
    Ok(())
}

fn validate_pregnancy(pregnancy: &Pregnancy) -> Result<()> {
    let days = (pregnancy.expected_delivery - pregnancy.start).num_days();
    if !(1..=MAX_PREGNANCY_DAYS).contains(&days) {
        return Err(MemoryError::invalid(
            "pregnancy.expected_delivery",
            pregnancy.expected_delivery,
            format!(
                "give a date 1 to {MAX_PREGNANCY_DAYS} days after the start {}",
                pregnancy.start
            ),
        ));
    }
    if let Some(delivery) = pregnancy.delivery
        && delivery < pregnancy.start
    {
        return Err(MemoryError::invalid(
            "pregnancy.delivery",
            delivery,
            format!("give a delivery date after the start {}", pregnancy.start),
        ));
    }
    Ok(())
}

fn apply_place(
    place: &mut Place,
    postcode: Patch<String>,
    city: Patch<String>,
    departement: Patch<String>,
) -> Result<()> {
    let mut derived = None;
    if let Patch::Set(code) = &postcode {
        derived = Some(departement_from_postcode(code).ok_or_else(|| {
            MemoryError::invalid(
                "postcode",
                code,
                "give a five-digit French postcode of metropolitan France or an overseas département, such as 75011 or 97400",
            )
        })?);
    }
    postcode.apply_to(&mut place.postcode);

    if let Patch::Set(name) = &city
        && (name.trim().is_empty() || name.chars().count() > 100)
    {
        return Err(MemoryError::invalid(
            "city",
            name,
            "give a city name of 1 to 100 characters",
        ));
    }
    city.map(|name| name.trim().to_owned())
        .apply_to(&mut place.city);

    match departement {
        Patch::Set(code) => {
            let code = code.trim().to_uppercase();
            if !is_departement_code(&code) {
                return Err(MemoryError::invalid(
                    "departement",
                    code,
                    "give a département code such as 01, 2A, 75 or 974",
                ));
            }
            if let Some(expected) = &derived
                && *expected != code
            {
                return Err(MemoryError::invalid(
                    "departement",
                    code,
                    format!(
                        "the postcode belongs to département {expected}; fix the postcode or leave the département out"
                    ),
                ));
            }
            place.departement = Some(code);
        }
        Patch::Clear => place.departement = None,
        Patch::Keep => {
            if let Some(expected) = derived {
                place.departement = Some(expected);
            }
        }
    }
    Ok(())
}

impl<T> Patch<T> {
    fn map<U>(self, function: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(value) => Patch::Set(function(value)),
        }
    }
}

/// Returns the département code of a French postcode, or `None` when the
/// postcode is not five digits of metropolitan France or an overseas département.
///
/// Corsican postcodes 200xx and 201xx are Corse-du-Sud (2A), the other 20xxx
/// are Haute-Corse (2B); 971xx to 976xx keep three digits. Monaco and the
/// overseas collectivités (98xxx) return `None`.
pub fn departement_from_postcode(postcode: &str) -> Option<String> {
    let code = postcode.trim();
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }

    let departement = match &code[..2] {
        "20" => {
            if matches!(&code[..3], "200" | "201") {
                "2A".to_owned()
            } else {
                "2B".to_owned()
            }
        }
        "97" => code[..3].to_owned(),
        two => two.to_owned(),
    };
    is_departement_code(&departement).then_some(departement)
}

fn is_departement_code(code: &str) -> bool {
    match code {
        "2A" | "2B" => true,
        "971" | "972" | "973" | "974" | "976" => true,
        _ => {
            code.len() == 2
                && code
                    .parse::<u8>()
                    .is_ok_and(|n| (1..=95).contains(&n) && n != 20)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn departement_from_postcodes() {
        let cases = [
            ("75011", Some("75")),
            ("01000", Some("01")),
            ("20000", Some("2A")),
            ("20190", Some("2A")),
            ("20200", Some("2B")),
            ("20600", Some("2B")),
            ("97400", Some("974")),
            ("97600", Some("976")),
            ("97500", None),
            ("98000", None),
            ("00100", None),
            ("7501", None),
            ("75A11", None),
        ];
        for (postcode, expected) in cases {
            assert_eq!(
                departement_from_postcode(postcode).as_deref(),
                expected,
                "postcode {postcode}"
            );
        }
    }

    #[test]
    fn stated_age_grows_with_time() {
        let age = Age::Stated {
            years: 40,
            recorded_on: date("2024-06-01"),
        };
        assert_eq!(age.years_on(date("2025-05-31")), Some(40));
        assert_eq!(age.years_on(date("2026-06-01")), Some(42));
    }

    #[test]
    fn birth_date_age() {
        let age = Age::BirthDate(date("2010-03-15"));
        assert_eq!(age.years_on(date("2028-03-14")), Some(17));
        assert_eq!(age.years_on(date("2028-03-15")), Some(18));
        assert_eq!(age.years_on(date("2009-01-01")), None);
    }

    #[test]
    fn maternity_period_bounds() {
        let pregnancy = Pregnancy {
            start: date("2025-01-10"),
            expected_delivery: date("2025-10-10"),
            delivery: Some(date("2025-10-01")),
        };
        assert!(!pregnancy.is_maternity_period(date("2025-06-09")));
        assert!(pregnancy.is_maternity_period(date("2025-06-10")));
        assert!(pregnancy.is_maternity_period(date("2025-10-13")));
        assert!(!pregnancy.is_maternity_period(date("2025-10-14")));
    }

    #[test]
    fn patch_from_json() {
        let update: ProfileUpdate =
            serde_json::from_str(r#"{"city": null, "postcode": "69003"}"#).expect("valid update");
        assert_eq!(update.city, Patch::Clear);
        assert_eq!(update.postcode, Patch::Set("69003".to_owned()));
        assert_eq!(update.age, Patch::Keep);
    }

    #[test]
    fn responsable_non_optam_ceiling() {
        let contract = MutuelleContract {
            responsable: true,
            guarantees: Guarantees {
                consultation_optam: Some(20_000),
                consultation_non_optam: Some(19_000),
                ..Guarantees::default()
            },
            ..MutuelleContract::default()
        };
        let error = validate_mutuelle(&contract).expect_err("190 % is above 200 % - 20 points");
        let message = error.to_string();
        assert!(message.contains("consultation_non_optam"), "{message}");
        assert!(message.contains("19000"), "{message}");
        assert!(message.contains("at most 18000"), "{message}");
    }

    #[test]
    fn non_responsable_accepts_low_cover() {
        let contract = MutuelleContract {
            responsable: false,
            guarantees: Guarantees {
                pharmacy_65: Some(5_000),
                ..Guarantees::default()
            },
            ..MutuelleContract::default()
        };
        assert!(validate_mutuelle(&contract).is_ok());
    }
}
