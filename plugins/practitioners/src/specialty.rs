//! The specialty ids of the router's `specialty` slot and the Annuaire Santé
//! codes they stand for: profession codes of the TRE_G15 table and
//! specialty codes of the TRE_R38 table.

/// A kind of practitioner that a search looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Specialty {
    /// Canonical slot value, such as `cardiologue`.
    pub id: &'static str,
    /// French name, singular.
    pub singular: &'static str,
    /// French name, plural.
    pub plural: &'static str,
    /// Whether the French name is feminine (« aucune sage-femme »).
    pub feminine: bool,
    /// Profession codes (TRE_G15), any of which matches.
    pub professions: &'static [&'static str],
    /// Specialty codes (TRE_R38), any of which matches; empty accepts any
    /// specialty.
    pub specialties: &'static [&'static str],
}

/// TRE_G15 code of the médecin profession.
pub const DOCTOR: &str = "10";

/// Specialties the Annuaire Santé codes are known for. Options of a
/// specialty (such as SM79 to SM81 for cardiovascular medicine) count as
/// the specialty.
pub const SPECIALTIES: &[Specialty] = &[
    Specialty {
        id: "generaliste",
        singular: "médecin généraliste",
        plural: "médecins généralistes",
        feminine: false,
        professions: &[DOCTOR],
        specialties: &["SM54", "SM26", "SM53"],
    },
    Specialty {
        id: "cardiologue",
        singular: "cardiologue",
        plural: "cardiologues",
        feminine: false,
        professions: &[DOCTOR],
        specialties: &["SM04", "SM73", "SM79", "SM80", "SM81"],
    },
    Specialty {
        id: "dermatologue",
        singular: "dermatologue",
        plural: "dermatologues",
        feminine: false,
        professions: &[DOCTOR],
        specialties: &["SM15"],
    },
    Specialty {
        id: "ophtalmologue",
        singular: "ophtalmologue",
        plural: "ophtalmologues",
        feminine: false,
        professions: &[DOCTOR],
        specialties: &["SM38", "SM85"],
    },
    Specialty {
        id: "pediatre",
        singular: "pédiatre",
        plural: "pédiatres",
        feminine: false,
        professions: &[DOCTOR],
        specialties: &["SM40", "SM87", "SM88", "SM89", "SM90"],
    },
    Specialty {
        id: "psychiatre",
        singular: "psychiatre",
        plural: "psychiatres",
        feminine: false,
        professions: &[DOCTOR],
        specialties: &["SM42", "SM43", "SM92", "SM93", "SM33"],
    },
    Specialty {
        id: "gynecologue",
        singular: "gynécologue",
        plural: "gynécologues",
        feminine: false,
        professions: &[DOCTOR],
        specialties: &["SM20", "SM19", "SM51", "SM52"],
    },
    Specialty {
        id: "dentiste",
        singular: "chirurgien-dentiste",
        plural: "chirurgiens-dentistes",
        feminine: false,
        professions: &["40"],
        specialties: &[],
    },
    Specialty {
        id: "kinesitherapeute",
        singular: "masseur-kinésithérapeute",
        plural: "masseurs-kinésithérapeutes",
        feminine: false,
        professions: &["70"],
        specialties: &[],
    },
    Specialty {
        id: "sage-femme",
        singular: "sage-femme",
        plural: "sages-femmes",
        feminine: true,
        professions: &["50"],
        specialties: &[],
    },
    Specialty {
        id: "infirmier",
        singular: "infirmier",
        plural: "infirmiers",
        feminine: false,
        professions: &["60", "69"],
        specialties: &[],
    },
    Specialty {
        id: "orthophoniste",
        singular: "orthophoniste",
        plural: "orthophonistes",
        feminine: false,
        professions: &["91"],
        specialties: &[],
    },
    Specialty {
        id: "pharmacien",
        singular: "pharmacien",
        plural: "pharmaciens",
        feminine: false,
        professions: &["21"],
        specialties: &[],
    },
];

/// Specialties the router recognises whose TRE_R38 codes Mediflux does not
/// have yet: slot value and French plural.
// TODO: add the TRE_R38 codes of rheumatology and ENT once they are checked
// against the NOS terminology.
const UNMAPPED: &[(&str, &str)] = &[
    ("rhumatologue", "rhumatologues"),
    ("orl", "ORL (oto-rhino-laryngologistes)"),
];

/// Slot value of a specialist whose field the patient did not name.
const UNNAMED_SPECIALIST: &str = "specialiste";

