//! The WebSocket loop: reads client frames, stores audio before using it, streams partial
//! text back as the workers produce it, and runs the stop sequence (transcript, then summary
//! deltas and the card for an ask, or the stored answer for a voice answer; then done). Bad input gets an `error` message; the connection stays usable.

use std::sync::atomic::Ordering;

use axum::extract::ws::{Message, WebSocket};
use coagent_audio::{MAX_SAMPLE_RATE, MIN_SAMPLE_RATE};
use coagent_domain::EngineError;
use coagent_store::{
    AnswerVia, AskId, AskStatus, Member, MemberId, NewAnswer, RecordingId, RecordingPurpose, Segment, StoreError,
};
use tokio::sync::mpsc;
use tracing::{instrument, Instrument as _};

use super::convert::PcmTo16k;
use super::dictation::{Dictation, Heard, Kick};
use super::messages::{parse, ClientMessage, ServerMessage};
use crate::drafting::draft_ask;
use crate::error::ApiError;
use crate::routes::requests::{record_answer, WITHDRAWN};
use crate::state::AppState;

/// Ends the connection when the client is gone or the server cannot go on.
struct Closed;

struct Live {
    state: AppState,
    member: Member,
    socket: WebSocket,
    dictation: Option<Dictation>,
}

/// Serves one connection until the client leaves. A drop mid-dictation leaves the recording
/// open, with every acknowledged byte on disk, for a later `start` with `resume`.
#[instrument(skip_all, fields(member = %member.id))]
pub async fn serve(socket: WebSocket, state: AppState, member: Member) {
    state.metrics.live_streams_open.fetch_add(1, Ordering::Relaxed);
    let metrics = state.metrics.clone();
    let mut live = Live { state, member, socket, dictation: None };
    let _ = live.run().await;
    metrics.live_streams_open.fetch_sub(1, Ordering::Relaxed);
}

impl Live {
    async fn run(&mut self) -> Result<(), Closed> {
        loop {
            let pushing = self.dictation.as_ref().is_some_and(Dictation::is_pushing);
            tokio::select! {
                message = self.socket.recv() => match message {
                    Some(Ok(Message::Text(text))) => self.on_text(text.as_str()).await?,
                    Some(Ok(Message::Binary(bytes))) => self.on_audio(&bytes).await?,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return Err(Closed),
                },
                partial = pushed(&mut self.dictation), if pushing => match partial {
                    Ok(Some(Heard { partial, audio_ms })) => {
                        let message =
                            ServerMessage::Partial { committed: partial.committed, tentative: partial.tentative, audio_ms };
                        self.send(message).await?;
                        self.kick().await?;
                    }
                    Ok(None) => self.kick().await?,
                    Err(error) => return self.fail(ApiError::from(error)).await,
                },
            }
        }
    }

    async fn on_text(&mut self, text: &str) -> Result<(), Closed> {
        match parse(text) {
            Err(why) => self.send(ServerMessage::error("invalid_message", why)).await,
            Ok(ClientMessage::Start { purpose, ask_id, sample_rate, resume }) => {
                self.start(&purpose, ask_id.as_deref(), sample_rate, resume.as_deref()).await
            }
            Ok(ClientMessage::Stop) => self.stop().await,
        }
    }

    async fn start(
        &mut self,
        purpose: &str,
        ask_id: Option<&str>,
        sample_rate: Option<u32>,
        resume: Option<&str>,
    ) -> Result<(), Closed> {
        if self.dictation.is_some() {
            return self
                .send(ServerMessage::error("already_started", "this connection is already dictating; send stop first"))
                .await;
        }
        let answering = match (purpose, resume) {
            ("ask", _) | ("answer", Some(_)) => None,
            ("answer", None) => match self.answerable(ask_id).await {
                Ok(ask_id) => Some(ask_id),
                Err((code, message)) => return self.send(ServerMessage::error(code, message)).await,
            },
            (other, _) => {
                let message = format!("unknown purpose {other:?}: expected \"ask\" or \"answer\"");
                return self.send(ServerMessage::error("invalid_message", message)).await;
            }
        };
        let rate = sample_rate.unwrap_or(16_000);
        if !(MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&rate) {
            let message = format!("sample_rate must be between {MIN_SAMPLE_RATE} and {MAX_SAMPLE_RATE} Hz, got {rate}");
            return self.send(ServerMessage::error("invalid_sample_rate", message)).await;
        }
        let opened = match resume {
            Some(id) => self.resume(id).await,
            None => self.open(rate, answering).await,
        };
        let dictation = match opened {
            Ok(dictation) => dictation,
            Err((code, message)) => return self.send(ServerMessage::error(code, message)).await,
        };
        let ready = ServerMessage::Ready {
            recording_id: dictation.recording.id.to_string(),
            received_ms: dictation.recording.received_ms(),
        };
        self.dictation = Some(dictation);
        self.send(ready).await?;
        self.kick().await
    }

