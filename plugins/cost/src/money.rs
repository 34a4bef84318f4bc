//! Integer money arithmetic and French formatting of amounts and rates.
//!
//! Amounts are euro cents in `i64` and rates are basis points
//! (10000 = 100 %), so no float enters the arithmetic.

/// Non-breaking space, written before `€` and `%` in French.
pub const NBSP: char = '\u{a0}';

/// Narrow non-breaking space, the French thousands separator.
const THOUSANDS_SEPARATOR: char = '\u{202f}';

/// Applies `rate_basis_points` to `amount_cents` and rounds half up to the
/// cent: 2,18 € × 65 % = 1,417 € gives 1,42 €.
///
/// NOTE: no published text states the rounding rule. Half up matches every
/// published example of ameli.fr and service-public.fr used in the tests.
/// Negative amounts round half away from zero.
pub fn apply_rate(amount_cents: i64, rate_basis_points: i64) -> i64 {
    let product = i128::from(amount_cents) * i128::from(rate_basis_points);
    let half = 5_000;
    let rounded = if product >= 0 {
        (product + half) / 10_000
    } else {
        (product - half) / 10_000
    };
    i64::try_from(rounded).unwrap_or(if rounded > 0 { i64::MAX } else { i64::MIN })
}

/// Formats cents the French way: `1,07 €`, `1 234,50 €`, `-2,00 €`, with a
/// non-breaking space before `€`.
pub fn format_euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    let euros = (magnitude / 100).to_string();

    let mut grouped = String::new();
    for (index, digit) in euros.chars().enumerate() {
        let remaining = euros.len() - index;
        if index > 0 && remaining.is_multiple_of(3) {
            grouped.push(THOUSANDS_SEPARATOR);
        }
        grouped.push(digit);
    }

    format!("{sign}{grouped},{:02}{NBSP}€", magnitude % 100)
}

/// Formats basis points as a French percentage: `70 %`, `17,5 %`.
pub fn format_percent(basis_points: i64) -> String {
    let whole = basis_points / 100;
    let fraction = (basis_points % 100).abs();
    if fraction == 0 {
        format!("{whole}{NBSP}%")
    } else if fraction % 10 == 0 {
        format!("{whole},{}{NBSP}%", fraction / 10)
    } else {
        format!("{whole},{fraction:02}{NBSP}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_rate_rounds_half_up() {
        assert_eq!(apply_rate(218, 6500), 142);
        assert_eq!(apply_rate(736, 6500), 478);
        assert_eq!(apply_rate(316, 1500), 47);
        assert_eq!(apply_rate(10, 5000), 5);
        assert_eq!(apply_rate(1, 5000), 1);
    }

    #[test]
    fn format_euros_is_french() {
        assert_eq!(format_euros(107), "1,07\u{a0}€");
        assert_eq!(format_euros(0), "0,00\u{a0}€");
        assert_eq!(format_euros(123_450), "1\u{202f}234,50\u{a0}€");
        assert_eq!(format_euros(-200), "-2,00\u{a0}€");
    }

    #[test]
    fn format_percent_keeps_fractions() {
        assert_eq!(format_percent(7000), "70\u{a0}%");
        assert_eq!(format_percent(1750), "17,5\u{a0}%");
        assert_eq!(format_percent(1234), "12,34\u{a0}%");
    }
}
