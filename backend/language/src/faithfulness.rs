//! Is a generated text faithful to its source? A small model's favourite mistakes are
//! invented names, places and numbers, so those are what this looks for: every capitalised
//! word (past a sentence's first) and every number in the output must also be in the source.
//! Used on problem cards and on the points of answer digests.

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
/// Longest acceptable digest point, in words: one sentence a manager reads at a glance.
pub const MAX_POINT_WORDS: usize = 30;
/// Runs of words that mark a model going in circles: (run length, times said) in one point.
const LOOPS: [(usize, usize); 2] = [(3, 2), (2, 3)];
/// How far a negation reaches, in words, within its clause: "wouldn't publish a single owner".
const NEGATION_REACH: usize = 4;

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
    PointTooLong(usize),
    /// The same run of words twice: the model looped instead of saying something.
    Repetitive(String),
    /// The generated text negates a word the source affirms, or affirms one it only negates:
    /// the names and words all check out, yet it says the opposite.
    FlippedNegation(String),
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
            Self::PointTooLong(words) => write!(f, "point of {words} words (at most {MAX_POINT_WORDS})"),
            Self::Repetitive(run) => write!(f, "repeats itself: {run:?}"),
            Self::FlippedNegation(word) => write!(f, "says the opposite of the transcript about {word:?}"),
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

/// Every problem with `point` as one answer's point in a digest; empty when it may be shown.
/// Judged against that answer alone: a point may not borrow from the question or from
/// another answer.
pub fn check_point(point: &str, answer: &str) -> Vec<Issue> {
    if point.trim().is_empty() {
        return vec![Issue::MissingField("point")];
    }
    let mut issues = Vec::new();
    let words = point.split_whitespace().count();
    if words > MAX_POINT_WORDS {
        issues.push(Issue::PointTooLong(words));
    }
    if let Some(share) = grounding(point, answer).filter(|share| *share < MIN_GROUNDING) {
        issues.push(Issue::Ungrounded { field: "point", share: (share * 100.0).round() as u8 });
    }
    if let Some(run) = repeated_run(point) {
        issues.push(Issue::Repetitive(run));
    }
    issues.extend(flipped_negations(point, answer));
    issues.extend(unsupported_facts(point, answer));
    issues
}

/// Words whose negation `generated` turns around: a small model readily writes "I wouldn't
/// publish an owner" of an answer that says "I wouldn't split anything. Publish an owner".
/// A word counts as negated when it is the first content word after "not", "never", "no",
/// "…n't"... within [`NEGATION_REACH`] words of the same clause.
pub fn flipped_negations(generated: &str, source: &str) -> Vec<Issue> {
    let source = negation_marks(source);
    let mut issues = Vec::new();
    for (word, negated) in negation_marks(generated) {
        let mut uses = source.iter().filter(|(known, _)| same_word(known, &word)).map(|(_, negated)| *negated);
        let flipped = if negated {
            !uses.any(|negated| negated)
        } else {
            let uses: Vec<bool> = uses.collect();
            !uses.is_empty() && uses.iter().all(|negated| *negated)
        };
        if flipped {
            push_once(&mut issues, Issue::FlippedNegation(word));
        }
    }
    issues
}

/// Each content word of `text`, normalised, with whether a negation governs it.
fn negation_marks(text: &str) -> Vec<(String, bool)> {
    let mut marks = Vec::new();
    // Words left in the reach of the last negation, which governs the next content word.
    let mut reach = 0;
    for raw in text.split_whitespace() {
        let word = crate::text::trim_punctuation(raw).to_lowercase().replace('’', "'");
        if is_negation(&word) {
            reach = NEGATION_REACH;
        } else if word.chars().count() >= 3 && !is_stopword(&word) {
            marks.push((normalize(&word), reach > 0));
            reach = 0;
        } else {
            reach = reach.saturating_sub(1);
        }
        if raw.ends_with([',', ';', ':', '.', '!', '?']) {
            reach = 0;
        }
    }
    marks
}

fn is_negation(word: &str) -> bool {
    matches!(word, "not" | "no" | "never" | "nobody" | "nothing" | "none" | "nor" | "cannot" | "without")
        || word.ends_with("n't")
}

/// The first run of words that `text` says as often as one of [`LOOPS`], compared without case.
fn repeated_run(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|raw| normalize(crate::text::trim_punctuation(raw)))
        .filter(|word| !word.is_empty())
        .collect();
    LOOPS.iter().find_map(|&(length, times)| {
        let runs: Vec<&[String]> = words.windows(length).collect();
        runs.iter().find(|run| runs.iter().filter(|other| other == run).count() >= times).map(|run| run.join(" "))
    })
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

    const ANSWER: &str = "We had the same fight in Porto. Split the schedule: each lead owns alternate weeks \
        and approves their own overtime. The fights stopped within a month.";

    #[test]
    fn a_point_in_the_answers_words_passes() {
        let point =
            "Split the schedule so each lead owns alternate weeks and approves their own overtime, as in Porto.";
        assert_eq!(check_point(point, ANSWER), []);
    }

    #[test]
    fn a_point_is_judged_on_its_own_answer_only() {
        let point = "Ask the plant manager in Lyon to name one owner within 2 weeks.";
        let issues = check_point(point, ANSWER);
        assert!(issues.contains(&Issue::UnsupportedName("Lyon".into())), "{issues:?}");
        assert!(issues.contains(&Issue::UnsupportedNumber("2".into())), "{issues:?}");
        assert!(issues.iter().any(|issue| matches!(issue, Issue::Ungrounded { field: "point", .. })), "{issues:?}");
    }

    #[test]
    fn an_empty_long_or_looping_point_fails() {
        assert_eq!(check_point("  ", ANSWER), [Issue::MissingField("point")]);
        let long = "each lead owns alternate weeks ".repeat(7);
        assert!(check_point(&long, ANSWER).contains(&Issue::PointTooLong(35)));
        assert_eq!(
            check_point("Split the schedule, split the schedule, split the schedule.", ANSWER),
            [Issue::Repetitive("split the schedule".into())]
        );
        let stutter = "Each lead owns the weeks, to the one of the one on the one.";
        assert!(check_point(stutter, ANSWER).contains(&Issue::Repetitive("the one".into())));
    }

    #[test]
    fn a_point_that_negates_what_the_answer_affirms_or_the_reverse_fails() {
        let answer = "Honestly, I wouldn't split anything. Get the plant manager to publish a single owner \
            for overtime approval. Ambiguity is the real problem, not the leads.";
        assert_eq!(
            flipped_negations("I wouldn’t publish a single owner for overtime approval.", answer),
            [Issue::FlippedNegation("publish".into())]
        );
        assert_eq!(flipped_negations("Split the overtime approval.", answer), [Issue::FlippedNegation("split".into())]);
        let faithful = "Don't split anything: publish a single owner, since ambiguity is the problem, not the leads.";
        assert_eq!(flipped_negations(faithful, answer), []);
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
