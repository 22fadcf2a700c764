//! A browser's push subscription, checked once at the boundary: an http(s) endpoint and the
//! user agent's P-256 public key and 16-byte auth secret (RFC 8291), both base64url.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::Url;
use serde::{Deserialize, Serialize, Serializer};

/// Longest endpoint accepted; real ones (FCM, Mozilla, Apple) are a few hundred characters.
const MAX_ENDPOINT_LEN: usize = 2048;

/// A validated push subscription. Parses from (and serializes to) the browser's
/// `PushSubscription` JSON: `{"endpoint": "...", "keys": {"p256dh": "...", "auth": "..."}}`.
#[derive(Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "BrowserSubscription")]
pub struct Subscription {
    endpoint: String,
    p256dh: String,
    auth: String,
}

/// Why a subscription was refused; the message names the field and how it is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscriptionError {
    #[error("the push subscription is not valid JSON: {0}")]
    Json(String),
    #[error("the push subscription has no {0}")]
    Missing(&'static str),
    #[error("the push subscription's endpoint {0}")]
    Endpoint(String),
    #[error("the push subscription's keys.{0} is not base64url")]
    Base64(&'static str),
    #[error("the push subscription's keys.{field} must be {expected} bytes, got {got}")]
    KeyLength { field: &'static str, expected: usize, got: usize },
    #[error("the push subscription's keys.p256dh is not an uncompressed point on the P-256 curve")]
    NotOnCurve,
}

impl Subscription {
    /// Checks the three parts as a browser gives them (base64url, with or without padding).
    pub fn new(endpoint: &str, p256dh: &str, auth: &str) -> Result<Self, SubscriptionError> {
        check_endpoint(endpoint)?;
        let key = decode("p256dh", p256dh, 65)?;
        if key[0] != 0x04 || p256::PublicKey::from_sec1_bytes(&key).is_err() {
            return Err(SubscriptionError::NotOnCurve);
        }
        decode("auth", auth, 16)?;
        Ok(Self {
            endpoint: endpoint.to_owned(),
            p256dh: p256dh.trim_end_matches('=').to_owned(),
            auth: auth.trim_end_matches('=').to_owned(),
        })
    }

    /// Parses the browser's `PushSubscription` JSON (other fields, like `expirationTime`, are ignored).
    pub fn from_json(json: &str) -> Result<Self, SubscriptionError> {
        let raw: BrowserSubscription =
            serde_json::from_str(json).map_err(|e| SubscriptionError::Json(e.to_string()))?;
        raw.try_into()
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The user agent's public key, base64url without padding.
    pub fn p256dh(&self) -> &str {
        &self.p256dh
    }

    /// The user agent's auth secret, base64url without padding.
    pub fn auth(&self) -> &str {
        &self.auth
    }

    /// `scheme://host[:port]` of the endpoint: the audience of the VAPID token.
    pub fn origin(&self) -> String {
        Url::parse(&self.endpoint).map(|url| url.origin().ascii_serialization()).unwrap_or_default()
    }
}

/// The auth secret is left out: with it, anyone could write messages this device decrypts.
impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("endpoint", &self.endpoint)
            .field("p256dh", &self.p256dh)
            .field("auth", &"<redacted>")
            .finish()
    }
}

impl Serialize for Subscription {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        BrowserSubscription {
            endpoint: Some(self.endpoint.clone()),
            keys: Some(BrowserKeys { p256dh: Some(self.p256dh.clone()), auth: Some(self.auth.clone()) }),
        }
        .serialize(serializer)
    }
}

/// The browser's JSON, every part optional so a missing one gets our message, not serde's.
#[derive(Serialize, Deserialize)]
struct BrowserSubscription {
    endpoint: Option<String>,
    keys: Option<BrowserKeys>,
}

#[derive(Serialize, Deserialize)]
struct BrowserKeys {
    p256dh: Option<String>,
    auth: Option<String>,
}

impl TryFrom<BrowserSubscription> for Subscription {
    type Error = SubscriptionError;

    fn try_from(raw: BrowserSubscription) -> Result<Self, Self::Error> {
        let endpoint = raw.endpoint.ok_or(SubscriptionError::Missing("endpoint"))?;
        let keys = raw.keys.ok_or(SubscriptionError::Missing("keys"))?;
        let p256dh = keys.p256dh.ok_or(SubscriptionError::Missing("keys.p256dh"))?;
        let auth = keys.auth.ok_or(SubscriptionError::Missing("keys.auth"))?;
        Self::new(&endpoint, &p256dh, &auth)
    }
}

fn check_endpoint(endpoint: &str) -> Result<(), SubscriptionError> {
    let refuse = |why: &str| Err(SubscriptionError::Endpoint(why.to_owned()));
    if endpoint.len() > MAX_ENDPOINT_LEN {
        return refuse(&format!("is longer than {MAX_ENDPOINT_LEN} characters"));
    }
    let Ok(url) = Url::parse(endpoint) else {
        return refuse("is not a URL");
    };
    let Some(host) = url.host_str() else {
        return refuse("has no host");
    };
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => Ok(()),
        // Plain http only for a push service on this machine: the tests' own.
        "http" if loopback => Ok(()),
        "http" => refuse("must use https"),
        _ => refuse("must be an https URL"),
    }
}

