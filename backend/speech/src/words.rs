//! Word-level helpers shared by the streaming policy and the error-rate measure.

/// The words of `text` as Whisper wrote them (with their punctuation).
pub(crate) fn split_words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// A word reduced to what matters when comparing two transcriptions: lowercase letters,
/// digits and inner apostrophes ("Country," and "country" are the same word).
pub(crate) fn normalize_word(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .trim_matches('\'')
        .to_string()
}

/// How many leading words two hypotheses share, ignoring case and punctuation.
pub(crate) fn agreed_prefix_len(a: &[String], b: &[String]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| normalize_word(x) == normalize_word(y)).count()
}

/// Where `committed` ends inside `hypothesis`: the length of the hypothesis prefix that is
/// closest (in word edits) to the committed words. A new pass may insert or drop a word
/// inside text that is already committed; this keeps the rest of the words aligned.
pub(crate) fn aligned_end(committed: &[String], hypothesis: &[String]) -> usize {
    if committed.is_empty() {
        return 0;
    }
    let committed: Vec<String> = committed.iter().map(|w| normalize_word(w)).collect();
    let hypothesis: Vec<String> = hypothesis.iter().map(|w| normalize_word(w)).collect();
    // Edit distance between all of `committed` and each prefix of `hypothesis`, row by row.
    let mut row: Vec<usize> = (0..=hypothesis.len()).map(|_| 0).collect();
    for (i, word) in committed.iter().enumerate() {
        let mut next = vec![i + 1; hypothesis.len() + 1];
        for (j, other) in hypothesis.iter().enumerate() {
            next[j + 1] = (row[j] + usize::from(word != other)).min(row[j + 1] + 1).min(next[j] + 1);
        }
        row = next;
    }
    // Fewest edits wins; among equals, the prefix whose length is closest to the committed text.
    (0..=hypothesis.len()).min_by_key(|&j| (row[j], j.abs_diff(committed.len()))).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_case_do_not_make_words_differ() {
        assert_eq!(normalize_word("Country,"), "country");
        assert_eq!(normalize_word("don't."), "don't");
    }

    #[test]
    fn alignment_skips_a_word_inserted_inside_committed_text() {
        let committed = split_words("our current system old and the vendor");
        let hypothesis = split_words("Our current system is old and the vendor wants a lot");
        assert_eq!(aligned_end(&committed, &hypothesis), 8);
    }

    #[test]
    fn alignment_of_an_exact_prefix_is_its_length() {
        let committed = split_words("ask not what");
        assert_eq!(aligned_end(&committed, &split_words("ask not what your country")), 3);
        assert_eq!(aligned_end(&[], &split_words("ask")), 0);
    }

    #[test]
    fn agreement_stops_at_the_first_different_word() {
        let a = split_words("And so my fellow Americans");
        let b = split_words("and so, my friend");
        assert_eq!(agreed_prefix_len(&a, &b), 3);
    }
}
