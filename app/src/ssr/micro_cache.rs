//! A micro-cache (server): values kept for a second or so in this process, for pages every
//! shopper sees alike. Named as what it is — a store's grid may show stock up to `ttl`
//! old; anything that takes stock (the bag, checkout) reads the database, never this.
//!
//! Values are held as `Arc`s: a hit is a reference count, never a deep copy. The one cache
//! type behind the page cache, the store-page data cache and the neighbours cache.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct MicroCache<K, V> {
    ttl: Duration,
    max_entries: usize,
    entries: Mutex<HashMap<K, (Instant, Arc<V>)>>,
}

impl<K: Eq + Hash, V> MicroCache<K, V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        MicroCache {
            ttl,
            max_entries,
            entries: Mutex::default(),
        }
    }

    /// The value for `key` if it is younger than the time to live.
    pub fn get<Q>(&self, key: &Q) -> Option<Arc<V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| Arc::clone(v))
    }

    /// Keeps `value` under `key` and hands back the shared copy.
    pub fn put(&self, key: K, value: V) -> Arc<V> {
        let value = Arc::new(value);
        self.put_arc(key, Arc::clone(&value));
        value
    }

    pub fn put_arc(&self, key: K, value: Arc<V>) {
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

    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K, V> fmt::Debug for MicroCache<K, V> {
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
        cache.put("a".to_owned(), 1);
        assert_eq!(cache.get("a").as_deref(), Some(&1));
        cache.put("b".to_owned(), 2);
        cache.put("c".to_owned(), 3);
        assert!(cache.len() <= 2);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("c"), None);
    }

    #[test]
    fn a_hit_shares_the_value_instead_of_copying_it() {
        let cache: MicroCache<i64, Vec<u8>> = MicroCache::new(Duration::from_secs(5), 4);
        let kept = cache.put(7, vec![1; 1024]);
        let hit = cache.get(&7).unwrap();
        assert!(Arc::ptr_eq(&kept, &hit));
    }
}
