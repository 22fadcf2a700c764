//! The card of last resort, made only of the transcript's own sentences: it can be dull,
//! but it cannot invent anything. Used whenever the model's card fails the faithfulness check,
//! and likewise for a digest's point, made of the answer's own first informative sentence.

use coagent_domain::ProblemCard;

use crate::faithfulness::{MAX_POINT_WORDS, MAX_TITLE_WORDS};
use crate::numbers;
use crate::text::{is_stopword, normalize, sentences, trim_punctuation, words};

/// Words that mark the sentence asking for help.
const ASK_CUES: [&str; 16] = [
    "need",
    "help",
    "advice",
    "looking for",
    "how do",
    "how can",
    "how should",
    "anyone",
    "ideas",
    "suggestion",
    "recommend",
    "tips",
    "should i",
    "should we",
    "what would",
    "would love",
];
/// Words that mark the sentence stating the problem.
const PROBLEM_CUES: [&str; 26] = [
    "problem",
    "issue",
    "struggl",
    "late",
    "delay",
    "lost",
    "losing",
    "cut",
    "can't",
    "cannot",
    "don't know",
    "worried",
    "conflict",
    "complain",
    "behind",
    "short",
    "quit",
    "left",
    "dropped",
    "fail",
    "incident",
    "risk",
    "pressure",
    "stuck",
    "hard",
    "churn",
];
/// Openings of a sentence that only introduces the speaker.
const GREETINGS: [&str; 7] = ["hi", "hello", "hey", "good morning", "this is", "my name", "it's"];
/// Spoken fillers dropped from the start of a title or an ask.
const FILLERS: [&str; 10] = ["so", "okay", "ok", "well", "um", "uh", "basically", "honestly", "and", "but"];
/// Most tags an extractive card gets.
const TAGS: usize = 3;
/// Share of the transcript the summary may take, in characters.
const SUMMARY_SHARE: f64 = 0.6;

/// The two sentences a card is built around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySentences<'a> {
    /// The sentence that asks for help: a question, or "need", "advice", "looking for"...
    pub ask: &'a str,
    /// The sentence that says what is wrong ("late", "lost", "can't"...), the greeting and
    /// the ask aside.
    pub problem: &'a str,
}

/// Finds the ask and the problem among `transcript`'s sentences.
pub fn key_sentences(transcript: &str) -> KeySentences<'_> {
    let transcript = transcript.trim();
    let mut all = sentences(transcript);
    if all.is_empty() {
        all.push(transcript);
    }
    let ask =
        best(&all, |sentence| cue_score(sentence, &ASK_CUES) + 3 * usize::from(sentence.ends_with('?')), Tie::Last);
    let candidates: Vec<&str> = all.iter().copied().filter(|sentence| *sentence != ask || all.len() == 1).collect();
    let problem = best(
        &candidates,
        |sentence| cue_score(sentence, &PROBLEM_CUES) * 2 + usize::from(!is_greeting(sentence)),
        Tie::First,
    );
    KeySentences { ask, problem }
}

/// A card made of the transcript's own words.
pub fn extractive_card(transcript: &str) -> ProblemCard {
    let transcript = transcript.trim();
    let mut all = sentences(transcript);
    if all.is_empty() {
        all.push(transcript);
    }
    let KeySentences { ask, problem } = key_sentences(transcript);
    ProblemCard {
        title: title(problem),
        summary: summary(transcript, &all, ask),
        help_needed: capitalize(strip_fillers(ask)),
        tags: tags(transcript, problem, ask),
    }
}

/// Content words a sentence needs to count as saying something ("Good question." does not).
const INFORMATIVE_WORDS: usize = 3;

/// The sentence an answer's point is made from: its first that says something (not a
/// greeting, not a courtesy like "Good question."), else its richest.
pub fn point_sentence(answer: &str) -> &str {
    let answer = answer.trim();
    let mut all = sentences(answer);
    if all.is_empty() {
        all.push(answer);
    }
    all.iter()
        .copied()
        .find(|sentence| !is_greeting(sentence) && informative_words(sentence) >= INFORMATIVE_WORDS)
        .unwrap_or_else(|| best(&all, informative_words, Tie::First))
}

/// An answer's point in its own words: [`point_sentence`], cut to [`MAX_POINT_WORDS`].
pub fn extractive_point(answer: &str) -> String {
    let sentence = strip_fillers(point_sentence(answer));
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= MAX_POINT_WORDS {
        return capitalize(sentence);
    }
    let cut = words[..MAX_POINT_WORDS].join(" ");
    capitalize(&format!("{}…", cut.trim_end_matches(|ch: char| !ch.is_alphanumeric())))
}

