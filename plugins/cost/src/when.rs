//! Date of care read from a French question: « le 3 février 2025 »,
//! « en mars 2024 », « en 2023 », « l'an dernier », « hier », or today when
//! the question names no date.
//!
//! A month or a year names a period, not a day. The parser picks the last day
//! of a past period, today inside the current one, and the first day of a
//! future one. The rules used are then the latest in force in the period. The breakdown reports the
//! choice as an assumption.

use serde::{Deserialize, Serialize};

use crate::breakdown::Assumption;
use crate::date::{Date, days_in_month};
use crate::error::CostError;
use crate::render::format_date_french;

/// Month names without accents, as [`normalise`] writes them.
const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// Years accepted for a bare four-digit number, so that « 1000 mg » is not
/// read as a year.
const BARE_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// The date of care found in a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareDate {
    /// The day whose rules apply.
    pub date: Date,
    /// Precision of the date.
    pub precision: DatePrecision,
    /// The words that named the date, normalised, or `None` for today.
    pub matched: Option<String>,
}

/// Precision of the date the question named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// A day.
    Day,
    /// A month.
    Month,
    /// A year.
    Year,
    /// Nothing: today was taken.
    Today,
}

impl CareDate {
    /// Returns the assumption to report when the question did not name a
    /// day.
    pub fn assumption(&self) -> Option<Assumption> {
        let day = format_date_french(self.date);
        let (text, how_to_change) = match (self.precision, &self.matched) {
            (DatePrecision::Day, _) => return None,
            (DatePrecision::Today, _) | (_, None) => (
                format!("Date des soins non précisée : aujourd'hui, {day}."),
                "Indiquez la date des soins, par exemple « le 3 février 2025 ».",
            ),
            (_, Some(matched)) => (
                format!(
                    "Date des soins : le {day}, pour « {matched} » (règles les plus récentes de la période)."
                ),
                "Précisez le jour des soins : certains tarifs changent en cours de mois ou d'année.",
            ),
        };
        Some(Assumption {
            code: "care_date".to_owned(),
            text,
            how_to_change: how_to_change.to_owned(),
        })
    }
}

/// Finds the date of care in `question`, or returns `today`.
///
/// Returns [`CostError::InvalidDate`] when the question names a day that
/// does not exist, such as « le 31 février 2025 ».
pub fn parse_care_date(question: &str, today: Date) -> Result<CareDate, CostError> {
    let normalised = normalise(question);
    let tokens: Vec<&str> = normalised
        .split(|character: char| {
            !(character.is_ascii_alphanumeric() || character == '/' || character == '-')
        })
        .filter(|token| !token.is_empty())
        .collect();

    if let Some(found) = find_day(&tokens, today)? {
        return Ok(found);
    }
    if let Some(found) = find_month(&tokens, today) {
        return Ok(found);
    }
    if let Some(found) = find_relative(&tokens, today) {
        return Ok(found);
    }
    if let Some(found) = find_year(&tokens, today) {
        return Ok(found);
    }
    Ok(CareDate {
        date: today,
        precision: DatePrecision::Today,
        matched: None,
    })
}

/// Lowercases, drops accents and writes every apostrophe as `'`.
fn normalise(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|character| match character {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '’' | '`' => '\'',
            other => other,
        })
        .collect()
}

fn month_number(token: &str) -> Option<u8> {
    let index = MONTHS.iter().position(|month| *month == token)?;
    u8::try_from(index + 1).ok()
}

