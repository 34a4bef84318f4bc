//! Dates, amounts and French typography of the answers.

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Returns the date, or `None` when it does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// Returns the year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// Returns the month, from 1.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Returns the day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Formats the date as French patients read it: `01/07/2026`.
    pub fn french(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    /// Writes `YYYY-MM-DD`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        )
    }
}

/// Formats euro cents as `23,00 €`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{},{:02} €", cents / 100, cents % 100)
}

/// Formats basis points as a percentage: `17,5 %`, `100 %`.
pub fn percent(basis_points: i64) -> String {
    let whole = basis_points / 100;
    let fraction = (basis_points % 100).abs();
    if fraction == 0 {
        format!("{whole} %")
    } else if fraction % 10 == 0 {
        format!("{whole},{} %", fraction / 10)
    } else {
        format!("{whole},{fraction:02} %")
    }
}

/// Puts a no-break space before `:`, `;`, `?`, `!`, `%` and `€` and inside
/// « », as French typography requires.
pub fn french_spacing(text: &str) -> String {
    let mut spaced = text.to_owned();
    for (plain, fixed) in [
        (" :", "\u{a0}:"),
        (" ;", "\u{a0};"),
        (" ?", "\u{a0}?"),
        (" !", "\u{a0}!"),
        (" %", "\u{a0}%"),
        (" €", "\u{a0}€"),
        ("« ", "«\u{a0}"),
        (" »", "\u{a0}»"),
    ] {
        spaced = spaced.replace(plain, fixed);
    }
    spaced
}

/// Returns `text` with its first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_format() {
        let date = Date::parse("2026-07-01").expect("valid date");
        assert_eq!(date.french(), "01/07/2026");
        assert_eq!(date.to_string(), "2026-07-01");
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("2026-07"), None);
    }

    #[test]
    fn amounts_and_rates() {
        assert_eq!(euros(2300), "23,00 €");
        assert_eq!(euros(61), "0,61 €");
        assert_eq!(percent(1750), "17,5 %");
        assert_eq!(percent(10_000), "100 %");
        assert_eq!(percent(2000), "20 %");
        assert_eq!(percent(1234), "12,34 %");
    }

    #[test]
    fn spacing_before_punctuation() {
        assert_eq!(
            french_spacing("Lieu : « Paris » ; 23 € ?"),
            "Lieu\u{a0}: «\u{a0}Paris\u{a0}»\u{a0}; 23\u{a0}€\u{a0}?"
        );
    }
}