/// Words of three letters or more that are neither function words nor negated auxiliaries.
fn informative_words(sentence: &str) -> usize {
    sentence
        .split_whitespace()
        .map(|raw| trim_punctuation(raw).to_lowercase().replace('’', "'"))
        .filter(|word| word.chars().count() >= 3 && !is_stopword(word) && !word.ends_with("n't"))
        .count()
}

#[derive(Clone, Copy, PartialEq)]
enum Tie {
    First,
    Last,
}

fn best<'a>(sentences: &[&'a str], score: impl Fn(&str) -> usize, tie: Tie) -> &'a str {
    let mut best: Option<(&str, usize)> = None;
    for sentence in sentences {
        let value = score(sentence);
        let better = match best {
            None => true,
            Some((_, top)) => value > top || (value == top && tie == Tie::Last),
        };
        if better {
            best = Some((sentence, value));
        }
    }
    best.map(|(sentence, _)| sentence).unwrap_or_default()
}

fn cue_score(sentence: &str, cues: &[&str]) -> usize {
    let lower = format!(" {} ", sentence.to_lowercase());
    cues.iter().filter(|cue| lower.contains(&format!(" {cue}"))).count()
}

fn is_greeting(clause: &str) -> bool {
    let lower = strip_fillers(clause).to_lowercase();
    GREETINGS.iter().any(|greeting| lower.starts_with(greeting)) && cue_score(clause, &PROBLEM_CUES) == 0
}

/// The problem sentence's main clause, at most [`MAX_TITLE_WORDS`] words, without a
/// dangling "the" or "and" at the end.
fn title(problem: &str) -> String {
    let clauses: Vec<&str> =
        problem.split([',', ';', ':']).map(str::trim).filter(|clause| !clause.is_empty()).collect();
    let clause = clauses
        .iter()
        .copied()
        .filter(|clause| !is_greeting(clause) && clause.split_whitespace().count() >= 3)
        .max_by_key(|clause| cue_score(clause, &PROBLEM_CUES))
        .unwrap_or(problem);
    let mut kept: Vec<&str> = strip_fillers(clause).split_whitespace().take(MAX_TITLE_WORDS).collect();
    while kept.len() > 1 && kept.last().is_some_and(|word| is_stopword(&trim_punctuation(word).to_lowercase())) {
        kept.pop();
    }
    let title = kept.join(" ");
    capitalize(title.trim_end_matches(|ch: char| !ch.is_alphanumeric() && ch != '%'))
}

/// The first sentences, the greeting and the ask left out, cut to stay well shorter than
/// the transcript.
fn summary(transcript: &str, all: &[&str], ask: &str) -> String {
    let budget = (transcript.chars().count() as f64 * SUMMARY_SHARE) as usize;
    let body: Vec<&str> = all.iter().copied().filter(|sentence| *sentence != ask && !is_greeting(sentence)).collect();
    let body = if body.is_empty() { all.to_vec() } else { body };
    let mut summary = String::new();
    for sentence in body {
        let candidate = if summary.is_empty() { sentence.to_string() } else { format!("{summary} {sentence}") };
        if candidate.chars().count() > budget {
            if summary.is_empty() {
                summary = cut_words(sentence, budget);
            }
            break;
        }
        summary = candidate;
    }
    let summary = capitalize(strip_fillers(&summary));
    // Only a one-word transcript gets here; the check wants a summary shorter than it.
    if summary.chars().count() >= transcript.chars().count() {
        return "…".into();
    }
    summary
}

