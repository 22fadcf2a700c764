//! Deterministic engines implementing the domain traits. They check protocol and storage,
//! not speech: the stream "hears" how many samples it was given, so a transcript proves
//! exactly how much audio reached the engine.

use std::sync::{Arc, Condvar, Mutex};

use coagent_api::Engines;
use coagent_domain::{
    AnswerToCondense, CardSource, Digest, DigestPoint, DigestWriter, Embedder, EngineError, PartialTranscript,
    ProblemCard, Segment, SpeechStream, SpeechToText, StreamingSpeech, Summarizer, Summary, Transcript,
};

pub struct CountingSpeech;

struct CountingStream {
    samples: usize,
}

impl StreamingSpeech for CountingSpeech {
    fn start(&self) -> Box<dyn SpeechStream> {
        Box::new(CountingStream { samples: 0 })
    }
}

impl SpeechStream for CountingStream {
    fn push(&mut self, samples: &[f32]) -> Result<Option<PartialTranscript>, EngineError> {
        self.samples += samples.len();
        Ok(Some(PartialTranscript { committed: format!("heard {}", self.samples), tentative: "samples".into() }))
    }

    fn finish(self: Box<Self>) -> Result<Transcript, EngineError> {
        Ok(one_segment(format!("heard {} samples in total", self.samples), self.samples))
    }
}

impl SpeechToText for CountingSpeech {
    fn transcribe(&self, samples: &[f32]) -> Result<Transcript, EngineError> {
        Ok(one_segment(format!("uploaded {} samples", samples.len()), samples.len()))
    }
}

/// The whole text as one segment spanning the audio, as whisper times it (16 kHz samples).
fn one_segment(text: String, samples: usize) -> Transcript {
    let end_ms = samples as u64 * 1000 / 16_000;
    Transcript { segments: vec![Segment { start_ms: 0, end_ms, text: text.clone() }], text }
}

/// Writes its card word by word; can be held shut to fill the queue.
#[derive(Default, Clone)]
pub struct EchoSummarizer {
    gate: Arc<Gate>,
}

#[derive(Default)]
pub struct Gate {
    closed: Mutex<bool>,
    changed: Condvar,
    entered: Mutex<usize>,
}

impl EchoSummarizer {
    pub fn gate(&self) -> Arc<Gate> {
        self.gate.clone()
    }
}

impl Gate {
    pub fn close(&self) {
        *self.closed.lock().unwrap() = true;
    }

    pub fn open(&self) {
        *self.closed.lock().unwrap() = false;
        self.changed.notify_all();
    }

    /// How many summaries have started.
    pub fn entered(&self) -> usize {
        *self.entered.lock().unwrap()
    }

    fn pass(&self) {
        *self.entered.lock().unwrap() += 1;
        let mut closed = self.closed.lock().unwrap();
        while *closed {
            closed = self.changed.wait(closed).unwrap();
        }
    }
}

impl Summarizer for EchoSummarizer {
    fn summarize(&self, transcript: &str, on_token: &mut dyn FnMut(&str)) -> Result<Summary, EngineError> {
        self.gate.pass();
        for word in transcript.split_whitespace() {
            on_token(word);
            on_token(" ");
        }
        let card = ProblemCard {
            title: format!("About: {}", transcript.split_whitespace().take(4).collect::<Vec<_>>().join(" ")),
            summary: transcript.to_owned(),
            help_needed: "Advice from peers".into(),
            tags: vec!["test".into()],
        };
        Ok(Summary { card, source: CardSource::Model, fallback_reason: None })
    }
}

/// Bag of words hashed into a fixed vector: texts sharing words are close, texts sharing
/// none are orthogonal (up to rare hash collisions). Enough to make matching's order testable.
pub struct WordEmbedder;

const DIMENSION: usize = 1024;

impl Embedder for WordEmbedder {
    fn dimension(&self) -> usize {
        DIMENSION
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EngineError> {
        Ok(texts.iter().map(|text| bag_of_words(text)).collect())
    }
}

fn bag_of_words(text: &str) -> Vec<f32> {
    let mut vector = vec![0f32; DIMENSION];
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 3) {
        let hash = word
            .to_lowercase()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        vector[(hash % DIMENSION as u64) as usize] += 1.0;
    }
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|x| *x /= norm);
    }
    vector
}

/// Each answer's first sentence, attributed: the digest's shape without a model.
pub struct FirstSentenceDigest;

impl DigestWriter for FirstSentenceDigest {
    fn condense(&self, _title: &str, _help: &str, answers: &[AnswerToCondense]) -> Result<Digest, EngineError> {
        let points = answers
            .iter()
            .map(|answer| DigestPoint {
                author: answer.author.clone(),
                sentence: answer.text.split_inclusive('.').next().unwrap_or_default().trim().to_owned(),
                source: CardSource::Extractive,
                fallback_reason: Some("test engine".into()),
            })
            .collect();
        Ok(Digest { points })
    }
}

pub fn engines(summarizer: EchoSummarizer, workers: usize, queue: usize) -> Engines {
    Engines {
        streaming: Arc::new(CountingSpeech),
        transcriber: Arc::new(CountingSpeech),
        summarizer: Arc::new(summarizer),
        embedder: Arc::new(WordEmbedder),
        digest_writer: Arc::new(FirstSentenceDigest),
        speech_workers: workers,
        summary_workers: workers,
        queue_capacity: queue,
    }
}
