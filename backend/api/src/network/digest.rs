//! Condensing an ask's answers into its digest: one attributed sentence per answer, written
//! by the language model (checked for faithfulness, with an extractive fallback), stored, and
//! announced to the asker by push.
//!
//! The digest grows: only answers without a point are condensed, and their points are appended,
//! so a sentence a concierge rewrote is never overwritten and answers they left out never come
//! back. While the ask is on hold the digest is saved but the asker is not notified; resuming
//! sends it.

use coagent_domain::{AnswerToCondense, CardSource};
use coagent_store::{Answer, Ask, AskStatus, DigestPoint, Job, Timestamp};

use super::outbox;
use super::runner::{ask_id_of, Outcome};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn condense(state: &AppState, job: &Job, now: Timestamp) -> Result<Outcome, ApiError> {
    let ask = state.store.get_ask(ask_id_of(job)?).await?;
    let answers = state.store.answers_for(ask.id).await?;
    if answers.is_empty() {
        return Ok(Outcome::Done);
    }
    let stored = state.store.get_digest(ask.id).await?;
    let wanted = |answer_id| answers.iter().any(|answer| answer.id == answer_id && !answer.left_out);
    let kept: Vec<DigestPoint> = match &stored {
        Some(digest) => digest.points.iter().filter(|point| wanted(point.answer_id)).cloned().collect(),
        None => Vec::new(),
    };
    let new: Vec<&Answer> = answers
        .iter()
        .filter(|answer| !answer.left_out && !kept.iter().any(|point| point.answer_id == answer.id))
        .collect();
    let digest = match stored {
        Some(digest) if new.is_empty() && digest.points == kept => digest, // nothing new since
        None if new.is_empty() => return Ok(Outcome::Done),                // every answer left out
        _ => {
            let mut points = kept;
            points.extend(condense_answers(state, &ask, &new).await?);
            state.store.save_digest(ask.id, &points, now).await?
        }
    };
    if ask.status == AskStatus::Routed {
        state.store.advance_ask(ask.id, AskStatus::Answered).await?;
    }
    if ask.paused_at.is_some() {
        tracing::info!(ask = %ask.id, "the ask is on hold: digest saved, not sent");
    } else if digest.is_unsent() && !digest.points.is_empty() {
        // Also reached when an earlier attempt saved the digest but failed before sending it.
        let edition = u64::try_from(digest.created_at.as_millis()).unwrap_or_default();
        outbox::send_digest(state, &ask, edition, now).await?;
    }
    tracing::info!(ask = %ask.id, answers = digest.answer_count, condensed = new.len(), "digest written");
    Ok(Outcome::Done)
}

/// One point per answer, in the answers' order, from the digest writer on the summary workers.
async fn condense_answers(state: &AppState, ask: &Ask, answers: &[&Answer]) -> Result<Vec<DigestPoint>, ApiError> {
    if answers.is_empty() {
        return Ok(Vec::new());
    }
    let mut inputs = Vec::with_capacity(answers.len());
    for answer in answers {
        let author = state.store.get_member(answer.member_id).await?.name;
        inputs.push(AnswerToCondense { author, text: answer.text.clone() });
    }
    let (title, help_needed) = match &ask.card {
        Some(card) => (card.card.title.clone(), card.card.help_needed.clone()),
        None => (String::new(), String::new()),
    };
    let writer = state.engines.digest_writer.clone();
    let condensed = state.summary_pool.run(move || writer.condense(&title, &help_needed, &inputs)).await??;
    Ok(answers
        .iter()
        .zip(condensed.points)
        .map(|(answer, point)| DigestPoint {
            answer_id: answer.id,
            author: point.author,
            sentence: point.sentence,
            source: match point.source {
                CardSource::Model => "model".into(),
                CardSource::Extractive => "extractive".into(),
            },
        })
        .collect())
}
