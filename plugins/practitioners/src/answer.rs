//! The answer to `practitioner.search`: the search, its widening to the
//! département, and the French text with its sources.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::place::{PlaceOrigin, search_place, widening};
use crate::sector::{SECTORS, explain, is_compatible, label};
use crate::specialty::{Specialty, SpecialtyLookup, describe, lookup};
use crate::text::{capitalise, french_spacing};
use crate::{
    Answer, AnswerError, Citation, Date, Directory, DirectoryError, Practitioner, Request,
    RuleSource, Search,
};

/// Practitioners listed in an answer.
const MAX_LISTED: usize = 10;
/// Practitioners fetched per search: enough to count beyond the listed ones
/// after practitioners of another sector are set aside.
const FETCH_LIMIT: u32 = 51;

/// Title of the Annuaire Santé citation.
const ANNUAIRE_TITLE: &str = "Annuaire Santé (Agence du Numérique en Santé)";
/// Address of the Annuaire Santé, as its resources give their source.
const ANNUAIRE_URL: &str = "https://annuaire.sante.fr";

/// Command that imports Annuaire Santé files.
const IMPORT_COMMAND: &str = "mediflux data import annuaire <fichiers…>";

/// Answers a `practitioner.search` request.
///
/// # Errors
///
/// An [`AnswerError`] when the directory fails for another reason than
/// missing data or an impossible place, both of which get a French answer.
pub fn answer(
    request: &Request<'_>,
    directory: &dyn Directory,
    rules: &dyn RuleSource,
) -> Result<Answer, AnswerError> {
    let slot = |name: &str| {
        request
            .slots
            .iter()
            .find(|(slot, _)| slot == name)
            .map(|(_, value)| value.as_str())
    };

    let imported_at = match directory.imported_at() {
        Ok(date) => date,
        Err(DirectoryError::NoData) => return Ok(no_data()),
        Err(other) => return Err(failure(other)),
    };

    let specialty = match slot("specialty").map(lookup) {
        Some(SpecialtyLookup::Known(specialty)) => specialty,
        Some(SpecialtyLookup::Unmapped(plural)) => return Ok(unmapped_specialty(plural)),
        Some(SpecialtyLookup::Unnamed | SpecialtyLookup::Unknown) => {
            return Ok(guidance(
                "unnamed-specialty",
                "Quelle spécialité cherchez-vous ? L'Annuaire Santé se consulte par spécialité, par \
                 exemple « Cardiologue à Paris » ou « Dermatologue à Lyon 3e ».",
            ));
        }
        // TODO: search by practitioner name once the store indexes names.
        None => {
            return Ok(guidance(
                "no-specialty",
                "Quel professionnel de santé cherchez-vous ? Je cherche par spécialité et par lieu, \
                 par exemple « Cardiologue à Paris », « Un dermatologue secteur 1 près de Lyon » ou \
                 « Trouver un kiné à Marseille 13008 ». La recherche par nom n'est pas encore \
                 possible.",
            ));
        }
    };

    let profile_location = request
        .profile
        .iter()
        .find(|(name, _)| name == "location")
        .map(|(_, value)| value.as_str());
    let place = search_place(slot("location"), profile_location);
    let sector = slot("sector").filter(|sector| SECTORS.contains(sector));

    let place_text = place.as_ref().map(|(text, _)| text.as_str());
    let found = match find(directory, specialty, place_text, sector) {
        Ok(found) => found,
        Err(DirectoryError::InvalidPlace(message)) => {
            return Ok(invalid_place(place_text.unwrap_or_default(), &message));
        }
        Err(other) => return Err(failure(other)),
    };
    let widened = match place_text.and_then(widening) {
        Some(code) if found.is_empty() => {
            let wider = find(directory, specialty, Some(&code), sector).map_err(failure)?;
            Some((code, wider))
        }
        _ => None,
    };

    let search = Outcome {
        specialty,
        place: place
            .as_ref()
            .map(|(text, origin)| (text.as_str(), *origin)),
        sector,
        imported_at,
        found,
        widened,
    };
    Ok(search.render(request.date_of_care, rules))
}

