//! The user agent's side of RFC 8291 (message encryption for Web Push) over RFC 8188
//! (aes128gcm), written from the RFCs with RustCrypto, independently of the `web-push` encryptor
//! it checks.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes128Gcm, KeyInit, Nonce};
use hkdf::Hkdf;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// salt (16) ‖ record size (4) ‖ key id length (1).
const HEADER_LEN: usize = 21;
const TAG_LEN: usize = 16;

/// Decrypts a push message body with the subscription's private key and auth secret.
pub(crate) fn decrypt(body: &[u8], ua_secret: &SecretKey, auth_secret: &[u8; 16]) -> Result<Vec<u8>, String> {
    if body.len() < HEADER_LEN {
        return Err(format!("body of {} bytes is shorter than the aes128gcm header", body.len()));
    }
    let (salt, rest) = body.split_at(16);
    let record_size = u32::from_be_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
    let id_len = usize::from(rest[4]);
    // RFC 8291 §4: the key id is the application server's public key, uncompressed (65 bytes).
    if id_len != 65 || body.len() < HEADER_LEN + id_len {
        return Err(format!("key id of {id_len} bytes; RFC 8291 wants the 65-byte sender public key"));
    }
    let as_public_bytes = &body[HEADER_LEN..HEADER_LEN + id_len];
    let ciphertext = &body[HEADER_LEN + id_len..];
    if record_size < 18 {
        return Err(format!("record size {record_size} is below the minimum of 18"));
    }
    // RFC 8291 §4: a push message is a single record.
    if ciphertext.len() > record_size || ciphertext.len() < TAG_LEN + 1 {
        return Err(format!("{} bytes of ciphertext are not one record of at most {record_size}", ciphertext.len()));
    }
    let as_public = PublicKey::from_sec1_bytes(as_public_bytes).map_err(|_| "sender key is not a P-256 point")?;
    let ua_public = ua_secret.public_key().to_sec1_bytes();

    // RFC 8291 §3.3–3.4: the ECDH secret is combined with the auth secret into the IKM.
    let ecdh = p256::ecdh::diffie_hellman(ua_secret.to_nonzero_scalar(), as_public.as_affine());
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(&ua_public);
    key_info.extend_from_slice(as_public_bytes);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth_secret.as_slice()), ecdh.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .map_err(|e| e.to_string())?;

    // RFC 8188 §2.2–2.3: content encryption key and nonce from the salt.
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).map_err(|e| e.to_string())?;
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce).map_err(|e| e.to_string())?;
    // The first (and only) record has sequence number 0, so the nonce is used as derived.
    let cipher = Aes128Gcm::new_from_slice(&cek).map_err(|e| e.to_string())?;
    let mut padded = cipher
        .decrypt(Nonce::from_slice(&nonce), ciphertext)
        .map_err(|_| "authentication failed: wrong keys or a tampered body")?;

    // RFC 8188 §2: data ‖ delimiter (2 for the last record) ‖ zero padding.
    let end = padded.iter().rposition(|&b| b != 0).ok_or("record is all padding, no delimiter")?;
    if padded[end] != 2 {
        return Err(format!("last record ends in delimiter {}, not 2", padded[end]));
    }
    padded.truncate(end);
    Ok(padded)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use super::*;

    fn b64(s: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(s).unwrap()
    }

    fn rfc8291_example() -> (Vec<u8>, SecretKey, [u8; 16]) {
        // RFC 8291 §5 / Appendix A.
        let body = b64(concat!(
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml",
            "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT",
            "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
        ));
        let ua_secret = SecretKey::from_slice(&b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94")).unwrap();
        let auth = b64("BTBZMqHH6r4Tts7J_aSIgg").try_into().unwrap();
        (body, ua_secret, auth)
    }

    #[test]
    fn the_rfc_8291_example_decrypts_to_its_plaintext() {
        let (body, ua_secret, auth) = rfc8291_example();
        let plaintext = decrypt(&body, &ua_secret, &auth).unwrap();
        assert_eq!(plaintext, b"When I grow up, I want to be a watermelon");
    }

    #[test]
    fn a_tampered_body_or_wrong_auth_secret_does_not_decrypt() {
        let (mut body, ua_secret, mut auth) = rfc8291_example();
        auth[0] ^= 1;
        assert!(decrypt(&body, &ua_secret, &auth).is_err());
        auth[0] ^= 1;
        *body.last_mut().unwrap() ^= 1;
        assert!(decrypt(&body, &ua_secret, &auth).unwrap_err().contains("authentication failed"));
    }

    #[test]
    fn a_truncated_body_is_refused() {
        let (body, ua_secret, auth) = rfc8291_example();
        assert!(decrypt(&body[..10], &ua_secret, &auth).is_err());
        assert!(decrypt(&body[..90], &ua_secret, &auth).is_err());
    }
}