    /// The ask a voice answer is for: one this member was asked to help with, still open.
    async fn answerable(&mut self, ask_id: Option<&str>) -> Result<AskId, (&'static str, String)> {
        answerable(&self.state, self.member.id, ask_id).await
    }

    async fn open(&mut self, rate: u32, answering: Option<AskId>) -> Result<Dictation, (&'static str, String)> {
        let purpose = if answering.is_some() { RecordingPurpose::Answer } else { RecordingPurpose::Ask };
        let recording =
            self.state.store.create_recording(self.member.id, purpose, answering, rate).await.map_err(internal)?;
        Ok(Dictation::new(recording, self.state.engines.streaming.start(), Vec::new()))
    }

    /// Continues a dropped dictation: the stored audio is cut back to whole milliseconds and
    /// fed to a fresh speech stream, so the transcript covers everything sent before the drop.
    async fn resume(&mut self, id: &str) -> Result<Dictation, (&'static str, String)> {
        let not_found = || ("recording_not_found", format!("there is no open recording {id:?} of yours to resume"));
        let id: RecordingId = id.parse().map_err(|_| not_found())?;
        let recording = match self.state.audio.resume(self.member.id, id).await {
            Ok(recording) => recording,
            Err(StoreError::NotFound) => return Err(not_found()),
            Err(StoreError::RecordingFinished) => {
                return Err(("recording_finished", "this recording was already stopped; start a new one".into()))
            }
            Err(other) => return Err(internal(other)),
        };
        let stored = self.state.audio.read_all(id).await.map_err(internal)?;
        let mut converter = PcmTo16k::new(recording.sample_rate);
        let mut samples = converter.push(&stored).map_err(internal)?;
        samples.extend(converter.flush().map_err(internal)?);
        Ok(Dictation::new(recording, self.state.engines.streaming.start(), samples))
    }

    async fn on_audio(&mut self, bytes: &[u8]) -> Result<(), Closed> {
        let Some(dictation) = self.dictation.as_mut() else {
            return self.send(ServerMessage::error("not_started", "send {\"type\":\"start\"} before audio")).await;
        };
        if !bytes.len().is_multiple_of(2) {
            let message = format!(
                "16-bit PCM frames have an even number of bytes, this one has {}; it was not stored",
                bytes.len()
            );
            return self.send(ServerMessage::error("odd_pcm_length", message)).await;
        }
        // Durably stored before it is used: what the server transcribes it can always replay.
        let id = dictation.recording.id;
        match self.state.audio.append(id, bytes).await {
            Ok(recording) => dictation.recording = recording,
            Err(error) => return self.fail(ApiError::from(error)).await,
        }
        match dictation.converter.push(bytes) {
            Ok(samples) => dictation.add(samples),
            Err(error) => return self.fail(ApiError::internal(error)).await,
        }
        self.kick().await
    }

    /// Hands waiting audio to the speech workers; tells the client once if they are full.
    async fn kick(&mut self) -> Result<(), Closed> {
        let Some(dictation) = self.dictation.as_mut() else { return Ok(()) };
        match dictation.kick(&self.state.speech_pool) {
            Kick::Started => dictation.busy_reported = false,
            Kick::Nothing => {}
            Kick::Busy if dictation.busy_reported => {}
            Kick::Busy => {
                dictation.busy_reported = true;
                let message = "the transcription workers are full: your audio is stored and the text will catch up";
                return self.send(ServerMessage::error("busy", message)).await;
            }
        }
        Ok(())
    }

    async fn stop(&mut self) -> Result<(), Closed> {
        let Some(dictation) = self.dictation.as_mut() else {
            return self.send(ServerMessage::error("not_started", "there is no dictation to stop")).await;
        };
        // The stream's own push may still wait in the speech queue: let it run first, so a
        // stream never holds two places and as many streams as the queue has places can stop.
        if let Err(error) = dictation.pushed().await {
            return self.fail(ApiError::from(error)).await;
        }
        // Reserved before anything is finished, so a busy server leaves the recording open
        // and the client can simply send stop again.
        let Ok(slot) = self.state.speech_pool.reserve() else {
            return self
                .send(ServerMessage::error("busy", "the transcription workers are full; send stop again shortly"))
                .await;
        };
        let id = dictation.recording.id;
        let answered_ask = match dictation.recording.purpose {
            RecordingPurpose::Answer => dictation.recording.ask_id,
            RecordingPurpose::Ask => None,
        };
        match self.state.audio.finish(id).await {
            Ok(recording) => dictation.recording = recording,
            Err(error) => return self.fail(ApiError::from(error)).await,
        }
        let transcript = dictation.finish(slot).instrument(tracing::info_span!("final_transcript")).await;
        let duration_ms = dictation.duration_ms();
        self.dictation = None;
        let transcript = match transcript {
            Ok(transcript) => transcript,
            Err(error) => return self.fail(ApiError::from(error)).await,
        };
        let text = transcript.text.trim().to_owned();
        self.send(ServerMessage::Transcript { recording_id: id.to_string(), text: text.clone(), duration_ms }).await?;
        match answered_ask {
            Some(ask_id) => self.answer(ask_id, id, text, &transcript.segments).await,
            None => self.summarize(id, text, transcript.segments).await,
        }
    }

