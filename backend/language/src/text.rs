//! Plain-text helpers shared by the faithfulness check and the extractive card: sentences,
//! words, and the light normalisation that lets "Lyon's" match "Lyon".

/// A word of running text, stripped of the punctuation around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    /// First word of a sentence (or of a line, or after a colon): its capital says nothing.
    pub sentence_start: bool,
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: [&str; 9] = ["mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e"];

/// Splits text into sentences after `.`, `!` or `?` followed by a space, keeping the
/// punctuation. Good enough for dictated speech, which has no tables or lists.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        let ends = matches!(ch, '.' | '!' | '?' | '\n')
            && chars.peek().is_none_or(|(_, next)| next.is_whitespace())
            && !ends_with_abbreviation(&text[start..index]);
        if ends {
            let end = index + ch.len_utf8();
            push_trimmed(&mut sentences, &text[start..end]);
            start = end;
        }
    }
    push_trimmed(&mut sentences, &text[start..]);
    sentences
}

fn push_trimmed<'a>(sentences: &mut Vec<&'a str>, sentence: &'a str) {
    let sentence = sentence.trim();
    if sentence.chars().any(char::is_alphanumeric) {
        sentences.push(sentence);
    }
}

fn ends_with_abbreviation(text: &str) -> bool {
    let last = text.rsplit(|ch: char| ch.is_whitespace()).next().unwrap_or_default();
    ABBREVIATIONS.contains(&last.to_lowercase().as_str())
}

/// The words of `text`, each marked when it starts a sentence.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    for line in text.lines() {
        let mut sentence_start = true;
        for raw in line.split_whitespace() {
            let word = trim_punctuation(raw);
            if !word.is_empty() {
                words.push(Word { text: word, sentence_start });
                sentence_start = false;
            }
            // Sentence ends are judged on the raw token: "Lyon." ends one, "U.S" does not.
            let ending = raw.trim_end_matches(['"', '\'', ')', '”', '’']);
            if ending.ends_with(['.', '!', '?', ':', ';']) && !ends_with_abbreviation(ending.trim_end_matches('.')) {
                sentence_start = true;
            }
        }
    }
    words
}

/// Strips leading and trailing punctuation but keeps what makes a word: letters, digits and
/// the currency, percent or apostrophe signs that belong to a number or a possessive.
pub fn trim_punctuation(raw: &str) -> &str {
    raw.trim_matches(|ch: char| !(ch.is_alphanumeric() || matches!(ch, '%' | '$' | '€' | '£')))
}

/// Lowercase, without a possessive or a plural ending: "Lyon's" → "lyon",
/// "suppliers" → "supplier", "companies" → "company".
pub fn normalize(word: &str) -> String {
    let lower = word.to_lowercase().replace('’', "'");
    let stem = lower.strip_suffix("'s").or_else(|| lower.strip_suffix('\'')).unwrap_or(&lower);
    if let Some(stem) = stem.strip_suffix("ies").filter(|stem| stem.len() >= 2) {
        return format!("{stem}y");
    }
    for ending in ["ches", "shes", "sses", "xes"] {
        if stem.ends_with(ending) {
            return stem[..stem.len() - 2].to_string();
        }
    }
    match stem.strip_suffix('s') {
        Some(singular) if singular.len() >= 3 && !singular.ends_with('s') && !singular.ends_with('u') => {
            singular.to_string()
        }
        _ => stem.to_string(),
    }
}

/// Common English words that carry no topic: never names, never tags.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

// Sorted, lowercase. Function words plus the fillers of spoken English.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "actually",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "already",
    "also",
    "always",
    "am",
    "an",
    "and",
    "another",
    "any",
    "anybody",
    "anyone",
    "anything",
    "are",
    "around",
    "as",
    "ask",
    "asked",
    "at",
    "back",
    "basically",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "bit",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "done",
    "down",
    "each",
    "else",
    "even",
    "ever",
    "every",
    "everyone",
    "feel",
    "feels",
    "felt",
    "few",
    "for",
    "from",
    "get",
    "gets",
    "getting",
    "go",
    "going",
    "gonna",
    "good",
    "got",
    "guess",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hey",
    "hi",
    "him",
    "his",
    "honestly",
    "how",
    "however",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "just",
    "keep",
    "keeps",
    "kept",
    "kind",
    "know",
    "last",
    "let",
    "like",
    "lot",
    "lots",
    "made",
    "make",
    "many",
    "may",
    "maybe",
    "me",
    "mean",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "need",
    "needs",
    "never",
    "new",
    "next",
    "no",
    "nobody",
    "not",
    "now",
    "of",
    "off",
    "often",
    "oh",
    "ok",
    "okay",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "pretty",
    "put",
    "quite",
    "really",
    "right",
    "said",
    "same",
    "say",
    "says",
    "see",
    "seem",
    "seems",
    "she",
    "should",
    "since",
    "so",
    "some",
    "somebody",
    "someone",
    "something",
    "sort",
    "start",
    "started",
    "still",
    "stuff",
    "such",
    "sure",
    "take",
    "tell",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "them",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they're",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "though",
    "through",
    "to",
    "told",
    "too",
    "tried",
    "try",
    "trying",
    "um",
    "under",
    "until",
    "up",
    "us",
    "usually",
    "very",
    "want",
    "was",
    "way",
    "we",
    "we'll",
    "we're",
    "we've",
    "well",
    "were",
    "what",
    "what's",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whole",
    "why",
    "will",
    "with",
    "without",
    "won't",
    "would",
    "yeah",
    "yes",
    "yet",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn sentences_split_after_end_punctuation_but_not_inside_numbers_or_titles() {
        let text = "Mr. Dubois called. Prices rose 2.5 percent! Why? Because.";
        assert_eq!(sentences(text), ["Mr. Dubois called.", "Prices rose 2.5 percent!", "Why?", "Because."]);
    }

    #[test]
    fn words_know_which_ones_start_a_sentence() {
        let starts: Vec<(&str, bool)> =
            words("We met Anna. She said: Lyon, again").iter().map(|word| (word.text, word.sentence_start)).collect();
        assert_eq!(
            starts,
            [
                ("We", true),
                ("met", false),
                ("Anna", false),
                ("She", true),
                ("said", false),
                ("Lyon", true),
                ("again", false)
            ]
        );
    }

    #[test]
    fn normalization_drops_plurals_and_possessives() {
        assert_eq!(normalize("Lyon's"), "lyon");
        assert_eq!(normalize("Suppliers"), "supplier");
        assert_eq!(normalize("companies"), "company");
        assert_eq!(normalize("boxes"), "box");
        assert_eq!(normalize("process"), "process");
        assert_eq!(normalize("bus"), "bus");
    }
}