/// Searches practitioners of `specialty` in `place`, setting aside those
/// whose known sector differs from `sector`.
fn find(
    directory: &dyn Directory,
    specialty: &Specialty,
    place: Option<&str>,
    sector: Option<&str>,
) -> Result<Vec<Practitioner>, DirectoryError> {
    let mut found = directory.search(&Search {
        professions: specialty.professions,
        specialties: specialty.specialties,
        place,
        limit: FETCH_LIMIT,
    })?;
    if let Some(requested) = sector {
        found.retain(|practitioner| {
            practitioner
                .sector
                .as_deref()
                .is_none_or(|known| is_compatible(requested, known))
        });
    }
    Ok(found)
}

/// A search and what it found, ready to be written out.
struct Outcome<'a> {
    specialty: &'static Specialty,
    place: Option<(&'a str, PlaceOrigin)>,
    sector: Option<&'a str>,
    imported_at: Date,
    found: Vec<Practitioner>,
    /// The département searched after no match, and what it gave.
    widened: Option<(String, Vec<Practitioner>)>,
}

impl Outcome<'_> {
    fn render(&self, date_of_care: Date, rules: &dyn RuleSource) -> Answer {
        let mut text = String::new();
        let place_label = match self.place {
            Some((place, PlaceOrigin::Question)) => format!("lieu recherché : {place}"),
            Some((place, PlaceOrigin::Profile)) => format!("lieu de votre profil : {place}"),
            None => "sans lieu précisé".to_owned(),
        };

        // `fmt::Write` for `String` never fails, so results are ignored.
        if self.found.is_empty() {
            let _ = writeln!(
                text,
                "Je n'ai trouvé {} {} dans l'Annuaire Santé ({place_label}).",
                self.none_word(),
                self.specialty.singular
            );
            self.render_widened(&mut text);
        } else {
            let _ = writeln!(
                text,
                "J'ai trouvé {} dans l'Annuaire Santé ({place_label}){} :",
                self.count_phrase(self.found.len()),
                first_ones(self.found.len())
            );
            list(&mut text, &self.found);
            if self.place.is_none() {
                let _ = writeln!(
                    text,
                    "Précisez une ville, un arrondissement (« Paris 15e ») ou un code postal pour \
                     une liste près de chez vous."
                );
            }
        }

        let mut citations = vec![Citation {
            title: ANNUAIRE_TITLE.to_owned(),
            url: Some(ANNUAIRE_URL.to_owned()),
            date: Some(self.imported_at),
        }];
        let rule_sources = self.render_sectors(&mut text, date_of_care, rules);

        let _ = writeln!(
            text,
            "\nSources :\n- {ANNUAIRE_TITLE}, données importées le {}",
            self.imported_at.french()
        );
        for title in rule_sources {
            let _ = writeln!(text, "- {title}");
            citations.push(Citation {
                title,
                url: None,
                date: None,
            });
        }

        Answer {
            text: french_spacing(text.trim_end()),
            body: self.body(),
            citations,
        }
    }

    /// Writes the département search that followed no match, or how to
    /// widen the search.
    fn render_widened(&self, text: &mut String) {
        match &self.widened {
            Some((code, wider)) if !wider.is_empty() => {
                let _ = writeln!(
                    text,
                    "Dans le département {code}, j'en ai trouvé {}{} :",
                    count_number(wider.len()),
                    first_ones(wider.len())
                );
                list(text, wider);
            }
            Some((code, _)) => {
                let _ = writeln!(
                    text,
                    "{} non plus dans le département {code}.",
                    capitalise(self.none_word())
                );
                self.suggest_import(text);
            }
            None => {
                let example = capitalise(self.specialty.singular);
                let _ = writeln!(
                    text,
                    "Élargissez la recherche au département (par exemple « {example} dans le Rhône ») \
                     ou donnez un code postal."
                );
                self.suggest_import(text);
            }
        }
    }

    fn suggest_import(&self, text: &mut String) {
        let _ = writeln!(
            text,
            "Les données importées le {} ne couvrent peut-être pas ce lieu : vous pouvez importer \
             d'autres fichiers de l'Annuaire Santé avec `{IMPORT_COMMAND}`.",
            self.imported_at.french()
        );
    }

    /// Writes what the asked sector, or the sectors of the listed
    /// practitioners, mean for the price; returns the rule sources used.
    fn render_sectors(&self, text: &mut String, date: Date, rules: &dyn RuleSource) -> Vec<String> {
        let listed = self.listed();
        let mut sectors: Vec<&str> = Vec::new();
        if let Some(requested) = self.sector {
            sectors.push(requested);
            if listed
                .iter()
                .any(|practitioner| practitioner.sector.is_none())
            {
                let _ = writeln!(
                    text,
                    "\nL'Annuaire Santé n'indique pas le secteur de convention : cette liste n'est \
                     pas limitée au {}. Demandez-le au cabinet avant de prendre rendez-vous.",
                    label(requested).unwrap_or(requested)
                );
            }
        }
        for practitioner in listed {
            if let Some(known) = practitioner.sector.as_deref()
                && !sectors.contains(&known)
                && SECTORS.contains(&known)
            {
                sectors.push(known);
            }
        }

        let mut sources: Vec<String> = Vec::new();
        for sector in sectors {
            match explain(sector, date, rules) {
                Ok(explanation) => {
                    let _ = writeln!(text, "\n{}", explanation.heading);
                    for line in &explanation.lines {
                        let _ = writeln!(text, "- {line}");
                    }
                    if !explanation.to_confirm.is_empty() {
                        let _ = writeln!(
                            text,
                            "Valeurs encore à confirmer : {}.",
                            explanation.to_confirm.join(", ")
                        );
                    }
                    for source in explanation.sources {
                        if !sources.contains(&source) {
                            sources.push(source);
                        }
                    }
                }
                Err(error) => {
                    let _ = writeln!(
                        text,
                        "\nJe n'ai pas pu lire dans les règles de remboursement ce que le {} \
                         signifie pour le prix ({error:?}).",
                        label(sector).unwrap_or(sector)
                    );
                }
            }
        }
        sources
    }

    /// Returns the practitioners the answer lists.
    fn listed(&self) -> Vec<&Practitioner> {
        let shown = match &self.widened {
            Some((_, wider)) if self.found.is_empty() => wider,
            _ => &self.found,
        };
        shown.iter().take(MAX_LISTED).collect()
    }

    fn none_word(&self) -> &'static str {
        if self.specialty.feminine {
            "aucune"
        } else {
            "aucun"
        }
    }

    /// Returns « 1 cardiologue », « 3 cardiologues » or « plus de 50
    /// cardiologues ».
    fn count_phrase(&self, count: usize) -> String {
        let noun = if count == 1 {
            self.specialty.singular
        } else {
            self.specialty.plural
        };
        format!("{} {noun}", count_number(count))
    }

    fn body(&self) -> Value {
        let status = if !self.found.is_empty() {
            "found"
        } else if self
            .widened
            .as_ref()
            .is_some_and(|(_, wider)| !wider.is_empty())
        {
            "found-in-departement"
        } else {
            "none"
        };
        json!({
            "status": status,
            "specialty": self.specialty.id,
            "place": self.place.map(|(place, _)| place),
            "place_origin": self.place.map(|(_, origin)| match origin {
                PlaceOrigin::Question => "question",
                PlaceOrigin::Profile => "profile",
            }),
            "sector": self.sector,
            "imported_at": self.imported_at.to_string(),
            "practitioners": self.found.iter().map(practitioner_json).collect::<Vec<_>>(),
            "widened": self.widened.as_ref().map(|(code, wider)| json!({
                "departement": code,
                "practitioners": wider.iter().map(practitioner_json).collect::<Vec<_>>(),
            })),
        })
    }
}

