//! Shared by the speech tests: the real model, loaded once per test binary, and real audio.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, Mutex, MutexGuard, OnceLock},
};

use coagent_audio::{decode_wav_file, Audio16k};
use coagent_speech::{EngineOptions, WhisperEngine};

/// Held for a test's duration: whisper.cpp's threads busy-wait, so two tests decoding at once
/// on a small machine run many times slower than one after the other.
pub fn exclusive() -> MutexGuard<'static, ()> {
    static MODEL: Mutex<()> = Mutex::new(());
    MODEL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn engine() -> Arc<WhisperEngine> {
    static ENGINE: OnceLock<Arc<WhisperEngine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let manifest = coagent_models::Manifest::embedded();
            let spec = manifest.selected(coagent_models::Role::Speech).unwrap_or_else(|e| panic!("{e}"));
            let model = coagent_models::ModelCache::from_env().installed(spec).unwrap_or_else(|e| panic!("{e}"));
            let engine = WhisperEngine::load(&model.file("ggml-model.bin"), EngineOptions::default())
                .unwrap_or_else(|e| panic!("{e}"));
            Arc::new(engine)
        })
        .clone()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
}

pub fn jfk() -> Audio16k {
    decode_wav_file(&fixture("jfk.wav")).expect("tests/fixtures/jfk.wav is committed")
}

/// Speaks `text` with espeak-ng (22.05 kHz, so decoding also exercises resampling).
pub fn spoken(text: &str) -> Audio16k {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("speech.wav");
    let status = Command::new("espeak-ng")
        // A slightly slow voice with gaps between words: espeak's default pace is hard even
        // for people, and tiny.en is a small model.
        .args(["-v", "en-us", "-s", "140", "-g", "3", "-w"])
        .arg(&wav)
        .arg(text)
        .status()
        .expect("espeak-ng makes the test speech: install it (scripts/setup.sh does)");
    assert!(status.success(), "espeak-ng failed");
    decode_wav_file(&wav).unwrap()
}

pub fn silence(seconds: usize) -> Vec<f32> {
    vec![0.0; seconds * 16_000]
}
