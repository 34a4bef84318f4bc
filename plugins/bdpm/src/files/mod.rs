//! Row types and parsers, one module per BDPM file.

pub mod availability;
pub mod compositions;
pub mod generic_groups;
pub mod has;
pub mod important_information;
pub mod major_therapeutic_interest;
pub mod prescription_conditions;
pub mod presentations;
pub mod specialties;
