//! Removal of HTML markup from BDPM display text.
//!
//! Several files contain fragments of HTML. Names have `<sup>6</sup>`,
//! reimbursement indications and HAS opinions have `<br>`, composition
//! dosages have stray `<p>` and `</p>`, and `CIS_InfoImportantes` has
//! `<a href=…>` links with entities such as `&ecirc;`. An upper-case
//! substance name even has `&RSQUO;` in capitals. The same texts also contain bare `<` signs
//! (`< ou = 100 000 copies`, `taille < -3 DS`), so only known tag names are
//! treated as markup.

use std::borrow::Cow;

/// Tags that the cleaner removes. Anything else that starts with `<` is kept
/// as text.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "b",
    "big",
    "blockquote",
    "br",
    "center",
    "code",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Tags that start a new line in the cleaned text.
const LINE_BREAK_TAGS: &[&str] = &["br", "div", "hr", "li", "p", "tr"];

/// Named entities that the cleaner decodes; other names are kept as text.
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("rsquo", '’'),
    ("lsquo", '‘'),
    ("rdquo", '”'),
    ("ldquo", '“'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("bull", '•'),
    ("middot", '·'),
    ("deg", '°'),
    ("micro", 'µ'),
    ("plusmn", '±'),
    ("times", '×'),
    ("divide", '÷'),
    ("le", '≤'),
    ("ge", '≥'),
    ("euro", '€'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("permil", '‰'),
    ("sup1", '¹'),
    ("sup2", '²'),
    ("sup3", '³'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("frac34", '¾'),
    ("agrave", 'à'),
    ("aacute", 'á'),
    ("acirc", 'â'),
    ("auml", 'ä'),
    ("aelig", 'æ'),
    ("ccedil", 'ç'),
    ("egrave", 'è'),
    ("eacute", 'é'),
    ("ecirc", 'ê'),
    ("euml", 'ë'),
    ("icirc", 'î'),
    ("iuml", 'ï'),
    ("ocirc", 'ô'),
    ("ouml", 'ö'),
    ("oelig", 'œ'),
    ("ugrave", 'ù'),
    ("ucirc", 'û'),
    ("uuml", 'ü'),
    ("yuml", 'ÿ'),
    ("Agrave", 'À'),
    ("Aacute", 'Á'),
    ("Acirc", 'Â'),
    ("Auml", 'Ä'),
    ("AElig", 'Æ'),
    ("Ccedil", 'Ç'),
    ("Egrave", 'È'),
    ("Eacute", 'É'),
    ("Ecirc", 'Ê'),
    ("Euml", 'Ë'),
    ("Icirc", 'Î'),
    ("Iuml", 'Ï'),
    ("Ocirc", 'Ô'),
    ("Ouml", 'Ö'),
    ("OElig", 'Œ'),
    ("Ugrave", 'Ù'),
    ("Ucirc", 'Û'),
    ("Uuml", 'Ü'),
    ("Yuml", 'Ÿ'),
];

/// Trims a field and removes its HTML markup for display.
///
/// Known tags are removed, `<br>` and block tags become a line feed and
/// `<sup>` becomes `^` so that `10<sup>6</sup>` reads `10^6` rather than
/// `106`. Named and numeric entities are decoded; an entity name in capitals
/// (`&RSQUO;`, `&ECIRC;`) is looked up as `Ecirc`, then as `ecirc`. Unknown
/// tags, unknown entities and bare `<` or `&` are kept. Inner spaces are kept
/// as published. Borrows the input when there is no markup.
pub fn clean_text(text: &str) -> Cow<'_, str> {
    let text = text.trim();
    if !text.contains(['<', '&']) {
        return Cow::Borrowed(text);
    }

    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['<', '&']) {
        output.push_str(&rest[..start]);
        let markup = &rest[start..];

        let consumed = if markup.starts_with('<') {
            replace_tag(markup, &mut output)
        } else {
            replace_entity(markup, &mut output)
        };
        match consumed {
            Some(length) => rest = &markup[length..],
            None => {
                output.push_str(&markup[..1]);
                rest = &markup[1..];
            }
        }
    }
    output.push_str(rest);

    let trimmed = output.trim();
    if trimmed.len() == output.len() {
        Cow::Owned(output)
    } else {
        Cow::Owned(trimmed.to_owned())
    }
}

