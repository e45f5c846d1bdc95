//! The one way a secret is held: private keys, client secrets, the relay key, tokens.
//!
//! A [`Secret`] prints as `Secret(‹N chars›)` in debug output, and serialises as an empty
//! string while [`redacted`] runs, so anything that is kept on the device or exported is
//! written through one generic operation that cannot forget a field.

use std::cell::Cell;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string. Read it with [`Secret::expose`], at the place it is needed.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// No secret.
    pub const fn empty() -> Self {
        Self(String::new())
    }

    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is this secret, compared in a time that depends on the lengths
    /// only: a server checking a client secret must not tell how much of a guess was right.
    pub fn matches(&self, candidate: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), candidate.as_bytes());
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .fold(0u8, |acc, (x, y)| std::hint::black_box(acc | (x ^ y)))
                == 0
    }

    /// Whether it holds nothing (or only white space).
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(‹{} chars›)", self.0.chars().count())
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self(s.into())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

thread_local! {
    static REDACTING: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `f` with every [`Secret`] serialising as `""`; returns its result and how many
/// non-empty secrets were left out. Use it around anything written to storage or exported.
pub fn redacted<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let outer = REDACTING.with(|r| r.replace(Some(0)));
    let out = f();
    let count = REDACTING.with(|r| r.replace(outer)).unwrap_or(0);
    (out, count)
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let hide = REDACTING.with(|r| match r.get() {
            Some(n) => {
                if !self.is_empty() {
                    r.set(Some(n + 1));
                }
                true
            }
            None => false,
        });
        s.serialize_str(if hide { "" } else { &self.0 })
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Holder {
        name: String,
        key: Secret,
        more: Vec<Secret>,
    }

    #[test]
    fn matches_only_the_same_value() {
        let s = Secret::new("hunter2");
        assert!(s.matches("hunter2"));
        for other in ["hunter3", "hunter", "hunter22", "", "Hunter2"] {
            assert!(!s.matches(other), "{other}");
        }
        assert!(Secret::empty().matches(""));
    }

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(‹7 chars›)");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn redaction_is_generic_and_counted() {
        let h = Holder {
            name: "n".into(),
            key: "k1".into(),
            more: vec!["a".into(), "".into()],
        };
        let plain = serde_json::to_string(&h).unwrap();
        assert!(plain.contains("k1"));
        let (hidden, n) = redacted(|| serde_json::to_string(&h).unwrap());
        assert_eq!(hidden, r#"{"name":"n","key":"","more":["",""]}"#);
        assert_eq!(n, 2, "empty secrets are not counted");
        // Outside the closure, secrets serialise again.
        assert!(serde_json::to_string(&h).unwrap().contains("k1"));
    }
}