/// Meaning of a `specialty` slot value for a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialtyLookup {
    /// A specialty with known codes.
    Known(&'static Specialty),
    /// A specialty whose codes are not known yet, with its French plural.
    Unmapped(&'static str),
    /// « Un spécialiste » without a field.
    Unnamed,
    /// A value the router does not produce.
    Unknown,
}

/// Looks up a `specialty` slot value.
pub fn lookup(id: &str) -> SpecialtyLookup {
    if let Some(specialty) = SPECIALTIES.iter().find(|specialty| specialty.id == id) {
        return SpecialtyLookup::Known(specialty);
    }
    if let Some((_, plural)) = UNMAPPED.iter().find(|(unmapped, _)| *unmapped == id) {
        return SpecialtyLookup::Unmapped(plural);
    }
    if id == UNNAMED_SPECIALIST {
        return SpecialtyLookup::Unnamed;
    }
    SpecialtyLookup::Unknown
}

/// French names of the TRE_G15 profession codes.
const PROFESSIONS: &[(&str, &str)] = &[
    ("10", "médecin"),
    ("21", "pharmacien"),
    ("26", "audioprothésiste"),
    ("28", "opticien-lunetier"),
    ("40", "chirurgien-dentiste"),
    ("50", "sage-femme"),
    ("60", "infirmier"),
    ("69", "infirmier psychiatrique"),
    ("70", "masseur-kinésithérapeute"),
    ("80", "pédicure-podologue"),
    ("91", "orthophoniste"),
    ("92", "orthoptiste"),
    ("94", "ergothérapeute"),
    ("95", "diététicien"),
    ("96", "psychomotricien"),
];

/// Returns the French description of a practitioner's profession and
/// specialty codes, such as « cardiologue » for `10` and `SM04`, or
/// « médecin (spécialité SM28) » for a specialty code without a name here.
pub fn describe(profession: &str, specialty: Option<&str>) -> String {
    if let Some(code) = specialty
        && let Some(known) = SPECIALTIES
            .iter()
            .find(|known| known.specialties.contains(&code))
    {
        return known.singular.to_owned();
    }
    if let Some(known) = SPECIALTIES
        .iter()
        .find(|known| known.specialties.is_empty() && known.professions.contains(&profession))
        && profession != "69"
    {
        return known.singular.to_owned();
    }

    let name = PROFESSIONS
        .iter()
        .find(|(code, _)| *code == profession)
        .map_or_else(
            || format!("profession {profession}"),
            |(_, name)| (*name).to_owned(),
        );
    match specialty {
        Some(code) => format!("{name} (spécialité {code})"),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_values_are_known() {
        let cardiologue = match lookup("cardiologue") {
            SpecialtyLookup::Known(specialty) => specialty,
            other => panic!("cardiologue read as {other:?}"),
        };
        assert_eq!(cardiologue.professions, [DOCTOR]);
        assert!(cardiologue.specialties.contains(&"SM04"));
        assert!(cardiologue.specialties.contains(&"SM73"));

        assert_eq!(
            lookup("rhumatologue"),
            SpecialtyLookup::Unmapped("rhumatologues")
        );
        assert_eq!(lookup("specialiste"), SpecialtyLookup::Unnamed);
        assert_eq!(lookup("astrologue"), SpecialtyLookup::Unknown);
    }

    #[test]
    fn every_slot_value_of_the_router_is_handled() {
        // The canonical specialty values of the router's `specialty` slot.
        for id in [
            "generaliste",
            "specialiste",
            "cardiologue",
            "dermatologue",
            "ophtalmologue",
            "pediatre",
            "psychiatre",
            "gynecologue",
            "rhumatologue",
            "orl",
            "dentiste",
            "kinesitherapeute",
            "sage-femme",
            "infirmier",
            "orthophoniste",
            "pharmacien",
        ] {
            assert_ne!(lookup(id), SpecialtyLookup::Unknown, "{id}");
        }
    }

    #[test]
    fn codes_are_described() {
        assert_eq!(describe("10", Some("SM04")), "cardiologue");
        assert_eq!(describe("10", Some("SM80")), "cardiologue");
        assert_eq!(describe("10", Some("SM54")), "médecin généraliste");
        assert_eq!(describe("10", Some("SM28")), "médecin (spécialité SM28)");
        assert_eq!(describe("10", None), "médecin");
        assert_eq!(describe("70", None), "masseur-kinésithérapeute");
        assert_eq!(describe("69", None), "infirmier psychiatrique");
        assert_eq!(describe("99", None), "profession 99");
    }
}
