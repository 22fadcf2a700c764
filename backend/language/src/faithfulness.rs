//! Is a generated text faithful to its source? A small model's favourite mistakes are
//! invented names, places and numbers, so those are what this looks for: every capitalised
//! word (past a sentence's first) and every number in the output must also be in the source.
//! Used on problem cards here, and meant for answer digests as well.

use std::fmt;

use coagent_domain::ProblemCard;

use crate::numbers;
use crate::text::{is_stopword, normalize, words};

/// Longest acceptable card title, in words.
pub const MAX_TITLE_WORDS: usize = 10;
/// Least share of a line's content words that must come from the transcript. Names and
/// numbers are checked one by one; this catches the rest of what a small model makes up
/// ("a two-way street", "for a few years") while leaving room for rewording.
pub const MIN_GROUNDING: f64 = 0.5;
/// Most tags a card may carry.
pub const MAX_TAGS: usize = 5;
/// Longest acceptable tag, in characters.
pub const MAX_TAG_CHARS: usize = 24;

/// One reason a generated text cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    MissingField(&'static str),
    /// A capitalised word (a name, a place, an organisation) the source never mentions.
    UnsupportedName(String),
    /// A number the source never states, in digits or in words.
    UnsupportedNumber(String),
    SummaryNotShorter,
    TitleTooLong(usize),
    BadTag(String),
    TagCount(usize),
    /// Too few of a line's content words come from the transcript.
    Ungrounded {
        field: &'static str,
        share: u8,
    },
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingField(field) => write!(f, "no {field}"),
            Self::UnsupportedName(name) => write!(f, "name not in the transcript: {name:?}"),
            Self::UnsupportedNumber(number) => write!(f, "number not in the transcript: {number:?}"),
            Self::SummaryNotShorter => write!(f, "summary not shorter than the transcript"),
            Self::TitleTooLong(words) => write!(f, "title of {words} words (at most {MAX_TITLE_WORDS})"),
            Self::BadTag(tag) => write!(f, "tag {tag:?} is not a short lowercase word"),
            Self::TagCount(count) => write!(f, "{count} tags (1 to {MAX_TAGS} expected)"),
            Self::Ungrounded { field, share } => {
                write!(f, "{field} mostly not from the transcript ({share}% of its words)")
            }
        }
    }
}

/// Every problem with `card` as a summary of `transcript`; empty when it may be shown.
pub fn check_card(card: &ProblemCard, transcript: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (name, value) in [("title", &card.title), ("summary", &card.summary), ("help needed", &card.help_needed)] {
        if value.trim().is_empty() {
            issues.push(Issue::MissingField(name));
        }
    }
    let title_words = card.title.split_whitespace().count();
    if title_words > MAX_TITLE_WORDS {
        issues.push(Issue::TitleTooLong(title_words));
    }
    if card.summary.trim().chars().count() >= transcript.trim().chars().count() {
        issues.push(Issue::SummaryNotShorter);
    }
    if card.tags.is_empty() || card.tags.len() > MAX_TAGS {
        issues.push(Issue::TagCount(card.tags.len()));
    }
    for tag in &card.tags {
        if !is_short_lowercase_tag(tag) {
            issues.push(Issue::BadTag(tag.clone()));
        }
    }
    for (field, value) in [("title", &card.title), ("summary", &card.summary), ("help needed", &card.help_needed)] {
        if let Some(share) = grounding(value, transcript).filter(|share| *share < MIN_GROUNDING) {
            issues.push(Issue::Ungrounded { field, share: (share * 100.0).round() as u8 });
        }
    }
    // Each field on its own line, so that each starts a sentence.
    let text = [card.title.as_str(), &card.summary, &card.help_needed, &card.tags.join(", ")].join("\n");
    issues.extend(unsupported_facts(&text, transcript));
    issues
}

/// Names and numbers in `generated` that `source` does not contain, each reported once.
pub fn unsupported_facts(generated: &str, source: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    let source_words: Vec<String> = words(source).iter().map(|word| normalize(word.text)).collect();
    for word in words(generated) {
        if word.sentence_start || !looks_like_a_name(word.text) {
            continue;
        }
        let normalized = normalize(word.text);
        if !source_words.iter().any(|known| same_word(known, &normalized)) {
            push_once(&mut issues, Issue::UnsupportedName(word.text.to_string()));
        }
    }
    let source_numbers = numbers::mentions(source, true);
    for mention in numbers::mentions(generated, false) {
        let known = source_numbers.iter().any(|known| (known.value - mention.value).abs() < 1e-9);
        if !known {
            push_once(&mut issues, Issue::UnsupportedNumber(mention.written));
        }
    }
    issues
}

/// The share of `generated`'s content words (not function words, three letters or more)
/// that `source` also uses; `None` when it has no content word.
pub fn grounding(generated: &str, source: &str) -> Option<f64> {
    let source_words: Vec<String> = content_words(source).collect();
    let generated: Vec<String> = content_words(generated).collect();
    if generated.is_empty() {
        return None;
    }
    let grounded = generated.iter().filter(|word| source_words.iter().any(|known| same_word(known, word))).count();
    Some(grounded as f64 / generated.len() as f64)
}

