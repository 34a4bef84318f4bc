//! Host-owned store of reference data (the BDPM medicine base and the
//! practitioners of the Annuaire Santé), in its own SQLite file
//! `reference.sqlite3`, separate from user memory.
//!
//! Each import of a source is a snapshot with its download date and the
//! SHA-256 digest and size of each file. An import writes its rows aside,
//! under a new snapshot id, and switches the snapshot into service in the
//! transaction that commits it, so a failed, aborted or killed import
//! leaves the previous snapshot in service and the import log records the reason
//! ([`RefStore::import_history`]). Replaced snapshots are pruned after the
//! switch.
//!
//! The input types mirror the WIT records of the plugin SDK
//! (`mediflux:plugin@0.1.0`) field by field, so that this crate needs
//! neither wasmtime nor the host.
//!
//! ```no_run
//! use chrono::NaiveDate;
//! use mediflux_refdata::{MinimumCounts, RefStore, StoreRecord};
//!
//! # fn records() -> Vec<StoreRecord> { Vec::new() }
//! let store = RefStore::open(std::path::Path::new("/var/lib/mediflux"))?;
//! let date = NaiveDate::from_ymd_opt(2026, 1, 28).expect("valid date");
//! let mut writer = store.begin_import("bdpm", date)?;
//! writer.add_file("CIS_bdpm.txt", &[0; 32], 3_149_903)?;
//! writer.write(records())?;
//! writer.commit(MinimumCounts { medicines: 10_000, presentations: 10_000 })?;
//!
//! let hits = store.search("dolipran 1000", 5)?;
//! # Ok::<(), mediflux_refdata::RefDataError>(())
//! ```

mod error;
mod import;
mod place;
mod practitioners;
mod records;
mod schema;
mod search;
mod snapshot;
mod store;

pub use error::{RefDataError, Result};
pub use import::{ImportWriter, MinimumCounts};
pub use place::{Place, city_key};
pub use practitioners::{ANNUAIRE_SOURCE, PractitionerQuery};
pub use records::{
    Address, GenericGroup, GenericMember, GenericRole, JsonDocument, Medicine, Practitioner,
    Presentation, SECTORS, StoreRecord,
};
pub use search::{MedicineHit, PresentationSummary};
pub use snapshot::{SnapshotCounts, SnapshotFile, SnapshotInfo, SnapshotState};
pub use store::{
    BDPM_SOURCE, GenericEntry, GenericGroupView, MedicineDetails, PresentationDetails,
    REFERENCE_FILE_NAME, RefStore,
};