fn decode(field: &'static str, value: &str, expected: usize) -> Result<Vec<u8>, SubscriptionError> {
    let bytes = URL_SAFE_NO_PAD.decode(value.trim_end_matches('=')).map_err(|_| SubscriptionError::Base64(field))?;
    if bytes.len() != expected {
        return Err(SubscriptionError::KeyLength { field, expected, got: bytes.len() });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real subscription from Chrome (keys from web-push's own tests).
    const P256DH: &str = "BGa4N1PI79lboMR_YrwCiCsgp35DRvedt7opHcf0yM3iOBTSoQYqQLwWxAfRKE6tsDnReWmhsImkhDF_DBdkNSU";
    const AUTH: &str = "EvcWjEgzr4rbvhfi3yds0A";
    const ENDPOINT: &str = "https://fcm.googleapis.com/fcm/send/eKClHsXFm9E:APA91bH2x3gN";

    fn json(endpoint: &str, p256dh: &str, auth: &str) -> String {
        serde_json::json!({"endpoint": endpoint, "expirationTime": null, "keys": {"p256dh": p256dh, "auth": auth}})
            .to_string()
    }

    #[test]
    fn a_browser_subscription_is_accepted_and_round_trips() {
        let subscription = Subscription::from_json(&json(ENDPOINT, P256DH, AUTH)).unwrap();
        assert_eq!(subscription.endpoint(), ENDPOINT);
        assert_eq!(subscription.origin(), "https://fcm.googleapis.com");
        let again: Subscription = serde_json::from_value(serde_json::to_value(&subscription).unwrap()).unwrap();
        assert_eq!(again, subscription);
    }

    #[test]
    fn a_subscription_without_auth_key_is_rejected() {
        let raw = serde_json::json!({"endpoint": ENDPOINT, "keys": {"p256dh": P256DH}}).to_string();
        assert_eq!(Subscription::from_json(&raw), Err(SubscriptionError::Missing("keys.auth")));
    }

    #[test]
    fn a_subscription_without_keys_is_rejected() {
        let raw = serde_json::json!({"endpoint": ENDPOINT}).to_string();
        assert_eq!(Subscription::from_json(&raw), Err(SubscriptionError::Missing("keys")));
    }

    #[test]
    fn a_key_that_is_not_base64url_is_rejected() {
        let err = Subscription::from_json(&json(ENDPOINT, P256DH, "EvcWjEgzr4rbvhfi3yds0A+/")).unwrap_err();
        assert_eq!(err, SubscriptionError::Base64("auth"));
    }

    #[test]
    fn an_auth_secret_of_the_wrong_length_is_rejected() {
        let err = Subscription::from_json(&json(ENDPOINT, P256DH, "EvcWjEgzr4rbvhfi")).unwrap_err();
        assert_eq!(err, SubscriptionError::KeyLength { field: "auth", expected: 16, got: 12 });
    }

    #[test]
    fn a_public_key_of_the_wrong_length_is_rejected() {
        let err = Subscription::from_json(&json(ENDPOINT, &P256DH[..40], AUTH)).unwrap_err();
        assert_eq!(err, SubscriptionError::KeyLength { field: "p256dh", expected: 65, got: 30 });
    }

    #[test]
    fn a_public_key_off_the_curve_is_rejected() {
        let mut key = URL_SAFE_NO_PAD.decode(P256DH).unwrap();
        key[64] ^= 1;
        let err = Subscription::from_json(&json(ENDPOINT, &URL_SAFE_NO_PAD.encode(key), AUTH)).unwrap_err();
        assert_eq!(err, SubscriptionError::NotOnCurve);
    }

    #[test]
    fn padded_base64url_is_accepted_and_stored_unpadded() {
        let subscription = Subscription::new(ENDPOINT, &format!("{P256DH}="), "EvcWjEgzr4rbvhfi3yds0A==").unwrap();
        assert_eq!(subscription.p256dh(), P256DH);
        assert_eq!(subscription.auth(), AUTH);
    }

    #[test]
    fn a_non_http_endpoint_is_rejected() {
        for endpoint in ["ftp://push.example.com/x", "javascript:alert(1)", "not a url", "file:///etc/passwd"] {
            let err = Subscription::new(endpoint, P256DH, AUTH).unwrap_err();
            assert!(matches!(err, SubscriptionError::Endpoint(_)), "{endpoint}: {err:?}");
        }
    }

    #[test]
    fn plain_http_is_accepted_for_loopback_only() {
        assert!(Subscription::new("http://127.0.0.1:4000/push/1", P256DH, AUTH).is_ok());
        assert!(Subscription::new("http://localhost:4000/push/1", P256DH, AUTH).is_ok());
        assert!(Subscription::new("http://[::1]:4000/push/1", P256DH, AUTH).is_ok());
        for endpoint in ["http://push.example.com/1", "http://127.evil.example/1", "http://10.0.0.1/1"] {
            let err = Subscription::new(endpoint, P256DH, AUTH).unwrap_err();
            assert_eq!(err, SubscriptionError::Endpoint("must use https".into()), "{endpoint}");
        }
    }

    #[test]
    fn debug_output_hides_the_auth_secret() {
        let subscription = Subscription::new(ENDPOINT, P256DH, AUTH).unwrap();
        assert!(!format!("{subscription:?}").contains(AUTH));
    }
}
