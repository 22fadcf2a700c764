//! Converts a CTranslate2 Whisper model by hand:
//! `cargo run -p coagent-models --example convert_whisper -- model.bin tokenizer.json out.bin`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [model, tokenizer, out] = args.as_slice() else {
        eprintln!("usage: convert_whisper MODEL_BIN TOKENIZER_JSON OUT");
        return ExitCode::from(2);
    };
    let bars = coagent_models::Bars::new();
    match coagent_models::convert_ctranslate2_whisper_with_progress(model, tokenizer, out, &bars) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
