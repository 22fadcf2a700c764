use serde::{Deserialize, Serialize};

/// One stretch of recognised speech with its position in the audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
}

/// The text of a recording, with the segments it was assembled from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub text: String,
    pub segments: Vec<Segment>,
}

impl Transcript {
    /// Builds a transcript whose text is the segments' texts joined by single spaces.
    pub fn from_segments(segments: Vec<Segment>) -> Self {
        let text = segments
            .iter()
            .map(|segment| segment.text.trim())
            .filter(|text| !text.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Self { text, segments }
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_joins_trimmed_segments_and_skips_empty_ones() {
        let segment = |text: &str| Segment { start_ms: 0, end_ms: 0, text: text.into() };
        let transcript = Transcript::from_segments(vec![segment(" Hello."), segment(" "), segment("World. ")]);
        assert_eq!(transcript.text, "Hello. World.");
    }
}
