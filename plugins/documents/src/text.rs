//! Line-by-line reading of a document's text.
//!
//! Labels are matched on folded words (lowercase, accents removed), so that
//! « Période de validité », « PERIODE DE VALIDITE » and the OCR output
//! « P?riode de validit? » all match the label `periode de validite`: a `?`
//! in the text matches any one letter, because OCR engines without accented
//! letters write `?` in their place. Values are read from the original
//! characters, accents and case kept.
//!
//! Documents printed in columns separate them with runs of spaces, so a
//! value ends at a column gap (two spaces or more, or a tab), at the next
//! known label, or at the end of the line.

use crate::date::Date;

/// Characters skipped between a label and its value.
const SEPARATORS: &[char] = &[':', '°', 'º', '.', '-', '=', '?', '(', ')'];

/// One line of a document.
#[derive(Debug, Clone)]
pub struct Line {
    chars: Vec<char>,
    words: Vec<Word>,
}

/// A word of a line: its folded form and where it sits in the line.
#[derive(Debug, Clone)]
struct Word {
    folded: String,
    span: Span,
}

/// A range of characters of a line, `end` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Index of the first character.
    pub start: usize,
    /// Index after the last character.
    pub end: usize,
}

/// A date written in a line, valid or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// The day, or `None` when the written day does not exist (31/02/2025).
    pub date: Option<Date>,
    /// The date as written.
    pub text: String,
    /// Position in the line.
    pub span: Span,
}

/// Splits `text` into its non-blank lines.
pub fn lines(text: &str) -> Vec<Line> {
    text.lines()
        .map(Line::new)
        .filter(|line| !line.words.is_empty())
        .collect()
}

