//! The messages of `GET /api/v1/live`, exactly as DESIGN.md's v1 contract spells them, plus
//! additive fields that v1 clients can ignore (`audio_ms` on partials).

use serde::{Deserialize, Serialize};

/// What the client sends as text frames (audio comes as binary frames).
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    Start {
        purpose: String,
        #[serde(default)]
        ask_id: Option<String>,
        #[serde(default)]
        sample_rate: Option<u32>,
        #[serde(default)]
        resume: Option<String>,
    },
    Stop,
}

/// What the server sends, always as text frames.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Ready {
        recording_id: String,
        received_ms: u64,
    },
    // `audio_ms`, added to v1: how much of the recording, from its start, the pass that wrote
    // this text had heard (the text trails the speaker by the time since then).
    Partial {
        committed: String,
        tentative: String,
        audio_ms: u64,
    },
    Transcript {
        recording_id: String,
        text: String,
        duration_ms: u64,
    },
    SummaryDelta {
        text: String,
    },
    Card {
        ask_id: String,
        title: String,
        summary: String,
        help_needed: String,
        tags: Vec<String>,
    },
    /// A voice answer was stored.
    Answer {
        answer_id: String,
    },
    Done,
    Error {
        code: String,
        message: String,
    },
}

impl ServerMessage {
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        ServerMessage::Error { code: code.to_owned(), message: message.into() }
    }
}

/// Reads a text frame; the error is the `message` of an `invalid_message` reply.
pub fn parse(text: &str) -> Result<ClientMessage, String> {
    serde_json::from_str(text).map_err(|error| {
        format!("expected a JSON message with \"type\" \"start\" or \"stop\" (audio goes in binary frames): {error}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_without_a_rate_leaves_it_to_the_default() {
        let message = parse(r#"{"type":"start","purpose":"ask"}"#).unwrap();
        assert!(matches!(message, ClientMessage::Start { sample_rate: None, resume: None, .. }));
    }

    #[test]
    fn an_unknown_type_is_rejected() {
        assert!(parse(r#"{"type":"dance"}"#).is_err());
        assert!(parse("hello").is_err());
    }

    #[test]
    fn server_messages_are_tagged_with_snake_case_types() {
        let json = serde_json::to_value(ServerMessage::SummaryDelta { text: "x".into() }).unwrap();
        assert_eq!(json, serde_json::json!({"type": "summary_delta", "text": "x"}));
        assert_eq!(serde_json::to_value(ServerMessage::Done).unwrap(), serde_json::json!({"type": "done"}));
    }

    #[test]
    fn a_partial_says_how_much_audio_it_reflects() {
        let partial = ServerMessage::Partial { committed: "We".into(), tentative: "need".into(), audio_ms: 2000 };
        let json = serde_json::to_value(partial).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type": "partial", "committed": "We", "tentative": "need", "audio_ms": 2000})
        );
    }
}
