//! The streaming session against one-shot transcription of the same audio.

mod common;

use coagent_speech::{wer::word_error_rate, StreamingConfig, StreamingTranscriber};
use common::{engine, exclusive, jfk, silence, spoken};

/// Feeds `samples` in 100 ms chunks, checking that committed text only ever grows.
fn stream(samples: &[f32]) -> String {
    let mut session = StreamingTranscriber::new(engine(), StreamingConfig::default());
    let mut shown = String::new();
    let mut passes = 0;
    for chunk in samples.chunks(1600) {
        if let Some(partial) = session.push(chunk).unwrap() {
            passes += 1;
            assert!(
                partial.committed.starts_with(&shown),
                "committed text was retracted: {shown:?} -> {:?}",
                partial.committed
            );
            shown = partial.committed;
        }
    }
    let transcript = session.finish().unwrap();
    assert!(transcript.text.starts_with(&shown), "final text dropped committed words");
    println!("{passes} passes, committed before stop: {shown:?}");
    transcript.text
}

fn assert_stream_matches_one_shot(samples: &[f32]) {
    let one_shot = engine().transcribe(samples).unwrap().text;
    let streamed = stream(samples);
    let wer = word_error_rate(&one_shot, &streamed);
    println!("one-shot: {one_shot:?}\nstreamed: {streamed:?}\nWER between them {wer:.3}");
    assert!(wer <= 0.03, "WER {wer}");
}

#[test]
fn streaming_the_jfk_sample_ends_with_the_one_shot_text() {
    let _model = exclusive();
    assert_stream_matches_one_shot(jfk().samples());
}

#[test]
fn streaming_forty_seconds_of_dictation_cuts_its_window_and_matches_one_shot() {
    let _model = exclusive();
    let mut audio = Vec::new();
    for sentence in [
        "We are opening a second warehouse next spring and nobody on my team has done this before.",
        "The first question is how many people to hire and when they should start.",
        "The second question is which software to use for the inventory.",
        "Our current system is old and the vendor wants a lot of money for the upgrade.",
        "I would like to talk with a manager who opened a site in the last two years.",
    ] {
        audio.extend_from_slice(spoken(sentence).samples());
        audio.extend(silence(1));
    }
    assert!(audio.len() > 25 * 16_000, "the fixture must be longer than one window");
    assert_stream_matches_one_shot(&audio);
}

#[test]
fn a_silent_stream_commits_nothing() {
    let _model = exclusive();
    let mut session = StreamingTranscriber::new(engine(), StreamingConfig::default());
    for chunk in silence(10).chunks(1600) {
        if let Some(partial) = session.push(chunk).unwrap() {
            assert!(partial.committed.is_empty() && partial.tentative.is_empty());
        }
    }
    assert!(session.finish().unwrap().is_empty());
}
