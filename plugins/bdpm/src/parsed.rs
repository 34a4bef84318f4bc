//! The result of parsing one file: typed rows plus the records that could not
//! be read.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decode::Encoding;

/// Rows read from one file, with the records that were rejected.
///
/// Every physical record ends up either in `rows` or in `rejects`, so
/// `rows.len() + rejects.len() == records`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parsed<R> {
    /// File name used in rejects, such as `CIS_CIP_bdpm.txt`.
    pub file: String,
    /// Encoding detected for the whole file.
    pub encoding: Encoding,
    /// Number of physical records, that is non-blank lines.
    pub records: usize,
    /// Rows read successfully, in file order.
    pub rows: Vec<R>,
    /// Records that could not be read, in file order.
    pub rejects: Vec<Reject>,
}

/// A record that could not be read, with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file} line {line}: {reason}")]
pub struct Reject {
    /// File name, such as `CIS_GENER_bdpm.txt`.
    pub file: String,
    /// 1-based line number, where CRLF, LF and a lone CR each end a line.
    pub line: usize,
    /// Cause of the reject.
    pub reason: RejectReason,
}

/// Cause of a reject. Columns are numbered from 1, as in the official format
/// document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RejectReason {
    /// The record does not have the file's number of fields, typically
    /// because of a stray TAB; its values would land in the wrong columns.
    #[error("expected {expected} tab-separated fields, found {found}")]
    FieldCount {
        /// Accepted field counts.
        expected: FieldRange,
        /// Field count after dropping empty trailing fields.
        found: usize,
    },
    /// A mandatory column is empty.
    #[error("missing {name} in column {column}")]
    Missing {
        /// 1-based column number.
        column: usize,
        /// Column name.
        name: String,
    },
    /// A column does not have the expected form.
    #[error("invalid {name} in column {column}: {value:?}, expected {expected}")]
    Invalid {
        /// 1-based column number.
        column: usize,
        /// Column name.
        name: String,
        /// The field as found in the file, untrimmed.
        value: String,
        /// Description of the accepted form.
        expected: String,
    },
}

/// Inclusive range of accepted field counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRange {
    /// Minimum field count accepted, because trailing optional columns may
    /// be missing.
    pub min: usize,
    /// Number of columns of the file.
    pub max: usize,
}

impl fmt::Display for FieldRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.max)
        } else {
            write!(f, "{} to {}", self.min, self.max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_message_names_file_and_line() {
        let reject = Reject {
            file: "CIS_GENER_bdpm.txt".to_owned(),
            line: 10004,
            reason: RejectReason::FieldCount {
                expected: FieldRange { min: 5, max: 5 },
                found: 6,
            },
        };
        assert_eq!(
            reject.to_string(),
            "CIS_GENER_bdpm.txt line 10004: expected 5 tab-separated fields, found 6"
        );
    }

    #[test]
    fn invalid_message_shows_value() {
        let reason = RejectReason::Invalid {
            column: 10,
            name: "price".to_owned(),
            value: "1,2,3".to_owned(),
            expected: "euros with a decimal comma".to_owned(),
        };
        assert_eq!(
            reason.to_string(),
            "invalid price in column 10: \"1,2,3\", expected euros with a decimal comma"
        );
    }
}
