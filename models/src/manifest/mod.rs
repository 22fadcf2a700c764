//! The manifest (`models/manifest.toml`, embedded in the binary): every model coagent can run,
//! its final files with their SHA-256, and the ordered sources they can come from.

mod select;
mod source;
mod validate;

use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::error::ModelError;

pub use source::{Conversion, PathSource, PipFile, PipSource, Source, UrlFile, UrlSource};

/// What a model is for; each role has one default model and may have bigger optional ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Speech,
    Summary,
    Embedding,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Speech, Role::Summary, Role::Embedding];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Speech => "speech",
            Role::Summary => "summary",
            Role::Embedding => "embedding",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The setting that picks a non-default model for this role.
    pub fn env_var(self) -> &'static str {
        match self {
            Role::Speech => "COAGENT_WHISPER_MODEL",
            Role::Summary => "COAGENT_LLM_MODEL",
            Role::Embedding => "COAGENT_EMBEDDING_MODEL",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One model: what the engines load (`files`, in `<cache>/<id>/`) and where it comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    pub id: String,
    pub role: Role,
    #[serde(default)]
    pub default: bool,
    pub description: String,
    /// The architecture an engine needs to pick its loader (`llama`, `qwen2`), for LLMs.
    #[serde(default)]
    pub arch: Option<String>,
    #[serde(rename = "file")]
    pub files: Vec<FileSpec>,
    /// Tried in order; the first that yields every file with the right hash wins.
    #[serde(rename = "source")]
    pub sources: Vec<Source>,
}

impl ModelSpec {
    pub fn file(&self, name: &str) -> Option<&FileSpec> {
        self.files.iter().find(|f| f.name == name)
    }

    /// Bytes the installed model takes on disk.
    pub fn size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// A final file of a model, as engines load it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    pub name: String,
    /// Lowercase hex.
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    models: Vec<ModelSpec>,
    /// Index in `models` of each role's default, in `Role::ALL` order (found by validation).
    defaults: [usize; 3],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestToml {
    #[serde(rename = "model", default)]
    models: Vec<ModelSpec>,
}

/// Overrides the embedded manifest, e.g. for an air-gapped install whose sources are local paths.
pub const MANIFEST_ENV: &str = "COAGENT_MODELS_MANIFEST";

impl Manifest {
    /// The manifest compiled into the binary (a unit test checks that it parses).
    pub fn embedded() -> Self {
        match Self::from_toml(include_str!("../../manifest.toml")) {
            Ok(manifest) => manifest,
            Err(e) => panic!("the embedded models/manifest.toml is invalid: {e}"),
        }
    }

    /// The file named by `COAGENT_MODELS_MANIFEST` if set, else the embedded manifest.
    pub fn load() -> Result<Self, ModelError> {
        match std::env::var_os(MANIFEST_ENV).filter(|v| !v.is_empty()) {
            Some(path) => Self::from_file(Path::new(&path)),
            None => Ok(Self::embedded()),
        }
    }

    pub fn from_file(path: &Path) -> Result<Self, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
            action: "read the model manifest",
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&text)
    }

    /// Parses and checks a manifest: ids, file names and hashes are well formed, sources fit
    /// the files they must produce, and each role has exactly one default.
    pub fn from_toml(text: &str) -> Result<Self, ModelError> {
        let parsed: ManifestToml = toml::from_str(text).map_err(|e| ModelError::Manifest(e.to_string()))?;
        let defaults = validate::check(&parsed.models).map_err(ModelError::Manifest)?;
        Ok(Self { models: parsed.models, defaults })
    }

    pub fn models(&self) -> &[ModelSpec] {
        &self.models
    }

    pub fn model(&self, id: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }

    pub fn models_for(&self, role: Role) -> impl Iterator<Item = &ModelSpec> {
        self.models.iter().filter(move |m| m.role == role)
    }

    pub fn default_for(&self, role: Role) -> &ModelSpec {
        &self.models[self.defaults[role.index()]]
    }
}

#[cfg(test)]
mod tests;
