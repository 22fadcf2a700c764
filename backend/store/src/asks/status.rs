//! The life of an ask as a small state machine, kept apart from SQL so its rules read (and
//! are tested) on their own.

use crate::labels::text_enum;

text_enum!(
    /// Where an ask is in its life.
    AskStatus {
        /// Transcribed, card proposed; only the asker sees it, nothing is routed.
        Draft = "draft",
        /// The asker checked the card and sent it.
        Confirmed = "confirmed",
        /// Peers were asked.
        Routed = "routed",
        /// At least one answer came back (a digest exists or is on its way).
        Answered = "answered",
        Closed = "closed",
    }
);

impl AskStatus {
    /// The one-way path draft → confirmed → routed → answered, with closing allowed from any
    /// open state (an asker may drop a draft, or close an ask nobody could answer).
    pub fn can_become(self, next: AskStatus) -> bool {
        use AskStatus::*;
        matches!(
            (self, next),
            (Draft, Confirmed)
                | (Confirmed, Routed)
                | (Routed, Answered)
                | (Draft | Confirmed | Routed | Answered, Closed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::AskStatus::*;

    #[test]
    fn only_a_draft_can_be_confirmed() {
        assert!(Draft.can_become(Confirmed));
        for status in [Confirmed, Routed, Answered, Closed] {
            assert!(!status.can_become(Confirmed), "{status} → confirmed");
        }
    }

    #[test]
    fn an_ask_moves_forward_one_step_at_a_time() {
        assert!(Confirmed.can_become(Routed));
        assert!(Routed.can_become(Answered));
        assert!(!Draft.can_become(Routed));
        assert!(!Confirmed.can_become(Answered));
        assert!(!Answered.can_become(Routed));
    }

    #[test]
    fn any_open_ask_can_be_closed_but_a_closed_one_stays_closed() {
        for status in [Draft, Confirmed, Routed, Answered] {
            assert!(status.can_become(Closed));
        }
        for status in [Draft, Confirmed, Routed, Answered, Closed] {
            assert!(!Closed.can_become(status));
        }
    }
}