fn year_number(token: &str) -> Option<i32> {
    if token.len() != 4 || !token.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

fn day_number(token: &str) -> Option<u8> {
    let digits = token.strip_suffix("er").unwrap_or(token);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let day: u8 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

fn exact_day(date: Date, matched: String) -> CareDate {
    CareDate {
        date,
        precision: DatePrecision::Day,
        matched: Some(matched),
    }
}

/// Finds `2025-02-03`, `03/02/2025` or « 3 février [2025] ».
fn find_day(tokens: &[&str], today: Date) -> Result<Option<CareDate>, CostError> {
    for (index, token) in tokens.iter().enumerate() {
        if token.len() == 10 && token.as_bytes().get(4) == Some(&b'-') {
            let date = token.parse::<Date>()?;
            return Ok(Some(exact_day(date, (*token).to_owned())));
        }

        let parts: Vec<&str> = token.split('/').collect();
        if let [day, month, year] = parts.as_slice() {
            let (Some(day), Some(month), Some(year)) =
                (day_number(day), day_number(month), year_number(year))
            else {
                continue;
            };
            let date = Date::new(year, month, day).ok_or_else(|| CostError::InvalidDate {
                input: (*token).to_owned(),
            })?;
            return Ok(Some(exact_day(date, (*token).to_owned())));
        }

        let Some(day) = day_number(token) else {
            continue;
        };
        let Some(month) = tokens.get(index + 1).and_then(|next| month_number(next)) else {
            continue;
        };
        let year_token = tokens.get(index + 2).and_then(|next| year_number(next));
        let (year, matched) = match year_token {
            Some(year) => (year, tokens[index..index + 3].join(" ")),
            None => {
                // A day without a year is its latest occurrence up to today.
                let this_year = (month, day) <= (today.month(), today.day());
                let year = if this_year {
                    today.year()
                } else {
                    today.year() - 1
                };
                (year, tokens[index..index + 2].join(" "))
            }
        };
        let date = Date::new(year, month, day).ok_or(CostError::InvalidDate {
            input: matched.clone(),
        })?;
        return Ok(Some(exact_day(date, matched)));
    }
    Ok(None)
}

/// Finds « mars 2024 », or « en mars » for the latest March up to today.
fn find_month(tokens: &[&str], today: Date) -> Option<CareDate> {
    for (index, token) in tokens.iter().enumerate() {
        let Some(month) = month_number(token) else {
            continue;
        };
        if let Some(year) = tokens.get(index + 1).and_then(|next| year_number(next)) {
            let matched = tokens[index..index + 2].join(" ");
            return Some(in_month(year, month, today, matched));
        }

        let previous = index.checked_sub(1).and_then(|before| tokens.get(before));
        if matches!(previous, Some(&"en" | &"de" | &"d")) {
            let year = if month <= today.month() {
                today.year()
            } else {
                today.year() - 1
            };
            return Some(in_month(year, month, today, format!("en {token}")));
        }
    }
    None
}

/// Finds « l'an dernier », « l'année passée », « cette année », « le mois
/// dernier », « hier » and « avant-hier ».
fn find_relative(tokens: &[&str], today: Date) -> Option<CareDate> {
    for (index, token) in tokens.iter().enumerate() {
        let next = tokens.get(index + 1).copied().unwrap_or("");
        let last = matches!(next, "dernier" | "derniere" | "passe" | "passee");
        match *token {
            "an" | "annee" if last => {
                let matched = format!("{token} {next}");
                return Some(in_year(today.year() - 1, today, matched));
            }
            "mois" if last => {
                let end = today.end_of_previous_month();
                let matched = format!("{token} {next}");
                return Some(in_month(end.year(), end.month(), today, matched));
            }
            "cette" if next == "annee" => {
                return Some(in_year(today.year(), today, "cette annee".to_owned()));
            }
            "hier" => return Some(exact_day(today.previous_day(), "hier".to_owned())),
            "avant-hier" => {
                let date = today.previous_day().previous_day();
                return Some(exact_day(date, "avant-hier".to_owned()));
            }
            "aujourd" if next == "hui" => {
                return Some(exact_day(today, "aujourd'hui".to_owned()));
            }
            _ => {}
        }
    }
    None
}

/// Finds « en 2023 » or a bare year such as « 2024 ».
fn find_year(tokens: &[&str], today: Date) -> Option<CareDate> {
    tokens.iter().find_map(|token| {
        let year = year_number(token).filter(|year| BARE_YEARS.contains(year))?;
        Some(in_year(year, today, format!("en {year}")))
    })
}

fn in_month(year: i32, month: u8, today: Date, matched: String) -> CareDate {
    let first = Date::new(year, month, 1).unwrap_or(today);
    let last = Date::new(year, month, days_in_month(year, month)).unwrap_or(today);
    CareDate {
        date: pick_in_period(first, last, today),
        precision: DatePrecision::Month,
        matched: Some(matched),
    }
}

fn in_year(year: i32, today: Date, matched: String) -> CareDate {
    let first = Date::new(year, 1, 1).unwrap_or(today);
    let last = Date::new(year, 12, 31).unwrap_or(today);
    CareDate {
        date: pick_in_period(first, last, today),
        precision: DatePrecision::Year,
        matched: Some(matched),
    }
}

/// Picks the last day of a past period, today inside the current one, and
/// the first day of a future one.
fn pick_in_period(first: Date, last: Date, today: Date) -> Date {
    if last < today {
        last
    } else if first > today {
        first
    } else {
        today
    }
}
