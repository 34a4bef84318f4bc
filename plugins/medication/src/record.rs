//! The French record of one medicine: identity, boxes with their price
//! and reimbursement rate, and generic groups with their members, cheapest
//! first.

use crate::render::{
    NBSP, euros, join_french, lower_first, medicine_url, missing_topics_note, quote, source_line,
    tidy,
};
use crate::source::{
    BoxRecord, GenericGroupRecord, GroupMember, MedicineRecord, Role, SnapshotDate,
};
use crate::topic::Topic;

/// Boxes listed in a medicine's record.
const BOXES_LISTED: usize = 6;

/// Members listed per generic group.
const MEMBERS_LISTED: usize = 10;

/// Returns the full record of `medicine`: identity, boxes and generic
/// groups, the subject of the question first.
pub fn medicine_record(
    medicine: &MedicineRecord,
    groups: &[GenericGroupRecord],
    topics: &[Topic],
    snapshot: SnapshotDate,
) -> String {
    let mut text = format!("{} (CIS {})\n", tidy(&medicine.name), medicine.cis);
    if let Some(note) = missing_topics_note(topics, &medicine_url(&medicine.cis), groups) {
        text.push_str(&note);
        text.push('\n');
    }

    let identity = identity_section(medicine);
    let boxes = boxes_section(&medicine.boxes);
    let generics = generics_section(medicine, groups);
    let sections = if topics.contains(&Topic::Generics) {
        [generics, identity, boxes]
    } else if topics.contains(&Topic::Price) {
        [boxes, generics, identity]
    } else {
        [identity, boxes, generics]
    };
    for section in sections {
        text.push_str(&section);
    }

    text.push_str(&source_line(snapshot));
    text.push_str(&format!(
        "\nFiche complète{NBSP}: {}",
        medicine_url(&medicine.cis)
    ));
    text
}

fn identity_section(medicine: &MedicineRecord) -> String {
    let mut text = String::new();
    let routes: Vec<String> = medicine
        .routes
        .iter()
        .map(|route| route.trim().to_owned())
        .filter(|route| !route.is_empty())
        .collect();
    let form = tidy(&medicine.form);
    match routes.len() {
        0 => text.push_str(&format!("Forme{NBSP}: {form}.\n")),
        1 => text.push_str(&format!("Forme{NBSP}: {form}{NBSP}; voie {}.\n", routes[0])),
        _ => text.push_str(&format!(
            "Forme{NBSP}: {form}{NBSP}; voies {}.\n",
            join_french(&routes)
        )),
    }

    let marketed = if medicine.marketed {
        "médicament commercialisé"
    } else {
        "médicament non commercialisé"
    };
    text.push_str(&format!(
        "Autorisation de mise sur le marché{NBSP}: {}{NBSP}; {marketed}.\n",
        lower_first(&medicine.authorisation_status)
    ));

    let holders: Vec<String> = medicine
        .holders
        .iter()
        .map(|holder| tidy(holder))
        .filter(|holder| !holder.is_empty())
        .collect();
    match holders.len() {
        0 => {}
        1 => text.push_str(&format!("Titulaire{NBSP}: {}.\n", holders[0])),
        _ => text.push_str(&format!(
            "Titulaires{NBSP}: {}.\n",
            holders.join(&format!("{NBSP}; "))
        )),
    }

    if medicine.reinforced_monitoring {
        text.push_str(&format!(
            "Surveillance renforcée{NBSP}: oui, ce médicament fait l'objet d'une surveillance renforcée.\n"
        ));
    } else {
        text.push_str(&format!("Surveillance renforcée{NBSP}: non.\n"));
    }
    text
}

fn boxes_section(boxes: &[BoxRecord]) -> String {
    if boxes.is_empty() {
        return "Aucune boîte n'est publiée pour ce médicament.\n".to_owned();
    }
    let mut text = format!("Boîtes (prix public, honoraires de dispensation compris){NBSP}:\n");
    for found in boxes.iter().take(BOXES_LISTED) {
        text.push_str(&format!("- {}\n", box_line(found)));
    }
    match boxes.len().saturating_sub(BOXES_LISTED) {
        0 => {}
        1 => text.push_str("- et 1 autre boîte.\n"),
        more => text.push_str(&format!("- et {more} autres boîtes.\n")),
    }
    text
}

