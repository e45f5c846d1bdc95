//! What the tenant remembers between requests: pending authorization codes, used one-time
//! identifiers, revoked tokens, refresh tokens. Every map is bounded: entries expire, expired
//! entries are pruned on insert, and a full map refuses with a clear error. Lookups are O(1).
//! Codes and refresh tokens are kept as SHA-256 hashes, so the stored state holds no usable
//! credential.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Limits;

/// A code waiting to be exchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    /// Client it was issued to.
    pub client_id: String,
    /// Redirect URI it was issued for.
    pub redirect_uri: String,
    /// PKCE S256 challenge.
    pub code_challenge: String,
    /// The user.
    pub user_id: String,
    /// Granted scopes.
    pub scope: String,
    /// Nonce to put in the ID token.
    pub nonce: Option<String>,
    /// Which server issued it (`None`: org).
    pub server: Option<String>,
    /// When the user signed in.
    pub auth_time: i64,
}

/// What a refresh token stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshGrant {
    /// Client it was issued to.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// Granted scopes.
    pub scope: String,
    /// Which server issued it (`None`: org).
    pub server: Option<String>,
    /// When the user signed in.
    pub auth_time: i64,
}

/// A bounded map is full even after dropping expired entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Full {
    /// What is full ("authorization codes").
    pub what: &'static str,
    /// Its bound.
    pub cap: usize,
}

/// The tenant's memory. The native server keeps [`MemoryStore`] in memory; the service
/// worker keeps it in IndexedDB between requests (the browser stops idle workers).
pub trait Store {
    /// Keeps a code until `expires_at`.
    fn put_code(
        &mut self,
        code: &str,
        pending: PendingCode,
        expires_at: i64,
        now: i64,
    ) -> Result<(), Full>;
    /// Takes a code out (codes are single-use), if it exists and has not expired.
    fn take_code(&mut self, code: &str, now: i64) -> Option<PendingCode>;
    /// Marks `id` used until `expires_at`; `Ok(false)` if it was used before (a replay).
    fn use_once(&mut self, id: &str, expires_at: i64, now: i64) -> Result<bool, Full>;
    /// Revokes a token (by `jti`) until it would have expired anyway.
    fn revoke(&mut self, jti: &str, expires_at: i64, now: i64) -> Result<(), Full>;
    /// Whether a token is revoked.
    fn is_revoked(&self, jti: &str, now: i64) -> bool;
    /// Keeps a refresh token until `expires_at`.
    fn put_refresh(
        &mut self,
        token: &str,
        grant: RefreshGrant,
        expires_at: i64,
        now: i64,
    ) -> Result<(), Full>;
    /// Takes a refresh token out (they rotate: each is used once).
    fn take_refresh(&mut self, token: &str, now: i64) -> Option<RefreshGrant>;
}

fn digest(secret: &str) -> String {
    protocol_wire::encoding::b64url(&Sha256::digest(secret.as_bytes()))
}

/// A map whose entries expire, with an index by expiry for pruning.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "V: Serialize", deserialize = "V: Deserialize<'de>"))]
pub struct Expiring<V> {
    entries: HashMap<String, (i64, V)>,
    #[serde(skip)]
    order: BTreeSet<(i64, String)>,
}

impl<V> Default for Expiring<V> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
            order: BTreeSet::new(),
        }
    }
}

impl<V> Expiring<V> {
    /// Number of entries (expired ones not yet pruned included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drops entries that expired before `now`.
    pub fn prune(&mut self, now: i64) {
        while let Some((exp, key)) = self.order.first().cloned() {
            if exp >= now {
                break;
            }
            self.order.pop_first();
            self.entries.remove(&key);
        }
    }

    /// Inserts unless `key` is present (and live); `Ok(false)` if it was.
    fn insert_new(
        &mut self,
        key: String,
        expires_at: i64,
        value: V,
        now: i64,
        cap: usize,
        what: &'static str,
    ) -> Result<bool, Full> {
        self.prune(now);
        if self.entries.contains_key(&key) {
            return Ok(false);
        }
        if self.entries.len() >= cap {
            return Err(Full { what, cap });
        }
        self.order.insert((expires_at, key.clone()));
        self.entries.insert(key, (expires_at, value));
        Ok(true)
    }

    fn take(&mut self, key: &str, now: i64) -> Option<V> {
        let (exp, v) = self.entries.remove(key)?;
        self.order.remove(&(exp, key.to_string()));
        (exp >= now).then_some(v)
    }

    fn contains_live(&self, key: &str, now: i64) -> bool {
        self.entries.get(key).is_some_and(|(exp, _)| *exp >= now)
    }

    /// Rebuilds the expiry index after deserialising.
    fn reindex(&mut self) {
        self.order = self
            .entries
            .iter()
            .map(|(k, (exp, _))| (*exp, k.clone()))
            .collect();
    }
}

/// The bounded in-memory store.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MemoryStore {
    limits: Limits,
    codes: Expiring<PendingCode>,
    used: Expiring<()>,
    revoked: Expiring<()>,
    refresh: Expiring<RefreshGrant>,
}

