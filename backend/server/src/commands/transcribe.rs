use std::path::Path;

use anyhow::{Context, Result};

use crate::{cli::ModelSettings, engines};

pub fn run(settings: &ModelSettings, file: &Path, json: bool) -> Result<()> {
    let audio =
        coagent_audio::decode_audio_path(file).with_context(|| format!("cannot transcribe {}", file.display()))?;
    let engine = engines::speech(settings)?;
    let transcript = engine.transcribe(audio.samples())?;
    if json {
        let output = serde_json::json!({
            "text": transcript.text,
            "duration_ms": audio.duration_ms(),
            "segments": transcript.segments,
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        println!("{}", transcript.text);
    }
    Ok(())
}
