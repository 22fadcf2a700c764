//! Streaming transcription with a local-agreement policy: audio accumulates in a window that
//! is re-decoded as it grows; words that two consecutive passes agree on are committed and
//! never change again; the rest is shown as tentative. Once committed words cover whole
//! segments, the window is cut at a segment end so passes stay short (under Whisper's 30 s).

use std::sync::Arc;

use coagent_audio::SAMPLE_RATE;
use coagent_domain::{EngineError, PartialTranscript, Segment, SpeechStream, StreamingSpeech, Transcript};

use crate::{
    words::{agreed_prefix_len, aligned_end, split_words},
    SpeechError, WhisperEngine,
};

const SAMPLES_PER_MS: usize = SAMPLE_RATE as usize / 1000;

#[derive(Debug, Clone)]
pub struct StreamingConfig {
    /// Decode again once this much new audio has arrived. Each pass costs about 1 s of CPU on
    /// 2 cores whatever the window, so 2 s keeps a live stream ahead of the speaker there.
    pub step_ms: usize,
    /// Only cut the window at a committed segment end once it is at least this long. Whisper's
    /// segment ends are approximate and a cut can clip the next word ("ask" heard as "as"),
    /// while the full encoder costs the same for any window up to 30 s: so cut late.
    pub trim_after_ms: usize,
    /// Past this, everything decoded so far is committed and the window cut, whatever the
    /// agreement: Whisper cannot see more than 30 s at once.
    pub max_window_ms: usize,
    /// How much earlier text (characters) is given to Whisper as the preceding context.
    pub prompt_chars: usize,
    /// Size the encoder to the window instead of 30 s: passes get 2-3x faster, but on short
    /// windows Whisper then misreads words that stay committed (measured: 4% WER against
    /// one-shot on the test dictations), so it is off by default.
    pub fit_audio_ctx: bool,
}

impl Default for StreamingConfig {
    fn default() -> Self {
        Self { step_ms: 2000, trim_after_ms: 20_000, max_window_ms: 25_000, prompt_chars: 200, fit_audio_ctx: false }
    }
}

/// What the speaker sees while talking: `committed` only ever grows.
pub type Partial = PartialTranscript;

/// Starts streaming sessions on one shared model: the engine behind the live WebSocket.
pub struct WhisperStreaming {
    pub engine: Arc<WhisperEngine>,
    pub config: StreamingConfig,
}

impl StreamingSpeech for WhisperStreaming {
    fn start(&self) -> Box<dyn SpeechStream> {
        Box::new(StreamingTranscriber::new(self.engine.clone(), self.config.clone()))
    }
}

impl SpeechStream for StreamingTranscriber {
    fn push(&mut self, samples_16k_mono: &[f32]) -> Result<Option<PartialTranscript>, EngineError> {
        Ok(StreamingTranscriber::push(self, samples_16k_mono)?)
    }

    fn finish(self: Box<Self>) -> Result<Transcript, EngineError> {
        Ok(StreamingTranscriber::finish(*self)?)
    }
}

pub struct StreamingTranscriber {
    engine: Arc<WhisperEngine>,
    config: StreamingConfig,
    /// Audio not yet cut away, starting at absolute sample `window_start`.
    window: Vec<f32>,
    window_start: usize,
    new_since_pass: usize,
    /// Every committed word, in order, as first shown.
    committed: Vec<String>,
    /// The committed words whose audio is still in the window, used to find where new
    /// words start in each pass's hypothesis.
    committed_in_window: Vec<String>,
    /// The previous pass's words after the committed ones: the candidates for agreement.
    previous_tail: Vec<String>,
    /// Segments whose audio has been cut from the window, in absolute time.
    finished_segments: Vec<Segment>,
}

impl StreamingTranscriber {
    pub fn new(engine: Arc<WhisperEngine>, config: StreamingConfig) -> Self {
        Self {
            engine,
            config,
            window: Vec::new(),
            window_start: 0,
            new_since_pass: 0,
            committed: Vec::new(),
            committed_in_window: Vec::new(),
            previous_tail: Vec::new(),
            finished_segments: Vec::new(),
        }
    }

    /// Adds 16 kHz mono audio. Returns the new partial text when a decoding pass ran.
    pub fn push(&mut self, samples: &[f32]) -> Result<Option<Partial>, SpeechError> {
        self.window.extend_from_slice(samples);
        self.new_since_pass += samples.len();
        if self.new_since_pass < self.config.step_ms * SAMPLES_PER_MS {
            return Ok(None);
        }
        self.pass()?;
        Ok(Some(self.partial()))
    }

