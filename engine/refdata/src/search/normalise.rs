//! Text normalisation for medicine search: tokens folded for case, accents
//! and OCR slips, and a French phonetic key per token.
//!
//! Names and queries go through the same functions, so any two spellings
//! that fold to the same token or key match exactly, and the remaining
//! differences are left to the edit distance in [`super::distance`].

/// A token of a name or query after folding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Lowercase ASCII text without accents, such as `doliprane` or `0.25`.
    pub text: String,
    /// French phonetic key of `text`; equal to `text` for numbers.
    pub key: String,
    /// Whether the token is a number, such as a dosage (`1000`, `0.25`).
    pub numeric: bool,
}

/// Splits `text` into folded tokens.
///
/// Letters are lowercased and stripped of accents, and every character that
/// is neither a letter nor a digit separates tokens, except a `,` or `.`
/// between two digits, which is kept as a decimal point (`0,25` becomes
/// `0.25`). A token that mixes letters and digits is read as an OCR slip
/// when its letters outnumber its digits two to one and every digit looks
/// like a letter (`D0LIPRANE`, `LEV0THYR0X`). Otherwise it is split where
/// letters and digits meet (`1000mg` becomes `1000` and `mg`).
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for word in split_words(text) {
        push_word(&word, &mut tokens);
    }
    tokens
}

