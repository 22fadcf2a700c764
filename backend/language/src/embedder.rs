//! Sentence embeddings with a BERT encoder (all-MiniLM-L6-v2): the tokens' last hidden
//! states, averaged over the real (non-padding) tokens, then scaled to unit length, as
//! sentence-transformers does for this model.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use coagent_domain::{EngineError, Embedder};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

use crate::LanguageError;

/// The model was trained on at most 256 word pieces; longer inputs are cut.
const MAX_TOKENS: usize = 256;

pub struct SentenceEmbedder {
    model: BertModel,
    tokenizer: Tokenizer,
    dimension: usize,
    device: Device,
}

impl SentenceEmbedder {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` from `model_dir`.
    pub fn load(model_dir: &Path) -> Result<Self, LanguageError> {
        let read = |name: &str| {
            let path = model_dir.join(name);
            std::fs::read(&path).map_err(|source| LanguageError::Io { path, source })
        };
        let config: Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| LanguageError::Malformed(format!("config.json: {e}")))?;
        let mut tokenizer = Tokenizer::from_bytes(read("tokenizer.json")?)?;
        tokenizer.with_padding(Some(PaddingParams::default()));
        tokenizer.with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..Default::default() }))?;
        let device = Device::Cpu;
        let weights = model_dir.join("model.safetensors");
        let vb = VarBuilder::from_buffered_safetensors(read("model.safetensors")?, DType::F32, &device)
            .map_err(|e| LanguageError::Malformed(format!("{}: {e}", weights.display())))?;
        let model = BertModel::load(vb, &config)?;
        tracing::info!(model = %model_dir.display(), dimension = config.hidden_size, "embedding model loaded");
        Ok(Self { model, tokenizer, dimension: config.hidden_size, device })
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, LanguageError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self.tokenizer.encode_batch(texts.to_vec(), true)?;
        let rows = |field: fn(&tokenizers::Encoding) -> &[u32]| -> Result<Tensor, LanguageError> {
            let rows = encodings
                .iter()
                .map(|encoding| Tensor::new(field(encoding), &self.device))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Tensor::stack(&rows, 0)?)
        };
        let ids = rows(tokenizers::Encoding::get_ids)?;
        let type_ids = rows(tokenizers::Encoding::get_type_ids)?;
        let mask = rows(tokenizers::Encoding::get_attention_mask)?;

        let hidden = self.model.forward(&ids, &type_ids, Some(&mask))?;
        // Mean over real tokens only: padding must not pull short sentences toward each other.
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        Ok(mean.broadcast_div(&norms)?.to_vec2::<f32>()?)
    }
}

impl Embedder for SentenceEmbedder {
    fn dimension(&self) -> usize {
        self.dimension
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EngineError> {
        Ok(self.embed_batch(texts)?)
    }
}
