//! Splitting decoded text into physical records and tab-separated fields.
//!
//! A line ends at CRLF, at LF or at a lone CR, the same rule as Python's
//! `str.splitlines`. Line numbers count every such ending, so a record that
//! ends in `\r\r\n` (seen in `CIS_CPD_bdpm.txt` 2026) is followed by an extra
//! blank line. Blank lines, including lines of only spaces or tabs, are not
//! records and are skipped.

/// Iterator over the non-blank lines of a text, with 1-based line numbers.
pub struct Records<'a> {
    rest: &'a str,
    line: usize,
}

impl<'a> Records<'a> {
    /// Starts iterating over `text`.
    pub fn new(text: &'a str) -> Self {
        Records {
            rest: text,
            line: 0,
        }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        while !self.rest.is_empty() {
            self.line += 1;

            let bytes = self.rest.as_bytes();
            let (content, next) = match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
                None => (self.rest, ""),
                Some(end) => {
                    let ending = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    (&self.rest[..end], &self.rest[end + ending..])
                }
            };
            self.rest = next;

            if !is_blank(content) {
                return Some((self.line, content));
            }
        }
        None
    }
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

/// Maximum number of fields kept for one record. Every BDPM file has at
/// most 13 columns, and a record with more fields is rejected anyway, so
/// the fields past this limit are only counted.
const MAX_FIELDS: usize = 16;

/// Tab-separated fields of one record, borrowed from the decoded text.
pub struct Fields<'a> {
    values: [&'a str; MAX_FIELDS],
    count: usize,
}

/// Field count of a record that does not fit the file's columns.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldCountMismatch {
    /// Number of fields after dropping trailing empty fields.
    pub found: usize,
}

impl<'a> Fields<'a> {
    /// Splits `line` on TAB and checks the field count against the file's
    /// columns without ever shifting a value to another column.
    ///
    /// Empty trailing fields past `columns` are dropped, because several
    /// files end every line with a TAB. Missing trailing fields are read as
    /// empty as long as at least `required` fields are present, because a
    /// copy that lost its trailing TABs still has every value in place.
    /// Any other count is a mismatch: a stray TAB inside the record (the
    /// 2022 `CIS_COMPO` and `CIS_GENER` files have some) would otherwise
    /// move every following value one column to the right.
    pub fn split(
        line: &'a str,
        columns: usize,
        required: usize,
    ) -> Result<Self, FieldCountMismatch> {
        let mut values = [""; MAX_FIELDS];
        let mut count = 0;
        let mut non_empty_end = 0;
        for value in line.split('\t') {
            if count < MAX_FIELDS {
                values[count] = value;
            }
            count += 1;
            if !value.trim().is_empty() {
                non_empty_end = count;
            }
        }

        if count > columns {
            count = non_empty_end.max(columns);
        }

        if count > columns || count < required {
            return Err(FieldCountMismatch { found: count });
        }
        Ok(Fields { values, count })
    }

    /// Returns the raw value of a 0-based column, or `""` when the record
    /// lost that trailing column.
    pub fn raw(&self, index: usize) -> &'a str {
        if index < self.count {
            self.values[index]
        } else {
            ""
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, &str)> {
        Records::new(text).collect()
    }

    #[test]
    fn records_crlf_lf_and_cr() {
        assert_eq!(
            lines("a\r\nb\nc\rd"),
            vec![(1, "a"), (2, "b"), (3, "c"), (4, "d")]
        );
    }

    #[test]
    fn records_cr_only_file() {
        assert_eq!(lines("a\tb\rc\td\r"), vec![(1, "a\tb"), (2, "c\td")]);
    }

    #[test]
    fn records_skip_blank_lines() {
        assert_eq!(lines("\r\na\r\n \t\r\n\r\nb\r\n"), vec![(2, "a"), (5, "b")]);
    }

    #[test]
    fn records_double_cr_before_lf() {
        // A record followed by `\r\r\n\r\r\n`, as in CIS_CPD_bdpm.txt 2026.
        let text = "1\tx\r\r\n\r\r\n2\ty\r\n";
        assert_eq!(lines(text), vec![(1, "1\tx"), (5, "2\ty")]);
    }

    #[test]
    fn fields_trailing_tab_dropped() {
        let fields = Fields::split("a\tb\t", 2, 2).expect("trailing empty field is dropped");
        assert_eq!(fields.raw(0), "a");
        assert_eq!(fields.raw(1), "b");
    }

    #[test]
    fn fields_missing_trailing_read_as_empty() {
        let fields = Fields::split("a\tb", 4, 2).expect("optional trailing columns may be missing");
        assert_eq!(fields.raw(2), "");
        assert_eq!(fields.raw(3), "");
    }

    #[test]
    fn fields_stray_tab_rejected() {
        let result = Fields::split("1809\tlabel\t\t67215259\t0\t1\t", 5, 5);
        assert_eq!(result.err(), Some(FieldCountMismatch { found: 6 }));
    }

    #[test]
    fn fields_too_few_rejected() {
        let result = Fields::split("a", 2, 2);
        assert_eq!(result.err(), Some(FieldCountMismatch { found: 1 }));
    }

    #[test]
    fn fields_far_too_many_rejected() {
        let line = ["x"; 20].join("\t");
        let result = Fields::split(&line, 4, 4);
        assert_eq!(result.err(), Some(FieldCountMismatch { found: 20 }));
    }
}
