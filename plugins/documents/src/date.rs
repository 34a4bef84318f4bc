//! Calendar dates as printed on French documents (`14/03/2025`) and as the
//! router's `date` slot writes them (`2025-03-14`).

use std::fmt;

/// A valid day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, such as 2025.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
}

impl Date {
    /// Returns the date, or `None` when the day does not exist.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, the form of the router's `date` slot.
    pub fn parse_iso(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Self::new(year, month, day)
    }

    /// Returns the date written the French way, `14/03/2025`.
    pub fn french(&self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// Returns the same day `years` later; 29 February becomes 28 February
    /// in a year that has no 29 February.
    pub fn plus_years(&self, years: i32) -> Self {
        let year = self.year + years;
        let day = self.day.min(days_in_month(year, self.month));
        Self {
            year,
            month: self.month,
            day,
        }
    }
}

impl fmt::Display for Date {
    /// Writes the date as `YYYY-MM-DD`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        )
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_rejects_missing_days() {
        assert!(Date::new(2025, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2025, 13, 1).is_none());
        assert!(Date::new(2025, 4, 31).is_none());
        assert!(Date::new(2025, 4, 0).is_none());
    }

    #[test]
    fn iso_and_french_forms() {
        let date = Date::parse_iso("2025-03-14").expect("a valid date");
        assert_eq!(date.french(), "14/03/2025");
        assert_eq!(date.to_string(), "2025-03-14");
        assert!(Date::parse_iso("2025-03").is_none());
    }

    #[test]
    fn plus_years_keeps_existing_day() {
        let leap = Date::new(2024, 2, 29).expect("a valid date");
        assert_eq!(leap.plus_years(1), Date::new(2025, 2, 28).expect("a date"));
        let plain = Date::new(2025, 1, 1).expect("a valid date");
        assert_eq!(plain.plus_years(1), Date::new(2026, 1, 1).expect("a date"));
    }
}