/// Describes one box: label, CIP13, price, reimbursement and marketing.
fn box_line(found: &BoxRecord) -> String {
    let price = match (found.public_price_cents, found.price_cents) {
        (Some(public), Some(price)) if public > price => format!(
            "{} dont {} d'honoraires de dispensation",
            euros(public),
            euros(public - price)
        ),
        (Some(public), _) => euros(public),
        (None, Some(price)) => euros(price),
        (None, None) => "prix non publié".to_owned(),
    };
    let rate = match found.rate_percent {
        Some(rate) => format!("remboursée à {rate}{NBSP}% par l'Assurance Maladie"),
        None => "non remboursable".to_owned(),
    };
    let marketed = if found.marketed {
        "commercialisée"
    } else {
        "non commercialisée"
    };
    format!(
        "{} (CIP13 {}){NBSP}: {price}{NBSP}; {rate}{NBSP}; {marketed}.",
        tidy(&found.label),
        found.cip13
    )
}

fn role_french(role: Role) -> &'static str {
    match role {
        Role::Princeps => "princeps (médicament de référence)",
        Role::Generic => "générique",
        Role::ComplementaryPosology => "générique par complémentarité posologique",
        Role::Substitutable => "générique substituable",
    }
}

fn generics_section(medicine: &MedicineRecord, groups: &[GenericGroupRecord]) -> String {
    if groups.is_empty() {
        return format!(
            "Génériques{NBSP}: ce médicament n'appartient à aucun groupe générique du répertoire de l'ANSM{NBSP}; il n'a pas de générique répertorié.\n"
        );
    }

    let mut text = String::new();
    for group in groups {
        text.push_str(&format!(
            "Groupe générique n°{NBSP}{}{NBSP}: {}\n",
            group.id,
            quote(&tidy(&group.label))
        ));
        let listed: Vec<&GroupMember> = ranked_members(group)
            .into_iter()
            .filter(|member| member.medicine.is_some())
            .collect();
        text.push_str(&format!(
            "Médicaments du groupe, les moins chers d'abord (boîte commercialisée la moins chère){NBSP}:\n"
        ));
        for member in listed.iter().take(MEMBERS_LISTED) {
            let Some(found) = &member.medicine else {
                continue;
            };
            let this_one = if member.cis == medicine.cis {
                ", le médicament demandé"
            } else {
                ""
            };
            let price = match found.cheapest_marketed_box() {
                Some(cheapest) => format!(
                    "à partir de {}",
                    euros(cheapest.public_price_cents.unwrap_or_default())
                ),
                None => "aucune boîte commercialisée avec un prix".to_owned(),
            };
            text.push_str(&format!(
                "- {} (CIS {}), {}{this_one}{NBSP}: {price}\n",
                tidy(&found.name),
                member.cis,
                role_french(member.role)
            ));
        }
        match listed.len().saturating_sub(MEMBERS_LISTED) {
            0 => {}
            1 => text.push_str("- et 1 autre médicament du groupe.\n"),
            more => text.push_str(&format!("- et {more} autres médicaments du groupe.\n")),
        }
        match group.members.len() - listed.len() {
            0 => {}
            1 => text.push_str("1 autre médicament du groupe ne figure plus dans la BDPM.\n"),
            withdrawn => text.push_str(&format!(
                "{withdrawn} autres médicaments du groupe ne figurent plus dans la BDPM.\n"
            )),
        }
    }
    text.push_str(
        "Les prix comparent des boîtes qui peuvent contenir des quantités différentes.\n",
    );
    text
}

/// Returns the members of `group`, cheapest marketed box first, members
/// without a priced marketed box last, then the princeps first and the
/// publisher's order.
pub fn ranked_members(group: &GenericGroupRecord) -> Vec<&GroupMember> {
    let mut members: Vec<&GroupMember> = group.members.iter().collect();
    members.sort_by_key(|member| {
        let price = member
            .medicine
            .as_ref()
            .and_then(MedicineRecord::cheapest_marketed_box)
            .and_then(|cheapest| cheapest.public_price_cents);
        (
            price.is_none(),
            price.unwrap_or_default(),
            member.role != Role::Princeps,
            member.rank,
        )
    });
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_line_splits_the_fee() {
        let found = BoxRecord {
            cip13: "3400935955838".to_owned(),
            label: "plaquette(s) thermoformée(s) PVC-aluminium de 8  comprimé(s)".to_owned(),
            marketed: true,
            price_cents: Some(107),
            public_price_cents: Some(209),
            rate_percent: Some(65),
        };
        assert_eq!(
            box_line(&found),
            "plaquette(s) thermoformée(s) PVC-aluminium de 8 comprimé(s) (CIP13 3400935955838)\u{a0}: \
             2,09\u{a0}€ dont 1,02\u{a0}€ d'honoraires de dispensation\u{a0}; \
             remboursée à 65\u{a0}% par l'Assurance Maladie\u{a0}; commercialisée."
        );
        let unpriced = BoxRecord {
            marketed: false,
            price_cents: None,
            public_price_cents: None,
            rate_percent: None,
            ..found
        };
        assert!(
            box_line(&unpriced)
                .ends_with("prix non publié\u{a0}; non remboursable\u{a0}; non commercialisée.")
        );
    }
}