/// The longest run of whole words within `budget` characters, marked as cut; at least
/// the first word, so that even a two-word transcript gets a summary that says something.
fn cut_words(text: &str, budget: usize) -> String {
    let mut cut = String::new();
    for word in text.split_whitespace() {
        if !cut.is_empty() && cut.chars().count() + word.chars().count() + 2 > budget {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    format!("{}…", cut.trim_end_matches(|ch: char| !ch.is_alphanumeric()))
}

/// The most frequent content words, counting those in the problem and the ask twice.
/// Words the transcript capitalises mid-sentence are names, not topics. Plurals count
/// with their singular; a tag is shown in the shortest form the speaker used.
fn tags(transcript: &str, problem: &str, ask: &str) -> Vec<String> {
    let names: Vec<String> = words(transcript)
        .iter()
        .filter(|word| !word.sentence_start && word.text.chars().next().is_some_and(char::is_uppercase))
        .map(|word| normalize(word.text))
        .collect();
    // (normalized key, shortest surface form, count), in order of first appearance.
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for text in [transcript, problem, ask] {
        for word in text.split_whitespace().map(trim_punctuation) {
            let surface = word.to_lowercase().replace('’', "'");
            let surface = surface.strip_suffix("'s").unwrap_or(&surface).to_string();
            let key = normalize(word);
            let topical = key.chars().count() >= 4
                && surface.chars().all(char::is_alphabetic)
                && !is_stopword(&key)
                && !is_stopword(&surface)
                && !GENERIC.contains(&key.as_str())
                && !names.contains(&key)
                && numbers::mentions(&surface, false).is_empty();
            if !topical {
                continue;
            }
            match counts.iter_mut().find(|(known, _, _)| *known == key) {
                Some((_, shown, count)) => {
                    *count += 1;
                    if surface.len() < shown.len() {
                        *shown = surface;
                    }
                }
                None => counts.push((key, surface, 1)),
            }
        }
    }
    // A stable sort keeps first appearance as the tie-break.
    counts.sort_by_key(|(_, _, count)| std::cmp::Reverse(*count));
    let mut tags: Vec<String> = counts.into_iter().take(TAGS).map(|(_, shown, _)| shown).collect();
    if tags.is_empty() {
        tags.push("general".into());
    }
    tags
}

/// Content words too common in asks to say what one is about.
const GENERIC: [&str; 16] = [
    "advice",
    "help",
    "looking",
    "anyone",
    "people",
    "time",
    "week",
    "month",
    "year",
    "today",
    "thank",
    "thanks",
    "idea",
    "wondering",
    "guy",
    "everyone",
];

fn strip_fillers(text: &str) -> &str {
    let mut text = text.trim();
    loop {
        let first = text.split_whitespace().next().unwrap_or_default();
        let bare = trim_punctuation(first).to_lowercase();
        if first.is_empty() || !FILLERS.contains(&bare.as_str()) || text.split_whitespace().count() <= 1 {
            return text;
        }
        text = text[first.len()..].trim_start();
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faithfulness::check_card;

    const TRANSCRIPT: &str = "Hi, this is Claire from the Lyon plant. So our main supplier Moreau is three \
        weeks late on the steel parts, and the line stops on Friday if nothing arrives. We have \
        tried calling every day. Does anyone know how to find a backup supplier fast?";

    #[test]
    fn the_card_is_built_from_the_transcripts_sentences() {
        let card = extractive_card(TRANSCRIPT);
        assert_eq!(card.help_needed, "Does anyone know how to find a backup supplier fast?");
        assert_eq!(card.title, "Our main supplier Moreau is three weeks late");
        assert!(card.summary.starts_with("Our main supplier Moreau is three weeks late"), "{}", card.summary);
        assert!(card.tags.contains(&"supplier".to_string()), "{:?}", card.tags);
        assert!(!card.tags.contains(&"moreau".to_string()), "names are not topics: {:?}", card.tags);
    }

    #[test]
    fn the_extractive_card_passes_the_faithfulness_check() {
        for transcript in [TRANSCRIPT, "Our budget was cut by fifteen percent and I need help.", "Hiring help?", "Help"]
        {
            let card = extractive_card(transcript);
            assert_eq!(check_card(&card, transcript), [], "{card:?}");
        }
    }

    #[test]
    fn a_point_skips_greetings_and_courtesies_for_the_first_sentence_with_content() {
        let answer = "Hi Claire, Ben here from Lyon. Good question! So get the plant manager to write down a \
            single owner for overtime approval. Ambiguity is the real problem.";
        let point = extractive_point(answer);
        assert_eq!(point, "Get the plant manager to write down a single owner for overtime approval.");
        assert_eq!(crate::faithfulness::check_point(&point, answer), []);
    }

    #[test]
    fn a_long_point_is_cut_to_the_word_limit() {
        let answer = "We tried rotating the schedule every week between the two leads and also asked HR to \
            publish who approves overtime for each shift and that settled most arguments quickly although \
            it took some time for everyone to trust it.";
        let point = extractive_point(answer);
        assert_eq!(point.split_whitespace().count(), MAX_POINT_WORDS);
        assert!(point.ends_with("…"), "{point}");
        assert_eq!(crate::faithfulness::check_point(&point, answer), []);
    }

    #[test]
    fn an_answer_without_an_informative_sentence_gives_its_richest_one() {
        assert_eq!(extractive_point("Sure. Call Marta."), "Call Marta.");
    }

    #[test]
    fn a_single_sentence_is_cut_to_stay_shorter_than_the_transcript() {
        let transcript = "We need advice on how to keep our two best engineers after the reorganisation.";
        let card = extractive_card(transcript);
        assert!(card.summary.chars().count() < transcript.chars().count());
        assert!(card.summary.ends_with('…'));
    }
}
