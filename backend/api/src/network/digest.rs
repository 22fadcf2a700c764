//! Condensing an ask's answers into its digest: one attributed sentence per answer, written
//! by the language model (checked for faithfulness, with an extractive fallback), stored, and
//! announced to the asker by push.

use coagent_domain::{AnswerToCondense, CardSource};
use coagent_store::{AskStatus, DigestPoint, Job, Timestamp};

use super::outbox::{self, Teaser};
use super::runner::{ask_id_of, Outcome};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn condense(state: &AppState, job: &Job, now: Timestamp) -> Result<Outcome, ApiError> {
    let ask = state.store.get_ask(ask_id_of(job)?).await?;
    let answers = state.store.answers_for(ask.id).await?;
    if answers.is_empty() {
        return Ok(Outcome::Done);
    }
    if let Some(digest) = state.store.get_digest(ask.id).await? {
        if digest.answer_count as usize >= answers.len() {
            return Ok(Outcome::Done); // a later job already covered these answers
        }
    }
    let mut inputs = Vec::with_capacity(answers.len());
    for answer in &answers {
        let author = state.store.get_member(answer.member_id).await?.name;
        inputs.push(AnswerToCondense { author, text: answer.text.clone() });
    }
    let (title, help_needed) = match &ask.card {
        Some(card) => (card.card.title.clone(), card.card.help_needed.clone()),
        None => (String::new(), String::new()),
    };
    let writer = state.engines.digest_writer.clone();
    let condensed = {
        let inputs = inputs.clone();
        state.summary_pool.run(move || writer.condense(&title, &help_needed, &inputs)).await??
    };
    let points: Vec<DigestPoint> = answers
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
        .collect();
    let digest = state.store.save_digest(ask.id, &points, now).await?;
    if ask.status == AskStatus::Routed {
        state.store.advance_ask(ask.id, AskStatus::Answered).await?;
    }
    outbox::notify(state, ask.member_id, &Teaser::digest(&ask, digest.answer_count), now).await?;
    tracing::info!(ask = %ask.id, answers = digest.answer_count, "digest written");
    Ok(Outcome::Done)
}
