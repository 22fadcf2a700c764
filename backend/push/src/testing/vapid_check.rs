//! What a push service checks of `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292), written
//! from the RFC with p256's ECDSA, independently of the `web-push` signer it checks.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::Value;

/// RFC 8292 §2: a token may not expire more than 24 hours after the request.
const MAX_LIFETIME_SECS: u64 = 24 * 3600;
/// Clock skew tolerated for `nbf`/`iat` in the future.
const LEEWAY_SECS: u64 = 60;

/// A token that checked out.
#[derive(Debug)]
pub(crate) struct Vapid {
    /// `k`: the application server's public key, base64url.
    pub key: String,
    /// The `sub` claim.
    pub subject: String,
}

/// Why the header was refused, and the status a push service would answer (RFC 8292 §4.2).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No VAPID authorization at all: 401.
    Missing(String),
    /// Present but invalid: 403.
    Invalid(String),
}

/// Checks the header for a request to a push resource at `audience` (its origin), at `now`
/// (seconds since the Unix epoch).
pub(crate) fn verify(header: Option<&str>, audience: &str, now: u64) -> Result<Vapid, Refusal> {
    let invalid = |why: String| Refusal::Invalid(why);
    let header = header.ok_or_else(|| Refusal::Missing("no Authorization header".into()))?;
    let params = match header.split_once(' ') {
        Some((scheme, params)) if scheme.eq_ignore_ascii_case("vapid") => params,
        _ => return Err(Refusal::Missing(format!("Authorization is not the vapid scheme: {header:.20}…"))),
    };
    let (mut token, mut key) = (None, None);
    for param in params.split(',') {
        match param.trim().split_once('=') {
            Some(("t", value)) => token = Some(value.trim()),
            Some(("k", value)) => key = Some(value.trim()),
            _ => return Err(invalid(format!("unexpected parameter {param:?} in the vapid header"))),
        }
    }
    let token = token.ok_or_else(|| invalid("the vapid header has no t= token".into()))?;
    let key = key.ok_or_else(|| invalid("the vapid header has no k= key".into()))?;
    let key_bytes = URL_SAFE_NO_PAD.decode(key).map_err(|_| invalid("k= is not base64url".into()))?;
    if key_bytes.len() != 65 || key_bytes[0] != 0x04 {
        return Err(invalid(format!("k= is {} bytes, not an uncompressed P-256 point", key_bytes.len())));
    }
    let verifying_key = VerifyingKey::from_sec1_bytes(&key_bytes).map_err(|_| invalid("k= is off the curve".into()))?;

    let mut parts = token.split('.');
    let (Some(header_b64), Some(claims_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("t= is not a JWS compact token of three parts".into()));
    };
    let jose = json_part(header_b64).map_err(invalid)?;
    if jose.get("alg").and_then(Value::as_str) != Some("ES256") {
        return Err(invalid(format!("JWT alg must be ES256, header is {jose}")));
    }
    // JWS ES256 signatures are r ‖ s, 64 bytes (RFC 7518 §3.4), not DER.
    let signature = URL_SAFE_NO_PAD
        .decode(signature_b64)
        .ok()
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or_else(|| invalid("JWT signature is not 64 bytes of r ‖ s".into()))?;
    let signed = &token[..header_b64.len() + 1 + claims_b64.len()];
    verifying_key
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| invalid("JWT signature does not verify with k=".into()))?;

    let claims = json_part(claims_b64).map_err(invalid)?;
    match claims.get("aud").and_then(Value::as_str) {
        Some(aud) if aud == audience => {}
        other => return Err(invalid(format!("JWT aud is {other:?}, the push resource's origin is {audience}"))),
    }
    let exp = claims.get("exp").and_then(Value::as_u64).ok_or_else(|| invalid("JWT has no numeric exp".into()))?;
    if exp <= now {
        return Err(invalid(format!("JWT expired {} s ago", now - exp)));
    }
    if exp > now + MAX_LIFETIME_SECS {
        return Err(invalid(format!("JWT exp is {} s ahead, more than 24 h", exp - now)));
    }
    for claim in ["nbf", "iat"] {
        if let Some(at) = claims.get(claim).and_then(Value::as_u64) {
            if at > now + LEEWAY_SECS {
                return Err(invalid(format!("JWT {claim} is {} s in the future", at - now)));
            }
        }
    }
    let subject = claims.get("sub").and_then(Value::as_str).unwrap_or_default();
    if !(subject.starts_with("mailto:") || subject.starts_with("https:")) {
        return Err(invalid(format!("JWT sub must be a mailto: or https: URI, got {subject:?}")));
    }
    Ok(Vapid { key: URL_SAFE_NO_PAD.encode(&key_bytes), subject: subject.to_owned() })
}

