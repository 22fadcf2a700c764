use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use coagent_audio::{SpeechDetector, SAMPLE_RATE};
use coagent_domain::{EngineError, Segment, SpeechToText, Transcript};
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

/// Whisper's encoder sees 30 s of audio as 1500 frames.
const FRAMES_PER_SECOND: usize = 50;
const FULL_AUDIO_CTX: usize = 1500;
/// whisper.cpp refuses clips shorter than 100 ms; short speech is padded with silence to this.
const MIN_SAMPLES: usize = SAMPLE_RATE as usize;

#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("could not load the Whisper model {path}: {reason}")]
    Load { path: String, reason: String },
    #[error("whisper.cpp failed: {0}")]
    Inference(String),
}

impl From<SpeechError> for EngineError {
    fn from(error: SpeechError) -> Self {
        EngineError::Inference(error.to_string())
    }
}

#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// CPU threads per transcription.
    pub threads: usize,
    /// Spoken language ("en"); `None` lets a multilingual model detect it.
    pub language: Option<String>,
    /// Size the encoder's context to the audio instead of a fixed 30 s. Much faster on short
    /// clips; Whisper was trained on 30 s windows, so accuracy must be checked (see the bench).
    pub fit_audio_ctx: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        Self { threads, language: Some("en".into()), fit_audio_ctx: false }
    }
}

/// A loaded Whisper model. Cheap to share behind an `Arc`: each transcription gets its own
/// whisper.cpp state, so calls from many threads run side by side.
pub struct WhisperEngine {
    context: WhisperContext,
    options: EngineOptions,
    detector: SpeechDetector,
    /// Passes running now: each takes its share of the threads (see `threads_for`).
    running: AtomicUsize,
}

impl WhisperEngine {
    pub fn load(model_path: &Path, options: EngineOptions) -> Result<Self, SpeechError> {
        static LOGGING: Once = Once::new();
        LOGGING.call_once(whisper_rs::install_logging_hooks);
        let path = model_path.to_str().ok_or_else(|| SpeechError::Load {
            path: model_path.display().to_string(),
            reason: "the path is not valid UTF-8".into(),
        })?;
        let context = WhisperContext::new_with_params(path, WhisperContextParameters::default())
            .map_err(|e| SpeechError::Load { path: path.into(), reason: e.to_string() })?;
        tracing::info!(model = path, threads = options.threads, "whisper model loaded");
        Ok(Self { context, options, detector: SpeechDetector::default(), running: AtomicUsize::new(0) })
    }

    pub fn detector(&self) -> &SpeechDetector {
        &self.detector
    }

    /// Transcribes a whole clip. Audio without speech yields an empty transcript without
    /// running the model at all.
    pub fn transcribe(&self, samples: &[f32]) -> Result<Transcript, SpeechError> {
        if !self.detector.has_speech(samples) {
            return Ok(Transcript::default());
        }
        Ok(Transcript::from_segments(self.run(samples, None, self.options.fit_audio_ctx)?))
    }

    /// One decoding pass over `samples`, with `prompt` as the text that came before.
    pub(crate) fn run(
        &self,
        samples: &[f32],
        prompt: Option<&str>,
        fit_audio_ctx: bool,
    ) -> Result<Vec<Segment>, SpeechError> {
        let fail = |e: whisper_rs::WhisperError| SpeechError::Inference(e.to_string());
        let mut padded;
        let audio = if samples.len() < MIN_SAMPLES {
            padded = samples.to_vec();
            padded.resize(MIN_SAMPLES, 0.0);
            &padded[..]
        } else {
            samples
        };

        let running = Running::enter(&self.running);
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_n_threads(threads_for(self.options.threads, running.count) as i32);
        params.set_language(self.options.language.as_deref());
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_suppress_blank(true);
        params.set_suppress_nst(true);
        params.set_no_context(true);
        if let Some(prompt) = prompt.filter(|p| !p.is_empty()) {
            params.set_initial_prompt(prompt);
        }
        if fit_audio_ctx {
            params.set_audio_ctx(audio_ctx_for(audio.len()) as i32);
        }

        let mut state = self.context.create_state().map_err(fail)?;
        state.full(params, audio).map_err(fail)?;
        let mut segments = Vec::new();
        for segment in state.as_iter() {
            let text = segment.to_str_lossy().map_err(fail)?.trim().to_string();
            if text.is_empty() || is_non_speech_annotation(&text) {
                continue;
            }
            segments.push(Segment {
                start_ms: (segment.start_timestamp().max(0) as u64) * 10,
                end_ms: (segment.end_timestamp().max(0) as u64) * 10,
                text,
            });
        }
        Ok(segments)
    }
}

impl SpeechToText for WhisperEngine {
    fn transcribe(&self, samples_16k_mono: &[f32]) -> Result<Transcript, EngineError> {
        Ok(WhisperEngine::transcribe(self, samples_16k_mono)?)
    }
}

/// A pass alone gets every thread; passes side by side share them. whisper.cpp with more threads
/// than cores slows down far more than proportionally: with 2 cores, 4 live dictations took
/// 94 s from end of speech to card when each pass used both cores, 37 s when they shared them,
/// while one dictation alone is twice as fast with both cores.
fn threads_for(threads: usize, running: usize) -> usize {
    (threads / running.max(1)).max(1)
}

/// Counts a pass as running for as long as it lives.
struct Running<'a> {
    counter: &'a AtomicUsize,
    /// How many run, this one included, when it started.
    count: usize,
}

impl<'a> Running<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        let count = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Running { counter, count }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.counter.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Encoder frames for a clip, with a margin so the last words are not cut off.
fn audio_ctx_for(samples: usize) -> usize {
    let seconds = samples.div_ceil(SAMPLE_RATE as usize);
    ((seconds + 2) * FRAMES_PER_SECOND).min(FULL_AUDIO_CTX)
}

/// "[BLANK_AUDIO]", "(music)", "[Applause]": Whisper's way of saying there were no words.
fn is_non_speech_annotation(text: &str) -> bool {
    let text = text.trim();
    (text.starts_with('[') && text.ends_with(']')) || (text.starts_with('(') && text.ends_with(')'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_annotations_are_not_speech() {
        assert!(is_non_speech_annotation("[BLANK_AUDIO]"));
        assert!(is_non_speech_annotation(" (music) "));
        assert!(!is_non_speech_annotation("We need (urgently) a plan."));
    }

    #[test]
    fn a_pass_alone_gets_every_thread_and_passes_side_by_side_share_them() {
        assert_eq!(threads_for(2, 1), 2);
        assert_eq!(threads_for(2, 2), 1);
        assert_eq!(threads_for(2, 5), 1);
        assert_eq!(threads_for(8, 3), 2);
    }

    #[test]
    fn a_running_pass_is_counted_until_it_ends() {
        let counter = AtomicUsize::new(0);
        let first = Running::enter(&counter);
        let second = Running::enter(&counter);
        assert_eq!((first.count, second.count), (1, 2));
        drop(first);
        drop(second);
        assert_eq!(counter.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn audio_ctx_covers_the_clip_with_a_margin_and_never_exceeds_thirty_seconds() {
        assert_eq!(audio_ctx_for(16_000 * 11), 650);
        assert_eq!(audio_ctx_for(16_000 * 40), 1500);
    }
}
