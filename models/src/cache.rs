//! The local model cache. Its layout is fixed because every engine relies on it:
//! `<root>/<model-id>/<file-name>`; the cache's own work (downloaded wheels, staging) lives in
//! dot-directories that no model id can collide with.

use std::io;
use std::path::{Path, PathBuf};

use crate::error::ModelError;
use crate::fetch::{self, FetchOutcome};
use crate::files::sha256_file;
use crate::manifest::ModelSpec;
use crate::progress::{Progress, Quiet};

/// Overrides the cache root.
pub const MODELS_DIR_ENV: &str = "COAGENT_MODELS_DIR";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCache {
    root: PathBuf,
}

/// A model whose every file is present with the right hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledModel {
    pub id: String,
    pub dir: PathBuf,
}

impl InstalledModel {
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl ModelCache {
    /// `COAGENT_MODELS_DIR` if set, else `~/.cache/coagent/models` (the platform cache dir).
    pub fn from_env() -> Self {
        match std::env::var_os(MODELS_DIR_ENV).filter(|v| !v.is_empty()) {
            Some(dir) => Self::at(dir),
            None => Self::at(default_root()),
        }
    }

    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where a model's files live (whether or not they are there).
    pub fn model_dir(&self, spec: &ModelSpec) -> PathBuf {
        self.root.join(&spec.id)
    }

    /// Wheels are kept here, so a re-run after a failed conversion does not download again.
    pub(crate) fn downloads_dir(&self) -> PathBuf {
        self.root.join(".downloads")
    }

    /// Checks that every file of the model is present with the right size and SHA-256.
    pub fn installed(&self, spec: &ModelSpec) -> Result<InstalledModel, ModelError> {
        self.installed_with_progress(spec, &Quiet)
    }

    /// [`ModelCache::installed`], reporting hashing progress (a large model takes seconds).
    pub fn installed_with_progress(
        &self,
        spec: &ModelSpec,
        progress: &dyn Progress,
    ) -> Result<InstalledModel, ModelError> {
        let dir = self.model_dir(spec);
        let corrupt = |file: &str, problem: String| ModelError::Corrupt {
            id: spec.id.clone(),
            dir: dir.clone(),
            file: file.to_owned(),
            problem,
        };
        let unreadable = |path: PathBuf| move |source| ModelError::Io { action: "read", path, source };
        // Cheap checks on every file first, so a missing file is reported without hashing.
        for file in &spec.files {
            let path = dir.join(&file.name);
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(ModelError::Missing { id: spec.id.clone(), dir, file: file.name.clone() })
                }
                Err(e) => return Err(unreadable(path)(e)),
            };
            if !meta.is_file() {
                return Err(corrupt(&file.name, "is not a file".into()));
            }
            if meta.len() != file.size {
                let problem = format!("has {} bytes, expected {}", meta.len(), file.size);
                return Err(corrupt(&file.name, problem));
            }
        }
        for file in &spec.files {
            let path = dir.join(&file.name);
            let (sha, _) = sha256_file(&path, progress).map_err(unreadable(path))?;
            if sha != file.sha256 {
                let problem = format!("has sha256 {sha}, expected {}", file.sha256);
                return Err(corrupt(&file.name, problem));
            }
        }
        Ok(InstalledModel { id: spec.id.clone(), dir })
    }

    /// Makes the model installed, trying its sources in order. Idempotent: when
    /// [`ModelCache::installed`] already succeeds nothing is downloaded or touched.
    pub fn fetch(&self, spec: &ModelSpec, progress: &dyn Progress) -> Result<FetchOutcome, ModelError> {
        fetch::fetch(self, spec, progress)
    }
}

fn default_root() -> PathBuf {
    match dirs::cache_dir() {
        Some(dir) => dir.join("coagent").join("models"),
        // No home directory (a bare service account): still somewhere writable and stable.
        None => std::env::temp_dir().join("coagent").join("models"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_root_comes_from_the_setting_or_the_user_cache_dir() {
        // The only test that touches COAGENT_MODELS_DIR.
        std::env::set_var(MODELS_DIR_ENV, "/srv/coagent-models");
        let configured = ModelCache::from_env();
        std::env::remove_var(MODELS_DIR_ENV);
        assert_eq!(configured.root(), Path::new("/srv/coagent-models"));
        let default = ModelCache::from_env();
        assert!(default.root().ends_with("coagent/models"), "{}", default.root().display());
    }
}
