//! The place of a search: from the question's `location` slot or, when the
//! question names none, from the patient's profile, and the département a
//! search widens to when nothing matched.

use serde_json::Value;

/// Cities with arrondissements and their département code, for widening
/// « Paris 15e » to « 75 ».
const ARRONDISSEMENT_CITIES: [(&str, &str); 3] =
    [("paris", "75"), ("lyon", "69"), ("marseille", "13")];

/// Origin of the place of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceOrigin {
    /// The question named it.
    Question,
    /// The patient's profile contains it.
    Profile,
}

/// Returns the place of the search: the `location` slot, or else the
/// profile's home place (postcode, then city, then département), or `None`.
pub fn search_place(
    location_slot: Option<&str>,
    profile_location: Option<&str>,
) -> Option<(String, PlaceOrigin)> {
    if let Some(location) = location_slot.map(str::trim).filter(|text| !text.is_empty()) {
        return Some((location.to_owned(), PlaceOrigin::Question));
    }

    let location: Value = serde_json::from_str(profile_location?).ok()?;
    ["postcode", "city", "departement"].iter().find_map(|key| {
        location
            .get(*key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(|text| (text.to_owned(), PlaceOrigin::Profile))
    })
}

/// Returns the code of the département around a postcode or an
/// arrondissement, such as `75` for `75015` or « Paris 15e », or `None`
/// for a commune or a département, which have nothing to widen to here.
pub fn widening(place: &str) -> Option<String> {
    let words: Vec<String> = place
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();

    if let Some(postcode) = words
        .iter()
        .find(|word| word.len() == 5 && word.bytes().all(|byte| byte.is_ascii_digit()))
    {
        // Overseas départements have three-digit codes (971 to 976).
        let length = if postcode.starts_with("97") { 3 } else { 2 };
        return Some(postcode[..length].to_owned());
    }

    let [city, number] = words.as_slice() else {
        return None;
    };
    if !number.starts_with(|character: char| character.is_ascii_digit()) {
        return None;
    }
    ARRONDISSEMENT_CITIES
        .iter()
        .find(|(name, _)| name == city)
        .map(|(_, code)| (*code).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_place_wins_over_profile() {
        let profile = r#"{"postcode": "69003", "city": "Lyon", "departement": "69"}"#;

        assert_eq!(
            search_place(Some("Paris"), Some(profile)),
            Some(("Paris".to_owned(), PlaceOrigin::Question))
        );
        assert_eq!(
            search_place(None, Some(profile)),
            Some(("69003".to_owned(), PlaceOrigin::Profile))
        );
        assert_eq!(
            search_place(None, Some(r#"{"postcode": null, "city": "Lyon"}"#)),
            Some(("Lyon".to_owned(), PlaceOrigin::Profile))
        );
        assert_eq!(search_place(None, Some("null")), None);
        assert_eq!(search_place(Some("  "), None), None);
    }

    #[test]
    fn postcodes_and_arrondissements_widen() {
        assert_eq!(widening("75015").as_deref(), Some("75"));
        assert_eq!(widening("Marseille 13008").as_deref(), Some("13"));
        assert_eq!(widening("97490").as_deref(), Some("974"));
        assert_eq!(widening("Paris 15e").as_deref(), Some("75"));
        assert_eq!(widening("Lyon 1er").as_deref(), Some("69"));
        assert_eq!(widening("Lyon"), None);
        assert_eq!(widening("Gironde"), None);
        assert_eq!(widening("Saint-Étienne"), None);
    }
}
