//! Server settings: defaults, then `COAGENT_*` environment variables (a `.env` file is not
//! read: the service manager or the shell sets them). Validated once at start, with messages
//! that say how to fix each problem. `.env.example` documents every variable; a test keeps
//! it in step with `VARIABLES`.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use coagent_api::ApiConfig;

/// Every variable the server reads (besides `COAGENT_MODELS_DIR` and the model choices, which
/// the command line already handles), in `.env.example` order.
pub const VARIABLES: &[&str] = &[
    "COAGENT_ADDR",
    "COAGENT_DATA_DIR",
    "DATABASE_URL",
    "COAGENT_MODELS_DIR",
    "COAGENT_PWA_DIR",
    "COAGENT_PUBLIC_URL",
    "COAGENT_MAX_UPLOAD_MB",
    "COAGENT_AUDIO_RETENTION_DAYS",
    "COAGENT_SPEECH_WORKERS",
    "COAGENT_SUMMARY_WORKERS",
    "COAGENT_QUEUE_CAPACITY",
    "COAGENT_PEERS_PER_WAVE",
    "COAGENT_ESCALATE_AFTER_MINUTES",
    "COAGENT_MAX_PEERS_ASKED",
    "COAGENT_PUSH_SUBJECT",
];

/// A value that must never reach a log line (a database URL may carry a password).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<Secret>,
    pub pwa_dir: PathBuf,
    /// The origin people open: invite links point there.
    pub public_url: String,
    pub max_upload_mb: u64,
    /// Days a recording's audio is kept; 0 keeps it forever.
    pub audio_retention_days: u32,
    pub speech_workers: usize,
    pub summary_workers: usize,
    pub queue_capacity: usize,
    /// Peers asked at once, first and at each escalation.
    pub peers_per_wave: usize,
    pub escalate_after_minutes: u64,
    pub max_peers_asked: usize,
    /// The contact push services see in the VAPID signature: `mailto:…` or `https://…`.
    pub push_subject: String,
}

impl Settings {
    pub fn from_env() -> Result<Settings> {
        Settings::from_lookup(|name| std::env::var(name).ok().filter(|value| !value.trim().is_empty()))
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings> {
        let addr_text = lookup("COAGENT_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let addr: SocketAddr = addr_text.trim().parse().map_err(|_| {
            anyhow::anyhow!(
                "COAGENT_ADDR={addr_text:?} is not a listen address; use IP:PORT such as 127.0.0.1:8080 \
                 (or 0.0.0.0:8080 to accept other machines)"
            )
        })?;
        let data_dir = match lookup("COAGENT_DATA_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => dirs::data_dir()
                .map(|dir| dir.join("coagent"))
                .context("no user data directory is known on this system; set COAGENT_DATA_DIR to a writable folder")?,
        };
        let database_url = lookup("DATABASE_URL").map(Secret);
        if let Some(url) = &database_url {
            let url = url.expose();
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://") || url.starts_with("sqlite:")) {
                bail!(
                    "DATABASE_URL must start with postgres:// (or sqlite:); unset it to use the SQLite file in COAGENT_DATA_DIR"
                );
            }
        }
        let public_url = lookup("COAGENT_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("COAGENT_PUBLIC_URL={public_url:?} must start with http:// or https:// (it is what invite links point to)");
        }
        let push_subject = lookup("COAGENT_PUSH_SUBJECT").unwrap_or_else(|| {
            // An https origin identifies the operator well enough; otherwise a placeholder address.
            if public_url.starts_with("https://") {
                public_url.clone()
            } else {
                "mailto:concierge@coagent.invalid".into()
            }
        });
        if !(push_subject.starts_with("mailto:") || push_subject.starts_with("https://")) {
            bail!("COAGENT_PUSH_SUBJECT={push_subject:?} must be a mailto: address or an https:// URL where push services can reach you");
        }
        Ok(Settings {
            addr,
            data_dir,
            database_url,
            pwa_dir: PathBuf::from(lookup("COAGENT_PWA_DIR").unwrap_or_else(|| "mobile-pwa/dist".into())),
            public_url: public_url.trim_end_matches('/').to_owned(),
            max_upload_mb: number(&lookup, "COAGENT_MAX_UPLOAD_MB", 50, 1..=2_000)?,
            audio_retention_days: number(&lookup, "COAGENT_AUDIO_RETENTION_DAYS", 90, 0..=36_500)? as u32,
            speech_workers: number(&lookup, "COAGENT_SPEECH_WORKERS", 2, 1..=64)? as usize,
            summary_workers: number(&lookup, "COAGENT_SUMMARY_WORKERS", 1, 1..=64)? as usize,
            queue_capacity: number(&lookup, "COAGENT_QUEUE_CAPACITY", 16, 1..=10_000)? as usize,
            peers_per_wave: number(&lookup, "COAGENT_PEERS_PER_WAVE", 3, 1..=20)? as usize,
            escalate_after_minutes: number(&lookup, "COAGENT_ESCALATE_AFTER_MINUTES", 30, 1..=10_080)?,
            max_peers_asked: number(&lookup, "COAGENT_MAX_PEERS_ASKED", 9, 1..=100)? as usize,
            push_subject,
        })
    }

    /// Creates the data directory now, so a read-only path fails at start with its name.
    pub fn prepare_data_dir(&self) -> Result<()> {
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!("COAGENT_DATA_DIR={} cannot be created; point it at a writable folder", self.data_dir.display())
        })
    }

    pub fn api_config(&self) -> ApiConfig {
        let mut config = ApiConfig::new(&self.data_dir);
        config.database_url = self.database_url.as_ref().map(|url| url.expose().to_owned());
        config.pwa_dir = Some(self.pwa_dir.clone());
        config.max_upload_bytes = self.max_upload_mb * 1_000_000;
        config.secure_cookies = self.public_url.starts_with("https://");
        config.audio_retention_days = self.audio_retention_days;
        let network = &mut config.network;
        network.policy.first_wave = self.peers_per_wave;
        network.policy.wave_size = self.peers_per_wave;
        network.policy.max_asked = self.max_peers_asked.max(self.peers_per_wave);
        network.policy.escalate_after = chrono::TimeDelta::minutes(self.escalate_after_minutes as i64);
        network.push_subject = self.push_subject.clone();
        network.public_url = self.public_url.clone();
        config
    }
}

fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64> {
    let Some(text) = lookup(name) else { return Ok(default) };
    match text.trim().parse::<u64>() {
        Ok(value) if range.contains(&value) => Ok(value),
        _ => bail!(
            "{name}={text:?} must be a whole number from {} to {} (default {default})",
            range.start(),
            range.end()
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_listen_on_localhost_8080_with_sqlite() {
        let settings = settings(&[("COAGENT_DATA_DIR", "/tmp/x")]).unwrap();
        assert_eq!(settings.addr.to_string(), "127.0.0.1:8080");
        assert!(settings.database_url.is_none());
        assert_eq!(settings.public_url, "http://127.0.0.1:8080");
        assert_eq!(settings.pwa_dir, PathBuf::from("mobile-pwa/dist"));
    }

    #[test]
    fn a_bad_address_says_what_a_good_one_looks_like() {
        let error = settings(&[("COAGENT_ADDR", "localhost")]).unwrap_err().to_string();
        assert!(error.contains("COAGENT_ADDR") && error.contains("127.0.0.1:8080"), "{error}");
    }

    #[test]
    fn a_mysql_url_is_refused_and_the_password_never_prints() {
        let error = settings(&[("DATABASE_URL", "mysql://u:hunter2@h/db")]).unwrap_err().to_string();
        assert!(error.contains("postgres://") && !error.contains("hunter2"), "{error}");
        let ok = settings(&[("DATABASE_URL", "postgres://u:hunter2@h/db"), ("COAGENT_DATA_DIR", "/tmp")]).unwrap();
        assert!(!format!("{ok:?}").contains("hunter2"));
    }

    #[test]
    fn a_zero_worker_count_is_refused_with_the_allowed_range() {
        let error = settings(&[("COAGENT_SPEECH_WORKERS", "0")]).unwrap_err().to_string();
        assert!(error.contains("from 1 to 64"), "{error}");
    }

    #[test]
    fn audio_is_kept_90_days_unless_told_otherwise_and_0_keeps_it_forever() {
        let default = settings(&[("COAGENT_DATA_DIR", "/tmp/x")]).unwrap();
        assert_eq!((default.audio_retention_days, default.api_config().audio_retention_days), (90, 90));
        let forever = settings(&[("COAGENT_DATA_DIR", "/tmp/x"), ("COAGENT_AUDIO_RETENTION_DAYS", "0")]).unwrap();
        assert_eq!(forever.api_config().audio_retention_days, 0);
        let error = settings(&[("COAGENT_AUDIO_RETENTION_DAYS", "-1")]).unwrap_err().to_string();
        assert!(error.contains("COAGENT_AUDIO_RETENTION_DAYS") && error.contains("from 0 to 36500"), "{error}");
    }

    #[test]
    fn env_example_documents_exactly_the_variables_read() {
        let example = include_str!("../../../.env.example");
        let documented: Vec<&str> = example
            .lines()
            .map(|line| line.trim_start_matches('#').trim())
            .filter_map(|line| line.split_once('=').map(|(name, _)| name))
            .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .collect();
        assert_eq!(documented, VARIABLES, ".env.example and settings::VARIABLES disagree");
    }
}
