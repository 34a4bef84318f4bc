//! Calendar dates of care (proleptic Gregorian, no time zone).
//!
//! The plugin receives dates from the host as plain year, month and day, so
//! this small type replaces `mediflux_rules::Date`, which the WebAssembly
//! build does not link. It is serialised as `YYYY-MM-DD`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::CostError;

/// A calendar date; ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Builds a date, or returns `None` when the day does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// Returns the civil year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// Returns the month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Returns the day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Returns the day before this one.
    pub fn previous_day(self) -> Self {
        if self.day > 1 {
            return Self {
                day: self.day - 1,
                ..self
            };
        }
        if self.month > 1 {
            let month = self.month - 1;
            return Self {
                month,
                day: days_in_month(self.year, month),
                ..self
            };
        }
        Self {
            year: self.year - 1,
            month: 12,
            day: 31,
        }
    }

    /// Returns the last day of the previous month.
    pub fn end_of_previous_month(self) -> Self {
        Self { day: 1, ..self }.previous_day()
    }
}

/// Returns the number of days in `month` of `year`.
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = CostError;

    /// Parses `YYYY-MM-DD` with a four-digit year.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let invalid = || CostError::InvalidDate {
            input: input.to_owned(),
        };

        let mut parts = input.split('-');
        let (Some(year), Some(month), Some(day), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let digits = |text: &str, length: usize| {
            text.len() == length && text.bytes().all(|byte| byte.is_ascii_digit())
        };
        if !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
            return Err(invalid());
        }

        let year = year.parse().map_err(|_| invalid())?;
        let month = month.parse().map_err(|_| invalid())?;
        let day = day.parse().map_err(|_| invalid())?;
        Self::new(year, month, day).ok_or_else(invalid)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_missing_days() {
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2024-13-01".parse::<Date>().is_err());
        assert!("2024-1-01".parse::<Date>().is_err());
    }

    #[test]
    fn previous_day_crosses_year_end() {
        let new_year = Date::new(2026, 1, 1).map(Date::previous_day);
        assert_eq!(new_year, Date::new(2025, 12, 31));
        let march = Date::new(2024, 3, 1).map(Date::previous_day);
        assert_eq!(march, Date::new(2024, 2, 29));
    }
}
