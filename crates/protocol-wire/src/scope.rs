//! Scopes arrive as a space-separated string (`scope`), an `scp` array (Okta access tokens)
//! or an array (PingOne tokeninfo); this normalises them and compares steps.

use serde_json::{Map, Value};

/// Splits a space-separated scope string, dropping empties and duplicates (order kept).
pub fn split(scope: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in scope.split_whitespace() {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    out
}

/// The scopes carried by a set of claims: `scope` (string or array), else `scp`.
pub fn from_claims(claims: &Map<String, Value>) -> Option<Vec<String>> {
    for key in ["scope", "scp"] {
        match claims.get(key) {
            Some(Value::String(s)) => return Some(split(s)),
            Some(Value::Array(_)) => return Some(crate::jwt::string_list(claims.get(key))),
            _ => {}
        }
    }
    None
}

/// How the granted scopes relate to the ones asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrowing {
    /// Asked for and granted.
    pub kept: Vec<String>,
    /// Asked for, not granted.
    pub dropped: Vec<String>,
    /// Granted without being asked for (a widening).
    pub added: Vec<String>,
}

/// Compares requested with granted scopes.
pub fn compare(requested: &[String], granted: &[String]) -> Narrowing {
    Narrowing {
        kept: requested
            .iter()
            .filter(|s| granted.contains(s))
            .cloned()
            .collect(),
        dropped: requested
            .iter()
            .filter(|s| !granted.contains(s))
            .cloned()
            .collect(),
        added: granted
            .iter()
            .filter(|s| !requested.contains(s))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_shape() {
        let m = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            from_claims(&m(json!({"scope":"a  b a"}))).unwrap(),
            ["a", "b"]
        );
        assert_eq!(
            from_claims(&m(json!({"scp":["a","b"]}))).unwrap(),
            ["a", "b"]
        );
        assert_eq!(from_claims(&m(json!({"scope":["x"]}))).unwrap(), ["x"]);
        assert_eq!(from_claims(&m(json!({}))), None);
    }

    #[test]
    fn narrowing() {
        let n = compare(&split("a b c"), &split("a c d"));
        assert_eq!(n.kept, ["a", "c"]);
        assert_eq!(n.dropped, ["b"]);
        assert_eq!(n.added, ["d"]);
    }
}
