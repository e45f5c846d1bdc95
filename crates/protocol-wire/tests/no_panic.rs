//! Property tests: encodings round-trip, and no input makes a public function panic.

use proptest::prelude::*;
use protocol_wire::encoding::{form_decode, form_encode, form_urlencode, percent_decode};
use protocol_wire::response::{parse_json, parse_token_response, HttpCapture};

proptest! {
    #[test]
    fn form_encoding_round_trips(pairs in proptest::collection::vec((".*", ".*"), 0..6)) {
        let pairs: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| !k.is_empty()).collect();
        let body = form_encode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let back = form_decode(&body);
        prop_assert_eq!(back, pairs);
    }

    #[test]
    fn urlencode_output_is_ascii_safe(s in ".*") {
        let e = form_urlencode(&s);
        prop_assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b"*-._+%".contains(&b)));
        prop_assert_eq!(percent_decode(&e), s);
    }

    #[test]
    fn shell_quote_reads_back_as_one_literal_word(s in ".*") {
        // Model of POSIX word parsing restricted to what shell_quote may emit: single-quoted
        // runs and backslash-escaped single quotes. Anything else outside quotes fails.
        let q = protocol_wire::curl::shell_quote(&s);
        let mut out = String::new();
        let mut chars = q.chars();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '\'') => quoted = false,
                (true, c) => out.push(c),
                (false, '\'') => quoted = true,
                (false, '\\') => { let n = chars.next(); prop_assert_eq!(n, Some('\'')); out.push('\''); }
                (false, c) => prop_assert!(false, "unquoted {:?} in {}", c, q),
            }
        }
        prop_assert!(!quoted);
        prop_assert_eq!(out, s);
    }

    #[test]
    fn decoders_never_panic(s in ".*", status in 0u16..700) {
        let _ = percent_decode(&s);
        let _ = form_decode(&s);
        let _ = protocol_wire::jwt::decode(&s);
        let _ = protocol_wire::keys::parse_private_key(&s);
        let _ = protocol_wire::keys::parse_private_key(&format!("-----BEGIN PRIVATE KEY-----\n{s}\n-----END PRIVATE KEY-----"));
        let _ = protocol_wire::request::validate_url(&s);
        let cap = HttpCapture { status, headers: vec![], body: s.clone() };
        let _ = parse_json(&cap).map_err(|e| e.explain());
        let _ = parse_token_response(&cap);
    }

    #[test]
    fn der_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----", protocol_wire::encoding::b64(&bytes));
        let _ = protocol_wire::keys::parse_private_key(&pem);
        let pem = format!("-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----", protocol_wire::encoding::b64(&bytes));
        let _ = protocol_wire::keys::parse_private_key(&pem);
        let jwt = format!("{}.{}.x", protocol_wire::encoding::b64url(&bytes), protocol_wire::encoding::b64url(b"{}"));
        let _ = protocol_wire::jwt::decode(&jwt);
    }

    #[test]
    fn curl_rendering_never_panics(v in ".*", name in "[a-z_]{1,12}") {
        let mut r = protocol_wire::request::HttpRequest::new("t", protocol_wire::request::Method::Post, "https://h/t");
        r.form.push(protocol_wire::request::Param::secret(&name, &v));
        r.headers.push(protocol_wire::request::Param::secret("Authorization", &v));
        let _ = protocol_wire::curl::render(&r, false);
        let _ = protocol_wire::curl::render(&r, true);
    }
}
