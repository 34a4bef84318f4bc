//! Text normalisation: lowercase, accent and ligature folding, tokens.
//!
//! Routing rules and vocabularies are written and compared in the same
//! normalised form, so "Œdème", "oedeme" and "OEDEME" are one word. Each token
//! keeps the byte range of the original text it came from, because a few
//! slots (a city "as written", a practitioner's name) need the user's
//! spelling and capitals.

/// A word of the question after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Normalised text: lowercase ASCII letters and digits, or one of the
    /// symbol tokens `%` and `eur`. A decimal number keeps a `.` separator.
    pub text: String,
    /// Byte offset of the token's first character in the original text.
    pub start: usize,
    /// Byte offset just past the token's last character in the original text.
    pub end: usize,
}

impl Token {
    /// Returns whether the token is a number such as `60` or `60.50`.
    pub fn is_number(&self) -> bool {
        let mut digits = 0;
        for byte in self.text.bytes() {
            match byte {
                b'0'..=b'9' => digits += 1,
                b'.' => {}
                _ => return false,
            }
        }
        digits > 0
    }
}

/// Normalises a text into one string: tokens joined by single spaces.
///
/// ```
/// assert_eq!(
///     mediflux_router::normalize("Combien coûte l’Œstrogel ?"),
///     "combien coute l oestrogel"
/// );
/// ```
pub fn normalize(text: &str) -> String {
    let tokens = tokenize(text);
    let mut output = String::with_capacity(text.len());
    for token in &tokens {
        if !output.is_empty() {
            output.push(' ');
        }
        output.push_str(&token.text);
    }
    output
}

/// Splits a text into normalised tokens.
///
/// Letters are lowercased and folded to ASCII (accents dropped, `œ` to
/// `oe`, `æ` to `ae`, `µ` to `u`). Apostrophes, hyphens and other
/// punctuation separate tokens. A `,` or `.` between two digits is kept as
/// a decimal point. `%` and `€` become tokens of their own (`%` and `eur`).
/// A number glued to letters ("500mg", "15e") is split before the letters
/// only when they form a known unit, so "15e" and "c2s" stay whole.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut end = 0;
    let mut characters = text.char_indices().peekable();
    let mut previous: Option<char> = None;

    while let Some((offset, character)) = characters.next() {
        let next = characters.peek().map(|&(_, next)| next);
        let width = character.len_utf8();

        if (character == ',' || character == '.')
            && previous.is_some_and(|c| c.is_ascii_digit())
            && next.is_some_and(|c| c.is_ascii_digit())
            && current.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        {
            current.push('.');
            end = offset + width;
            previous = Some(character);
            continue;
        }

        if character == '%' || character == '€' {
            flush(&mut tokens, &mut current, start, end);
            let symbol = if character == '%' { "%" } else { "eur" };
            tokens.push(Token {
                text: symbol.to_owned(),
                start: offset,
                end: offset + width,
            });
            previous = Some(character);
            continue;
        }

        if character.is_alphanumeric() {
            if current.is_empty() {
                start = offset;
            }
            fold_into(character, &mut current);
            end = offset + width;
        } else {
            flush(&mut tokens, &mut current, start, end);
        }
        previous = Some(character);
    }
    flush(&mut tokens, &mut current, start, end);

    split_glued_units(tokens)
}

fn flush(tokens: &mut Vec<Token>, current: &mut String, start: usize, end: usize) {
    if current.is_empty() {
        return;
    }
    tokens.push(Token {
        text: std::mem::take(current),
        start,
        end,
    });
}

/// Units that may be written glued to their number, such as "500mg".
const GLUED_UNITS: &[&str] = &["mg", "g", "ug", "mcg", "ml", "ui", "eur", "euros", "euro"];

fn split_glued_units(tokens: Vec<Token>) -> Vec<Token> {
    let mut output = Vec::with_capacity(tokens.len());
    for token in tokens {
        let digit_count = token
            .text
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let unit = &token.text[digit_count..];
        if digit_count > 0 && GLUED_UNITS.contains(&unit) {
            output.push(Token {
                text: token.text[..digit_count].to_owned(),
                start: token.start,
                end: token.start + digit_count,
            });
            output.push(Token {
                text: unit.to_owned(),
                start: token.start + digit_count,
                end: token.end,
            });
        } else {
            output.push(token);
        }
    }
    output
}

