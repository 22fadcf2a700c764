//! One-shot transcription with the real Whisper model on real and generated speech.

mod common;

use coagent_audio::decode_audio_path;
use coagent_speech::wer::{word_error_rate, JFK_REFERENCE};
use common::{engine, exclusive, fixture, jfk, silence, spoken};
use rand::{Rng, SeedableRng};

/// Sentences a manager might dictate; espeak-ng speaks them for the tests.
const DICTATED: &[&str] = &[
    "Our biggest supplier has delayed every delivery this month and the production line is waiting.",
    "I need advice on how to keep my best engineers after the reorganization.",
    "The budget for next year was cut and I have to decide which projects to stop.",
    "Two team leads disagree about the new schedule and the conflict is hurting the whole team.",
    "Has anyone moved a customer service team to remote work without losing quality?",
];

#[test]
fn the_jfk_sample_transcribes_to_the_reference() {
    let _model = exclusive();
    let transcript = engine().transcribe(jfk().samples()).unwrap();
    let wer = word_error_rate(JFK_REFERENCE, &transcript.text);
    println!("jfk: {:?} (WER {wer:.3})", transcript.text);
    assert!(wer <= 0.05, "WER {wer} for {:?}", transcript.text);
    assert!(!transcript.segments.is_empty());
    assert!(transcript.segments.last().unwrap().end_ms <= 11_500);
}

#[test]
fn the_jfk_sample_as_phones_record_it_in_aac_and_opus_transcribes_to_the_reference() {
    let _model = exclusive();
    for name in ["jfk.m4a", "jfk.ogg", "jfk.webm"] {
        let audio = decode_audio_path(&fixture(name)).unwrap_or_else(|error| panic!("{name}: {error}"));
        let transcript = engine().transcribe(audio.samples()).unwrap();
        let wer = word_error_rate(JFK_REFERENCE, &transcript.text);
        println!("{name}: {:?} (WER {wer:.3})", transcript.text);
        assert!(wer <= 0.10, "{name}: WER {wer} for {:?}", transcript.text);
    }
}

#[test]
fn generated_speech_transcribes_within_fifteen_percent_word_error_rate() {
    let _model = exclusive();
    let engine = engine();
    let (mut reference, mut hypothesis) = (String::new(), String::new());
    for sentence in DICTATED {
        let text = engine.transcribe(spoken(sentence).samples()).unwrap().text;
        println!("{:.3}  {sentence:?} -> {text:?}", word_error_rate(sentence, &text));
        reference.push_str(sentence);
        reference.push(' ');
        hypothesis.push_str(&text);
        hypothesis.push(' ');
    }
    let wer = word_error_rate(&reference, &hypothesis);
    println!("overall WER {wer:.3}");
    assert!(wer <= 0.15, "WER {wer}");
}

#[test]
fn thirty_seconds_of_silence_yield_no_words() {
    let _model = exclusive();
    let transcript = engine().transcribe(&silence(30)).unwrap();
    assert!(transcript.is_empty(), "{transcript:?}");
}

#[test]
fn thirty_seconds_of_low_noise_yield_no_words() {
    let _model = exclusive();
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let noise: Vec<f32> = (0..30 * 16_000).map(|_| rng.random_range(-0.01..0.01)).collect();
    let transcript = engine().transcribe(&noise).unwrap();
    assert!(transcript.is_empty(), "{transcript:?}");
}

#[test]
fn one_loaded_model_serves_concurrent_transcriptions() {
    let _model = exclusive();
    let engine = engine();
    let audio = jfk();
    let texts: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            (0..3).map(|_| scope.spawn(|| engine.transcribe(audio.samples()).unwrap().text)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for text in &texts {
        assert!(word_error_rate(JFK_REFERENCE, text) <= 0.05, "{text:?}");
    }
}
