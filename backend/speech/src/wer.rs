//! Word error rate, for tests and benchmarks: (substitutions + deletions + insertions) over
//! the reference's word count, after ignoring case and punctuation.

use crate::words::normalize_word;

/// What whisper.cpp's `jfk.wav` sample (tests/fixtures/jfk.wav) says: the reference for the
/// tests and the benchmark.
pub const JFK_REFERENCE: &str =
    "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";

/// The words of `text` after normalisation, empty ones dropped.
pub fn normalized_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-').map(normalize_word).filter(|word| !word.is_empty()).collect()
}

pub fn word_error_rate(reference: &str, hypothesis: &str) -> f64 {
    let reference = normalized_words(reference);
    let hypothesis = normalized_words(hypothesis);
    if reference.is_empty() {
        return if hypothesis.is_empty() { 0.0 } else { 1.0 };
    }
    // Levenshtein distance over words, one row at a time.
    let mut previous: Vec<usize> = (0..=hypothesis.len()).collect();
    for (i, ref_word) in reference.iter().enumerate() {
        let mut current = vec![i + 1; hypothesis.len() + 1];
        for (j, hyp_word) in hypothesis.iter().enumerate() {
            let substitution = previous[j] + usize::from(ref_word != hyp_word);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[hypothesis.len()] as f64 / reference.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_text_up_to_case_and_punctuation_has_no_errors() {
        assert_eq!(word_error_rate("Ask not, what your country can do.", "ask not what your Country can do"), 0.0);
    }

    #[test]
    fn one_substitution_in_four_words_is_a_quarter() {
        assert_eq!(word_error_rate("a b c d", "a x c d"), 0.25);
    }

    #[test]
    fn deletions_and_insertions_count() {
        assert_eq!(word_error_rate("a b c d", "a c d e f"), 0.75);
    }
}