    pub fn partial(&self) -> Partial {
        Partial { committed: self.committed.join(" "), tentative: self.previous_tail.join(" ") }
    }

    /// Milliseconds of audio received so far.
    pub fn received_ms(&self) -> usize {
        (self.window_start + self.window.len()) / SAMPLES_PER_MS
    }

    /// Decodes what is left and returns the whole transcript. Committed words are kept as
    /// they were shown; the final pass only adds what comes after them.
    pub fn finish(mut self) -> Result<Transcript, SpeechError> {
        if self.engine.detector().has_speech(&self.window) {
            let segments = self.decode_window()?;
            let hypothesis = words_of(&segments);
            let start = aligned_end(&self.committed_in_window, &hypothesis);
            self.committed.extend_from_slice(&hypothesis[start..]);
            self.finish_segments(segments);
        }
        Ok(Transcript { text: self.committed.join(" "), segments: self.finished_segments })
    }

    fn pass(&mut self) -> Result<(), SpeechError> {
        self.new_since_pass = 0;
        if !self.engine.detector().has_speech(&self.window) {
            if self.committed_in_window.is_empty() && self.previous_tail.is_empty() {
                // Leading silence: keep only the last second so the window stays small.
                let keep_from = self.window.len().saturating_sub(1000 * SAMPLES_PER_MS);
                self.cut_window(keep_from);
            }
            return Ok(());
        }
        let segments = self.decode_window()?;
        let hypothesis = words_of(&segments);
        let start = aligned_end(&self.committed_in_window, &hypothesis);
        let tail = &hypothesis[start..];
        let agreed = agreed_prefix_len(&self.previous_tail, tail);
        self.committed.extend_from_slice(&tail[..agreed]);
        self.committed_in_window = hypothesis[..start + agreed].to_vec();
        self.previous_tail = tail[agreed..].to_vec();
        self.trim(segments);
        Ok(())
    }

    fn decode_window(&self) -> Result<Vec<Segment>, SpeechError> {
        // Context is the text whose audio is no longer in the window.
        let context = self.finished_segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
        let start = context.ceil_char_boundary(context.len().saturating_sub(self.config.prompt_chars));
        let _span = tracing::debug_span!("whisper_pass", window_ms = self.window.len() / SAMPLES_PER_MS).entered();
        self.engine.run(&self.window, Some(&context[start..]), self.config.fit_audio_ctx)
    }

    /// Cuts the window after the last segment that is wholly committed (never the final one,
    /// which may still be growing), or after everything when the window is too long.
    fn trim(&mut self, segments: Vec<Segment>) {
        if self.window.len() < self.config.trim_after_ms * SAMPLES_PER_MS {
            return;
        }
        let committed_words = self.committed_in_window.len();
        let mut words_before_cut = 0;
        let mut cut = None;
        for (index, segment) in segments.iter().enumerate().take(segments.len().saturating_sub(1)) {
            words_before_cut += split_words(&segment.text).len();
            if words_before_cut > committed_words {
                break;
            }
            cut = Some((index + 1, words_before_cut, segment.end_ms));
        }
        if cut.is_none() && self.window.len() >= self.config.max_window_ms * SAMPLES_PER_MS {
            // No boundary to cut at and no room left: commit everything decoded so far.
            self.committed.append(&mut self.previous_tail);
            self.committed_in_window = words_of(&segments);
            let end_ms = segments.last().map_or(0, |s| s.end_ms);
            cut = Some((segments.len(), self.committed_in_window.len(), end_ms));
        }
        let Some((segment_count, words, end_ms)) = cut else { return };
        self.finish_segments(segments.into_iter().take(segment_count));
        self.committed_in_window.drain(..words);
        self.cut_window((end_ms as usize * SAMPLES_PER_MS).min(self.window.len()));
    }

    /// Keeps segments decoded from the window, moved to absolute time.
    fn finish_segments(&mut self, segments: impl IntoIterator<Item = Segment>) {
        let offset_ms = (self.window_start / SAMPLES_PER_MS) as u64;
        self.finished_segments.extend(segments.into_iter().map(|segment| Segment {
            start_ms: segment.start_ms + offset_ms,
            end_ms: segment.end_ms + offset_ms,
            ..segment
        }));
    }

    fn cut_window(&mut self, samples: usize) {
        self.window.drain(..samples);
        self.window_start += samples;
    }
}

/// Every word of a pass's hypothesis, in order.
fn words_of(segments: &[Segment]) -> Vec<String> {
    segments.iter().flat_map(|segment| split_words(&segment.text)).collect()
}
