//! CTranslate2 Whisper (`model.bin` + `tokenizer.json`, as faster-whisper ships it) to the ggml
//! file whisper.cpp loads. The layout follows whisper.cpp's `convert-pt-to-ggml.py`; see
//! shared/MODELS.md for the format and the tensor mapping.

mod ctranslate2;
mod ggml;
mod layout;
mod mel;
mod vocab;

#[cfg(test)]
pub(crate) mod synthetic;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::progress::{Progress, Quiet};

/// Why a CTranslate2 Whisper model could not be converted. Each message names the offending
/// variable or byte offset so a bad download can be told apart from an unsupported model.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("could not {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("the CTranslate2 model is truncated: {what} at byte offset {offset} needs {needed} bytes but the file ends at byte {len}")]
    Truncated { what: String, offset: u64, needed: u64, len: u64 },
    #[error("the file is not a CTranslate2 model of format version 6 (its header says version {0})")]
    Version(u32),
    #[error("the CTranslate2 model is a `{0}`, not a `WhisperSpec`")]
    Spec(String),
    #[error("the CTranslate2 model is corrupt at byte offset {offset}: {message}")]
    Corrupt { offset: u64, message: String },
    #[error("the CTranslate2 model has an unknown variable `{name}` with shape {dims:?}")]
    UnknownVariable { name: String, dims: Vec<usize> },
    #[error("the CTranslate2 model has no variable `{0}`")]
    MissingVariable(String),
    #[error("variable `{name}` has shape {actual:?}, expected {expected:?}")]
    Shape { name: String, expected: Vec<usize>, actual: Vec<usize> },
    #[error("variable `{name}` cannot be converted: {reason}")]
    Unsupported { name: String, reason: String },
    #[error("tokenizer {}: {message}", path.display())]
    Tokenizer { path: PathBuf, message: String },
}

/// Converts a CTranslate2 Whisper model to a whisper.cpp ggml file (f16 weights) at `out`.
/// The output is deterministic and is written to a temporary file first, so `out` is either the
/// complete result or untouched.
pub fn convert_ctranslate2_whisper(model_bin: &Path, tokenizer_json: &Path, out: &Path) -> Result<(), ConvertError> {
    convert_ctranslate2_whisper_with_progress(model_bin, tokenizer_json, out, &Quiet)
}

/// [`convert_ctranslate2_whisper`], reporting the bytes converted to `progress`.
pub fn convert_ctranslate2_whisper_with_progress(
    model_bin: &Path,
    tokenizer_json: &Path,
    out: &Path,
    progress: &dyn Progress,
) -> Result<(), ConvertError> {
    let mut model = ctranslate2::Ct2Model::open(model_bin)?;
    let (hparams, plans) = layout::plan(&model)?;
    let tokens = vocab::gpt2_byte_tokens(tokenizer_json, hparams.n_vocab)?;
    let filters = mel::slaney_filterbank(mel::SAMPLE_RATE, mel::N_FFT, hparams.n_mels);

    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |action, source| ConvertError::Io { action, path: out.to_path_buf(), source };
    let tmp = crate::files::temp_file_builder(".convert-")
        .tempfile_in(&dir)
        .map_err(|e| io("create a temporary file next to", e))?;
    let mut writer = BufWriter::with_capacity(1 << 20, tmp.as_file());
    let header = ggml::Header { hparams: &hparams, filters: &filters, tokens: &tokens, out_path: out };
    let total: u64 = plans.iter().map(|p| p.source_bytes).sum();
    progress.start("converting", Some(total));
    let written = ggml::write(&mut writer, &header, &plans, &mut model, progress);
    progress.finish();
    written?;
    writer.flush().map_err(|e| io("write", e))?;
    drop(writer);
    tmp.as_file().sync_all().map_err(|e| io("write", e))?;
    tmp.persist(out).map_err(|e| io("move into place", e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests;
