//! End-to-end: the real `coagent` binary, real models, real audio.

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

use coagent_speech::wer::{word_error_rate, JFK_REFERENCE};

/// One model-running process at a time: whisper.cpp's and candle's threads busy-wait, so
/// concurrent runs on a small machine are many times slower than sequential ones.
fn coagent(args: &[&str], stdin: &str) -> Output {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut child = Command::new(env!("CARGO_BIN_EXE_coagent"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the coagent binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "coagent failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn transcribe_prints_the_jfk_text_and_its_segments_as_json() {
    let output = coagent(&["transcribe", "tests/fixtures/jfk.wav", "--json"], "");
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let text = json["text"].as_str().unwrap();
    assert!(word_error_rate(JFK_REFERENCE, text) <= 0.05, "{text}");
    assert_eq!(json["duration_ms"], 11_000);
    assert!(json["segments"][0]["end_ms"].as_u64().unwrap() > 0);
}

#[test]
fn transcribing_a_file_that_is_not_audio_says_so_in_one_line() {
    let output = coagent(&["transcribe", "Cargo.toml"], "");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot transcribe Cargo.toml") && stderr.contains("not an audio file coagent recognises"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_missing_model_tells_what_to_run() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    let output = coagent(&["--models-dir", dir, "transcribe", "tests/fixtures/jfk.wav"], "");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("coagent models fetch") && stderr.contains("whisper-tiny-en"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn fetching_models_that_are_present_does_nothing_and_says_so() {
    let output = coagent(&["models", "fetch"], "");
    let text = format!("{}{}", stdout(&output), String::from_utf8_lossy(&output.stderr));
    assert!(text.contains("already"), "{text}");
}

#[test]
fn summarize_turns_a_transcript_on_stdin_into_a_card() {
    let transcript = "Our main supplier in Lyon has missed three deliveries this month and the assembly line \
        stopped twice. I have asked them for a recovery plan but nothing changed. I need advice on how to find \
        a second supplier quickly without breaking our contract.";
    let output = coagent(&["summarize", "--quiet"], transcript);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    for field in ["title", "summary", "help_needed"] {
        assert!(!json["card"][field].as_str().unwrap().trim().is_empty(), "{json}");
    }
    assert!(["model", "extractive"].contains(&json["source"].as_str().unwrap()), "{json}");
}

#[test]
fn embed_prints_one_unit_vector_per_line() {
    let output = coagent(&["embed"], "The weather is lovely today.\n\nHe drove to the stadium.\n");
    let lines: Vec<serde_json::Value> = stdout(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    for line in &lines {
        let vector: Vec<f64> = serde_json::from_value(line["vector"].clone()).unwrap();
        assert_eq!(vector.len(), 384);
        let norm = vector.iter().map(|x| x * x).sum::<f64>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    }
}
