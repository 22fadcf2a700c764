//! Deterministic engines implementing the domain traits. They check protocol and storage,
//! not speech: the stream "hears" how many samples it was given, so a transcript proves
//! exactly how much audio reached the engine.

use std::sync::{Arc, Condvar, Mutex};

use coagent_api::Engines;
use coagent_domain::{
    CardSource, EngineError, PartialTranscript, ProblemCard, SpeechStream, SpeechToText, StreamingSpeech, Summarizer,
    Summary, Transcript,
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
        Ok(Transcript { text: format!("heard {} samples in total", self.samples), segments: vec![] })
    }
}

impl SpeechToText for CountingSpeech {
    fn transcribe(&self, samples: &[f32]) -> Result<Transcript, EngineError> {
        Ok(Transcript { text: format!("uploaded {} samples", samples.len()), segments: vec![] })
    }
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

pub fn engines(summarizer: EchoSummarizer, workers: usize, queue: usize) -> Engines {
    Engines {
        streaming: Arc::new(CountingSpeech),
        transcriber: Arc::new(CountingSpeech),
        summarizer: Arc::new(summarizer),
        speech_workers: workers,
        summary_workers: workers,
        queue_capacity: queue,
    }
}
