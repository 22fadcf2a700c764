//! Local path sources: a directory holding the files by name, or one file for a one-file model.
//! Files are copied (never moved): the source may be a read-only share used by other machines.

use std::path::Path;

use super::Staged;
use crate::error::SourceError;
use crate::manifest::PathSource;

pub(super) fn stage(source: &PathSource, wanted: &[&str], staging: &Path) -> Result<Staged, SourceError> {
    let root = &source.path;
    let meta = std::fs::metadata(root).map_err(|_| SourceError::MissingPath(root.clone()))?;
    let pairs: Vec<(&str, std::path::PathBuf)> = match wanted {
        [one] if meta.is_file() => vec![(*one, root.clone())],
        _ => wanted.iter().map(|name| (*name, root.join(name))).collect(),
    };
    let mut staged = Staged::new();
    for (name, from) in pairs {
        if !from.is_file() {
            return Err(SourceError::MissingPath(from));
        }
        let to = staging.join(name);
        std::fs::copy(&from, &to).map_err(SourceError::io("copy", &from))?;
        staged.insert(name.to_owned(), to);
    }
    Ok(staged)
}
