//! File helpers shared by fetching and conversion: hashing with progress, and temporary files
//! that become cache files.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::progress::Progress;

/// SHA-256 (lowercase hex) and length of a file, reporting bytes hashed.
pub(crate) fn sha256_file(path: &Path, progress: &dyn Progress) -> io::Result<(String, u64)> {
    let mut file = File::open(path)?;
    let total = file.metadata()?.len();
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    progress.start(&format!("verifying {}", name.unwrap_or_default()), Some(total));
    let result = loop {
        match file.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => {
                hasher.update(&buf[..n]);
                len += n as u64;
                progress.advance(n as u64);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    progress.finish();
    result?;
    Ok((hex::encode(hasher.finalize()), len))
}

/// A builder for temporary files that will be renamed into the cache. tempfile creates them
/// 0600; cache files are read by the service account and other users, so they get 0644 like any
/// downloaded file.
pub(crate) fn temp_file_builder(prefix: &str) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder
}