fn content_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|ch: char| ch.is_whitespace() || ch == '-' || ch == '/')
        .map(|raw| normalize(crate::text::trim_punctuation(raw)))
        .filter(|word| word.chars().count() >= 3 && !is_stopword(word))
}

fn push_once(issues: &mut Vec<Issue>, issue: Issue) {
    if !issues.contains(&issue) {
        issues.push(issue);
    }
}

/// Capitalised and not a function word ("In", "The" in a title) nor the pronoun "I".
fn looks_like_a_name(word: &str) -> bool {
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    let lower = word.to_lowercase().replace('’', "'");
    capitalised && !lower.starts_with("i'") && lower != "i" && !is_stopword(&lower)
}

/// Equal once normalised, or one a short extension of the other ("Delay" / "delayed",
/// "Hiring" / "hiring's"), so that a title-cased common word is not taken for a name.
fn same_word(known: &str, word: &str) -> bool {
    if known == word {
        return true;
    }
    let (short, long) = if known.len() < word.len() { (known, word) } else { (word, known) };
    short.chars().count() >= 4 && long.starts_with(short) && long.len() - short.len() <= 3
}

/// A tag is one or two lowercase words: "hiring", "supply-chain", "cash flow".
fn is_short_lowercase_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.chars().count() <= MAX_TAG_CHARS
        && tag.split_whitespace().count() <= 2
        && tag.chars().all(|ch| ch.is_lowercase() || ch.is_ascii_digit() || matches!(ch, '-' | ' ' | '&'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "Hi, this is Claire from the Lyon plant. Our supplier Moreau is three weeks late \
        and we have 40 thousand euros of orders waiting. I need advice on backup suppliers.";

    fn card(title: &str, summary: &str, help: &str, tags: &[&str]) -> ProblemCard {
        ProblemCard {
            title: title.into(),
            summary: summary.into(),
            help_needed: help.into(),
            tags: tags.iter().map(|tag| tag.to_string()).collect(),
        }
    }

    #[test]
    fn a_card_that_reuses_the_transcripts_facts_passes() {
        let card = card(
            "Supplier three weeks late at the Lyon plant",
            "Claire's supplier Moreau is 3 weeks late; 40k euros of orders wait at Lyon's plant.",
            "Advice on backup suppliers.",
            &["suppliers", "supply-chain"],
        );
        assert_eq!(check_card(&card, SOURCE), []);
    }

    #[test]
    fn an_invented_place_is_reported() {
        let generated = "The supplier in Paris is late.";
        assert_eq!(unsupported_facts(generated, SOURCE), [Issue::UnsupportedName("Paris".into())]);
    }

    #[test]
    fn an_invented_number_is_reported_in_digits_or_words() {
        assert_eq!(unsupported_facts("It is five weeks late.", SOURCE), [Issue::UnsupportedNumber("five".into())]);
        assert_eq!(
            unsupported_facts("Orders worth 45,000 euros.", SOURCE),
            [Issue::UnsupportedNumber("45,000".into())]
        );
    }

    #[test]
    fn names_are_compared_without_case_plural_or_possessive() {
        assert_eq!(unsupported_facts("We called Moreau's office about the Suppliers.", SOURCE), []);
    }

    #[test]
    fn a_capital_at_the_start_of_a_sentence_is_not_a_name() {
        assert_eq!(unsupported_facts("Backup plans. Orders wait.", SOURCE), []);
    }

    #[test]
    fn a_line_mostly_made_of_words_the_speaker_never_used_is_ungrounded() {
        let card = card("Teamwork is a winding road", "Moreau is late.", "Advice on backup suppliers.", &["suppliers"]);
        assert_eq!(check_card(&card, SOURCE), [Issue::Ungrounded { field: "title", share: 0 }]);
    }

    #[test]
    fn rewording_keeps_a_line_grounded() {
        // "fast" is the only word Claire did not say.
        assert_eq!(grounding("Backup suppliers for the Lyon plant, fast", SOURCE), Some(0.8));
    }

    #[test]
    fn a_summary_as_long_as_the_transcript_fails() {
        let card = card("Late supplier", SOURCE, "Advice", &["suppliers"]);
        assert_eq!(check_card(&card, SOURCE), [Issue::SummaryNotShorter]);
    }

    #[test]
    fn shape_rules_cover_title_length_help_and_tags() {
        let card = card(
            "One two three four five six seven eight nine ten eleven",
            "Late supplier.",
            " ",
            &["Supply Chain", "a", "b", "c", "d", "e"],
        );
        let issues = check_card(&card, SOURCE);
        assert!(issues.contains(&Issue::TitleTooLong(11)));
        assert!(issues.contains(&Issue::MissingField("help needed")));
        assert!(issues.contains(&Issue::TagCount(6)));
        assert!(issues.contains(&Issue::BadTag("Supply Chain".into())));
    }
}