    /// Stores a voice answer; its digest is condensed in the background.
    async fn answer(
        &mut self,
        ask_id: AskId,
        recording_id: RecordingId,
        text: String,
        segments: &[Segment],
    ) -> Result<(), Closed> {
        let answer = NewAnswer {
            ask_id,
            member_id: self.member.id,
            text: &text,
            via: AnswerVia::Voice,
            recording_id: Some(recording_id),
            segments: Some(segments),
        };
        match record_answer(&self.state, answer).await {
            Ok(answer_id) => {
                self.send(ServerMessage::Answer { answer_id }).await?;
                self.send(ServerMessage::Done).await
            }
            Err(error) => self.fail(error).await,
        }
    }

    /// Drafts the ask while forwarding the summarizer's pieces as they are generated.
    async fn summarize(
        &mut self,
        recording_id: RecordingId,
        text: String,
        segments: Vec<Segment>,
    ) -> Result<(), Closed> {
        let (deltas_tx, mut deltas) = mpsc::unbounded_channel();
        let state = self.state.clone();
        let member_id = self.member.id;
        let draft = tokio::spawn(async move {
            draft_ask(&state, member_id, text, Some(segments), Some(recording_id), Some(deltas_tx)).await
        });
        // The channel closes when the summarizer is done with it, after its last piece.
        while let Some(piece) = deltas.recv().await {
            self.send(ServerMessage::SummaryDelta { text: piece }).await?;
        }
        let ask = match draft.await {
            Ok(Ok(ask)) => ask,
            Ok(Err(error)) => return self.fail(error).await,
            Err(join) => return self.fail(ApiError::internal(join)).await,
        };
        let Some(card) = ask.card.map(|card| card.card) else {
            return self.fail(ApiError::internal(std::io::Error::other("the stored draft has no card"))).await;
        };
        let message = ServerMessage::Card {
            ask_id: ask.id.to_string(),
            title: card.title,
            summary: card.summary,
            help_needed: card.help_needed,
            tags: card.tags,
        };
        self.send(message).await?;
        self.send(ServerMessage::Done).await
    }

    /// Reports a failure as an `error` message; the connection stays open for a new start.
    async fn fail(&mut self, error: ApiError) -> Result<(), Closed> {
        error.log();
        self.send(ServerMessage::error(error.code(), error.to_string())).await
    }

    async fn send(&mut self, message: ServerMessage) -> Result<(), Closed> {
        let json = serde_json::to_string(&message).map_err(|_| Closed)?;
        self.socket.send(Message::Text(json.into())).await.map_err(|_| Closed)
    }
}

async fn pushed(dictation: &mut Option<Dictation>) -> Result<Option<Heard>, EngineError> {
    match dictation {
        Some(dictation) => dictation.pushed().await,
        None => Ok(None),
    }
}

/// The ask a voice answer is for: one this member was asked to help with, still open.
async fn answerable(
    state: &AppState,
    member_id: MemberId,
    ask_id: Option<&str>,
) -> Result<AskId, (&'static str, String)> {
    let not_found = || ("ask_not_found", "there is no request for you to answer with that ask_id".to_owned());
    let ask_id: AskId = ask_id.and_then(|id| id.parse().ok()).ok_or_else(not_found)?;
    match state.store.get_request(ask_id, member_id).await {
        Ok(request) if request.withdrawn_at.is_some() => return Err(("request_withdrawn", WITHDRAWN.into())),
        Ok(_) => {}
        Err(StoreError::NotFound) => return Err(not_found()),
        Err(other) => return Err(internal(other)),
    }
    match state.store.get_ask(ask_id).await {
        Ok(ask) if ask.status == AskStatus::Closed => {
            Err(("ask_closed", "the asker has closed this ask; it takes no more answers".into()))
        }
        Ok(_) => Ok(ask_id),
        Err(other) => Err(internal(other)),
    }
}

fn internal(error: impl std::error::Error + Send + Sync + 'static) -> (&'static str, String) {
    ApiError::internal(error).log();
    ("internal", "something went wrong on the server".into())
}
