use std::path::PathBuf;

/// Why keys could not be loaded, or a message was not sent at all (nothing reached the push
/// service). What the push service answered is a [`crate::Delivery`], not an error.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("cannot read or write the VAPID key file {}: {source}", path.display())]
    KeyFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the VAPID key file {path} can be read by group or others (mode {mode:o}); run `chmod 600 {path}`. \
         If others may have copied it, delete it instead: a new key is made at start, \
         and browsers must subscribe again",
        path = path.display()
    )]
    KeyFileTooOpen { path: PathBuf, mode: u32 },
    #[error(
        "the VAPID key file {} holds no P-256 private key in PEM (PKCS#8 or SEC1): {reason}. \
         Delete it to have a new key made at start (browsers must then subscribe again)",
        path.display()
    )]
    KeyFileInvalid { path: PathBuf, reason: String },
    #[error("the VAPID subject must be a mailto: address or an https: URL, got {0:?}")]
    InvalidSubject(String),
    #[error("the push payload is {size} bytes; at most {max} are allowed (send a short teaser, not the content)")]
    PayloadTooLarge { size: usize, max: usize },
    #[error("the push topic must be at most 32 base64url characters, got {0:?}")]
    InvalidTopic(String),
    #[error("cannot encrypt or sign the push message: {0}")]
    Encryption(String),
    #[error("cannot build the HTTP client for push: {0}")]
    HttpClient(#[source] reqwest::Error),
}
