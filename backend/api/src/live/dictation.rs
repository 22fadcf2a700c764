//! One dictation's state: its recording, the audio waiting to be transcribed and the speech
//! stream, which travels to a worker thread for each push and comes back with the result.

use coagent_domain::{EngineError, PartialTranscript, SpeechStream, Transcript};
use coagent_store::Recording;
use tokio::task::JoinHandle;

use super::convert::PcmTo16k;
use crate::pool::InferencePool;

type Pushed = Result<(Box<dyn SpeechStream>, Result<Option<PartialTranscript>, EngineError>), EngineError>;

/// A pass's partial text and how much of the recording it had heard: milliseconds from the
/// recording's start, so a client can tell how far the text trails the speaker.
pub struct Heard {
    pub partial: PartialTranscript,
    pub audio_ms: u64,
}

pub struct Dictation {
    pub recording: Recording,
    pub converter: PcmTo16k,
    /// `None` while a push runs on a worker.
    stream: Option<Box<dyn SpeechStream>>,
    /// 16 kHz samples stored but not yet given to the stream.
    pending: Vec<f32>,
    inflight: Option<JoinHandle<Pushed>>,
    /// 16 kHz samples handed to the stream so far, the running push's included.
    fed: u64,
    /// Whether the client was already told the speech queue is full (told once per episode).
    pub busy_reported: bool,
}

/// What happened when trying to hand waiting audio to the speech workers.
pub enum Kick {
    Started,
    Nothing,
    Busy,
}

impl Dictation {
    pub fn new(recording: Recording, stream: Box<dyn SpeechStream>, pending: Vec<f32>) -> Self {
        let converter = PcmTo16k::new(recording.sample_rate);
        Dictation { recording, converter, stream: Some(stream), pending, inflight: None, fed: 0, busy_reported: false }
    }

    pub fn add(&mut self, samples: Vec<f32>) {
        self.pending.extend(samples);
    }

    /// Sends the waiting audio to a worker unless a push is already running (one at a time
    /// per stream keeps the order of audio) or the queue is full.
    pub fn kick(&mut self, pool: &InferencePool) -> Kick {
        if self.pending.is_empty() || self.stream.is_none() {
            return Kick::Nothing;
        }
        let Ok(slot) = pool.reserve() else { return Kick::Busy };
        let (Some(mut stream), samples) = (self.stream.take(), std::mem::take(&mut self.pending)) else {
            return Kick::Nothing;
        };
        self.fed += samples.len() as u64;
        self.inflight = Some(tokio::spawn(slot.run(move || {
            let partial = stream.push(&samples);
            (stream, partial)
        })));
        Kick::Started
    }

    pub fn is_pushing(&self) -> bool {
        self.inflight.is_some()
    }

    /// Waits for the running push; gives the stream back and returns its partial text. A pass
    /// decodes everything pushed so far, and nothing more is fed while a push runs.
    pub async fn pushed(&mut self) -> Result<Option<Heard>, EngineError> {
        let Some(handle) = self.inflight.as_mut() else { return Ok(None) };
        let outcome = handle.await;
        self.inflight = None;
        let (stream, partial) = outcome.map_err(|join| EngineError::Inference(join.to_string()))??;
        self.stream = Some(stream);
        let audio_ms = self.fed * 1000 / u64::from(coagent_audio::SAMPLE_RATE);
        Ok(partial?.map(|partial| Heard { partial, audio_ms }))
    }

    /// Pushes what is left and finishes the stream on a worker (the slot was reserved by the
    /// caller, who answers `busy` if it could not be).
    pub async fn finish(&mut self, slot: crate::pool::Slot) -> Result<Transcript, EngineError> {
        self.pushed().await?;
        let tail = self.converter.flush().map_err(|error| EngineError::InvalidInput(error.to_string()))?;
        self.pending.extend(tail);
        let stream = self.stream.take().ok_or_else(|| EngineError::Inference("the speech stream was lost".into()))?;
        let samples = std::mem::take(&mut self.pending);
        slot.run(move || {
            let mut stream = stream;
            if !samples.is_empty() {
                stream.push(&samples)?;
            }
            stream.finish()
        })
        .await?
    }

    pub fn duration_ms(&self) -> u64 {
        self.recording.received_bytes / 2 * 1000 / u64::from(self.recording.sample_rate)
    }
}
