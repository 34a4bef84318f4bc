//! French rendering of a [`Breakdown`] for patients.

use std::fmt::Write as _;

use crate::breakdown::{Breakdown, DeductionKind, Line};
use crate::date::Date;
use crate::money::{format_euros, format_percent};

const MONTHS: [&str; 12] = [
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

/// Formats a date the French way: `1er juin 2025`, `3 février 2025`.
pub fn format_date_french(date: Date) -> String {
    let month = MONTHS
        .get(usize::from(date.month()).saturating_sub(1))
        .copied()
        .unwrap_or("");
    if date.day() == 1 {
        format!("1er {month} {}", date.year())
    } else {
        format!("{} {month} {}", date.day(), date.year())
    }
}

/// Renders the breakdown for a patient: each line, the total, the
/// assumptions and how to change them, the advice and the sources.
pub fn render_french(breakdown: &Breakdown) -> String {
    let mut text = String::new();

    // `fmt::Write` for `String` never returns an error, so results are ignored.
    let _ = writeln!(
        text,
        "Estimation pour des soins du {}, selon les règles de remboursement {}.",
        format_date_french(breakdown.date),
        breakdown.rule_set_year
    );

    for line in &breakdown.lines {
        text.push('\n');
        render_line(&mut text, line);
    }

    if breakdown.lines.len() > 1 {
        let total = &breakdown.total;
        let _ = writeln!(text, "\nTotal");
        let _ = writeln!(text, "- Facturé : {}", format_euros(total.billed_cents));
        let _ = writeln!(
            text,
            "- Versé par l'Assurance Maladie : {}",
            format_euros(total.amo_cents - total.deductions_cents)
        );
        let _ = writeln!(text, "- Mutuelle : {}", format_euros(total.amc_cents));
        let _ = writeln!(
            text,
            "- Reste à charge : {}",
            format_euros(total.patient_cents)
        );
    }

    if !breakdown.assumptions.is_empty() {
        let _ = writeln!(text, "\nHypothèses retenues");
        for assumption in &breakdown.assumptions {
            let _ = writeln!(text, "- {}", assumption.text);
            let _ = writeln!(
                text,
                "  Pour changer : {}",
                lowercase_first(&assumption.how_to_change)
            );
        }
    }

    if !breakdown.advice.is_empty() {
        let _ = writeln!(text, "\nPour payer moins");
        for advice in &breakdown.advice {
            let _ = writeln!(
                text,
                "- {} Économie : {}.",
                advice.text,
                format_euros(advice.saving_cents)
            );
        }
    }

    render_sources(&mut text, breakdown);
    french_spacing(&text)
}

/// Puts a non-breaking space before `:`, `;`, `?`, `!`, `%` and `€` and
/// inside « », as French typography requires.
fn french_spacing(text: &str) -> String {
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

/// Lowercases the first letter, for a sentence continued after a colon.
fn lowercase_first(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

fn render_line(text: &mut String, line: &Line) {
    let amounts = &line.amounts;
    let _ = writeln!(text, "{}", line.label);
    let _ = writeln!(text, "- Facturé : {}", format_euros(amounts.billed_cents));
    let _ = writeln!(
        text,
        "- Base de remboursement : {}",
        format_euros(amounts.base_cents)
    );
    match line.amo_rate_basis_points {
        Some(rate) => {
            let _ = writeln!(
                text,
                "- Assurance Maladie ({}) : {}",
                format_percent(rate),
                format_euros(amounts.amo_cents)
            );
        }
        None => {
            let _ = writeln!(
                text,
                "- Assurance Maladie : {}",
                format_euros(amounts.amo_cents)
            );
        }
    }

    if amounts.deductions_cents > 0 {
        let name = match line.deduction {
            Some(DeductionKind::Franchise) => "Franchise médicale",
            Some(DeductionKind::ParticipationForfaitaire) | None => "Participation forfaitaire",
        };
        let paid = amounts.amo_cents - amounts.deductions_cents;
        if paid < 0 {
            let _ = writeln!(
                text,
                "- {name} retenue : {} (l'Assurance Maladie ne vous verse donc rien)",
                format_euros(-amounts.deductions_cents)
            );
            let _ = writeln!(
                text,
                "  La retenue dépasse le remboursement de {} : cette somme sera déduite d'un prochain remboursement.",
                format_euros(-paid)
            );
        } else {
            let _ = writeln!(
                text,
                "- {name} retenue : {} (l'Assurance Maladie vous verse donc {})",
                format_euros(-amounts.deductions_cents),
                format_euros(paid)
            );
        }
    }

    let _ = writeln!(text, "- Mutuelle : {}", format_euros(amounts.amc_cents));
    let _ = writeln!(
        text,
        "- Reste à charge : {}",
        format_euros(amounts.patient_cents)
    );
    for note in &line.notes {
        let _ = writeln!(text, "  ({note})");
    }
}

fn render_sources(text: &mut String, breakdown: &Breakdown) {
    let mut titles: Vec<&str> = Vec::new();
    for rule in &breakdown.rules_used {
        if !titles.contains(&rule.source_title.as_str()) {
            titles.push(&rule.source_title);
        }
    }
    if !titles.is_empty() {
        let _ = writeln!(
            text,
            "\nSources (règles de remboursement {})",
            breakdown.rule_set_year
        );
        for title in titles {
            let _ = writeln!(text, "- {title}");
        }
    }

    let uncertain: Vec<&str> = breakdown
        .rules_used
        .iter()
        .filter(|rule| rule.to_confirm)
        .map(|rule| rule.name.as_str())
        .collect();
    if !uncertain.is_empty() {
        let _ = writeln!(
            text,
            "Valeurs du barème encore à confirmer (une seule source secondaire, ou une déduction) : {}.",
            uncertain.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_date_uses_premier() {
        let first = Date::new(2025, 6, 1).map(format_date_french);
        assert_eq!(first.as_deref(), Some("1er juin 2025"));
        let third = Date::new(2025, 2, 3).map(format_date_french);
        assert_eq!(third.as_deref(), Some("3 février 2025"));
    }
}