/// Writes the replacement of the tag at the start of `markup` and returns its
/// length, or returns `None` when `markup` does not start with a known tag.
fn replace_tag(markup: &str, output: &mut String) -> Option<usize> {
    let end = markup.find('>')?;
    let inner = &markup[1..end];
    if inner.contains('<') {
        return None;
    }

    let closing = inner.starts_with('/');
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name_end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    let after_name = &inner[name_end..];
    let well_formed = after_name.is_empty()
        || after_name.starts_with([' ', '\t', '\n', '/'])
        || after_name.trim() == "/";
    if !KNOWN_TAGS.contains(&name.as_str()) || !well_formed {
        return None;
    }

    if LINE_BREAK_TAGS.contains(&name.as_str()) {
        if !output.is_empty() && !output.ends_with('\n') {
            output.push('\n');
        }
    } else if name == "sup" && !closing {
        output.push('^');
    }
    Some(end + 1)
}

/// Writes the character of the entity at the start of `markup` and returns
/// the entity's length, or returns `None` when it is not a known entity.
fn replace_entity(markup: &str, output: &mut String) -> Option<usize> {
    // The longest entity accepted is `&#x10FFFF;`, 10 bytes with its `;`.
    let end = markup.bytes().take(12).position(|b| b == b';')?;
    let name = &markup[1..end];

    let character = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        lookup_entity(name)?
    };

    output.push(character);
    Some(end + 1)
}

fn lookup_entity(name: &str) -> Option<char> {
    let find = |candidate: &str| {
        ENTITIES
            .iter()
            .find(|(entity, _)| *entity == candidate)
            .map(|&(_, character)| character)
    };
    if let Some(character) = find(name) {
        return Some(character);
    }

    let all_capitals = name
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !all_capitals || name.is_empty() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let mut capitalized = lower.clone();
    capitalized[..1].make_ascii_uppercase();
    find(&capitalized).or_else(|| find(&lower))
}

/// Returns the decoded `href` of the first link in an HTML fragment, whether
/// the value is in double quotes, single quotes or unquoted.
pub fn first_link(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let attribute = lower.find("href")?;
    let after = html[attribute + 4..].trim_start();
    let value = after.strip_prefix('=')?.trim_start();

    let url = match value.chars().next()? {
        quote @ ('"' | '\'') => {
            let value = &value[1..];
            &value[..value.find(quote)?]
        }
        _ => {
            let end = value
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(value.len());
            &value[..end]
        }
    };

    let url = clean_text(url);
    (!url.is_empty()).then(|| url.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_borrowed() {
        assert!(matches!(clean_text(" liste I "), Cow::Borrowed("liste I")));
    }

    #[test]
    fn br_becomes_line_feed() {
        let text = "pris en charge dans les cas suivants :<br><br>- Asthme persistant";
        assert_eq!(
            clean_text(text),
            "pris en charge dans les cas suivants :\n- Asthme persistant"
        );
    }

    #[test]
    fn sup_keeps_exponent() {
        assert_eq!(
            clean_text("IMUKIN 2 x 10<sup>6</sup> UI"),
            "IMUKIN 2 x 10^6 UI"
        );
    }

    #[test]
    fn stray_paragraph_tags_removed() {
        assert_eq!(clean_text("<p>5,45 mg"), "5,45 mg");
        assert_eq!(clean_text("un comprimé</p>"), "un comprimé");
    }

    #[test]
    fn bare_less_than_kept() {
        let text = "charge virale faible < ou = 100 000 copies / mL et taille < -3 DS";
        assert_eq!(clean_text(text), text);
        assert_eq!(
            clean_text("poids <ou = 20 kg et >5 ans"),
            "poids <ou = 20 kg et >5 ans"
        );
    }

    #[test]
    fn entities_decoded() {
        assert_eq!(
            clean_text("m&ecirc;me &amp; l&#8217;AMM &#x2013; fin"),
            "même & l’AMM – fin"
        );
    }

    #[test]
    fn capital_entities_decoded() {
        assert_eq!(
            clean_text("CODANT POUR L&RSQUO;ARYLSULFATASE"),
            "CODANT POUR L’ARYLSULFATASE"
        );
        assert_eq!(clean_text("PR&ECIRC;T"), "PRÊT");
    }

    #[test]
    fn unknown_entity_kept() {
        assert_eq!(clean_text("R&D &foo; A & B"), "R&D &foo; A & B");
    }

    #[test]
    fn link_text_and_href() {
        let html = "<a target='_blank' href='https://ansm.sante.fr/x?a=1&amp;b=2'>Risque  d&eacute;crit</a>";
        assert_eq!(clean_text(html), "Risque  décrit");
        assert_eq!(
            first_link(html).as_deref(),
            Some("https://ansm.sante.fr/x?a=1&b=2")
        );
    }

    #[test]
    fn link_double_quoted_and_unquoted() {
        assert_eq!(
            first_link("<a href=\"https://a.fr/\">x</a>").as_deref(),
            Some("https://a.fr/")
        );
        assert_eq!(
            first_link("<a href=https://a.fr/b>x</a>").as_deref(),
            Some("https://a.fr/b")
        );
        assert_eq!(first_link("texte sans lien"), None);
    }
}
