//! Rendered PNG cards kept in memory, by entity tag (a hash of the SVG they were drawn
//! from): a crawler asking again within the hour, or a second crawler asking for the same
//! card, gets the bytes without a render. Bounded: when full, it starts over (the cards of
//! the current hour fill it again in a few renders each).

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

pub struct PngCache {
    entries: Mutex<HashMap<String, Bytes>>,
    capacity: usize,
}

impl PngCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    pub fn get(&self, tag: &str) -> Option<Bytes> {
        self.entries.lock().ok()?.get(tag).cloned()
    }

    pub fn insert(&self, tag: String, png: Bytes) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity && !entries.contains_key(&tag) {
            entries.clear();
        }
        entries.insert(tag, png);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_it_is_given_and_stays_bounded() {
        let cache = PngCache::new(2);
        cache.insert("a".into(), Bytes::from_static(b"1"));
        cache.insert("b".into(), Bytes::from_static(b"2"));
        assert_eq!(cache.get("a").as_deref(), Some(&b"1"[..]));
        cache.insert("c".into(), Bytes::from_static(b"3"));
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("c").as_deref(), Some(&b"3"[..]));
        assert!(cache.entries.lock().unwrap().len() <= 2);
    }
}