/// Returns a count of fetched practitioners as written: `3`, or « plus de
/// 50 » when the search returned as many as it fetched.
fn count_number(count: usize) -> String {
    let fetched = FETCH_LIMIT as usize;
    if count >= fetched {
        format!("plus de {}", fetched - 1)
    } else {
        count.to_string()
    }
}

/// Returns « ; voici les 10 premiers » when not every practitioner is
/// listed.
fn first_ones(count: usize) -> String {
    if count > MAX_LISTED {
        format!(" ; voici les {MAX_LISTED} premiers")
    } else {
        String::new()
    }
}

/// Writes one line per practitioner, up to [`MAX_LISTED`].
fn list(text: &mut String, practitioners: &[Practitioner]) {
    for practitioner in practitioners.iter().take(MAX_LISTED) {
        let name = [
            practitioner.given_name.as_str(),
            practitioner.family_name.as_str(),
        ]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
        let mut line = format!(
            "- {name}, {}",
            describe(&practitioner.profession, practitioner.specialty.as_deref())
        );
        if let Some(sector) = &practitioner.sector {
            let _ = write!(line, ", secteur {sector}");
        }
        match practitioner.addresses.first() {
            Some(address) => {
                let place = [address.postcode.as_str(), address.city.as_str()]
                    .iter()
                    .filter(|part| !part.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                if address.line.is_empty() {
                    let _ = write!(line, " : {place}");
                } else {
                    let _ = write!(line, " : {}, {place}", address.line);
                }
            }
            None => line.push_str(" : adresse non publiée"),
        }
        match practitioner.addresses.len() {
            0 | 1 => {}
            2 => line.push_str(" (et un autre lieu d'exercice)"),
            more => {
                let _ = write!(line, " (et {} autres lieux d'exercice)", more - 1);
            }
        }
        let _ = writeln!(text, "{line}");
    }
}

fn practitioner_json(practitioner: &Practitioner) -> Value {
    json!({
        "id": practitioner.id,
        "family_name": practitioner.family_name,
        "given_name": practitioner.given_name,
        "profession": practitioner.profession,
        "specialty": practitioner.specialty,
        "sector": practitioner.sector,
        "addresses": practitioner.addresses.iter().map(|address| json!({
            "line": address.line,
            "postcode": address.postcode,
            "city": address.city,
        })).collect::<Vec<_>>(),
    })
}

/// Answers without searching, with `status` in the result.
fn guidance(status: &str, text: &str) -> Answer {
    Answer {
        text: french_spacing(text),
        body: json!({ "status": status }),
        citations: Vec::new(),
    }
}

fn no_data() -> Answer {
    guidance(
        "no-data",
        &format!(
            "Aucune donnée de l'Annuaire Santé n'est encore installée, je ne peux donc pas chercher \
             de praticien.\n\
             Mediflux ne télécharge pas l'Annuaire Santé lui-même, car son API demande une clé \
             personnelle. Importez des fichiers FHIR (JSON) exportés de l'Annuaire Santé, par \
             exemple des résultats de recherche de son API :\n  \
             {IMPORT_COMMAND}\n\
             Les fichiers illisibles sont signalés et ignorés, les autres sont importés."
        ),
    )
}

fn unmapped_specialty(plural: &str) -> Answer {
    guidance(
        "unmapped-specialty",
        &format!(
            "Je ne sais pas encore chercher les {plural} : les codes de cette spécialité dans \
             l'Annuaire Santé ne sont pas encore dans Mediflux. Je cherche déjà les généralistes, \
             cardiologues, dermatologues, ophtalmologues, pédiatres, psychiatres, gynécologues, \
             dentistes, kinés, sages-femmes, infirmiers, orthophonistes et pharmaciens."
        ),
    )
}

fn invalid_place(place: &str, message: &str) -> Answer {
    let mut answer = guidance(
        "invalid-place",
        &format!(
            "Je ne reconnais pas le lieu « {place} » : vérifiez le numéro d'arrondissement (Paris en \
             compte 20, Marseille 16 et Lyon 9) ou donnez un code postal."
        ),
    );
    answer.body["detail"] = Value::String(message.to_owned());
    answer
}

fn failure(error: DirectoryError) -> AnswerError {
    match error {
        DirectoryError::NoData => AnswerError {
            code: "no-snapshot".to_owned(),
            message: "no Annuaire Santé data has been imported".to_owned(),
        },
        DirectoryError::InvalidPlace(message) => AnswerError {
            code: "invalid-place".to_owned(),
            message,
        },
        DirectoryError::Failed { code, message } => AnswerError { code, message },
    }
}
