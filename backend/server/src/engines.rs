//! Loading the real engines from the model cache, with errors that say what to run.

use anyhow::{Context, Result};
use coagent_language::{CardSummarizer, DigestCondenser, SentenceEmbedder};
use coagent_models::{InstalledModel, Manifest, ModelCache, Role};
use coagent_speech::{EngineOptions, WhisperEngine};

use crate::cli::ModelSettings;

pub fn model_cache(settings: &ModelSettings) -> ModelCache {
    match &settings.models_dir {
        Some(dir) => ModelCache::at(dir.clone()),
        None => ModelCache::from_env(),
    }
}

fn installed(settings: &ModelSettings, role: Role) -> Result<InstalledModel> {
    let manifest = Manifest::embedded();
    let spec = manifest.selected(role)?;
    Ok(model_cache(settings).installed(spec)?)
}

pub fn speech(settings: &ModelSettings) -> Result<WhisperEngine> {
    speech_with(settings, EngineOptions::default())
}

pub fn speech_with(settings: &ModelSettings, options: EngineOptions) -> Result<WhisperEngine> {
    let model = installed(settings, Role::Speech)?;
    WhisperEngine::load(&model.file("ggml-model.bin"), options).context("the speech engine did not start")
}

pub fn summarizer(settings: &ModelSettings) -> Result<CardSummarizer> {
    let model = installed(settings, Role::Summary)?;
    CardSummarizer::load(model.file("model.gguf")).context("the summarizer did not start")
}

/// The card summarizer and the digest condenser, sharing one loaded chat model.
pub fn language(settings: &ModelSettings) -> Result<(CardSummarizer, DigestCondenser)> {
    let summarizer = summarizer(settings)?;
    let condenser = DigestCondenser::new(summarizer.model().clone()).context("the digest condenser did not start")?;
    Ok((summarizer, condenser))
}

pub fn embedder(settings: &ModelSettings) -> Result<SentenceEmbedder> {
    let model = installed(settings, Role::Embedding)?;
    SentenceEmbedder::load(&model.dir).context("the embedder did not start")
}
