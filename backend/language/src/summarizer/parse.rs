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
    let missing: Vec<&'static str> =
        [("title", &title), ("summary", &summary), ("help needed", &help_needed), ("tags", &tags)]
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

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSCRIPT: &str = "Hi, it's Julien from the Lyon plant. Our packaging supplier says the next \
        delivery will be three weeks late. We only have ten days of boxes left. Has anyone dealt \
        with a sudden supplier delay like this?";

    fn model_text(summary: &str) -> String {
        format!(
            "Title: Packaging supplier three weeks late\nSummary: {summary}\n\
             Help needed: Someone who dealt with a sudden supplier delay.\nTags: Supplier, #packaging, delay."
        )
    }

    #[test]
    fn a_faithful_model_card_is_kept_as_written() {
        let summary = finalize(
            &model_text("Julien's supplier in Lyon is three weeks late, with ten days of boxes left."),
            TRANSCRIPT,
        );
        assert_eq!(summary.source, CardSource::Model);
        assert_eq!(summary.fallback_reason, None);
        assert_eq!(summary.card.title, "Packaging supplier three weeks late");
        assert_eq!(summary.card.tags, ["supplier", "packaging", "delay"]);
    }

    #[test]
    fn an_invented_place_and_number_send_the_card_to_the_extractive_fallback() {
        let summary = finalize(&model_text("The supplier in Marseille is 4 weeks late."), TRANSCRIPT);
        assert_eq!(summary.source, CardSource::Extractive);
        let reason = summary.fallback_reason.unwrap_or_default();
        assert!(reason.contains("\"Marseille\"") && reason.contains("\"4\""), "{reason}");
        assert_eq!(summary.card.help_needed, "Has anyone dealt with a sudden supplier delay like this?");
    }

    #[test]
    fn an_invented_name_in_a_tag_is_caught_despite_lowercasing() {
        let text = model_text("The supplier is three weeks late.").replace("#packaging", "Marseille");
        let summary = finalize(&text, TRANSCRIPT);
        assert_eq!(summary.source, CardSource::Extractive);
        assert!(summary.fallback_reason.unwrap_or_default().contains("Marseille"));
    }

    #[test]
    fn malformed_model_text_falls_back_and_names_the_missing_lines() {
        let summary = finalize("Sure! Here is a summary of your message: the supplier is late.", TRANSCRIPT);
        assert_eq!(summary.source, CardSource::Extractive);
        assert_eq!(
            summary.fallback_reason.as_deref(),
            Some("malformed card: missing title, summary, help needed, tags")
        );
    }

    #[test]
    fn the_parser_takes_labels_in_any_case_and_order_and_ignores_chatter() {
        let card = parse_card("Here you go.\nTAGS: a, b\n**Title:** T\nhelp: H\nSummary: S\nTitle: second title");
        assert_eq!(
            card,
            Ok(ProblemCard {
                title: "T".into(),
                summary: "S".into(),
                help_needed: "H".into(),
                tags: vec!["a".into(), "b".into()]
            })
        );
    }

    #[test]
    fn an_empty_line_counts_as_missing() {
        assert_eq!(
            parse_card("Title: T\nSummary:\nHelp needed: H\nTags: x"),
            Err(MalformedCard { missing: vec!["summary"] })
        );
    }
}
