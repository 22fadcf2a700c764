//! URL sources, downloaded with the system's `curl` rather than an HTTP client crate: it keeps
//! TLS out of this crate's build, and deployments that can reach the publishers have curl.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use super::{verify, Staged};
use crate::error::SourceError;
use crate::manifest::UrlSource;
use crate::progress::Progress;

/// Overrides the curl executable.
pub const CURL_ENV: &str = "COAGENT_CURL";

pub(super) fn stage(
    source: &UrlSource,
    staging: &std::path::Path,
    progress: &dyn Progress,
) -> Result<Staged, SourceError> {
    let curl = std::env::var_os(CURL_ENV).unwrap_or_else(|| OsString::from("curl"));
    let mut staged = Staged::new();
    for file in &source.files {
        let out = staging.join(&file.name);
        let command = format!("curl {}", file.url);
        let mut cmd = Command::new(&curl);
        // https only, also after redirects; fail on HTTP errors instead of saving the error page.
        cmd.args(["--fail", "--location", "--proto", "=https", "--proto-redir", "=https"])
            .args(["--retry", "2", "--show-error", "--output"])
            .arg(&out)
            .arg(&file.url)
            .stdin(Stdio::null());
        // `output()` captures stderr for the error message, unless curl's bar is wanted there.
        if progress.show_tool_output() {
            cmd.arg("--progress-bar").stdout(Stdio::inherit()).stderr(Stdio::inherit());
        } else {
            cmd.arg("--silent");
        }
        progress.note(&format!("downloading {}", file.url));
        let output = cmd.output().map_err(|source| SourceError::Spawn { command: command.clone(), source })?;
        if !output.status.success() {
            return Err(SourceError::Tool {
                command,
                status: output.status.to_string(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        verify(&out, &file.name, file.sha256.as_deref(), file.size, progress)?;
        staged.insert(file.name.clone(), out);
    }
    Ok(staged)
}
