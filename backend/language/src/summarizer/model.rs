//! One loaded GGUF chat model, shared by every task that prompts it: the card summarizer and
//! the digest condenser read the file once and each prime their own prompt on its weights.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use candle_core::quantized::gguf_file;
use candle_core::Device;
use tokenizers::Tokenizer;

use super::backbone::Backbone;
use super::tokenizer;
use super::vocab::Vocabulary;
use crate::LanguageError;

/// A local GGUF chat model (llama or qwen2 architecture) on the CPU, with the tokenizer
/// rebuilt from the file itself. Load it once and hand clones of the `Arc` to each task.
pub struct ChatModel {
    /// The weights with nothing in their cache; each task primes its own copy.
    pub(crate) backbone: Backbone,
    pub(crate) tokenizer: Tokenizer,
    pub(crate) vocabulary: Vocabulary,
    pub(crate) device: Device,
}

impl ChatModel {
    pub fn load(gguf_path: impl AsRef<Path>) -> Result<Arc<Self>, LanguageError> {
        let path = gguf_path.as_ref();
        let started = Instant::now();
        let mut file = File::open(path).map_err(|source| LanguageError::Io { path: path.to_path_buf(), source })?;
        let content = gguf_file::Content::read(&mut file)
            .map_err(|error| LanguageError::Malformed(format!("{} is not a GGUF file: {error}", path.display())))?;
        let tokenizer = tokenizer::from_gguf(&content)?;
        let vocabulary = Vocabulary::new(&tokenizer)?;
        let device = Device::Cpu;
        let backbone = Backbone::load(content, &mut file, &device)?;
        tracing::info!(path = %path.display(), secs = started.elapsed().as_secs_f64(), "chat model loaded");
        Ok(Arc::new(Self { backbone, tokenizer, vocabulary, device }))
    }

    pub(crate) fn encode(&self, text: &str) -> Result<Vec<u32>, LanguageError> {
        Ok(self.tokenizer.encode(text, false)?.get_ids().to_vec())
    }

    /// A copy of the weights whose calls start after `prefix`, timed in the logs as `task`.
    pub(crate) fn primed(&self, prefix: &[u32], task: &str) -> Result<Backbone, LanguageError> {
        let started = Instant::now();
        let backbone = self.backbone.primed(prefix, &self.device)?;
        tracing::info!(task, prefix_tokens = prefix.len(), secs = started.elapsed().as_secs_f64(), "prompt primed");
        Ok(backbone)
    }
}
