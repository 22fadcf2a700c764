//! The card's lines and how the decoder steers the model through each of them.

/// Which card field a line fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Title,
    Summary,
    HelpNeeded,
    Tags,
}

/// One line the model writes: a line of the card, or a digest's point.
pub struct Field {
    pub key: Key,
    pub label: &'static str,
    /// A line longer than this is cut: it also bounds a model stuck repeating itself.
    pub max_tokens: usize,
    /// A list line ends after this many comma-separated items.
    pub max_items: Option<usize>,
    /// A line ends after this many sentences.
    pub max_sentences: Option<usize>,
    /// Added to the logit of each token of the transcript: a pull toward the speaker's own
    /// words, the surest way for a small model to stay faithful.
    pub copy_bias: f32,
    /// Added on top of `copy_bias` for the tokens of the sentence that says what is wrong.
    pub problem_bias: f32,
    /// Added on top of `copy_bias` for the tokens of the sentence that asks for help.
    pub ask_bias: f32,
    /// Taken from the logit of each token of the examples' cards that the transcript lacks:
    /// a 135M model otherwise lifts whole phrases from the examples.
    pub example_penalty: f32,
    /// Taken from the logit of each content word the line already holds: with strong copy
    /// biases the model otherwise circles through the same few words of the transcript.
    pub reuse_penalty: f32,
    /// What the line may not echo, runs of [`ECHO_NGRAM`] tokens.
    pub avoid: Avoid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Avoid {
    /// The transcript's ask sentence: the summary says what is wrong, the ask has its own line.
    AskSentence,
    /// The lines after the title written so far: no line repeats the summary.
    EarlierLines,
}

/// A line may not repeat any run of this many of its own tokens: small models loop.
pub const NO_REPEAT_NGRAM: usize = 3;
/// Length of the token runs a line may not echo from what it must avoid.
pub const ECHO_NGRAM: usize = 3;

/// The card's lines, in the order the model writes them. The decoder writes each label
/// itself and lets the model fill in the rest of the line, so the format cannot drift.
/// The biases were tuned by hand on SmolLM2-135M against tests/fixtures/problems.toml.
pub const FIELDS: [Field; 4] = [
    Field {
        key: Key::Title,
        label: "Title",
        max_tokens: 24,
        max_items: None,
        max_sentences: None,
        copy_bias: 1.0,
        problem_bias: 0.0,
        ask_bias: 0.0,
        example_penalty: 2.0,
        reuse_penalty: 0.0,
        avoid: Avoid::EarlierLines,
    },
    Field {
        key: Key::Summary,
        label: "Summary",
        max_tokens: 96,
        max_items: None,
        max_sentences: Some(2),
        copy_bias: 3.0,
        problem_bias: 3.0,
        ask_bias: 0.0,
        example_penalty: 2.0,
        reuse_penalty: 2.0,
        avoid: Avoid::AskSentence,
    },
    Field {
        key: Key::HelpNeeded,
        label: "Help needed",
        max_tokens: 48,
        max_items: None,
        max_sentences: None,
        copy_bias: 1.0,
        problem_bias: 0.0,
        ask_bias: 2.0,
        example_penalty: 2.0,
        reuse_penalty: 0.0,
        avoid: Avoid::EarlierLines,
    },
    Field {
        key: Key::Tags,
        label: "Tags",
        max_tokens: 24,
        max_items: Some(3),
        max_sentences: None,
        // Tags name the topic, which the speaker may never say ("logistics").
        copy_bias: 0.0,
        problem_bias: 0.0,
        ask_bias: 0.0,
        example_penalty: 0.0,
        reuse_penalty: 0.0,
        avoid: Avoid::EarlierLines,
    },
];
