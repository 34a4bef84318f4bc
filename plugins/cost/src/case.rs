//! The request of a cost simulation: the patient, the care items, the
//! mutuelle and what was already deducted this year and this day.
//!
//! Amounts are integer euro cents and rates are basis points
//! (10000 = 100 %). A simulation never writes to the user's ledgers, so the
//! caller passes the amounts already deducted.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::mutuelle::Mutuelle;

/// Everything a simulation needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostRequest {
    /// Date of care; it selects the rule set of its year and the values in
    /// force that day.
    pub date: Date,
    /// The patient.
    #[serde(default)]
    pub patient: Patient,
    /// The complementary contract, or `None` without one.
    #[serde(default)]
    pub mutuelle: Option<Mutuelle>,
    /// Franchises and participations already deducted this civil year.
    #[serde(default)]
    pub already_charged: AlreadyCharged,
    /// Care items, each turned into one or more lines.
    pub items: Vec<CareItem>,
}

/// The patient's situation on the date of care.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Patient {
    /// Age in whole years on the date of care; `None` assumes an adult.
    pub age_years: Option<u32>,
    /// Public cover, when not the plain régime général.
    pub cover: PublicCover,
    /// Pregnancy or recent birth, when any.
    pub maternity: Option<Maternity>,
    /// Holder of a civil invalidity pension (exempt from the ticket
    /// modérateur, still pays franchises and participations).
    pub invalidity_pension: bool,
    /// Exemption from franchises and participations for care related to a
    /// war pension or a terrorist attack; the simulated care is taken to be
    /// related.
    pub related_care_exemption: Option<RelatedCareExemption>,
}

/// Public cover on top of the régime général.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicCover {
    /// The régime général alone.
    #[default]
    Standard,
    /// Complémentaire santé solidaire: it pays the ticket modérateur, and
    /// conventioned doctors bill at the BR.
    C2s,
    /// Aide médicale de l'État: 100 % of the BR within tariffs.
    Ame,
}

/// Stage of a pregnancy, or days since the birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Maternity {
    /// Current month of pregnancy, 1 to 9 (the 7th month is 7).
    PregnancyMonth(u8),
    /// Days since the birth, 0 on the day of birth.
    DaysAfterBirth(u32),
}

/// Care exempt from franchises and participations because of its cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelatedCareExemption {
    /// War pensioner, for care related to the pension.
    WarPensioner,
    /// Victim of terrorism, for related care.
    TerrorismVictim,
}

/// Franchises and participations forfaitaires already deducted in the civil
/// year of the date of care, before this simulation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlreadyCharged {
    /// All franchises (medicines, paramedical acts, transport) this year.
    pub franchises_year_cents: i64,
    /// All participations forfaitaires this year.
    pub participations_year_cents: i64,
}

/// One care item of the simulation, tagged `"care"` in JSON (the cases use
/// `kind` for their own fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "care", rename_all = "snake_case")]
pub enum CareItem {
    /// Medicines dispensed on one prescription.
    Medicines(MedicineCase),
    /// A doctor's consultation.
    Consultation(ConsultationCase),
    /// Acts of one paramedical professional on one day.
    Paramedical(ParamedicalCase),
    /// Lab tests or radiology acts of one provider on one day.
    TechnicalActs(TechnicalActsCase),
    /// A dentist's consultation or care.
    Dental(DentalCase),
    /// A hospital stay with its forfait journalier.
    HospitalStay(HospitalStayCase),
    /// An emergency visit without admission (forfait patient urgences).
    EmergencyVisit(EmergencyVisitCase),
}

/// Medicines dispensed on one prescription.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MedicineCase {
    /// One line per presentation.
    pub lines: Vec<MedicineLine>,
    /// Adds the per-prescription pharmacy fees (exécution d'ordonnance, age,
    /// specific medicines, complex prescription), which the BDPM price does
    /// not include.
    pub include_prescription_fees: bool,
}

