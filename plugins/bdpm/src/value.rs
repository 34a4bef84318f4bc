//! Typed values found in BDPM fields: dates, prices, reimbursement rates and
//! numeric codes.
//!
//! The parsers here take one trimmed field and return `None` when it does
//! not have the expected form. The caller turns that into a reject that
//! names the column.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Calendar date without time zone, serialized as ISO 8601 `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Builds a date, returning `None` when the day does not exist
    /// (month out of 1–12, day past the end of the month, 29 February of a
    /// common year).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Year, four digits.
    pub fn year(self) -> u16 {
        self.year
    }

    /// Month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses the French `JJ/MM/AAAA` form used by `CIS_bdpm`, `CIS_CIP_bdpm`
    /// and `CIS_CIP_Dispo_Spec` (e.g. `09/07/2002`).
    pub fn parse_dmy(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[2] != b'/' || bytes[5] != b'/' {
            return None;
        }
        let day = digits(&bytes[0..2])?;
        let month = digits(&bytes[3..5])?;
        let year = digits(&bytes[6..10])?;
        Date::from_parts(year, month, day)
    }

    /// Parses the compact `AAAAMMJJ` form used by the HAS SMR and ASMR files
    /// (e.g. `20230830`).
    pub fn parse_compact(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 8 {
            return None;
        }
        let year = digits(&bytes[0..4])?;
        let month = digits(&bytes[4..6])?;
        let day = digits(&bytes[6..8])?;
        Date::from_parts(year, month, day)
    }

    /// Parses the ISO `AAAA-MM-JJ` form used by `CIS_InfoImportantes`
    /// (e.g. `2026-05-09`).
    pub fn parse_iso(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = digits(&bytes[0..4])?;
        let month = digits(&bytes[5..7])?;
        let day = digits(&bytes[8..10])?;
        Date::from_parts(year, month, day)
    }

    fn from_parts(year: u32, month: u32, day: u32) -> Option<Date> {
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
    }
}

fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Reads ASCII digits as a number; `None` on any other byte or on an empty
/// slice. Callers pass at most a few digits, so the value cannot overflow.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    let mut value = 0u32;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Error returned when a string is not an ISO `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {0:?}: expected an existing day written YYYY-MM-DD")]
pub struct InvalidDate(pub String);

