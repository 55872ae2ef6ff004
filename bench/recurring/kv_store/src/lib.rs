//! An in-memory key-value store with namespaces, typed values, counters and
//! expiry, as the cache layer of a small web service uses it.
//!
//! House rule: an absent key is an error the caller can match on, with the
//! key in it. Every lookup that can miss says
//! `.ok_or_else(|| StoreError::Missing(key.to_string()))?` (naming the key or
//! namespace it looked for); nothing unwraps, and `?` is never applied to the
//! `Option` itself.

use std::collections::BTreeMap;
use std::fmt;

/// What the store can refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No such key (or namespace); holds the name that was looked up.
    Missing(String),
    /// The key exists but its time to live ran out at `at`.
    Expired { key: String, at: u64 },
    /// The key holds another type of value.
    WrongType { key: String, expected: &'static str },
    /// A counter would leave the range of i64.
    Overflow(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Missing(key) => write!(f, "no key `{key}`"),
            StoreError::Expired { key, at } => write!(f, "key `{key}` expired at {at}"),
            StoreError::WrongType { key, expected } => write!(f, "key `{key}` does not hold {expected}"),
            StoreError::Overflow(key) => write!(f, "counter `{key}` overflowed"),
        }
    }
}

impl std::error::Error for StoreError {}

/// A stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    List(Vec<String>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Text(_) => "text",
            Value::Int(_) => "an integer",
            Value::List(_) => "a list",
        }
    }
}

/// A value and when it stops being visible (a logical clock in seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub value: Value,
    pub expires_at: Option<u64>,
}

impl Entry {
    fn live_at(&self, now: u64) -> bool {
        self.expires_at.map_or(true, |at| now < at)
    }
}

/// One namespace's keys.
#[derive(Debug, Clone, Default)]
pub struct Store {
    entries: BTreeMap<String, Entry>,
    now: u64,
}

impl Store {
    pub fn new() -> Store {
        Store::default()
    }

    /// Moves the logical clock (the service calls this once per request).
    pub fn advance_to(&mut self, now: u64) {
        self.now = self.now.max(now);
    }

    pub fn set(&mut self, key: &str, value: Value) {
        self.entries.insert(key.to_string(), Entry { value, expires_at: None });
    }

    pub fn set_with_ttl(&mut self, key: &str, value: Value, ttl: u64) {
        let expires_at = Some(self.now + ttl);
        self.entries.insert(key.to_string(), Entry { value, expires_at });
    }

    /// The live value of `key`.
    pub fn get(&self, key: &str) -> Result<&Value, StoreError> {
        let entry = self.entries.get(key).ok_or_else(|| StoreError::Missing(key.to_string()))?;
        if !entry.live_at(self.now) {
            return Err(StoreError::Expired { key: key.to_string(), at: entry.expires_at.unwrap_or(0) });
        }
        Ok(&entry.value)
    }

    /// The value of `key` as text.
    pub fn get_text(&self, key: &str) -> Result<&str, StoreError> {
        match self.get(key)? {
            Value::Text(text) => Ok(text),
            other => Err(wrong_type(key, "text", other)),
        }
    }

    /// Removes `key` and returns what it held.
    pub fn take(&mut self, key: &str) -> Result<Value, StoreError> {
        let entry = self.entries.remove(key).ok_or_else(|| StoreError::Missing(key.to_string()))?;
        Ok(entry.value)
    }

    /// Adds `by` to the integer at `key`, which must exist.
    pub fn incr(&mut self, key: &str, by: i64) -> Result<i64, StoreError> {
        let entry = self.entries.get_mut(key).ok_or_else(|| StoreError::Missing(key.to_string()))?;
        match &mut entry.value {
            Value::Int(n) => {
                *n = n.checked_add(by).ok_or_else(|| StoreError::Overflow(key.to_string()))?;
                Ok(*n)
            }
            other => Err(wrong_type(key, "an integer", other)),
        }
    }

    /// Appends to the list at `key`; returns the new length.
    pub fn push(&mut self, key: &str, item: &str) -> Result<usize, StoreError> {
        let Entry { value, .. } = self.entries.get_mut(key).ok_or_else(|| StoreError::Missing(key.to_string()))?;
        let Value::List(items) = value else {
            return Err(wrong_type(key, "a list", value));
        };
        items.push(item.to_string());
        Ok(items.len())
    }

    /// Gives `key` a new name; the target is overwritten.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), StoreError> {
        let entry = self.entries.remove(from).ok_or_else(|| StoreError::Missing(from.to_string()))?;
        self.entries.insert(to.to_string(), entry);
        Ok(())
    }

    /// Seconds left before `key` expires; None for a key that never does.
    pub fn ttl(&self, key: &str) -> Result<Option<u64>, StoreError> {
        let expires_at = self.entries.get(key).ok_or_else(|| StoreError::Missing(key.to_string()))?.expires_at;
        Ok(expires_at.map(|at| at.saturating_sub(self.now)))
    }

    /// Drops every expired entry; returns how many went.
    pub fn purge_expired(&mut self) -> usize {
        let now = self.now;
        let before = self.entries.len();
        self.entries.retain(|_, entry| entry.live_at(now));
        before - self.entries.len()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn wrong_type(key: &str, expected: &'static str, found: &Value) -> StoreError {
    debug_assert_ne!(found.kind(), expected);
    StoreError::WrongType { key: key.to_string(), expected }
}

/// Named stores: `sessions`, `rate_limits`, ...
#[derive(Debug, Default)]
pub struct Registry {
    namespaces: BTreeMap<String, Store>,
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    pub fn create(&mut self, namespace: &str) -> &mut Store {
        self.namespaces.entry(namespace.to_string()).or_default()
    }

    /// The store called `namespace`, which must have been created.
    pub fn namespace(&mut self, namespace: &str) -> Result<&mut Store, StoreError> {
        let store = self.namespaces.get_mut(namespace).ok_or_else(|| StoreError::Missing(namespace.to_string()))?;
        Ok(store)
    }

    /// Drops a whole namespace; returns how many keys it held.
    pub fn drop_namespace(&mut self, namespace: &str) -> Result<usize, StoreError> {
        let store = self.namespaces.remove(namespace).ok_or_else(|| StoreError::Missing(namespace.to_string()))?;
        Ok(store.len())
    }
}
