//! The server's VAPID key pair (RFC 8292): made on first start, then kept in a PEM file that only
//! its owner can read. Browsers subscribe with the public key, so replacing the key orphans every
//! subscription: that is why it is made once and never rotated silently.

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::elliptic_curve::zeroize::Zeroizing;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use p256::SecretKey;
use rand::RngCore;

use crate::PushError;

/// A P-256 key pair for signing VAPID tokens. `Debug` shows the public key only.
#[derive(Clone)]
pub struct VapidKeys {
    secret: SecretKey,
    public_key: String,
}

impl VapidKeys {
    /// A fresh key pair, in memory only.
    pub fn generate() -> Self {
        Self::from_secret(random_secret_key())
    }

    /// Loads the key pair from `path` (PKCS#8 or SEC1 PEM), or makes one and writes it there with
    /// mode 0600 if the file does not exist. A key file that group or others can read is refused.
    pub fn load_or_create(path: &Path) -> Result<Self, PushError> {
        match fs::metadata(path) {
            Ok(_) => Self::load(path),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let keys = Self::generate();
                if keys.write_new(path)? {
                    tracing::info!(path = %path.display(), public_key = %keys.public_key, "made a new VAPID key pair");
                    Ok(keys)
                } else {
                    // Another process made it between our check and our write: theirs wins.
                    Self::load(path)
                }
            }
            Err(source) => Err(key_file_error(path, source)),
        }
    }

    /// The public key as the browser's `applicationServerKey` takes it: the uncompressed point
    /// (65 bytes), base64url without padding.
    pub fn public_key_base64url(&self) -> &str {
        &self.public_key
    }

    /// The raw private scalar, base64url: what `web-push` reads a signing key from.
    pub(crate) fn private_key_base64url(&self) -> Zeroizing<String> {
        Zeroizing::new(URL_SAFE_NO_PAD.encode(self.secret.to_bytes()))
    }

    fn from_secret(secret: SecretKey) -> Self {
        let public_key = URL_SAFE_NO_PAD.encode(secret.public_key().to_sec1_bytes());
        Self { secret, public_key }
    }

    fn load(path: &Path) -> Result<Self, PushError> {
        let mode = fs::metadata(path).map_err(|e| key_file_error(path, e))?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(PushError::KeyFileTooOpen { path: path.to_owned(), mode: mode & 0o777 });
        }
        let pem = Zeroizing::new(fs::read_to_string(path).map_err(|e| key_file_error(path, e))?);
        let secret = SecretKey::from_pkcs8_pem(&pem)
            .or_else(|_| SecretKey::from_sec1_pem(&pem))
            .map_err(|e| PushError::KeyFileInvalid { path: path.to_owned(), reason: e.to_string() })?;
        Ok(Self::from_secret(secret))
    }

    /// Writes the key to a private temporary file, then links it into place, so `path` never
    /// holds a half-written key and an existing file is never replaced. `false`: it existed.
    fn write_new(&self, path: &Path) -> Result<bool, PushError> {
        let pem = self
            .secret
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| PushError::Encryption(format!("cannot encode the VAPID key as PEM: {e}")))?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| key_file_error(dir, e))?;
        let tmp = temporary_path(path);
        let written = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut file| {
                file.write_all(pem.as_bytes())?;
                file.sync_all()
            })
            .and_then(|()| fs::hard_link(&tmp, path));
        let _ = fs::remove_file(&tmp);
        match written {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(key_file_error(path, e)),
        }
    }
}

impl fmt::Debug for VapidKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VapidKeys").field("public_key", &self.public_key).field("private_key", &"<redacted>").finish()
    }
}

/// A uniformly random P-256 private key. Drawn with `rand` (0.9) because p256 wants rand_core 0.6.
pub(crate) fn random_secret_key() -> SecretKey {
    loop {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(bytes.as_mut());
        // Fails only for zero or a value past the group order: about 2^-32 of draws.
        if let Ok(secret) = SecretKey::from_slice(bytes.as_ref()) {
            return secret;
        }
    }
}

fn temporary_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{:x}.tmp", std::process::id(), rand::rng().next_u64()))
}

fn key_file_error(path: &Path, source: std::io::Error) -> PushError {
    PushError::KeyFile { path: path.to_owned(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_key_is_an_uncompressed_point_in_base64url() {
        let keys = VapidKeys::generate();
        let bytes = URL_SAFE_NO_PAD.decode(keys.public_key_base64url()).unwrap();
        assert_eq!(bytes.len(), 65);
        assert_eq!(bytes[0], 0x04);
    }

    #[test]
    fn a_key_file_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vapid.pem");
        VapidKeys::load_or_create(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let err = VapidKeys::load_or_create(&path).unwrap_err();
        assert!(matches!(err, PushError::KeyFileTooOpen { mode: 0o644, .. }), "{err}");
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }

    #[test]
    fn a_key_file_without_a_key_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vapid.pem");
        OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path).unwrap();
        let err = VapidKeys::load_or_create(&path).unwrap_err();
        assert!(matches!(err, PushError::KeyFileInvalid { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"");
    }

    #[test]
    fn an_openssl_sec1_key_is_accepted() {
        let secret = random_secret_key();
        let pem = secret.to_sec1_pem(LineEnding::LF).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vapid.pem");
        let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path).unwrap();
        file.write_all(pem.as_bytes()).unwrap();
        let keys = VapidKeys::load_or_create(&path).unwrap();
        assert_eq!(keys.public_key_base64url(), VapidKeys::from_secret(secret).public_key_base64url());
    }

    #[test]
    fn the_key_file_is_made_with_its_directory_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("vapid.pem");
        VapidKeys::load_or_create(&path).unwrap();
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec!["vapid.pem"]);
    }
}
