//! Yearly French reimbursement rule sets: loading, checking, lookups by name
//! and date, and `show` / `diff` for maintainers.
//!
//! A rules directory contains `sources.toml` and one `YEAR.toml` per civil year.
//! Every value is a list of dated steps with a source id, stored as integer
//! cents, basis points (10000 = 100 %), counts, durations or flags. The value
//! of a rule at a date D comes from the file of year(D): it is the last step
//! dated on or before D. The schema is documented in the header of each rule
//! file under `manifests/rules/fr/`, which is also embedded in the crate.
//!
//! ```
//! use mediflux_rules::{Date, Rules, Value};
//!
//! let rules = Rules::embedded()?;
//! let date: Date = "2025-06-01".parse()?;
//! let tariff = rules.value_at("consultation.generaliste.tarif", date)?;
//! assert_eq!(tariff.value, Value::Cents(3000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod check;
mod date;
mod error;
mod model;
mod parse;
mod report;
mod rules;

pub use check::{CheckReport, SOURCES_FILE, check};
pub use date::{Date, DateError};
pub use error::{CheckFailed, LookupError, RuleError};
pub use model::{Rule, RuleSet, Source, Status, Step, Unit, Value};
pub use parse::SCHEMA_VERSION;
pub use report::{Change, Diff, DiffEntry, Show, ShownRule, ShownStep};
pub use rules::{Rules, ValueAt};
