//! The loop shared by every file parser, and typed access to the fields of
//! one record.

use crate::decode::decode;
use crate::html::clean_text;
use crate::kind::FileKind;
use crate::lines::{Fields, Records};
use crate::parsed::{FieldRange, Parsed, Reject, RejectReason};
use crate::value::{Date, is_code, parse_number, parse_price_cents, parse_rate_basis_points};

/// Column layout of one file.
pub(crate) struct Schema {
    /// File whose records this schema reads.
    pub kind: FileKind,
    /// English column names, in file order, used in reject messages.
    pub columns: &'static [&'static str],
    /// Number of leading columns that every record must have. The columns
    /// after these may be missing and are then read as empty.
    pub required: usize,
}

/// Decodes `bytes` and builds one row per record with `build`, collecting a
/// reject for every record with the wrong field count or for which `build`
/// fails.
pub(crate) fn parse_records<R>(
    schema: &Schema,
    bytes: &[u8],
    mut build: impl FnMut(&Record<'_>) -> Result<R, RejectReason>,
) -> Parsed<R> {
    let (text, encoding) = decode(bytes);
    let mut parsed = Parsed {
        file: schema.kind.file_name().to_owned(),
        encoding,
        records: 0,
        rows: Vec::new(),
        rejects: Vec::new(),
    };

    for (line, content) in Records::new(&text) {
        parsed.records += 1;

        let fields =
            Fields::split(content, schema.columns.len(), schema.required).map_err(|mismatch| {
                RejectReason::FieldCount {
                    expected: FieldRange {
                        min: schema.required,
                        max: schema.columns.len(),
                    },
                    found: mismatch.found,
                }
            });
        let row = fields.and_then(|fields| {
            build(&Record {
                fields,
                columns: schema.columns,
            })
        });

        match row {
            Ok(row) => parsed.rows.push(row),
            Err(reason) => parsed.rejects.push(Reject {
                file: parsed.file.clone(),
                line,
                reason,
            }),
        }
    }
    parsed
}

/// Fields of one record with typed accessors. Column indexes are 0-based;
/// reject messages number columns from 1.
pub(crate) struct Record<'a> {
    fields: Fields<'a>,
    columns: &'static [&'static str],
}

impl Record<'_> {
    /// Returns the trimmed field.
    pub fn text(&self, index: usize) -> String {
        self.fields.raw(index).trim().to_owned()
    }

    /// Returns the trimmed field with its HTML markup removed.
    pub fn display_text(&self, index: usize) -> String {
        clean_text(self.fields.raw(index)).into_owned()
    }

    /// Returns the trimmed field, rejecting an empty one.
    pub fn required_text(&self, index: usize) -> Result<String, RejectReason> {
        let value = self.fields.raw(index).trim();
        if value.is_empty() {
            return Err(self.missing(index));
        }
        Ok(value.to_owned())
    }

    /// Returns the field split on `;`, each part trimmed, empty parts
    /// dropped.
    pub fn list(&self, index: usize) -> Vec<String> {
        self.fields
            .raw(index)
            .split(';')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Returns a code of exactly `length` digits, kept as a string so that
    /// leading zeros survive.
    pub fn code(&self, index: usize, length: usize) -> Result<String, RejectReason> {
        self.optional_code(index, length)?
            .ok_or_else(|| self.missing(index))
    }

    /// Returns a code of exactly `length` digits, or `None` for an empty
    /// field.
    pub fn optional_code(
        &self,
        index: usize,
        length: usize,
    ) -> Result<Option<String>, RejectReason> {
        let value = self.fields.raw(index).trim();
        if value.is_empty() {
            return Ok(None);
        }
        if !is_code(value, length) {
            return Err(self.invalid(index, &format!("{length} digits")));
        }
        Ok(Some(value.to_owned()))
    }

    /// Returns an unsigned number such as a sort order.
    pub fn number(&self, index: usize) -> Result<u32, RejectReason> {
        let value = self.fields.raw(index).trim();
        if value.is_empty() {
            return Err(self.missing(index));
        }
        parse_number(value).ok_or_else(|| self.invalid(index, "an unsigned number"))
    }

    /// Returns a mandatory date read by `parse`, whose form `form` names in
    /// reject messages.
    pub fn date(
        &self,
        index: usize,
        parse: fn(&str) -> Option<Date>,
        form: &str,
    ) -> Result<Date, RejectReason> {
        self.optional_date(index, parse, form)?
            .ok_or_else(|| self.missing(index))
    }

    /// Returns a date read by `parse`, or `None` for an empty field.
    pub fn optional_date(
        &self,
        index: usize,
        parse: fn(&str) -> Option<Date>,
        form: &str,
    ) -> Result<Option<Date>, RejectReason> {
        let value = self.fields.raw(index).trim();
        if value.is_empty() {
            return Ok(None);
        }
        let date = parse(value)
            .ok_or_else(|| self.invalid(index, &format!("an existing date written {form}")))?;
        Ok(Some(date))
    }

    /// Returns a price in cents, or `None` for an empty field.
    pub fn price(&self, index: usize) -> Result<Option<i64>, RejectReason> {
        let value = self.fields.raw(index).trim();
        if value.is_empty() {
            return Ok(None);
        }
        let cents = parse_price_cents(value).ok_or_else(|| {
            self.invalid(
                index,
                "euros with a decimal comma, such as 2,09 or 1,195,27",
            )
        })?;
        Ok(Some(cents))
    }

    /// Returns the `;`-separated reimbursement rates in basis points; empty
    /// for a medicine that is not reimbursed.
    pub fn rates(&self, index: usize) -> Result<Vec<u32>, RejectReason> {
        let mut rates = Vec::new();
        for part in self.fields.raw(index).split(';').map(str::trim) {
            if part.is_empty() {
                continue;
            }
            let rate = parse_rate_basis_points(part).ok_or_else(|| {
                self.invalid(index, "a percentage from 0 to 100, such as 65% or 65 %")
            })?;
            rates.push(rate);
        }
        Ok(rates)
    }

    /// Returns `true` for `yes` and `false` for `no`, compared without
    /// regard to ASCII case.
    pub fn flag(&self, index: usize, yes: &str, no: &str) -> Result<bool, RejectReason> {
        let value = self.fields.raw(index).trim();
        if value.eq_ignore_ascii_case(yes) {
            Ok(true)
        } else if value.eq_ignore_ascii_case(no) {
            Ok(false)
        } else if value.is_empty() {
            Err(self.missing(index))
        } else {
            Err(self.invalid(index, &format!("{yes} or {no}")))
        }
    }

    /// Returns the raw field, untrimmed, for callers that parse it
    /// themselves.
    pub fn raw(&self, index: usize) -> &str {
        self.fields.raw(index)
    }

    /// Builds a reject reason for an empty mandatory column.
    pub fn missing(&self, index: usize) -> RejectReason {
        RejectReason::Missing {
            column: index + 1,
            name: self.column_name(index),
        }
    }

    /// Builds a reject reason for a field that does not have the form
    /// `expected` describes.
    pub fn invalid(&self, index: usize, expected: &str) -> RejectReason {
        RejectReason::Invalid {
            column: index + 1,
            name: self.column_name(index),
            value: self.fields.raw(index).to_owned(),
            expected: expected.to_owned(),
        }
    }

    fn column_name(&self, index: usize) -> String {
        self.columns
            .get(index)
            .copied()
            .unwrap_or("column")
            .to_owned()
    }
}
