//! Signed, expiring tokens (server): `base64url(payload) "." base64url(mac)`, where the
//! payload is the expiry (Unix seconds, 8 bytes big-endian), a 16-byte random nonce and
//! the data, and the MAC is HMAC-SHA-256 over a purpose label and the payload, cut to 16
//! bytes. The purpose keeps a token made for one use from passing as another. Single use
//! is the caller's: it records the nonce (see `used_tokens`).

use super::settings::SigningKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const MAC_LEN: usize = 16;
const HEADER_LEN: usize = 8 + 16;

/// What a token is for: part of what is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Moving a kiosk's bag to a phone.
    HandOff,
    /// A member recognised at a till, for the next few minutes of that till's work.
    TillMember,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::HandOff => b"cloud-store/hand-off/v1",
            Purpose::TillMember => b"cloud-store/till-member/v1",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("bad signature")]
    Forged,
    #[error("expired")]
    Expired,
}

/// A verified token's contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub expires_at: i64,
    /// Hex, as stored in `used_tokens`.
    pub nonce: String,
    pub data: Vec<u8>,
}

fn mac(key: &SigningKey, purpose: Purpose, payload: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).expect("HMAC takes any key size");
    mac.update(purpose.label());
    mac.update(&[0]);
    mac.update(payload);
    mac
}

/// Compares two secrets without exiting early at the first differing byte.
pub fn same_secret(a: &str, b: &str) -> bool {
    use sha2::Digest;
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

pub fn sign(key: &SigningKey, purpose: Purpose, expires_at: i64, data: &[u8]) -> String {
    let nonce: [u8; 16] = rand::random();
    sign_with_nonce(key, purpose, expires_at, nonce, data)
}

fn sign_with_nonce(
    key: &SigningKey,
    purpose: Purpose,
    expires_at: i64,
    nonce: [u8; 16],
    data: &[u8],
) -> String {
    let mut payload = Vec::with_capacity(HEADER_LEN + data.len());
    payload.extend_from_slice(&expires_at.to_be_bytes());
    payload.extend_from_slice(&nonce);
    payload.extend_from_slice(data);
    let tag = mac(key, purpose, &payload).finalize().into_bytes();
    format!("{}.{}", B64.encode(&payload), B64.encode(&tag[..MAC_LEN]))
}

/// Checks the signature first (in constant time), then the expiry against `now`.
pub fn verify(
    key: &SigningKey,
    purpose: Purpose,
    token: &str,
    now: i64,
) -> Result<Verified, TokenError> {
    let (payload, tag) = token.trim().split_once('.').ok_or(TokenError::Malformed)?;
    let (payload, tag) = (
        B64.decode(payload).map_err(|_| TokenError::Malformed)?,
        B64.decode(tag).map_err(|_| TokenError::Malformed)?,
    );
    if payload.len() < HEADER_LEN || tag.len() != MAC_LEN {
        return Err(TokenError::Malformed);
    }
    mac(key, purpose, &payload)
        .verify_truncated_left(&tag)
        .map_err(|_| TokenError::Forged)?;
    let expires_at = i64::from_be_bytes(payload[..8].try_into().expect("8 bytes"));
    if now >= expires_at {
        return Err(TokenError::Expired);
    }
    Ok(Verified {
        expires_at,
        nonce: hex::encode(&payload[8..HEADER_LEN]),
        data: payload[HEADER_LEN..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(same_secret("246810", "246810"));
        assert!(!same_secret("246810", "246811"));
        assert!(!same_secret("246810", ""));
        assert!(!same_secret("", "246810"));
    }

    fn key() -> SigningKey {
        SigningKey::from_secret("a test secret that is long enough!").unwrap()
    }

    #[test]
    fn a_token_verifies_until_it_expires() {
        let token = sign(&key(), Purpose::HandOff, 1_000, b"kiosk-session");
        let ok = verify(&key(), Purpose::HandOff, &token, 999).unwrap();
        assert_eq!(ok.data, b"kiosk-session");
        assert_eq!(ok.expires_at, 1_000);
        assert_eq!(ok.nonce.len(), 32);
        assert_eq!(
            verify(&key(), Purpose::HandOff, &token, 1_000),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn tampering_anywhere_is_forgery() {
        let token = sign_with_nonce(&key(), Purpose::HandOff, 5_000, [7; 16], b"abc");
        // A longer expiry, re-encoded: the MAC no longer matches.
        let (payload, tag) = token.split_once('.').unwrap();
        let mut bytes = B64.decode(payload).unwrap();
        bytes[7] ^= 1;
        let altered = format!("{}.{tag}", B64.encode(&bytes));
        assert_eq!(
            verify(&key(), Purpose::HandOff, &altered, 0),
            Err(TokenError::Forged)
        );
        let other_key = SigningKey::from_secret("another secret, also long enough!!").unwrap();
        assert_eq!(
            verify(&other_key, Purpose::HandOff, &token, 0),
            Err(TokenError::Forged)
        );
        let mut flipped_tag = B64.decode(tag).unwrap();
        flipped_tag[0] ^= 0x80;
        let altered = format!("{payload}.{}", B64.encode(&flipped_tag));
        assert_eq!(
            verify(&key(), Purpose::HandOff, &altered, 0),
            Err(TokenError::Forged)
        );
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        for bad in [
            "",
            ".",
            "abc",
            "a.b",
            "!!!.???",
            "AAAA.AAAA",
            &"A".repeat(5000),
        ] {
            assert_eq!(
                verify(&key(), Purpose::HandOff, bad, 0),
                Err(TokenError::Malformed),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn nonces_differ_between_tokens() {
        let a = verify(
            &key(),
            Purpose::HandOff,
            &sign(&key(), Purpose::HandOff, 9, b""),
            0,
        );
        let b = verify(
            &key(),
            Purpose::HandOff,
            &sign(&key(), Purpose::HandOff, 9, b""),
            0,
        );
        assert_ne!(a.unwrap().nonce, b.unwrap().nonce);
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;

    /// Random bytes and near-misses of a real token never panic and never verify.
    #[test]
    fn fuzzed_tokens_are_refused_without_panicking() {
        let key = SigningKey::from_secret("a fuzzing secret that is long enough").unwrap();
        let real = sign(&key, Purpose::HandOff, i64::MAX, b"session");
        let mut state: u64 = 0x5eed_1234;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let mut bytes = real.clone().into_bytes();
            for _ in 0..(next() % 4 + 1) {
                let i = (next() as usize) % bytes.len();
                bytes[i] = b"AZaz09-_.=+/!"[(next() % 13) as usize];
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if text != real {
                assert!(verify(&key, Purpose::HandOff, &text, 0).is_err(), "{text}");
            }
        }
    }
}
