//! A property test over the client assertion's time claims: whatever `iat` and `exp` hold
//! (any integer, floats up to ±1e308, strings, null, absent), the tenant core answers without
//! panicking (debug builds check overflow), and accepts exactly the assertions the rules
//! accept, by the server's clock: `exp` not past (30 s skew), at most an hour ahead, `iat`
//! (if present) not in the future.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use protocol::demo;
use protocol::requests;
use serde_json::{json, Value};

const SKEW: i64 = 30;
const MAX_LIFETIME: i64 = 3600;

/// A claim value: an offset from now, any integer, any float, or not a number at all.
#[derive(Clone, Debug)]
enum Claim {
    Absent,
    FromNow(i64),
    Int(i64),
    Float(f64),
    Other(Value),
}

impl Claim {
    fn value(&self, now: i64) -> Option<Value> {
        match self {
            Claim::Absent => None,
            Claim::FromNow(d) => Some(json!(now + d)),
            Claim::Int(n) => Some(json!(n)),
            Claim::Float(f) => Some(json!(f)),
            Claim::Other(v) => Some(v.clone()),
        }
    }
}

fn claim() -> impl Strategy<Value = Claim> {
    // Offsets close to a boundary are left out: the clock may tick between signing and checking.
    let away = |d: &i64| {
        [-SKEW, SKEW, MAX_LIFETIME + SKEW]
            .iter()
            .all(|b| (d - b).abs() > 5)
    };
    prop_oneof![
        Just(Claim::Absent),
        (-8000i64..8000)
            .prop_filter("near a boundary", away)
            .prop_map(Claim::FromNow),
        any::<i64>().prop_map(Claim::Int),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Claim::Float),
        prop_oneof![
            Just(json!(null)),
            Just(json!("1700000000")),
            Just(json!([1])),
            Just(json!(true))
        ]
        .prop_map(Claim::Other),
    ]
}

/// A NumericDate as the rules read it (RFC 7519 2): a finite number within ±2^53 seconds.
fn numeric(v: &Value) -> Option<i64> {
    let n = match v.as_i64() {
        Some(n) => n,
        None => {
            let f = v.as_f64()?;
            if f.abs() > 9_007_199_254_740_992.0 {
                return None;
            }
            f as i64
        }
    };
    (n.unsigned_abs() <= 9_007_199_254_740_992).then_some(n)
}

/// What the rules say, by the server's clock `now`.
fn accepted(iat: Option<&Value>, exp: Option<&Value>, now: i64) -> bool {
    let Some(exp) = exp.and_then(numeric) else {
        return false;
    };
    let iat_ok = match iat {
        None => true,
        Some(v) => numeric(v).is_some_and(|i| i <= now + SKEW),
    };
    exp + SKEW >= now && exp - now <= MAX_LIFETIME + SKEW && iat_ok
}

#[test]
fn assertion_time_claims_never_panic_and_follow_the_rules() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (r, user) = rt.block_on(async {
        let r = start(Via::Core).await;
        let user = sign_in(&r).await;
        (r, user)
    });
    let key = agent_key();
    let token = r.org().token;
    let x = id_jag_exchange(&user.id_token, &r.files().issuer, "files.read");
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 400,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    runner
        .run(&(claim(), claim()), |(iat, exp)| {
            let n = now();
            let mut c =
                json!({"iss": demo::AGENT, "sub": demo::AGENT, "aud": token, "jti": random_id()});
            let (iat_value, exp_value) = (iat.value(n), exp.value(n));
            if let Some(v) = &iat_value {
                c["iat"] = v.clone();
            }
            if let Some(v) = &exp_value {
                c["exp"] = v.clone();
            }
            let auth = assertion_auth(&key, c);
            let res = rt.block_on(r.send(&requests::token_exchange(&token, &x, &auth)));
            let want = accepted(iat_value.as_ref(), exp_value.as_ref(), n);
            if res.status >= 500 {
                return Err(TestCaseError::fail(format!(
                    "HTTP {}: {}",
                    res.status, res.text
                )));
            }
            if (res.status == 200) != want {
                return Err(TestCaseError::fail(format!(
                    "iat {iat:?}, exp {exp:?}: HTTP {} {} (expected {})",
                    res.status,
                    res.description(),
                    if want { "accepted" } else { "refused" }
                )));
            }
            if !want && res.error() != "invalid_client" {
                return Err(TestCaseError::fail(format!(
                    "refused with {} instead of invalid_client",
                    res.error()
                )));
            }
            Ok(())
        })
        .unwrap();
}
