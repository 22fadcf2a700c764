//! Sentence embeddings with a BERT model (all-MiniLM-L6-v2): mean pooling over the real
//! tokens, then L2 normalisation, as sentence-transformers does for this model.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use coagent_domain::{Embedder, EngineError};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::LanguageError;

/// Longest input in tokens; the rest is cut. sentence-transformers' `max_seq_length` for
/// all-MiniLM-L6-v2 (its `tokenizer.json` says 128, which is not what the model is used with).
pub const MAX_TOKENS: usize = 256;
/// Texts embedded in one forward pass: bounds memory, and padding waste on mixed lengths.
const BATCH: usize = 32;

/// A BERT sentence embedder loaded from a directory holding `config.json`,
/// `tokenizer.json` and `model.safetensors`.
pub struct SentenceEmbedder {
    model: BertModel,
    tokenizer: Tokenizer,
    dimension: usize,
    device: Device,
}

impl SentenceEmbedder {
    pub fn load(model_dir: impl AsRef<Path>) -> Result<Self, LanguageError> {
        let dir = model_dir.as_ref();
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| LanguageError::Io { path, source })
        };
        let config: Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|error| LanguageError::Malformed(format!("config.json: {error}")))?;
        let dimension = config.hidden_size;

        let mut tokenizer = Tokenizer::from_bytes(read("tokenizer.json")?)?;
        // Pad each batch to its longest text only: the file's fixed 128-token padding would
        // make every short sentence pay for 128 tokens.
        let padding = PaddingParams { strategy: PaddingStrategy::BatchLongest, ..padding(&tokenizer) };
        tokenizer.with_padding(Some(padding));
        tokenizer.with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..Default::default() }))?;

        let device = Device::Cpu;
        // Read into memory rather than mmap: mapping a file is `unsafe` (another process could
        // change it under us), and this crate forbids unsafe code. 90 MB, read once.
        let weights = VarBuilder::from_buffered_safetensors(read("model.safetensors")?, DType::F32, &device)?;
        let model = BertModel::load(weights, &config)?;
        Ok(Self { model, tokenizer, dimension, device })
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, LanguageError> {
        let encodings = self.tokenizer.encode_batch(texts.to_vec(), true)?;
        let rows = encodings.len();
        let columns = encodings.first().map_or(0, |encoding| encoding.len());
        let ids: Vec<u32> = encodings.iter().flat_map(|encoding| encoding.get_ids().to_vec()).collect();
        let mask: Vec<u32> = encodings.iter().flat_map(|encoding| encoding.get_attention_mask().to_vec()).collect();
        let ids = Tensor::from_vec(ids, (rows, columns), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, columns), &self.device)?;
        let token_types = ids.zeros_like()?;

        let hidden = self.model.forward(&ids, &token_types, Some(&mask))?;
        // Mean over real tokens only: padding must not pull short texts toward each other.
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?.clamp(1.0, f64::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        Ok(mean.broadcast_div(&norms)?.to_vec2()?)
    }
}

/// The tokenizer file's own padding settings (pad token and id), or BERT's defaults.
fn padding(tokenizer: &Tokenizer) -> PaddingParams {
    tokenizer.get_padding().cloned().unwrap_or_default()
}

impl Embedder for SentenceEmbedder {
    fn dimension(&self) -> usize {
        self.dimension
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EngineError> {
        let mut vectors = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            vectors.extend(self.embed_batch(batch)?);
        }
        Ok(vectors)
    }
}
