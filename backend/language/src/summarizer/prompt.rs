//! What the model is shown: a system prompt, worked examples, then the transcript, in
//! ChatML. The examples do most of the work on a 135M model: it imitates their line format
//! and their habit of reusing the speaker's own words far better than it follows rules.

use super::examples::{Example, EXAMPLES};
use super::fields::FIELDS;

const SYSTEM: &str = "You write problem cards from a manager's spoken message. \
Fill in four lines: Title, Summary, Help needed, Tags. \
Use only facts from the message. Copy names, places and numbers exactly as they are written, \
and never add a name, place or number that is not in the message. \
The summary is one or two sentences, shorter than the message.";

/// An example's card as the model should write it, one `Label: value` line per field.
pub fn card(example: &Example) -> String {
    FIELDS.iter().map(|field| format!("{}: {}", field.label, example.value(field.key))).collect::<Vec<_>>().join("\n")
}

/// The part of the prompt every call shares, up to the opening of the user's turn.
pub fn prefix() -> String {
    let mut prompt = format!("<|im_start|>system\n{SYSTEM}<|im_end|>\n");
    for example in &EXAMPLES {
        prompt.push_str(&format!(
            "<|im_start|>user\n{}<|im_end|>\n<|im_start|>assistant\n{}<|im_end|>\n",
            example.message,
            card(example)
        ));
    }
    prompt.push_str("<|im_start|>user\n");
    prompt
}

/// The rest of the prompt: the transcript, then the assistant's turn opened on the first label.
pub fn suffix(transcript: &str) -> String {
    format!("{}<|im_end|>\n<|im_start|>assistant\n{}:", transcript.trim(), FIELDS[0].label)
}

/// Every example card's text, for the example penalty.
pub fn example_cards() -> String {
    EXAMPLES.iter().map(card).collect::<Vec<_>>().join("\n")
}