/// Appends the lowercase ASCII folding of one letter or digit.
///
/// The table covers the Latin-1 Supplement and the Latin Extended-A letters
/// used in French and its neighbours. Letters outside it are kept
/// lowercased, so a Greek or Cyrillic word still forms a token.
fn fold_into(character: char, output: &mut String) {
    if character.is_ascii() {
        output.push(character.to_ascii_lowercase());
        return;
    }
    let folded = match character {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'ā' | 'Ā' | 'ă'
        | 'Ă' | 'ą' | 'Ą' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' | 'ć' | 'Ć' | 'č' | 'Č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ē' | 'Ē' | 'ė' | 'Ė' | 'ę' | 'Ę' | 'ě'
        | 'Ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'ī' | 'Ī' | 'ı' => "i",
        'ñ' | 'Ñ' | 'ń' | 'Ń' | 'ň' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ō' | 'Ō' | 'ő'
        | 'Ő' => "o",
        'œ' | 'Œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'ū' | 'Ū' | 'ů' | 'Ů' | 'ű' | 'Ű' => {
            "u"
        }
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ß' => "ss",
        'ś' | 'Ś' | 'š' | 'Š' | 'ş' | 'Ş' => "s",
        'ž' | 'Ž' | 'ź' | 'Ź' | 'ż' | 'Ż' => "z",
        'ł' | 'Ł' => "l",
        'ř' | 'Ř' => "r",
        'ť' | 'Ť' => "t",
        'ď' | 'Ď' | 'đ' | 'Đ' => "d",
        // The micro sign and the Greek mu both write "micro" in "µg".
        'µ' | 'μ' | 'Μ' => "u",
        'º' | 'ª' => "",
        _ => {
            output.extend(character.to_lowercase());
            return;
        }
    };
    output.push_str(folded);
}

/// Removes accents and ligatures from a text, keeping case and punctuation.
///
/// Used to compare slot values "case- and accent-insensitively".
pub fn fold_for_comparison(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    for character in text.chars() {
        if character.is_alphanumeric() {
            fold_into(character, &mut output);
        } else if character == '-' || character == '\'' || character == '’' {
            output.push(' ');
        } else {
            output.extend(character.to_lowercase());
        }
    }
    output.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|token| token.text).collect()
    }

    #[test]
    fn normalize_folds_accents_and_case() {
        assert_eq!(normalize("Éàçù ÔÎ"), "eacu oi");
    }

    #[test]
    fn normalize_expands_ligatures() {
        assert_eq!(normalize("œil Cæsar"), "oeil caesar");
    }

    #[test]
    fn normalize_splits_on_apostrophes() {
        assert_eq!(normalize("l’amoxicilline l'an"), "l amoxicilline l an");
    }

    #[test]
    fn normalize_collapses_punctuation() {
        assert_eq!(normalize("  Peux-tu   lire?!  "), "peux tu lire");
    }

    #[test]
    fn tokenize_keeps_decimal_amounts() {
        assert_eq!(texts("60,50 € ou 3.5%"), ["60.50", "eur", "ou", "3.5", "%"]);
    }

    #[test]
    fn tokenize_keeps_sentence_comma() {
        assert_eq!(texts("60, puis"), ["60", "puis"]);
    }

    #[test]
    fn tokenize_splits_glued_units() {
        assert_eq!(
            texts("500mg 75µg 15e c2s"),
            ["500", "mg", "75", "ug", "15e", "c2s"]
        );
    }

    #[test]
    fn tokenize_keeps_original_offsets() {
        let text = "à Saint-Étienne";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[1].start..tokens[2].end], "Saint-Étienne");
    }

    #[test]
    fn fold_for_comparison_ignores_case_and_accents() {
        assert_eq!(fold_for_comparison("Saint-Étienne"), "saint etienne");
        assert_eq!(fold_for_comparison("75 µg"), "75 ug");
    }
}