/// Splits on non-alphanumeric characters after folding, keeping decimal
/// separators between digits.
fn split_words(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len());
    for character in text.chars() {
        fold_char(character, &mut folded);
    }

    let chars: Vec<char> = folded.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &character) in chars.iter().enumerate() {
        let decimal_separator = (character == ',' || character == '.')
            && index > 0
            && chars[index - 1].is_ascii_digit()
            && chars.get(index + 1).is_some_and(char::is_ascii_digit);
        if character.is_ascii_alphanumeric() {
            current.push(character);
        } else if decimal_separator {
            current.push('.');
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Appends the lowercase ASCII folding of `character` to `out`; characters
/// with no letter or digit folding are appended unchanged and later act as
/// separators.
pub(crate) fn fold_char(character: char, out: &mut String) {
    let folded = match character {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        // Micro sign and Greek mu, as in `µg`.
        'µ' | 'μ' => "u",
        _ => {
            out.push(character.to_ascii_lowercase());
            return;
        }
    };
    out.push_str(folded);
}

/// Turns one folded word into one or more tokens.
fn push_word(word: &str, tokens: &mut Vec<Token>) {
    let letters = word.bytes().filter(u8::is_ascii_alphabetic).count();
    let digits = word.bytes().filter(u8::is_ascii_digit).count();

    if letters == 0 {
        tokens.push(Token {
            text: word.to_owned(),
            key: word.to_owned(),
            numeric: true,
        });
        return;
    }
    if digits == 0 {
        tokens.push(alphabetic_token(word.to_owned()));
        return;
    }

    if let Some(repaired) = repair_ocr_digits(word, letters, digits) {
        tokens.push(alphabetic_token(repaired));
        return;
    }

    // Split where letters and digits meet, as in `1000mg` or `b12`.
    let mut start = 0;
    let bytes = word.as_bytes();
    for index in 1..=bytes.len() {
        let boundary = index == bytes.len()
            || bytes[index].is_ascii_alphabetic() != bytes[index - 1].is_ascii_alphabetic();
        if boundary {
            push_word(&word[start..index], tokens);
            start = index;
        }
    }
}

/// Replaces the digits of a mostly alphabetic word by the letters that OCR
/// confuses them with, or returns `None` when the word does not look like
/// an OCR slip.
fn repair_ocr_digits(word: &str, letters: usize, digits: usize) -> Option<String> {
    if letters < 2 * digits {
        return None;
    }
    word.chars()
        .map(|character| match character {
            '0' => Some('o'),
            '1' => Some('l'),
            '5' => Some('s'),
            '8' => Some('b'),
            other if other.is_ascii_alphabetic() => Some(other),
            _ => None,
        })
        .collect()
}

fn alphabetic_token(text: String) -> Token {
    let key = phonetic_key(&text);
    Token {
        text,
        key,
        numeric: false,
    }
}

/// Computes a French phonetic key of a lowercase ASCII word.
///
/// The rules merge spellings that sound alike in French and common OCR
/// confusions: `ph`→`f`, `th`→`t`, `ck`/`qu`/`q`→`k`, `c` before `e`, `i`,
/// `y`→`s` and elsewhere→`k` (except in `ch`), silent `h` dropped, `y`→`i`,
/// `z`→`s`, `w`→`v`, `eau`/`au`→`o`, `rn`→`m` (OCR), doubled letters
/// collapsed and a final `e` dropped.
pub(crate) fn phonetic_key(word: &str) -> String {
    let bytes = word.as_bytes();
    let mut key: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut index = 0;

    while index < bytes.len() {
        let current = bytes[index];
        let next = bytes.get(index + 1).copied();
        let after_next = bytes.get(index + 2).copied();
        let mut consumed = 1;

        let sound: &[u8] = match (current, next) {
            (b'p', Some(b'h')) => {
                consumed = 2;
                b"f"
            }
            (b't', Some(b'h')) | (b'g', Some(b'h')) => {
                consumed = 2;
                &bytes[index..index + 1]
            }
            (b'c', Some(b'k')) | (b'q', Some(b'u')) => {
                consumed = 2;
                b"k"
            }
            (b'q', _) => b"k",
            (b'c', Some(b'h')) => {
                consumed = 2;
                b"ch"
            }
            (b'c', Some(b'e' | b'i' | b'y')) => b"s",
            (b'c', _) => b"k",
            (b's', Some(b'h')) => {
                consumed = 2;
                b"ch"
            }
            (b'h', _) => b"",
            (b'y', _) => b"i",
            (b'z', _) => b"s",
            (b'w', _) => b"v",
            (b'e', Some(b'a')) if after_next == Some(b'u') => {
                consumed = 3;
                b"o"
            }
            (b'a', Some(b'u')) => {
                consumed = 2;
                b"o"
            }
            (b'r', Some(b'n')) => {
                consumed = 2;
                b"m"
            }
            _ => &bytes[index..index + 1],
        };

        for &byte in sound {
            if key.last() != Some(&byte) {
                key.push(byte);
            }
        }
        index += consumed;
    }

    if key.len() > 3 && key.last() == Some(&b'e') {
        key.pop();
    }
    // The input is ASCII and every rule emits ASCII.
    String::from_utf8_lossy(&key).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|token| token.text).collect()
    }

    #[test]
    fn tokenize_folds_accents_and_case() {
        assert_eq!(texts("Éphédrine ŒNOTHÈRE"), ["ephedrine", "oenothere"]);
    }

    #[test]
    fn tokenize_keeps_decimal_dosages() {
        assert_eq!(
            texts("XYZ 0,25 mg/1.5 ml"),
            ["xyz", "0.25", "mg", "1.5", "ml"]
        );
    }

    #[test]
    fn tokenize_repairs_ocr_digits() {
        assert_eq!(texts("C0RTANCYL"), ["cortancyl"]);
        assert_eq!(texts("AM0XICI1LINE"), ["amoxicilline"]);
    }

    #[test]
    fn tokenize_splits_glued_units() {
        assert_eq!(texts("1000mg"), ["1000", "mg"]);
        assert_eq!(texts("vitamine b12"), ["vitamine", "b", "12"]);
    }

    #[test]
    fn phonetic_key_merges_french_spellings() {
        assert_eq!(phonetic_key("pharmakon"), phonetic_key("farmacon"));
        assert_eq!(phonetic_key("bactrim"), phonetic_key("baktrime"));
        assert_eq!(
            phonetic_key("ciprofloxacine"),
            phonetic_key("siprofloxacin")
        );
        assert_eq!(phonetic_key("thyroxine"), phonetic_key("tiroxine"));
        assert_eq!(
            phonetic_key("dextromethorphane"),
            phonetic_key("dextrometorfan")
        );
    }

    #[test]
    fn phonetic_key_merges_ocr_rn() {
        assert_eq!(phonetic_key("rnorphine"), phonetic_key("morphine"));
    }

    #[test]
    fn phonetic_key_keeps_ch() {
        assert_eq!(phonetic_key("chlore"), "chlor");
    }
}
