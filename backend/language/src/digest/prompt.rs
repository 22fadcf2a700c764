//! What the model is shown for one answer: a system prompt, worked examples, then the
//! question and the answer, in ChatML. As for cards, the examples do most of the work: a 135M
//! model copies their shape (one sentence, the answer's own words) better than it follows rules.

/// One worked example: an ask, a peer's answer, and the point a digest should make of it.
struct Example {
    question: &'static str,
    answer: &'static str,
    point: &'static str,
}

/// The label of the one line the model writes.
pub const LABEL: &str = "Point";

const SYSTEM: &str = "You condense a peer's answer to a manager's question into one sentence: \
the main point of the answer, as an instruction or in the third person, at most 30 words. \
Use only what the answer says. Copy names, places and numbers exactly as they are written, \
and never add a name, place or number that is not in the answer.";

// Topics clear of the tests' answers, so the tests measure the model, not recall.
const EXAMPLES: [Example; 3] = [
    Example {
        question: "Customers complain about late deliveries from our new courier. Should we switch \
couriers or renegotiate?",
        answer: "Honestly we had the same thing in Lille last year. Before you switch, put a penalty \
clause in the contract: they pay back five percent of the fee for every late delivery. Our courier \
was on time within two months once it cost them money.",
        point: "Put a penalty clause in the courier contract, five percent of the fee back for every \
late delivery; in Lille deliveries were on time within two months.",
    },
    Example {
        question: "New hires quit within their first month. How do we keep them?",
        answer: "Good question. What worked for us was giving every new hire a buddy from another team \
for the first six weeks, someone who is not their boss. People told us in exit interviews that \
they felt alone, not overworked.",
        point: "Give every new hire a buddy from another team for the first six weeks, because people \
who quit felt alone, not overworked.",
    },
    Example {
        question: "Our quarterly planning meeting runs for two days and nothing gets decided.",
        answer: "I don't think the length is the problem. The problem is that nobody owns the decisions. \
We started naming one decider per topic before the meeting, and it went down to half a day.",
        point: "The real problem is that nobody owns the decisions: name one decider per topic before \
the meeting, which cut it to half a day.",
    },
];

/// The part of the prompt every answer shares, up to the opening of the user's turn.
pub fn prefix() -> String {
    let mut prompt = format!("<|im_start|>system\n{SYSTEM}<|im_end|>\n");
    for example in &EXAMPLES {
        prompt.push_str(&format!(
            "<|im_start|>user\n{}<|im_end|>\n<|im_start|>assistant\n{LABEL}: {}<|im_end|>\n",
            message(example.question, example.answer),
            example.point
        ));
    }
    prompt.push_str("<|im_start|>user\n");
    prompt
}

/// The rest of the prompt: the question and the answer, then the assistant's turn opened on
/// the label.
pub fn suffix(question: &str, answer: &str) -> String {
    format!("{}<|im_end|>\n<|im_start|>assistant\n{LABEL}:", message(question, answer))
}

/// The question an answer replies to, from the confirmed card: "Title. Help needed".
pub fn question(card_title: &str, help_needed: &str) -> String {
    let title = card_title.trim();
    let help = help_needed.trim();
    match (title.is_empty(), help.is_empty()) {
        (_, true) => title.to_string(),
        (true, false) => help.to_string(),
        (false, false) if title.ends_with(['.', '!', '?']) => format!("{title} {help}"),
        (false, false) => format!("{title}. {help}"),
    }
}

/// Every example point's text, for the example penalty.
pub fn example_points() -> String {
    EXAMPLES.iter().map(|example| example.point).collect::<Vec<_>>().join("\n")
}

fn message(question: &str, answer: &str) -> String {
    format!("Question: {}\nAnswer: {}", question.trim(), answer.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_joins_the_cards_title_and_ask() {
        assert_eq!(question("Night shift fights", "How to settle it?"), "Night shift fights. How to settle it?");
        assert_eq!(question("Night shift fights?", " How to settle it?"), "Night shift fights? How to settle it?");
        assert_eq!(question(" ", "How to settle it?"), "How to settle it?");
    }

    #[test]
    fn the_examples_points_pass_the_check_against_their_own_answers() {
        for example in &EXAMPLES {
            assert_eq!(crate::faithfulness::check_point(example.point, example.answer), [], "{}", example.point);
        }
    }
}
