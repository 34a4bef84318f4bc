//! Portable core of the Mediflux `cost` plugin: what the Assurance Maladie
//! (AMO) and the mutuelle (AMC) pay for a care item in France, and the reste
//! à charge.
//!
//! The crate is pure Rust with no I/O, so it builds for `wasm32-wasip2`.
//! Rule values (tariffs, rates, franchises, caps) come through the
//! [`RuleSource`] trait: the plugin implements it over the host's
//! `rules.value-at` service, and the tests over `mediflux_rules::Rules`.
//!
//! Money is integer euro cents and rates are basis points (10000 = 100 %).
//! AMO shares are rounded half up to the cent (see [`apply_rate`]).
//!
//! ```
//! use mediflux_plugin_cost::{CareItem, ConsultationCase, ConsultationKind, CostRequest,
//!     Date, Mutuelle, Patient, Pathway, Sector, Specialty, compute, render_french};
//! # use mediflux_plugin_cost::{CostError, RuleAmount, RuleSource, RuleValue};
//! # struct Fixed;
//! # impl RuleSource for Fixed {
//! #     fn value_at(&self, name: &str, date: Date) -> Result<RuleValue, CostError> {
//! #         let value = match name {
//! #             "consultation.generaliste.tarif" => RuleAmount::Cents(3000),
//! #             "consultation.generaliste_enfant.age_moins_de" => RuleAmount::Years(6),
//! #             "consultation.taux_amo" => RuleAmount::BasisPoints(7000),
//! #             "parcours.age_min" => RuleAmount::Years(16),
//! #             "participation_forfaitaire.montant" => RuleAmount::Cents(200),
//! #             "participation_forfaitaire.plafond_journalier" => RuleAmount::Cents(800),
//! #             "participation_forfaitaire.plafond_annuel" => RuleAmount::Cents(5000),
//! #             "exoneration.franchise_pf.age_moins_de" => RuleAmount::Years(18),
//! #             "complementaire.contrat_responsable.depassement_non_optam.plafond" => RuleAmount::BasisPoints(10000),
//! #             "complementaire.contrat_responsable.depassement_non_optam.ecart_min_optam" => RuleAmount::BasisPoints(2000),
//! #             name if name.starts_with("complementaire.contrat_responsable.couvre.") => RuleAmount::Flag(false),
//! #             _ => return Err(CostError::RuleNotFound { name: name.to_owned(), date, message: "not in this example".to_owned() }),
//! #         };
//! #         Ok(RuleValue { name: name.to_owned(), value, effective_date: date,
//! #             source_id: "example".to_owned(), source_title: "Example".to_owned(), to_confirm: false })
//! #     }
//! # }
//! # let rules = Fixed;
//! let request = CostRequest {
//!     date: "2025-06-01".parse()?,
//!     patient: Patient { age_years: Some(40), ..Patient::default() },
//!     mutuelle: Some(Mutuelle::responsible(10_000)),
//!     already_charged: Default::default(),
//!     items: vec![CareItem::Consultation(ConsultationCase {
//!         label: None,
//!         specialty: Specialty::GeneralPractitioner,
//!         kind: ConsultationKind::Office,
//!         sector: Some(Sector::One),
//!         billed_cents: None,
//!         pathway: Some(Pathway::Respected),
//!         ald_linked: false,
//!         participations_today_cents: 0,
//!     })],
//! };
//! let breakdown = compute(&request, &rules)?;
//! assert_eq!(breakdown.total.amo_cents, 2100);
//! assert_eq!(breakdown.total.patient_cents, 200);
//! assert!(render_french(&breakdown).contains("Reste à charge\u{a0}: 2,00\u{a0}€"));
//! # Ok::<(), CostError>(())
//! ```

mod breakdown;
mod case;
mod compute;
mod date;
mod error;
pub mod intent;
mod money;
mod mutuelle;
mod render;
mod rules;
mod when;

#[cfg(target_arch = "wasm32")]
mod plugin;

pub use breakdown::{Advice, Amounts, Assumption, Breakdown, DeductionKind, Line, LineKind};
pub use case::{
    AlreadyCharged, CareItem, CheaperMedicine, ConsultationCase, ConsultationKind, CostRequest,
    DentalCase, EmergencyVisitCase, GenericRefusal, HospitalStayCase, Maternity, MedicineCase,
    MedicineLine, NonSubstitutionCode, ParamedicalCase, ParamedicalProfession, Pathway, Patient,
    PublicCover, RelatedCareExemption, Sector, Specialty, TechnicalAct, TechnicalActsCase,
    TechnicalDiscipline,
};
pub use compute::compute;
pub use date::Date;
pub use error::CostError;
pub use money::{NBSP, apply_rate, format_euros, format_percent};
pub use mutuelle::{CoverBasis, Mutuelle};
pub use render::{format_date_french, render_french};
pub use rules::{RuleAmount, RuleSource, RuleUnit, RuleValue};
pub use when::{CareDate, DatePrecision, parse_care_date};
