//! The few calendar operations the plugin needs, without a date crate.

use std::fmt;

/// A calendar date in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// Year, such as 2026.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
}

/// French month names, January first.
const MONTH_NAMES: [&str; 12] = [
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

impl Date {
    /// Returns the same day `months` months earlier, or the last day of
    /// that month when it is shorter (31 May minus 3 months is 28 or
    /// 29 February).
    pub fn months_before(self, months: u32) -> Self {
        let index = self.year * 12 + self.month as i32 - 1 - months as i32;
        let year = index.div_euclid(12);
        let month = index.rem_euclid(12) as u32 + 1;
        Self {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// Formats the date in French, such as « 1er février 2026 ».
    pub fn french(self) -> String {
        let day = if self.day == 1 {
            "1er".to_owned()
        } else {
            self.day.to_string()
        };
        let month = MONTH_NAMES[(self.month.clamp(1, 12) - 1) as usize];
        format!("{day} {month} {}", self.year)
    }
}

/// Formats the date as `YYYY-MM-DD`, the form `mediflux profile set` reads.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
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

    fn date(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn months_before_crosses_year() {
        assert_eq!(date(2026, 2, 10).months_before(3), date(2025, 11, 10));
    }

    #[test]
    fn months_before_clamps_day() {
        assert_eq!(date(2026, 5, 31).months_before(3), date(2026, 2, 28));
        assert_eq!(date(2024, 5, 31).months_before(3), date(2024, 2, 29));
    }

    #[test]
    fn date_formats() {
        assert_eq!(date(2026, 2, 1).to_string(), "2026-02-01");
        assert_eq!(date(2026, 2, 1).french(), "1er février 2026");
        assert_eq!(date(2025, 8, 15).french(), "15 août 2025");
    }
}
