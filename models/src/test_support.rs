//! Manifests written by tests: one model per role by default, each with one file and a local
//! `path` source, so nothing touches the network.

use sha2::{Digest, Sha256};

#[derive(Clone)]
pub(crate) struct ModelEntry {
    pub id: String,
    pub role: &'static str,
    pub default: bool,
    pub file: String,
    pub sha256: String,
    pub size: u64,
    /// Raw `[[model.source]]` tables.
    pub sources: Vec<String>,
}

impl ModelEntry {
    pub(crate) fn new(id: &str, role: &'static str, file: &str, content: &[u8]) -> Self {
        Self {
            id: id.into(),
            role,
            default: true,
            file: file.into(),
            sha256: sha256_hex(content),
            size: content.len() as u64,
            sources: vec![path_source("/nonexistent/coagent-test-source")],
        }
    }

    pub(crate) fn one_per_role() -> Vec<Self> {
        vec![
            Self::new("speech-model", "speech", "ggml-model.bin", b"speech"),
            Self::new("summary-model", "summary", "model.gguf", b"summary"),
            Self::new("embedding-model", "embedding", "model.safetensors", b"embedding"),
        ]
    }
}

pub(crate) fn path_source(path: impl AsRef<std::path::Path>) -> String {
    let path = path.as_ref().display().to_string().replace('\\', "\\\\");
    format!("[[model.source]]\nkind = \"path\"\npath = \"{path}\"\n")
}

pub(crate) fn manifest_text(entries: &[ModelEntry]) -> String {
    let mut text = String::new();
    for e in entries {
        text.push_str(&format!(
            "[[model]]\nid = \"{}\"\nrole = \"{}\"\ndefault = {}\ndescription = \"test model\"\n\n\
             [[model.file]]\nname = \"{}\"\nsha256 = \"{}\"\nsize = {}\n\n",
            e.id, e.role, e.default, e.file, e.sha256, e.size
        ));
        for source in &e.sources {
            text.push_str(source);
            text.push('\n');
        }
    }
    text
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
