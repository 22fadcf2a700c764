//! What the model is shown: a system prompt, worked examples, then the transcript, in
//! ChatML. The examples do most of the work on a 135M model: it imitates their line format
//! and their habit of reusing the speaker's own words far better than it follows rules.

/// The card's lines, in the order the model writes them. The decoder writes each label
/// itself and lets the model fill in the rest of the line, so the format cannot drift.
pub fn fields() -> Vec<Field> {
    let bias = |name: &str, default: f32| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let summary_label: &'static str = if std::env::var("EXP_PROBLEM").is_ok() { "Problem" } else { "Summary" };
    let title = Field { key: Key::Title, label: "Title", max_tokens: 24, copy_bias: bias("EXP_BIAS_TITLE", 0.5), max_items: None };
    let summary = Field { key: Key::Summary, label: summary_label, max_tokens: 96, copy_bias: bias("EXP_BIAS_SUMMARY", 2.0), max_items: None };
    let help = Field { key: Key::HelpNeeded, label: "Help needed", max_tokens: 48, copy_bias: bias("EXP_BIAS_HELP", 1.5), max_items: None };
    let tags = Field { key: Key::Tags, label: "Tags", max_tokens: 24, copy_bias: bias("EXP_BIAS_TAGS", 0.0), max_items: Some(3) };
    if std::env::var("EXP_HELP_FIRST").is_ok() {
        vec![title, help, summary, tags]
    } else {
        vec![title, summary, help, tags]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Title,
    Summary,
    HelpNeeded,
    Tags,
}

pub struct Field {
    pub key: Key,
    pub label: &'static str,
    /// A line longer than this is cut: it also bounds a model stuck repeating itself.
    pub max_tokens: usize,
    /// Added to the logit of every token of the transcript: a nudge toward the speaker's
    /// own words, away from the examples' and from invention.
    pub copy_bias: f32,
    /// A list line ends after this many comma-separated items.
    pub max_items: Option<usize>,
}

const SYSTEM: &str = "You write problem cards from a manager's spoken message. \
Fill in four lines: Title, Summary, Help needed, Tags. \
Use only facts from the message. Copy names, places and numbers exactly as they are written, \
and never add a name, place or number that is not in the message. \
The summary is one or two sentences, shorter than the message.";

/// Worked examples. Their topics stay clear of the test fixtures.
const EXAMPLES: [Example; 4] = [
    Example {
        message: "Okay so, this is Dana from the Leeds warehouse. We move to a new stock system on the \
third of March and honestly my pickers have had almost no training. Half of them still use \
paper lists. I'm worried we'll ship the wrong orders for weeks. Has anyone rolled out a new \
warehouse system with a team that isn't very technical? I need advice on how to train them fast.",
        title: "Pickers untrained before a new stock system",
        summary: "The Leeds warehouse moves to a new stock system on the third of March and the pickers have had almost no training. Half of them still use paper lists.",
        help_needed: "Advice on how to train a team that isn't very technical on a new warehouse system, fast.",
        tags: "training, warehouse, software",
    },
    Example {
        message: "Hi, it's Omar. Since we changed the billing format, my call center team in Porto gets \
about two hundred complaints a day. People are stressed and two agents have already quit. I \
don't know if I should push back on the billing change or just hire temps. I'm looking for \
someone who has dealt with a complaint spike like this.",
        title: "Complaint spike after a billing change",
        summary: "Omar's call center team in Porto gets about two hundred complaints a day since the billing format changed, and two agents have quit.",
        help_needed: "Someone who has dealt with a complaint spike: push back on the billing change or hire temps?",
        tags: "complaints, billing, staffing",
    },
    Example {
        message: "So the landlord of our office in Ghent wants twenty percent more rent when the lease \
ends in September. We are eleven people and most of us come in only twice a week. Moving means \
new contracts, movers, maybe losing a day of work. Should we negotiate or just move somewhere \
smaller? I'd like to hear from someone who renegotiated a lease recently.",
        title: "Rent up twenty percent at lease renewal",
        summary: "The landlord of the Ghent office wants twenty percent more rent when the lease ends in September. The eleven people mostly come in twice a week.",
        help_needed: "Advice from someone who renegotiated a lease recently: negotiate or move somewhere smaller?",
        tags: "office, lease, costs",
    },
    Example {
        message: "Hey, Ines here, sales in Madrid. We rolled out the new CRM six weeks ago and my reps \
still keep their deals in spreadsheets. Only about a third of the pipeline is in the system, so \
my forecasts are guesses. I've done two trainings already. How do I get experienced reps to \
actually switch?",
        title: "Sales reps not adopting the new CRM",
        summary: "Six weeks after the new CRM rollout in Madrid, the reps still keep their deals in spreadsheets and only about a third of the pipeline is in the system.",
        help_needed: "How to get experienced reps to actually switch to the CRM.",
        tags: "crm, sales, adoption",
    },
];

pub struct Example {
    message: &'static str,
    title: &'static str,
    summary: &'static str,
    help_needed: &'static str,
    tags: &'static str,
}

impl Example {
    fn value(&self, key: Key) -> &'static str {
        match key {
            Key::Title => self.title,
            Key::Summary => self.summary,
            Key::HelpNeeded => self.help_needed,
            Key::Tags => self.tags,
        }
    }

    /// The card as the model should write it, lines in `fields()` order.
    pub fn card(&self) -> String {
        fields().iter().map(|field| format!("{}: {}", field.label, self.value(field.key))).collect::<Vec<_>>().join("\n")
    }
}

fn examples() -> &'static [Example] {
    let count = std::env::var("EXP_EXAMPLES").ok().and_then(|v| v.parse().ok()).unwrap_or(2usize);
    &EXAMPLES[..count.min(EXAMPLES.len())]
}

/// The examples' cards: words the model must not borrow unless the transcript has them.
pub fn example_cards() -> Vec<String> {
    examples().iter().map(Example::card).collect()
}

/// The part of the prompt every call shares, up to the opening of the user's turn.
pub fn prefix() -> String {
    let mut prompt = format!("<|im_start|>system\n{SYSTEM}<|im_end|>\n");
    for example in examples() {
        prompt.push_str(&format!(
            "<|im_start|>user\n{}<|im_end|>\n<|im_start|>assistant\n{}<|im_end|>\n",
            example.message,
            example.card()
        ));
    }
    prompt.push_str("<|im_start|>user\n");
    prompt
}

/// The rest of the prompt: the transcript, then the assistant's turn opened on the first label.
pub fn suffix(transcript: &str) -> String {
    format!("{}<|im_end|>\n<|im_start|>assistant\n{}:", transcript.trim(), fields()[0].label)
}