/// Folds `text` the way labels are written: lowercase, accents removed,
/// every run of other characters than letters and digits made one space.
pub fn fold(text: &str) -> String {
    Line::new(text)
        .words
        .iter()
        .map(|word| word.folded.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Line {
    /// Reads one line of text.
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text.trim_end_matches(['\r', '\n']).chars().collect();
        let mut words = Vec::new();
        let mut index = 0;
        while index < chars.len() {
            if !is_word_char(chars[index]) {
                index += 1;
                continue;
            }
            let start = index;
            let mut folded = String::new();
            while index < chars.len() && is_word_char(chars[index]) {
                fold_char(chars[index], &mut folded);
                index += 1;
            }
            words.push(Word {
                folded,
                span: Span { start, end: index },
            });
        }
        Self { chars, words }
    }

    /// Returns the whole line, trimmed.
    pub fn text(&self) -> String {
        self.chars.iter().collect::<String>().trim().to_owned()
    }

    /// Returns the characters of `span`, trimmed.
    pub fn slice(&self, span: Span) -> String {
        let end = span.end.min(self.chars.len());
        let start = span.start.min(end);
        self.chars[start..end]
            .iter()
            .collect::<String>()
            .trim()
            .to_owned()
    }

    /// Returns the folded words of the line.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|word| word.folded.as_str())
    }

    /// Returns the span of the word at `index`.
    pub fn word_span(&self, index: usize) -> Option<Span> {
        self.words.get(index).map(|word| word.span)
    }

    /// Returns the character at `index`.
    pub fn char_at(&self, index: usize) -> Option<char> {
        self.chars.get(index).copied()
    }

    /// Returns the number of words.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Returns whether the line contains one of `labels`.
    pub fn has(&self, labels: &[&str]) -> bool {
        self.find(labels).is_some()
    }

    /// Returns whether the line starts with one of `labels`.
    pub fn starts_with(&self, labels: &[&str]) -> bool {
        self.find(labels).is_some_and(|span| {
            self.words
                .first()
                .is_some_and(|word| word.span.start == span.start)
        })
    }

    /// Finds the first occurrence of one of `labels`, each written as folded
    /// words separated by spaces (`n amc`). Earlier labels in the list win
    /// over later ones.
    pub fn find(&self, labels: &[&str]) -> Option<Span> {
        self.find_from(labels, 0)
    }

    /// Like [`Line::find`], for occurrences starting at character `from` or
    /// later.
    pub fn find_from(&self, labels: &[&str], from: usize) -> Option<Span> {
        labels.iter().find_map(|label| {
            let label_words: Vec<&str> = label.split(' ').collect();
            (0..self.words.len())
                .filter(|&first| self.words[first].span.start >= from)
                .find(|&first| self.matches_at(first, &label_words))
                .map(|first| Span {
                    start: self.words[first].span.start,
                    end: self.words[first + label_words.len() - 1].span.end,
                })
        })
    }

    /// Returns the index of the word starting at character `start`.
    pub fn word_at(&self, start: usize) -> Option<usize> {
        self.words.iter().position(|word| word.span.start == start)
    }

    fn matches_at(&self, first: usize, label_words: &[&str]) -> bool {
        if first + label_words.len() > self.words.len() {
            return false;
        }
        label_words
            .iter()
            .zip(&self.words[first..])
            .all(|(label, word)| word_matches(&word.folded, label))
    }

    /// Returns the value after the first of `labels`: separators skipped,
    /// up to a column gap, the first of `stops` or the end of the line.
    pub fn value_after(&self, labels: &[&str], stops: &[&str]) -> Option<String> {
        let label = self.find(labels)?;
        self.value_from(label.end, stops)
    }

    /// Like [`Line::value_after`], for a label followed by a colon; used for
    /// common words (« mutuelle ») that are a label only in that form.
    pub fn value_after_colon(&self, labels: &[&str], stops: &[&str]) -> Option<String> {
        let label = self.find(labels)?;
        let mut index = label.end;
        while index < self.chars.len() && is_space(self.chars[index]) {
            index += 1;
        }
        if self.chars.get(index) != Some(&':') {
            return None;
        }
        self.value_from(index + 1, stops)
    }

    /// Returns the value starting at character `from`, read like
    /// [`Line::value_after`].
    pub fn value_from(&self, from: usize, stops: &[&str]) -> Option<String> {
        let start = self.skip_separators(from);
        let mut end = self.column_end(start);
        if let Some(stop) = self.find_from(stops, start + 1) {
            end = end.min(stop.start);
        }
        let value = self
            .slice(Span { start, end })
            .trim_end_matches([',', ';', '-'])
            .trim()
            .to_owned();
        (!value.is_empty()).then_some(value)
    }

    /// Returns the digits after the first of `labels`, joined across the
    /// single spaces that group them (`1 85 05 78 006 084 91`). With
    /// `corsica`, the letters `A` and `B` after a `2` are kept, as in the
    /// département codes 2A and 2B of a NIR or a FINESS.
    pub fn digits_after(&self, labels: &[&str], corsica: bool) -> Option<String> {
        let label = self.find(labels)?;
        self.digits_from(label.end, corsica)
    }

    /// Returns the digits starting at character `from`, read like
    /// [`Line::digits_after`].
    pub fn digits_from(&self, from: usize, corsica: bool) -> Option<String> {
        let mut index = self.skip_separators(from);
        let mut digits = String::new();
        while index < self.chars.len() {
            let character = self.chars[index];
            let next = self.chars.get(index + 1).copied();
            if character.is_ascii_digit() {
                digits.push(character);
            } else if corsica && digits.ends_with('2') && matches!(character, 'A' | 'B' | 'a' | 'b')
            {
                digits.push(character.to_ascii_uppercase());
            } else if character == ' '
                && !digits.is_empty()
                && next.is_some_and(|next| next.is_ascii_digit())
            {
                // A single space between groups of digits.
            } else {
                break;
            }
            index += 1;
        }
        (!digits.is_empty()).then_some(digits)
    }

    /// Returns the dates written `DD/MM/YYYY` (or with `.` or `-`), or
    /// `YYYY-MM-DD`, in the order of the line.
    pub fn dates(&self) -> Vec<FoundDate> {
        let mut found = Vec::new();
        let mut index = 0;
        while index < self.chars.len() {
            let starts_number = self.chars[index].is_ascii_digit()
                && (index == 0 || !self.chars[index - 1].is_ascii_digit());
            if starts_number && let Some((date, end)) = self.date_at(index) {
                found.push(FoundDate {
                    date,
                    text: self.slice(Span { start: index, end }),
                    span: Span { start: index, end },
                });
                index = end;
                continue;
            }
            index += 1;
        }
        found
    }

    /// Returns the first date after the first of `labels`, on the same line.
    pub fn date_after(&self, labels: &[&str]) -> Option<FoundDate> {
        let label = self.find(labels)?;
        self.dates()
            .into_iter()
            .find(|date| date.span.start >= label.end)
    }

    fn date_at(&self, start: usize) -> Option<(Option<Date>, usize)> {
        let (first, after_first) = self.number_at(start, 4)?;
        let separator = *self.chars.get(after_first)?;
        if !matches!(separator, '/' | '.' | '-') {
            return None;
        }
        let (second, after_second) = self.number_at(after_first + 1, 2)?;
        if self.chars.get(after_second) != Some(&separator) {
            return None;
        }
        let (third, end) = self.number_at(after_second + 1, 4)?;
        let first_len = after_first - start;
        let third_len = end - after_second - 1;
        let date = if first_len == 4 && separator == '-' && end - after_second - 1 <= 2 {
            Date::new(i32::try_from(first).ok()?, second, third)
        } else if first_len <= 2 && third_len == 4 {
            Date::new(i32::try_from(third).ok()?, second, first)
        } else {
            return None;
        };
        Some((date, end))
    }

    /// Reads at most `max_len` digits at `start`, followed by no digit.
    fn number_at(&self, start: usize, max_len: usize) -> Option<(u32, usize)> {
        let mut end = start;
        while end < self.chars.len() && self.chars[end].is_ascii_digit() {
            end += 1;
        }
        if end == start || end - start > max_len {
            return None;
        }
        let text: String = self.chars[start..end].iter().collect();
        Some((text.parse().ok()?, end))
    }

    /// Returns the amount in euro cents after the first of `labels`, such as
    /// `30,00 €` or `1 234,56 €`.
    pub fn amount_after(&self, labels: &[&str]) -> Option<i64> {
        let label = self.find(labels)?;
        let start = self.skip_separators(label.end);
        self.amount_at(start).map(|(cents, _)| cents)
    }

    /// Reads an amount at `start`: digits, optionally grouped by threes
    /// with spaces, a decimal comma or point and two decimals, then an
    /// optional euro sign. A number counts as an amount only with decimals
    /// or a euro sign.
    fn amount_at(&self, start: usize) -> Option<(i64, usize)> {
        let mut index = start;
        let mut whole = String::new();
        while index < self.chars.len() {
            let character = self.chars[index];
            if character.is_ascii_digit() {
                whole.push(character);
                index += 1;
            } else if is_space(character)
                && !whole.is_empty()
                && self.chars.get(index + 1..index + 4).is_some_and(|group| {
                    group.iter().all(char::is_ascii_digit)
                        && !self.chars.get(index + 4).is_some_and(char::is_ascii_digit)
                })
            {
                index += 1;
            } else {
                break;
            }
        }
        if whole.is_empty() {
            return None;
        }
        let mut cents: i64 = whole.parse::<i64>().ok()?.checked_mul(100)?;
        let mut has_decimals = false;
        if matches!(self.chars.get(index), Some(',' | '.'))
            && let Some(decimals) = self.chars.get(index + 1..index + 3)
            && decimals.iter().all(char::is_ascii_digit)
        {
            let text: String = decimals.iter().collect();
            cents += text.parse::<i64>().ok()?;
            has_decimals = true;
            index += 3;
        }
        let mut after = index;
        while after < self.chars.len() && is_space(self.chars[after]) {
            after += 1;
        }
        let has_euro = matches!(self.chars.get(after), Some('€'))
            || self
                .find_from(&["eur", "euro", "euros"], after)
                .map(|span| span.start)
                == Some(after);
        if has_euro {
            index = after + 1;
        }
        (has_decimals || has_euro).then_some((cents, index))
    }

    /// Returns the number written before the word `unit` (`72 ans`, `58 kg`,
    /// `58kg`), as written.
    pub fn number_before(&self, unit: &str) -> Option<String> {
        for (index, word) in self.words.iter().enumerate() {
            if let Some(number) = word.folded.strip_suffix(unit)
                && !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit())
            {
                return Some(number.to_owned());
            }
            if word.folded != unit || index == 0 {
                continue;
            }
            let previous = &self.words[index - 1];
            if !previous.folded.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            // A decimal comma splits « 58,5 » into two words.
            if index >= 2
                && self.chars.get(previous.span.start - 1) == Some(&',')
                && self.words[index - 2].span.end == previous.span.start - 1
                && self.words[index - 2]
                    .folded
                    .chars()
                    .all(|c| c.is_ascii_digit())
            {
                return Some(format!(
                    "{},{}",
                    self.words[index - 2].folded,
                    previous.folded
                ));
            }
            return Some(previous.folded.clone());
        }
        None
    }

    fn skip_separators(&self, from: usize) -> usize {
        let mut index = from;
        while index < self.chars.len()
            && (is_space(self.chars[index]) || SEPARATORS.contains(&self.chars[index]))
        {
            index += 1;
        }
        index
    }

    /// Returns where the column starting at `start` ends: at two spaces or
    /// more, at a tab, or at the end of the line.
    fn column_end(&self, start: usize) -> usize {
        let mut index = start;
        while index < self.chars.len() {
            let character = self.chars[index];
            let next = self.chars.get(index + 1).copied();
            if character == '\t' || (is_space(character) && next.is_some_and(is_space)) {
                return index;
            }
            index += 1;
        }
        self.chars.len()
    }
}

