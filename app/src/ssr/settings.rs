//! Settings the app reads at run time (server): the signing key and kiosk timing. The
//! server builds them from its configuration and puts them in every request's context.

use std::fmt;

/// The key that signs hand-off links and pick-up codes. Never printed: `Debug` hides it.
#[derive(Clone)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    /// From `SECRET_KEY`: any string of 32 or more bytes, hashed to 256 bits.
    pub fn from_secret(secret: &str) -> Option<Self> {
        use sha2::{Digest, Sha256};
        (secret.len() >= 32).then(|| SigningKey(Sha256::digest(secret.as_bytes()).into()))
    }

    /// A key for this process only: links it signs die with it, and servers behind a
    /// load balancer would not accept each other's. For a laptop and tests.
    pub fn ephemeral() -> Self {
        SigningKey(rand::random())
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub key: SigningKey,
    /// Seconds without a touch before a kiosk warns, then resets.
    pub kiosk_idle_secs: u32,
    /// Seconds the warning counts down.
    pub kiosk_warn_secs: u32,
    /// Demo mode: sign-in codes go to the log and the demo inbox page.
    pub demo: bool,
    /// How sign-in codes are sent.
    pub sender: std::sync::Arc<dyn crate::ssr::members::CodeSender>,
    /// Taking payment; `None`: the app takes none (orders go straight to the store).
    pub payment: Option<PaymentSettings>,
}

/// The payment provider orders are paid through, and how long an unpaid order holds
/// what it took.
#[derive(Clone, Debug)]
pub struct PaymentSettings {
    pub provider: std::sync::Arc<dyn crate::ssr::payment::PaymentProvider>,
    /// `PAYMENT_HOLD_MINUTES`, in seconds.
    pub hold_secs: i64,
    /// The demo gateway, when the provider is it (demo mode without Alipay settings).
    pub demo: Option<std::sync::Arc<crate::ssr::payment::demo::DemoGateway>>,
}

impl Settings {
    pub fn for_tests() -> Self {
        Settings {
            key: SigningKey::ephemeral(),
            kiosk_idle_secs: 90,
            kiosk_warn_secs: 20,
            demo: true,
            sender: std::sync::Arc::new(crate::ssr::members::DemoSender),
            payment: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_secrets_are_refused_and_keys_never_print() {
        assert!(SigningKey::from_secret("too short").is_none());
        let key = SigningKey::from_secret(&"k".repeat(32)).unwrap();
        assert_eq!(format!("{key:?}"), "SigningKey(***)");
        assert_ne!(key.bytes(), SigningKey::ephemeral().bytes());
    }
}
