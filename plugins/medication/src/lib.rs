//! The `medication.info` intent plugin: describes a medicine in French from
//! the BDPM (base de données publique des médicaments) that the `bdpm` data
//! source serves. The answer gives the dénomination, form, routes,
//! authorisation, marketing, holders, surveillance renforcée, the boxes
//! with their price and reimbursement rate, and the generic groups with
//! their members, cheapest first, citing the BDPM with the date of its data.
//!
//! The medicine is named by the router's `medication` slot, with `dosage`
//! when given, or by the `cis` slot. Several matches give a short list and
//! how to be precise; an unknown name gives the nearest names; missing BDPM
//! data gives the commands that install it.
//!
//! Everything but `plugin.rs` is portable and tested on the host through
//! the [`MedicineSource`] trait; the WebAssembly glue only exists on
//! `wasm32`.

mod answer;
mod lookup;
mod record;
mod render;
mod source;
mod text;
mod topic;

#[cfg(target_arch = "wasm32")]
mod plugin;

#[cfg(test)]
mod tests;

pub use answer::{Answer, AnswerError, Citation, INTENT, IntentInput, SCHEMA, answer};
pub use lookup::{Lookup, SEARCH_LIMIT, find_by_name};
pub use source::{
    BoxRecord, GenericGroupRecord, GroupMember, MedicineRecord, MedicineSource, NO_SNAPSHOT, Role,
    SnapshotDate, SourceError,
};
pub use text::Strength;
pub use topic::{Topic, topics_of};