/// Returns whether the folded `word` reads as the folded `label` word. A
/// `?` in the word stands for any one letter, as OCR output writes it.
fn word_matches(word: &str, label: &str) -> bool {
    if word == label {
        return true;
    }
    word.contains('?')
        && word.chars().count() == label.chars().count()
        && word
            .chars()
            .zip(label.chars())
            .all(|(from_text, from_label)| from_text == from_label || from_text == '?')
}

fn is_space(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\u{a0}' | '\u{202f}')
}

fn is_word_char(character: char) -> bool {
    (character.is_alphanumeric() && !matches!(character, 'º' | 'ª')) || character == '?'
}

fn fold_char(character: char, folded: &mut String) {
    for lower in character.to_lowercase() {
        match lower {
            'à' | 'â' | 'ä' | 'á' => folded.push('a'),
            'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
            'î' | 'ï' | 'í' => folded.push('i'),
            'ô' | 'ö' | 'ó' => folded.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => folded.push('u'),
            'ç' => folded.push('c'),
            'ÿ' => folded.push('y'),
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            'µ' | 'μ' => folded.push('u'),
            other => folded.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_without_accents_or_case() {
        let line = Line::new("Période de validité : du 01/01/2025 au 31/12/2025");
        assert!(line.has(&["periode de validite"]));
        assert!(Line::new("PERIODE DE VALIDITE").has(&["periode de validite"]));
        assert!(Line::new("P?riode de validit?").has(&["periode de validite"]));
        assert!(!line.has(&["validite au"]));
    }

    #[test]
    fn value_stops_at_column_gap_and_labels() {
        let line = Line::new("Assuré : MARTIN Jérôme   NIR : 1 85 05 78 006 084 91");
        assert_eq!(
            line.value_after(&["assure"], &[]).as_deref(),
            Some("MARTIN Jérôme")
        );
        let single_spaced = Line::new("Assuré : MARTIN Jérôme NIR : 1 85 05 78 006 084 91");
        assert_eq!(
            single_spaced.value_after(&["assure"], &["nir"]).as_deref(),
            Some("MARTIN Jérôme")
        );
    }

    #[test]
    fn digits_join_groups_and_keep_corsica() {
        let line = Line::new("NIR : 1 85 05 78 006 084 91   Rang : 1");
        assert_eq!(
            line.digits_after(&["nir"], true).as_deref(),
            Some("185057800608491")
        );
        let corsica = Line::new("NIR 2 85 05 2A 006 084 12");
        assert_eq!(
            corsica.digits_after(&["nir"], true).as_deref(),
            Some("285052A00608412")
        );
        assert_eq!(
            corsica.digits_after(&["nir"], false).as_deref(),
            Some("285052"),
            "without corsica, the letter ends the number"
        );
    }

    #[test]
    fn dates_valid_and_invalid() {
        let line = Line::new("du 01/01/2025 au 31/02/2025, édité le 2025-03-04");
        let dates = line.dates();
        assert_eq!(dates.len(), 3);
        assert_eq!(dates[0].date, Date::new(2025, 1, 1));
        assert_eq!(dates[1].date, None);
        assert_eq!(dates[1].text, "31/02/2025");
        assert_eq!(dates[2].date, Date::new(2025, 3, 4));
    }

    #[test]
    fn amounts_in_cents() {
        let line = Line::new("Montant : 1 234,56 €   Total payé : 35,00€   Cerfa 12541");
        assert_eq!(line.amount_after(&["montant"]), Some(123_456));
        assert_eq!(line.amount_after(&["total paye"]), Some(3500));
        assert_eq!(line.amount_after(&["cerfa"]), None);
        assert_eq!(
            Line::new("Montant : 30 €").amount_after(&["montant"]),
            Some(3000)
        );
    }

    #[test]
    fn number_before_unit() {
        let line = Line::new("Mme Françoise GARÇON, 72 ans, 58,5 kg");
        assert_eq!(line.number_before("ans").as_deref(), Some("72"));
        assert_eq!(line.number_before("kg").as_deref(), Some("58,5"));
        assert_eq!(
            Line::new("poids 60kg").number_before("kg").as_deref(),
            Some("60")
        );
    }

    #[test]
    fn fold_removes_accents_and_punctuation() {
        assert_eq!(fold("N° d'adhérent : Œuvre"), "n d adherent oeuvre");
    }
}
