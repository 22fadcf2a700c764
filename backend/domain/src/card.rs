use serde::{Deserialize, Serialize};

/// What a manager's dictated problem becomes: short enough to read in a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemCard {
    pub title: String,
    pub summary: String,
    pub help_needed: String,
    pub tags: Vec<String>,
}

/// Which path produced a card (or a digest point): the language model, or the extractive
/// fallback used when the model's output was malformed or not faithful to its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardSource {
    Model,
    Extractive,
}

/// A card together with how it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub card: ProblemCard,
    pub source: CardSource,
    /// Why the model's card was rejected, when `source` is `Extractive`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
}
