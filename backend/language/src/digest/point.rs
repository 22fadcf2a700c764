//! From the model's text to a digest point: keep the model's sentence only when it passes the
//! faithfulness check against its own answer, else use the answer's own first informative
//! sentence. Either way the author is attached here, by code.

use coagent_domain::{CardSource, DigestPoint};

use super::prompt::LABEL;
use crate::extractive::extractive_point;
use crate::faithfulness::check_point;

/// The point to show for `answer` given the model's text (`Point: …`, the label optional):
/// the model's sentence when it passes [`check_point`], else the extractive point with the reason.
pub fn finalize_point(model_text: &str, author: &str, answer: &str) -> DigestPoint {
    let sentence = parse_point(model_text);
    let issues = check_point(&sentence, answer);
    if issues.is_empty() {
        return DigestPoint {
            author: author.trim().to_string(),
            sentence,
            source: CardSource::Model,
            fallback_reason: None,
        };
    }
    let issues: Vec<String> = issues.iter().map(ToString::to_string).collect();
    fallback_point(author, answer, format!("model point rejected: {}", issues.join("; ")))
}

/// The answer's own first informative sentence, with why the model's was not used.
pub fn fallback_point(author: &str, answer: &str, reason: String) -> DigestPoint {
    tracing::info!(%reason, "using the extractive point");
    DigestPoint {
        author: author.trim().to_string(),
        sentence: extractive_point(answer),
        source: CardSource::Extractive,
        fallback_reason: Some(reason),
    }
}

/// The first non-empty line without its label and decoration, ending as a sentence does.
fn parse_point(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or_default();
    let line = match line.split_once(':') {
        Some((label, rest)) if label.trim().trim_matches('*').eq_ignore_ascii_case(LABEL) => rest,
        _ => line,
    };
    let sentence = line.trim_matches(|ch: char| ch.is_whitespace() || matches!(ch, '*' | '"' | '“' | '”'));
    if sentence.is_empty() || sentence.ends_with(['.', '!', '?', '…']) {
        sentence.to_string()
    } else {
        // The model may close its turn without a full stop.
        format!("{sentence}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "Good question. Get the plant manager to write down a single owner for overtime \
        approval and publish it. Ambiguity is the real problem.";

    #[test]
    fn a_faithful_model_point_is_kept_and_attributed_by_code() {
        let point = finalize_point(
            "Point: Have the plant manager write down and publish a single owner for overtime approval",
            " Ben Ode ",
            ANSWER,
        );
        assert_eq!(point.author, "Ben Ode");
        assert_eq!(point.source, CardSource::Model);
        assert_eq!(point.fallback_reason, None);
        assert_eq!(
            point.sentence,
            "Have the plant manager write down and publish a single owner for overtime approval."
        );
    }

    #[test]
    fn an_empty_model_output_falls_back_to_the_answers_first_informative_sentence() {
        for empty in ["", "Point:", "Point:   \n"] {
            let point = finalize_point(empty, "Ben Ode", ANSWER);
            assert_eq!(point.source, CardSource::Extractive);
            assert_eq!(
                point.sentence,
                "Get the plant manager to write down a single owner for overtime approval and publish it."
            );
            assert_eq!(point.fallback_reason.as_deref(), Some("model point rejected: no point"));
        }
    }

    #[test]
    fn garbage_or_a_loop_falls_back_with_the_reason() {
        let looping = finalize_point("Point: the owner the owner the owner the owner", "Ben Ode", ANSWER);
        assert_eq!(looping.source, CardSource::Extractive);
        assert!(looping.fallback_reason.unwrap_or_default().contains("repeats itself"));

        let garbage =
            finalize_point("Point: Sure! As an AI language model I love helping with Excel", "Ben Ode", ANSWER);
        assert_eq!(garbage.source, CardSource::Extractive);
        let reason = garbage.fallback_reason.unwrap_or_default();
        assert!(
            reason.contains("\"AI\"") && reason.contains("\"Excel\"") && reason.contains("mostly not from"),
            "{reason}"
        );
    }

    #[test]
    fn an_invented_number_falls_back() {
        let point = finalize_point("Point: Publish a single owner for overtime within 2 weeks.", "Ben Ode", ANSWER);
        assert_eq!(point.source, CardSource::Extractive);
        assert!(point.fallback_reason.unwrap_or_default().contains("number not in the transcript: \"2\""));
    }

    #[test]
    fn the_label_and_quotes_are_stripped_in_any_case() {
        assert_eq!(parse_point("\n**POINT:** \"Publish the owner.\"\nmore"), "Publish the owner.");
        assert_eq!(parse_point("Publish the owner"), "Publish the owner.");
    }
}
