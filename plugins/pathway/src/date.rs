//! Calendar dates: the date of care of a question, and the publication date
//! of a source, which may be known to the year, the month or the day.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize, Serializer};

/// French month names, January first.
const MONTHS_FRENCH: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// Earliest year accepted in a date.
const MIN_YEAR: i32 = 1900;

/// Latest year accepted in a date.
const MAX_YEAR: i32 = 2200;

/// A day in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// Returns the date, or `None` when the day does not exist or the year
    /// is outside 1900 to 2200.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Self { year, month, day })
    }

    /// Returns the year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// Returns the month, 1 to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// Returns the day of the month, 1 to 31.
    pub fn day(self) -> u32 {
        self.day
    }

    /// Returns the number of whole months from `start` to `self`, counting
    /// a month only once its day is reached, or `None` when `self` is
    /// before `start`.
    pub fn whole_months_since(self, start: Date) -> Option<u32> {
        if self < start {
            return None;
        }
        let mut months = (self.year - start.year) * 12 + self.month as i32 - start.month as i32;
        if self.day < start.day {
            months -= 1;
        }
        u32::try_from(months).ok()
    }
}

impl FromStr for Date {
    type Err = String;

    /// Parses `YYYY-MM-DD`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || format!("invalid date `{text}`: write it as YYYY-MM-DD");
        let mut parts = text.split('-');
        let (Some(year), Some(month), Some(day), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(invalid());
        }
        let year = year.parse().map_err(|_| invalid())?;
        let month = month.parse().map_err(|_| invalid())?;
        let day = day.parse().map_err(|_| invalid())?;
        Date::new(year, month, day).ok_or_else(invalid)
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

/// The publication date of a source: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct SourceDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

impl SourceDate {
    /// Returns the full date when the day is known.
    pub fn full_date(self) -> Option<Date> {
        Date::new(self.year, self.month?, self.day?)
    }

    /// Formats the date in French, such as « 28 mai 2021 », « mars 2014 »
    /// or « 2012 ».
    pub fn french(self) -> String {
        let Some(month) = self.month else {
            return self.year.to_string();
        };
        let name = MONTHS_FRENCH[month as usize - 1];
        match self.day {
            Some(1) => format!("1er {name} {}", self.year),
            Some(day) => format!("{day} {name} {}", self.year),
            None => format!("{name} {}", self.year),
        }
    }
}

impl FromStr for SourceDate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || format!("invalid date `{text}`: write it as YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = text.split('-').collect();
        let widths_ok = match parts.as_slice() {
            [year] => year.len() == 4,
            [year, month] => year.len() == 4 && month.len() == 2,
            [year, month, day] => year.len() == 4 && month.len() == 2 && day.len() == 2,
            _ => false,
        };
        if !widths_ok
            || !text
                .bytes()
                .all(|byte| byte.is_ascii_digit() || byte == b'-')
        {
            return Err(invalid());
        }

        let number = |index: usize| -> Result<Option<u32>, String> {
            parts
                .get(index)
                .map(|part| part.parse::<u32>().map_err(|_| invalid()))
                .transpose()
        };
        let year = i32::try_from(number(0)?.unwrap_or_default()).map_err(|_| invalid())?;
        let month = number(1)?;
        let day = number(2)?;
        // Checks the parts that are present through a full date, using the
        // first month and day for the missing ones.
        Date::new(year, month.unwrap_or(1), day.unwrap_or(1)).ok_or_else(invalid)?;
        Ok(Self { year, month, day })
    }
}

impl TryFrom<String> for SourceDate {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl fmt::Display for SourceDate {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(formatter, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(formatter, "-{day:02}")?;
        }
        Ok(())
    }
}

impl Serialize for SourceDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_parses_and_rejects() {
        let date: Date = "2024-02-29".parse().expect("leap day");
        assert_eq!((date.year(), date.month(), date.day()), (2024, 2, 29));
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2024-2-01".parse::<Date>().is_err());
        assert!("2024-02-01-01".parse::<Date>().is_err());
    }

    #[test]
    fn whole_months_count_from_start_day() {
        let start: Date = "2025-01-10".parse().expect("date");
        let day = |text: &str| text.parse::<Date>().expect("date");
        assert_eq!(day("2025-01-10").whole_months_since(start), Some(0));
        assert_eq!(day("2025-02-09").whole_months_since(start), Some(0));
        assert_eq!(day("2025-02-10").whole_months_since(start), Some(1));
        assert_eq!(day("2026-01-10").whole_months_since(start), Some(12));
        assert_eq!(day("2025-01-09").whole_months_since(start), None);
    }

    #[test]
    fn source_date_precisions() {
        let year: SourceDate = "2012".parse().expect("year");
        let month: SourceDate = "2014-03".parse().expect("month");
        let day: SourceDate = "2021-05-28".parse().expect("day");
        assert_eq!(year.french(), "2012");
        assert_eq!(month.french(), "mars 2014");
        assert_eq!(day.french(), "28 mai 2021");
        assert_eq!(day.to_string(), "2021-05-28");
        assert_eq!(month.full_date(), None);
        assert_eq!(day.full_date(), Date::new(2021, 5, 28));
    }

    #[test]
    fn source_date_rejects_bad_text() {
        for text in [
            "2014-13",
            "2014-3",
            "14-03",
            "2014-02-30",
            "march 2014",
            "2014-03-",
        ] {
            let error = text.parse::<SourceDate>().expect_err(text);
            assert!(error.contains(text), "{error}");
        }
    }
}
