//! A micro-cache (server): values kept for a second or so in this process, for pages every
//! shopper sees alike. Named as what it is — a store's grid may show stock up to `ttl`
//! old; anything that takes stock (the bag, checkout) reads the database, never this.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct MicroCache<V> {
    ttl: Duration,
    max_entries: usize,
    entries: Mutex<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> MicroCache<V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        MicroCache {
            ttl,
            max_entries,
            entries: Mutex::default(),
        }
    }

    /// The value for `key` if it is younger than the time to live.
    pub fn get(&self, key: &str) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: String, value: V) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.max_entries {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= self.max_entries {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), value));
    }
}

impl<V> fmt::Debug for MicroCache<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.entries.lock().map(|e| e.len()).unwrap_or(0);
        write!(f, "MicroCache({n} entries, ttl {:?})", self.ttl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_expire_and_the_size_is_bounded() {
        let cache = MicroCache::new(Duration::from_millis(50), 2);
        cache.put("a".into(), 1);
        assert_eq!(cache.get("a"), Some(1));
        cache.put("b".into(), 2);
        cache.put("c".into(), 3);
        assert!(cache.entries.lock().unwrap().len() <= 2);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("c"), None);
    }
}