impl FromStr for Date {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Date::parse_iso(text).ok_or_else(|| InvalidDate(text.to_owned()))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses a BDPM price in euros into integer cents.
///
/// The decimal separator is a comma, and prices of 1000 € or more use a comma
/// as thousands separator too (`1,195,27`, `12,760,74`), so the last comma is
/// the decimal point and the others are group separators. Groups must have
/// three digits and the decimals one or two. A space or no-break space as
/// group separator (`1 195,27`) is accepted as well, although no BDPM copy
/// from 2017 to 2026 uses one. Returns `None` for anything else, including a
/// dot, a sign or three decimals.
pub fn parse_price_cents(text: &str) -> Option<i64> {
    let (whole, decimals) = match text.rfind(',') {
        Some(comma) => (&text[..comma], Some(&text[comma + 1..])),
        None => (text, None),
    };
    let cents = match decimals {
        None => 0,
        Some(decimals) => parse_hundredths(decimals)?,
    };

    const GROUP_SEPARATORS: [char; 3] = [',', ' ', '\u{a0}'];
    let grouped = whole.contains(GROUP_SEPARATORS);
    let mut euros: i64 = 0;
    for (index, group) in whole.split(GROUP_SEPARATORS).enumerate() {
        let valid_length = match (grouped, index) {
            (false, _) => !group.is_empty(),
            (true, 0) => (1..=3).contains(&group.len()),
            (true, _) => group.len() == 3,
        };
        if !valid_length {
            return None;
        }
        let value = i64::from(digits(group.as_bytes())?);
        euros = euros.checked_mul(1000)?.checked_add(value)?;
    }

    euros.checked_mul(100)?.checked_add(i64::from(cents))
}

/// Reads the one or two digits after a decimal comma as hundredths
/// (`5` → 50, `07` → 7).
fn parse_hundredths(decimals: &str) -> Option<u32> {
    match decimals.len() {
        1 => Some(digits(decimals.as_bytes())? * 10),
        2 => digits(decimals.as_bytes()),
        _ => None,
    }
}

/// Parses one reimbursement rate (`65%`, `65 %`, `100 %`, or `65,5 %` if a
/// decimal rate ever appears) into basis points: 10,000 = 100 %.
///
/// Basis points keep the arithmetic in integers, as the rule sets do.
/// Returns `None` when the text is not a percentage between 0 and 100.
pub fn parse_rate_basis_points(text: &str) -> Option<u32> {
    let number = text.strip_suffix('%')?.trim_end_matches([' ', '\u{a0}']);

    let (whole, hundredths) = match number.split_once(',') {
        Some((whole, decimals)) => (whole, parse_hundredths(decimals)?),
        None => (number, 0),
    };
    if whole.len() > 3 {
        return None;
    }
    let percent = digits(whole.as_bytes())?;

    let basis_points = percent * 100 + hundredths;
    (basis_points <= 10_000).then_some(basis_points)
}

/// Returns whether `text` is exactly `length` ASCII digits, the form of CIS
/// (8), CIP7 (7), CIP13 (13) and substance (5) codes.
pub fn is_code(text: &str, length: usize) -> bool {
    text.len() == length && text.bytes().all(|b| b.is_ascii_digit())
}

/// Parses an unsigned decimal number such as a sort order or a link number.
pub fn parse_number(text: &str) -> Option<u32> {
    digits(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_dmy() {
        assert_eq!(Date::parse_dmy("09/07/2002"), Date::new(2002, 7, 9));
        assert_eq!(Date::parse_dmy("31/02/2002"), None);
        assert_eq!(Date::parse_dmy("9/7/2002"), None);
        assert_eq!(Date::parse_dmy("2002-07-09"), None);
    }

    #[test]
    fn date_compact() {
        assert_eq!(Date::parse_compact("20230830"), Date::new(2023, 8, 30));
        assert_eq!(Date::parse_compact("20231301"), None);
        assert_eq!(Date::parse_compact("2023083"), None);
    }

    #[test]
    fn date_iso() {
        assert_eq!(Date::parse_iso("2026-05-09"), Date::new(2026, 5, 9));
        assert_eq!(Date::parse_iso("2024-02-29"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse_iso("2023-02-29"), None);
        assert_eq!(Date::parse_iso("09/05/2026"), None);
    }

    #[test]
    fn date_serializes_as_iso() {
        let date = Date::new(2002, 7, 9).expect("valid date");
        assert_eq!(date.to_string(), "2002-07-09");
        assert_eq!("2002-07-09".parse::<Date>(), Ok(date));
        assert!("2002-7-9".parse::<Date>().is_err());
    }

    #[test]
    fn price_plain() {
        assert_eq!(parse_price_cents("1,07"), Some(107));
        assert_eq!(parse_price_cents("0,00"), Some(0));
        assert_eq!(parse_price_cents("999,99"), Some(99_999));
        assert_eq!(parse_price_cents("2,5"), Some(250));
        assert_eq!(parse_price_cents("12"), Some(1200));
    }

    #[test]
    fn price_thousands_comma() {
        assert_eq!(parse_price_cents("1,195,27"), Some(119_527));
        assert_eq!(parse_price_cents("12,760,74"), Some(1_276_074));
        assert_eq!(parse_price_cents("1,234,567,89"), Some(123_456_789));
    }

    #[test]
    fn price_thousands_space() {
        assert_eq!(parse_price_cents("1 234,56"), Some(123_456));
        assert_eq!(parse_price_cents("1\u{a0}234,56"), Some(123_456));
    }

    #[test]
    fn price_invalid_forms() {
        for text in [
            "",
            ",",
            "1,",
            "1,234",
            "1.50",
            "-1,00",
            "1,23,45",
            "12,3456,78",
            "a,00",
        ] {
            assert_eq!(parse_price_cents(text), None, "{text:?}");
        }
    }

    #[test]
    fn rate_both_spellings() {
        assert_eq!(parse_rate_basis_points("65%"), Some(6500));
        assert_eq!(parse_rate_basis_points("65 %"), Some(6500));
        assert_eq!(parse_rate_basis_points("100 %"), Some(10_000));
        assert_eq!(parse_rate_basis_points("15%"), Some(1500));
        assert_eq!(parse_rate_basis_points("65,5 %"), Some(6550));
    }

    #[test]
    fn rate_invalid_forms() {
        for text in ["", "%", "65", "101%", "6 5%", "65,%", "1000%", "x%"] {
            assert_eq!(parse_rate_basis_points(text), None, "{text:?}");
        }
    }

    #[test]
    fn code_leading_zeros() {
        assert!(is_code("02202", 5));
        assert!(!is_code("2202", 5));
        assert!(!is_code("6023410a", 8));
    }
}