impl MemoryStore {
    /// An empty store with these bounds.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            ..Default::default()
        }
    }

    /// The store as JSON (the service worker keeps it in IndexedDB).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A store read back from [`MemoryStore::to_json`], with `limits` (a record that cannot
    /// be read starts over empty).
    pub fn from_json(json: &str, limits: Limits) -> Self {
        let mut s: MemoryStore = serde_json::from_str(json).unwrap_or_default();
        s.limits = limits;
        for m in [&mut s.used, &mut s.revoked] {
            m.reindex();
        }
        s.codes.reindex();
        s.refresh.reindex();
        s
    }

    /// How many entries each map holds: codes, used ids, revoked, refresh tokens.
    pub fn sizes(&self) -> [usize; 4] {
        [
            self.codes.len(),
            self.used.len(),
            self.revoked.len(),
            self.refresh.len(),
        ]
    }
}

impl Store for MemoryStore {
    fn put_code(
        &mut self,
        code: &str,
        pending: PendingCode,
        expires_at: i64,
        now: i64,
    ) -> Result<(), Full> {
        let cap = self.limits.codes;
        self.codes
            .insert_new(
                digest(code),
                expires_at,
                pending,
                now,
                cap,
                "pending authorization codes",
            )
            .map(|_| ())
    }

    fn take_code(&mut self, code: &str, now: i64) -> Option<PendingCode> {
        self.codes.take(&digest(code), now)
    }

    fn use_once(&mut self, id: &str, expires_at: i64, now: i64) -> Result<bool, Full> {
        let cap = self.limits.used_ids;
        self.used.insert_new(
            id.to_string(),
            expires_at,
            (),
            now,
            cap,
            "used one-time identifiers",
        )
    }

    fn revoke(&mut self, jti: &str, expires_at: i64, now: i64) -> Result<(), Full> {
        let cap = self.limits.revoked;
        self.revoked
            .insert_new(jti.to_string(), expires_at, (), now, cap, "revoked tokens")
            .map(|_| ())
    }

    fn is_revoked(&self, jti: &str, now: i64) -> bool {
        self.revoked.contains_live(jti, now)
    }

    fn put_refresh(
        &mut self,
        token: &str,
        grant: RefreshGrant,
        expires_at: i64,
        now: i64,
    ) -> Result<(), Full> {
        let cap = self.limits.refresh_tokens;
        self.refresh
            .insert_new(digest(token), expires_at, grant, now, cap, "refresh tokens")
            .map(|_| ())
    }

    fn take_refresh(&mut self, token: &str, now: i64) -> Option<RefreshGrant> {
        self.refresh.take(&digest(token), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(n: i64) -> PendingCode {
        PendingCode {
            client_id: "c".into(),
            redirect_uri: "r".into(),
            code_challenge: "x".into(),
            user_id: "u".into(),
            scope: "openid".into(),
            nonce: None,
            server: None,
            auth_time: n,
        }
    }

    #[test]
    fn codes_are_single_use_expire_and_are_bounded() {
        let mut s = MemoryStore::new(Limits {
            codes: 2,
            ..Limits::default()
        });
        s.put_code("a", code(0), 100, 0).unwrap();
        s.put_code("b", code(0), 100, 0).unwrap();
        assert_eq!(
            s.put_code("c", code(0), 100, 0).unwrap_err(),
            Full {
                what: "pending authorization codes",
                cap: 2
            }
        );
        assert!(s.take_code("a", 50).is_some());
        assert!(s.take_code("a", 50).is_none(), "single use");
        assert!(s.take_code("b", 101).is_none(), "expired");
        // Expired entries make room.
        s.put_code("d", code(0), 300, 200).unwrap();
        s.put_code("e", code(0), 300, 200).unwrap();
        assert_eq!(s.sizes()[0], 2);
    }

    #[test]
    fn one_time_ids_refuse_replays_until_they_expire() {
        let mut s = MemoryStore::new(Limits::default());
        assert_eq!(s.use_once("j", 100, 0), Ok(true));
        assert_eq!(s.use_once("j", 100, 50), Ok(false));
        assert_eq!(
            s.use_once("j", 200, 150),
            Ok(true),
            "forgotten once expired"
        );
    }

    #[test]
    fn the_stored_state_holds_no_code_and_reads_back() {
        let mut s = MemoryStore::new(Limits::default());
        s.put_code("secret-code", code(0), 100, 0).unwrap();
        s.revoke("jti-1", 100, 0).unwrap();
        let json = s.to_json();
        assert!(!json.contains("secret-code"), "{json}");
        let mut back = MemoryStore::from_json(&json, Limits::default());
        assert!(back.is_revoked("jti-1", 10));
        assert!(back.take_code("secret-code", 10).is_some());
        assert_eq!(
            MemoryStore::from_json("garbage", Limits::default()).sizes(),
            [0; 4]
        );
    }
}
