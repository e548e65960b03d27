//! Signed, expiring tokens (`token::verify`): the kiosk's hand-off links and the till's
//! member tokens, as a phone or a till posts them back. A token is accepted only as it was
//! signed (bar surrounding whitespace); one made and checked in time verifies to its data,
//! and not for another purpose, nor once expired; a byte changed anywhere is refused.
//!
//! Input: a token as sent (the seeds are real ones, signed with the fuzzing key), and the
//! same bytes as the data to sign and the places to tamper with.
#![no_main]

use app::ssr::handoff;
use app::ssr::members::{till_token, till_token_member};
use app::ssr::token::{Purpose, TokenError, sign, verify};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use cloud_store_fuzz::{key, text};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_800_000_000;

fuzz_target!(|data: &[u8]| {
    let key = key();
    if let Some(sent) = text(data) {
        for purpose in [Purpose::HandOff, Purpose::TillMember] {
            let Ok(v) = verify(&key, purpose, sent, NOW) else {
                continue;
            };
            assert!(v.expires_at > NOW && v.nonce.len() == 32, "{sent:?}");
            // Only the one spelling of the signed bytes passes.
            let (payload, tag) = sent.trim().split_once('.').expect("verified");
            let canonical = |part: &str| B64.encode(B64.decode(part).expect("verified"));
            assert_eq!(
                canonical(payload),
                payload,
                "{sent:?}: another spelling verified"
            );
            assert_eq!(canonical(tag), tag, "{sent:?}: another spelling verified");
        }
        let _ = till_token_member(&key, sent, NOW);
    }

    // The bytes as data: sign, check, then tamper with the token.
    let (purpose, other) = match data.first() {
        Some(b) if b % 2 == 1 => (Purpose::TillMember, Purpose::HandOff),
        _ => (Purpose::HandOff, Purpose::TillMember),
    };
    let expires = NOW + 1 + data.len() as i64;
    let token = sign(&key, purpose, expires, data);
    let v = verify(&key, purpose, &token, NOW).expect("a fresh token verifies");
    assert_eq!((v.data.as_slice(), v.expires_at), (data, expires));
    assert_eq!(
        verify(&key, purpose, &token, expires),
        Err(TokenError::Expired)
    );
    assert_eq!(
        verify(&key, purpose, &token, expires - 1).map(|v| v.data),
        Ok(data.to_vec())
    );
    assert_eq!(verify(&key, other, &token, NOW), Err(TokenError::Forged));
    assert_eq!(
        verify(&key, purpose, &format!(" {token}\n"), NOW).map(|v| v.data),
        Ok(data.to_vec())
    );
    const SWAPS: &[u8] = b"AQZazg09-_.=+/ \t\n%";
    for pair in data.chunks(2).take(16) {
        let mut bytes = token.clone().into_bytes();
        let i = usize::from(pair[0]) * 7 % bytes.len();
        bytes[i] = SWAPS[usize::from(*pair.get(1).unwrap_or(&0)) % SWAPS.len()];
        let tampered = String::from_utf8(bytes).expect("ASCII");
        if tampered.trim() != token {
            assert!(
                verify(&key, purpose, &tampered, NOW).is_err(),
                "{token:?} changed at {i} to {tampered:?} still verifies"
            );
        }
    }
    // Truncated and extended tokens.
    for cut in [1, 2, 3, 22, 23] {
        if let Some(t) = token.get(..token.len().saturating_sub(cut)) {
            assert!(verify(&key, purpose, t, NOW).is_err(), "{t:?}");
        }
    }
    assert!(verify(&key, purpose, &format!("{token}A"), NOW).is_err());

    // The two kinds of token the server makes, read back.
    let member = i64::from_le_bytes(std::array::from_fn(|i| *data.get(i).unwrap_or(&0)));
    assert_eq!(
        till_token_member(&key, &till_token(&key, member, NOW), NOW),
        Ok(member)
    );
    let session = String::from_utf8_lossy(data).replace('\n', "");
    let handed = handoff::issue_at(&key, &session, "sh-jingan-temple", NOW);
    let v = verify(&key, Purpose::HandOff, &handed, NOW).expect("a fresh hand-off verifies");
    assert_eq!(v.data, format!("{session}\nsh-jingan-temple").into_bytes());
});
