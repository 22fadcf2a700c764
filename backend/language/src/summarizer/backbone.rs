//! The transformer itself: which candle implementation runs a GGUF file, chosen by its
//! `general.architecture`, and how one loaded copy is shared between calls and tasks.

use std::sync::{Arc, Mutex};

use candle_core::quantized::gguf_file::Content;
use candle_core::{Device, Tensor};
use candle_transformers::models::{quantized_llama, quantized_qwen2};

use crate::LanguageError;

/// One loaded model, shared by every call.
///
/// Each call needs its own KV cache, and a call must never see another's. llama weights are
/// `Clone`, and a clone is cheap (every tensor sits behind an `Arc`) and carries the KV cache
/// with it: so the fixed part of a prompt is run once, into a primed copy, and each call starts
/// from its own clone of that copy. Calls neither wait for each other nor re-read the few-shot
/// examples, and tasks with different prompts (cards, digests) each prime their own copy of
/// the same weights. candle's qwen2 weights are not `Clone`: every task shares them behind one
/// `Mutex`, calls take turns and re-run the fixed prompt from a cleared cache (slower, still
/// correct).
pub enum Backbone {
    Llama { model: Box<quantized_llama::ModelWeights> },
    Qwen2 { model: Arc<Mutex<quantized_qwen2::ModelWeights>> },
}

/// The model state of one call: its own KV cache, wherever it lives.
pub enum Session<'a> {
    Llama(Box<quantized_llama::ModelWeights>),
    Qwen2(std::sync::MutexGuard<'a, quantized_qwen2::ModelWeights>),
}

impl Backbone {
    /// Loads the weights, with nothing in their cache.
    pub fn load<R: std::io::Read + std::io::Seek>(
        content: Content,
        reader: &mut R,
        device: &Device,
    ) -> Result<Self, LanguageError> {
        let architecture = content
            .metadata
            .get("general.architecture")
            .and_then(|value| value.to_string().ok())
            .cloned()
            .ok_or_else(|| LanguageError::Malformed("no general.architecture".into()))?;
        match architecture.as_str() {
            "llama" => {
                let model = quantized_llama::ModelWeights::from_gguf(content, reader, device)?;
                Ok(Self::Llama { model: Box::new(model) })
            }
            "qwen2" => {
                let model = quantized_qwen2::ModelWeights::from_gguf(content, reader, device)?;
                Ok(Self::Qwen2 { model: Arc::new(Mutex::new(model)) })
            }
            other => Err(LanguageError::Unsupported(format!("architecture {other:?} (supported: llama, qwen2)"))),
        }
    }

    /// A copy sharing these weights whose calls start after `prefix` (the prompt every call of
    /// one task shares): for llama, `prefix` is run once, now, into the copy's cache.
    pub fn primed(&self, prefix: &[u32], device: &Device) -> Result<Self, LanguageError> {
        match self {
            Self::Llama { model: base } => {
                let mut model = base.clone();
                model.clear_kv_cache();
                if !prefix.is_empty() {
                    model.forward(&Tensor::new(prefix, device)?.unsqueeze(0)?, 0)?;
                }
                Ok(Self::Llama { model })
            }
            Self::Qwen2 { model } => Ok(Self::Qwen2 { model: Arc::clone(model) }),
        }
    }

    /// Starts a call. Returns its session and the position its own tokens start at: after
    /// the prefix when the session already holds it, 0 when the caller must feed it.
    pub fn session(&self, prefix_len: usize) -> (Session<'_>, usize) {
        match self {
            Self::Llama { model } => (Session::Llama(model.clone()), prefix_len),
            Self::Qwen2 { model } => {
                // A poisoned lock only means another call panicked mid-generation; the
                // cache is cleared right below, so the weights are still good to use.
                let mut guard = model.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                guard.clear_kv_cache();
                (Session::Qwen2(guard), 0)
            }
        }
    }
}

impl Session<'_> {
    /// Feeds `tokens` at position `position`; returns the logits of the last one.
    pub fn forward(&mut self, tokens: &[u32], position: usize, device: &Device) -> Result<Tensor, LanguageError> {
        let input = Tensor::new(tokens, device)?.unsqueeze(0)?;
        let logits = match self {
            Self::Llama(model) => model.forward(&input, position)?,
            Self::Qwen2(model) => model.forward(&input, position)?,
        };
        Ok(logits.squeeze(0)?)
    }
}
