use coagent_domain::EngineError;

/// Why loading or running a language model failed.
#[derive(Debug, thiserror::Error)]
pub enum LanguageError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The model file is readable but not something this crate can run.
    #[error("unsupported model: {0}")]
    Unsupported(String),
    /// The model file lacks something it must carry (tokenizer, metadata...).
    #[error("malformed model file: {0}")]
    Malformed(String),
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("candle: {0}")]
    Candle(#[from] candle_core::Error),
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

impl From<tokenizers::Error> for LanguageError {
    fn from(error: tokenizers::Error) -> Self {
        Self::Tokenizer(error.to_string())
    }
}

impl From<LanguageError> for EngineError {
    fn from(error: LanguageError) -> Self {
        match error {
            LanguageError::InvalidInput(message) => EngineError::InvalidInput(message),
            other => EngineError::Inference(other.to_string()),
        }
    }
}