fn json_part(part: &str) -> Result<Value, String> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| "a JWT part is not base64url".to_owned())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| format!("a JWT part is not JSON: {e}"))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(format!("a JWT part is not a JSON object: {value}"))
    }
}

#[cfg(test)]
mod tests {
    use p256::ecdsa::signature::Signer;
    use p256::ecdsa::SigningKey;
    use serde_json::json;

    use super::*;
    use crate::vapid::random_secret_key;

    const NOW: u64 = 1_700_000_000;
    const AUD: &str = "http://127.0.0.1:4000";

    fn header_for(claims: Value) -> (String, String) {
        let secret = random_secret_key();
        let key = URL_SAFE_NO_PAD.encode(secret.public_key().to_sec1_bytes());
        let signing = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(json!({"typ": "JWT", "alg": "ES256"}).to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature: Signature = SigningKey::from(&secret).sign(signing.as_bytes());
        let token = format!("{signing}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()));
        (format!("vapid t={token}, k={key}"), key)
    }

    fn claims(aud: &str, exp: u64, sub: &str) -> Value {
        json!({"aud": aud, "exp": exp, "sub": sub})
    }

    #[test]
    fn a_well_signed_token_passes() {
        let (header, key) = header_for(claims(AUD, NOW + 3600, "mailto:ops@example.com"));
        let vapid = verify(Some(&header), AUD, NOW).unwrap();
        assert_eq!(vapid.key, key);
        assert_eq!(vapid.subject, "mailto:ops@example.com");
    }

    #[test]
    fn a_missing_header_is_unauthorized_and_a_bad_one_forbidden() {
        assert!(matches!(verify(None, AUD, NOW), Err(Refusal::Missing(_))));
        assert!(matches!(verify(Some("Bearer abc"), AUD, NOW), Err(Refusal::Missing(_))));
        assert!(matches!(verify(Some("vapid t=a.b.c"), AUD, NOW), Err(Refusal::Invalid(_))));
    }

    #[test]
    fn a_token_checked_against_another_key_fails() {
        let (header, _) = header_for(claims(AUD, NOW + 3600, "mailto:ops@example.com"));
        let (_, other_key) = header_for(claims(AUD, NOW + 3600, "mailto:ops@example.com"));
        let swapped = format!("{}k={other_key}", header.split("k=").next().unwrap());
        let Err(Refusal::Invalid(why)) = verify(Some(&swapped), AUD, NOW) else { panic!("accepted") };
        assert!(why.contains("does not verify"), "{why}");
    }

    #[test]
    fn wrong_audience_expiry_or_subject_is_refused() {
        let cases = [
            claims("http://127.0.0.1", NOW + 3600, "mailto:a@b.c"),
            claims(AUD, NOW - 1, "mailto:a@b.c"),
            claims(AUD, NOW + 25 * 3600, "mailto:a@b.c"),
            claims(AUD, NOW + 3600, "ops@example.com"),
            json!({"aud": AUD, "sub": "mailto:a@b.c"}),
        ];
        for claims in cases {
            let (header, _) = header_for(claims.clone());
            assert!(matches!(verify(Some(&header), AUD, NOW), Err(Refusal::Invalid(_))), "{claims}");
        }
    }
}
