//! The model manifest: which models coagent runs, where their files come from, and how they are
//! fetched, converted and verified into the local cache that every engine loads from.
//!
//! Engines call [`ModelCache::installed`] before loading (it checks every file's SHA-256); the
//! CLI calls [`ModelCache::fetch`] for the models [`Manifest::selected`] picks.

mod cache;
mod convert;
mod error;
mod fetch;
mod files;
mod manifest;
mod progress;

pub use cache::{InstalledModel, ModelCache, MODELS_DIR_ENV};
pub use convert::{convert_ctranslate2_whisper, convert_ctranslate2_whisper_with_progress, ConvertError};
pub use error::{ModelError, SourceError, SourceFailure};
pub use fetch::FetchOutcome;
pub use manifest::{
    Conversion, FileSpec, Manifest, ModelSpec, PathSource, PipFile, PipSource, Role, Source, UrlFile, UrlSource,
    MANIFEST_ENV,
};
pub use progress::{Bars, Progress, Quiet};

#[cfg(test)]
mod test_support;