/// One presentation (box) on a prescription.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MedicineLine {
    /// Name shown to the patient, such as "Doliprane 1000 mg, boîte de 8".
    pub label: String,
    /// Price of one box including the dispensing fee (BDPM "prix avec
    /// honoraires"), in cents.
    pub box_price_cents: i64,
    /// Tarif forfaitaire de responsabilité of the generic group, when one
    /// applies, in cents per box.
    pub tfr_cents: Option<i64>,
    /// AMO rate of the presentation in basis points (6500 = 65 %); `None`
    /// when the box is not reimbursable.
    pub rate_basis_points: Option<i64>,
    /// Number of boxes; 0 is rejected.
    pub quantity: u32,
    /// Set when the patient or the prescriber refuses the generic.
    pub generic_refusal: Option<GenericRefusal>,
    /// The medicine is on the closed list of specific medicines, which adds
    /// the specific-medicine pharmacy fee.
    pub specific_medicine: bool,
    /// The medicine treats the patient's ALD.
    pub ald_linked: bool,
    /// A cheaper box of the same medicine, such as a generic, when known.
    pub cheaper_alternative: Option<CheaperMedicine>,
}

/// A refused generic substitution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GenericRefusal {
    /// Justification code written next to "non substituable", when any.
    pub code: Option<NonSubstitutionCode>,
    /// Price of the most expensive generic of the group, in cents per box.
    /// It becomes the BR when no valid code is given and no TFR applies.
    pub most_expensive_generic_cents: Option<i64>,
}

/// Justification code of a "non substituable" mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum NonSubstitutionCode {
    /// Marge thérapeutique étroite (narrow therapeutic margin).
    Mte,
    /// Enfant sans forme galénique adaptée (child with no suitable generic
    /// form); valid only under the age the rule set gives.
    Efg,
    /// Contre-indication formelle to an excipient present in every generic.
    Cif,
}

/// A cheaper box the patient could get instead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheaperMedicine {
    /// Name shown to the patient.
    pub label: String,
    /// Price of one box including the dispensing fee, in cents.
    pub box_price_cents: i64,
}

/// A doctor's consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationCase {
    /// Name shown to the patient; a French default names the specialty.
    #[serde(default)]
    pub label: Option<String>,
    /// The doctor's specialty.
    pub specialty: Specialty,
    /// Office visit, teleconsultation or specialist opinion.
    #[serde(default)]
    pub kind: ConsultationKind,
    /// Convention sector; `None` assumes secteur 1.
    #[serde(default)]
    pub sector: Option<Sector>,
    /// Amount the doctor bills, in cents; `None` assumes the BR.
    #[serde(default)]
    pub billed_cents: Option<i64>,
    /// Care pathway; `None` assumes it is respected.
    #[serde(default)]
    pub pathway: Option<Pathway>,
    /// The consultation is for the patient's ALD.
    #[serde(default)]
    pub ald_linked: bool,
    /// Participations forfaitaires already deducted today for this doctor,
    /// in cents.
    #[serde(default)]
    pub participations_today_cents: i64,
}

/// A doctor's specialty, as far as it changes the tariff or the pathway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Specialty {
    /// Médecin généraliste.
    GeneralPractitioner,
    /// Gynécologue (direct access).
    Gynaecologist,
    /// Ophtalmologue (direct access).
    Ophthalmologist,
    /// Stomatologue (direct access).
    Stomatologist,
    /// Psychiatre (direct access in the age range the rule set gives).
    Psychiatrist,
    /// Gériatre.
    Geriatrician,
    /// Pédiatre.
    Paediatrician,
    /// Any other specialist, such as a cardiologist.
    OtherSpecialist,
}

/// Form of the consultation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationKind {
    /// Consultation at the office.
    #[default]
    Office,
    /// Teleconsultation.
    Teleconsultation,
    /// Avis ponctuel de consultant (APC): a specialist's opinion on a
    /// referral, within the pathway by definition.
    SpecialistOpinion,
}

