//! From the model's text to a card the user may see: parse the line format, then keep the
//! card only if it is faithful to the transcript, else fall back to the extractive card.

use coagent_domain::{CardSource, ProblemCard, Summary};

use crate::extractive::extractive_card;
use crate::faithfulness::{check_card, unsupported_facts, Issue};

/// The model's text lacks fields of the line format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed card: missing {}", missing.join(", "))]
pub struct MalformedCard {
    pub missing: Vec<&'static str>,
}

/// Reads `Title: … / Summary: … / Help needed: … / Tags: a, b` lines, in any order and
/// letter case. A field may not be empty; a repeated label keeps its first line.
pub fn parse_card(text: &str) -> Result<ProblemCard, MalformedCard> {
    parse_lines(text).map(|lines| lines.card)
}

/// A parsed card and its tags as the model wrote them, capitals included.
struct CardLines {
    card: ProblemCard,
    raw_tags: String,
}

fn parse_lines(text: &str) -> Result<CardLines, MalformedCard> {
    let mut fields: [Option<String>; 4] = Default::default();
    for line in text.lines() {
        let Some((label, value)) = line.split_once(':') else { continue };
        let slot = match label.trim().trim_matches('*').to_lowercase().as_str() {
            "title" => 0,
            "summary" | "problem" => 1,
            "help needed" | "help" => 2,
            "tags" => 3,
            _ => continue,
        };
        let value = value.trim().trim_matches('*').trim();
        if fields[slot].is_none() && !value.is_empty() {
            fields[slot] = Some(value.to_string());
        }
    }
    let [title, summary, help_needed, tags] = fields;
    let missing: Vec<&'static str> = [("title", &title), ("summary", &summary), ("help needed", &help_needed), ("tags", &tags)]
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name)
        .collect();
    match (title, summary, help_needed, tags) {
        (Some(title), Some(summary), Some(help_needed), Some(tags)) => Ok(CardLines {
            card: ProblemCard {
                title: title.trim_end_matches('.').trim().to_string(),
                summary,
                help_needed,
                tags: split_tags(&tags),
            },
            raw_tags: tags,
        }),
        _ => Err(MalformedCard { missing }),
    }
}

/// "Hiring, #Budget; team morale." → ["hiring", "budget", "team morale"]. A tag's letter
/// case carries no meaning; everything else about it is left for the check to judge.
fn split_tags(tags: &str) -> Vec<String> {
    let mut split: Vec<String> = Vec::new();
    for tag in tags.split([',', ';']) {
        let tag = tag.trim().trim_start_matches('#').trim_end_matches('.').trim().to_lowercase();
        if !tag.is_empty() && !split.contains(&tag) {
            split.push(tag);
        }
    }
    split
}

/// The card to show for `transcript` given the model's text: the model's card when it parses
/// and passes the faithfulness check, else the extractive card with the reason.
pub fn finalize(model_text: &str, transcript: &str) -> Summary {
    let reason = match parse_lines(model_text) {
        Err(malformed) => malformed.to_string(),
        Ok(CardLines { card, raw_tags }) => {
            let mut issues = check_card(&card, transcript);
            // Tags are lowercased when parsed, which would hide an invented place: their
            // capitals are judged as written, every tag read as inside a sentence.
            let tag_names = unsupported_facts(&format!("tags {raw_tags}"), transcript);
            issues.extend(tag_names.into_iter().filter(|issue| matches!(issue, Issue::UnsupportedName(_))));
            if issues.is_empty() {
                return Summary { card, source: CardSource::Model, fallback_reason: None };
            }
            let issues: Vec<String> = issues.iter().map(ToString::to_string).collect();
            format!("model card rejected: {}", issues.join("; "))
        }
    };
    tracing::info!(%reason, "using the extractive card");
    Summary { card: extractive_card(transcript), source: CardSource::Extractive, fallback_reason: Some(reason) }
}
