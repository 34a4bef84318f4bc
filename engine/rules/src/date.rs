//! Calendar dates (proleptic Gregorian, no time zone) for effective dates.
//!
//! The rule sets only compare dates, step one day and parse ISO 8601
//! `YYYY-MM-DD`, so a small type replaces a full date-time crate.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// A calendar date; ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Error for a date that does not exist or is not written `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid date `{input}`: expected an existing day written YYYY-MM-DD, such as 2025-01-08")]
pub struct DateError {
    /// The rejected text.
    pub input: String,
}

impl Date {
    /// Builds a date, or returns `None` when the day does not exist
    /// (month outside 1..=12, or day past the end of the month).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// Returns 1 January of `year`.
    pub fn first_of_year(year: i32) -> Self {
        Self {
            year,
            month: 1,
            day: 1,
        }
    }

    /// Returns 31 December of `year`.
    pub fn last_of_year(year: i32) -> Self {
        Self {
            year,
            month: 12,
            day: 31,
        }
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

    /// Returns the day after this one.
    pub fn next_day(self) -> Self {
        if self.day < days_in_month(self.year, self.month) {
            return Self {
                day: self.day + 1,
                ..self
            };
        }
        if self.month < 12 {
            return Self {
                month: self.month + 1,
                day: 1,
                ..self
            };
        }
        Self::first_of_year(self.year + 1)
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
        Self::last_of_year(self.year - 1)
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Parses `YYYY-MM-DD` with a four-digit year.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let error = || DateError {
            input: input.to_owned(),
        };

        let bytes = input.as_bytes();
        let well_formed = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
        if !well_formed {
            return Err(error());
        }

        let year = input[0..4].parse().map_err(|_| error())?;
        let month = input[5..7].parse().map_err(|_| error())?;
        let day = input[8..10].parse().map_err(|_| error())?;
        Self::new(year, month, day).ok_or_else(error)
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
    fn day_steps_cross_year_ends() {
        let new_year = Date::first_of_year(2026);
        assert_eq!(new_year.previous_day(), Date::last_of_year(2025));
        assert_eq!(Date::last_of_year(2025).next_day(), new_year);
        assert_eq!(
            Date::new(2024, 3, 1).map(Date::previous_day),
            Date::new(2024, 2, 29)
        );
    }
}
