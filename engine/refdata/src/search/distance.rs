//! Bounded edit distance between phonetic keys.

/// Computes the optimal string alignment distance (Levenshtein plus
/// transposition of two adjacent bytes) between `left` and `right`, or
/// returns `None` when it exceeds `max`.
///
/// Keys are ASCII, so the distance works on bytes. Rows of the dynamic
/// programme stop early once every cell exceeds `max`.
pub(crate) fn bounded_osa(left: &[u8], right: &[u8], max: usize) -> Option<usize> {
    if left.len().abs_diff(right.len()) > max {
        return None;
    }
    if left.is_empty() || right.is_empty() {
        let distance = left.len().max(right.len());
        return (distance <= max).then_some(distance);
    }

    let width = right.len() + 1;
    let mut before_previous = vec![0usize; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0usize; width];

    for i in 1..=left.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..width {
            let cost = usize::from(left[i - 1] != right[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            let transposed =
                i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1];
            if transposed {
                value = value.min(before_previous[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }

    let distance = previous[right.len()];
    (distance <= max).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::bounded_osa;

    #[test]
    fn osa_counts_edits() {
        assert_eq!(bounded_osa(b"kitten", b"sitting", 3), Some(3));
        assert_eq!(bounded_osa(b"abc", b"abc", 0), Some(0));
        assert_eq!(bounded_osa(b"", b"ab", 2), Some(2));
    }

    #[test]
    fn osa_counts_transposition_once() {
        assert_eq!(bounded_osa(b"levotirox", b"levtoirox", 2), Some(1));
    }

    #[test]
    fn osa_stops_past_bound() {
        assert_eq!(bounded_osa(b"kitten", b"sitting", 2), None);
        assert_eq!(bounded_osa(b"a", b"abcd", 2), None);
    }
}