/// Convention sector of a doctor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Secteur 1: bills the BR.
    One,
    /// Secteur 2 in OPTAM: free fees, full secteur 1 BR.
    TwoOptam,
    /// Secteur 2 outside OPTAM: free fees, reduced BR.
    TwoNonOptam,
    /// Secteur 3, not conventioned: free fees, tarif d'autorité as BR.
    Three,
}

/// Whether the consultation follows the parcours de soins coordonnés.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pathway {
    /// Seen by the declared médecin traitant, or on referral.
    Respected,
    /// No declared médecin traitant, or a specialist without referral.
    NotRespected,
    /// Emergency: no penalty.
    Emergency,
    /// Away from home: no penalty.
    AwayFromHome,
}

/// Acts of one paramedical professional on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamedicalCase {
    /// Name shown to the patient.
    #[serde(default)]
    pub label: Option<String>,
    /// The profession.
    pub profession: ParamedicalProfession,
    /// BR of one act, in cents.
    pub act_base_cents: i64,
    /// Amount billed per act, in cents; `None` assumes the BR.
    #[serde(default)]
    pub billed_per_act_cents: Option<i64>,
    /// Number of acts; 0 is rejected.
    pub acts: u32,
    /// The acts are for the patient's ALD.
    #[serde(default)]
    pub ald_linked: bool,
    /// Paramedical franchises already deducted today for this professional,
    /// in cents.
    #[serde(default)]
    pub franchises_today_cents: i64,
}

/// Paramedical professions that carry the paramedical franchise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamedicalProfession {
    /// Infirmier.
    Nurse,
    /// Masseur-kinésithérapeute.
    Physiotherapist,
    /// Orthophoniste.
    SpeechTherapist,
    /// Orthoptiste.
    Orthoptist,
    /// Pédicure-podologue.
    Podiatrist,
}

/// Lab tests or radiology acts of one provider on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechnicalActsCase {
    /// Lab or radiology.
    pub discipline: TechnicalDiscipline,
    /// The acts, each with its own participation forfaitaire.
    pub acts: Vec<TechnicalAct>,
    /// The acts are for the patient's ALD.
    #[serde(default)]
    pub ald_linked: bool,
    /// Participations forfaitaires already deducted today by this lab or
    /// professional, in cents.
    #[serde(default)]
    pub participations_today_cents: i64,
}

/// Lab or radiology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechnicalDiscipline {
    /// Biologie médicale.
    Lab,
    /// Radiologie.
    Radiology,
}

/// One lab or radiology act.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TechnicalAct {
    /// Name shown to the patient.
    pub label: String,
    /// BR of the act, in cents.
    pub base_cents: i64,
    /// Amount billed, in cents; `None` assumes the BR.
    pub billed_cents: Option<i64>,
}

/// A dentist's consultation or care (no participation forfaitaire, no
/// franchise).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DentalCase {
    /// Name shown to the patient.
    pub label: Option<String>,
    /// BR of the act, in cents.
    pub base_cents: i64,
    /// Amount billed, in cents; `None` assumes the BR.
    pub billed_cents: Option<i64>,
    /// The care is for the patient's ALD.
    pub ald_linked: bool,
}

/// A hospital stay (full hospitalisation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HospitalStayCase {
    /// Name shown to the patient.
    pub label: Option<String>,
    /// BR of the stay's care, in cents.
    pub base_cents: i64,
    /// Amount billed for the care, in cents; `None` assumes the BR.
    pub billed_cents: Option<i64>,
    /// Number of days the forfait journalier is charged, including the day
    /// of discharge.
    pub days: u32,
    /// Stay in a psychiatric ward (reduced forfait journalier).
    pub psychiatry: bool,
    /// Coefficient of the main act, when known; a heavy act takes the flat
    /// participation instead of the ticket modérateur.
    pub act_coefficient: Option<i64>,
    /// The stay is for the patient's ALD.
    pub ald_linked: bool,
}

/// An emergency visit without admission.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmergencyVisitCase {
    /// The patient pays the reduced forfait patient urgences.
    pub reduced_rate: bool,
}
