//! The engine's types over the catalogue's flows: configurations of a real flow, and which
//! server's keys verify a token of a flow.

mod configuration {
    use protocol::secret::Secret;

    #[test]
    fn own_secrets_are_those_no_demo_preset_gives() {
        use protocol::flows::agentic::{AGENT_AT_IDP, FLOW};
        let env = protocol::flow::PresetEnv {
            demo_org: "http://127.0.0.1:9400".into(),
            redirect_uri: "http://127.0.0.1:9400/".into(),
        };
        let demo =
            (FLOW.preset)(protocol::flow::PresetKind::LocalDemo, &env).expect("a demo preset");
        assert_eq!(
            demo.own_secrets(&FLOW, std::slice::from_ref(&demo)),
            Vec::<String>::new()
        );
        let mut mine = demo.clone();
        mine.client_mut(&AGENT_AT_IDP).key = Secret::new("{\"kty\":\"EC\"}");
        let own = mine.own_secrets(&FLOW, &[demo]);
        assert_eq!(own.len(), 1);
        assert!(own[0].ends_with("'s private key"), "{own:?}");
    }

    #[test]
    fn the_relay_switch_covers_every_server_on_the_same_origin() {
        use protocol::flows::agentic::{IDP, RESOURCE_AS};
        let mut c = (protocol::flows::agentic::FLOW.preset)(
            protocol::flow::PresetKind::Okta,
            &protocol::flow::PresetEnv {
                demo_org: String::new(),
                redirect_uri: "http://127.0.0.1:8080/".into(),
            },
        )
        .expect("the Okta preset exists");
        c.server_mut(&IDP).issuer = "https://acme.okta.com".into();
        c.server_mut(&RESOURCE_AS).issuer = "https://acme.okta.com/oauth2/aus1".into();
        c.relay_origin_of(&IDP);
        assert!(c.server(&IDP).relay && c.server(&RESOURCE_AS).relay);
        c.server_mut(&RESOURCE_AS).relay = false;
        c.server_mut(&RESOURCE_AS).issuer = "https://other.example".into();
        c.relay_origin_of(&IDP);
        assert!(
            !c.server(&RESOURCE_AS).relay,
            "another origin is left alone"
        );
    }
}

mod signature_keys {
    use protocol::checks::Severity;
    use protocol::flow::FlowConfig;
    use protocol::flow::{PresetEnv, PresetKind};
    use protocol::flows::agentic;
    use protocol::jwt::UnsignedJwt;
    use protocol::jwt::VerifyError;
    use protocol::verify::*;
    use serde_json::json;

    fn config() -> FlowConfig {
        let env = PresetEnv {
            demo_org: "http://127.0.0.1:9400".into(),
            redirect_uri: "http://127.0.0.1:9400/".into(),
        };
        (agentic::FLOW.preset)(PresetKind::LocalDemo, &env).unwrap()
    }

    fn jwt(iss: &str) -> String {
        UnsignedJwt {
            header: json!({"alg": "ES256", "kid": "k1"}),
            claims: json!({"iss": iss}),
        }
        .with_signature(b"sig")
    }

    #[test]
    fn keys_come_from_the_configured_server_the_token_names() {
        match target(
            &agentic::FLOW,
            &config(),
            &jwt("http://127.0.0.1:9400/oauth2/files"),
        ) {
            Target::Jwt(_, src) => {
                assert_eq!(src.role.key, agentic::RESOURCE_AS.key);
                assert_eq!(src.jwks_uri, "http://127.0.0.1:9400/oauth2/files/v1/keys");
            }
            Target::Skip(why) => panic!("{why}"),
        }
        assert!(
            matches!(target(&agentic::FLOW, &config(), &jwt("https://evil.example")), Target::Skip(w) if w.contains("not one of this flow's servers"))
        );
        assert!(
            matches!(target(&agentic::FLOW, &config(), "opaque"), Target::Skip(w) if w.contains("opaque"))
        );
    }

    #[test]
    fn findings_say_which_key_and_why_not() {
        let yes = Verified::Yes {
            kid: "k1".into(),
            jwks_uri: "https://as/keys".into(),
        }
        .finding("ID-JAG");
        assert_eq!(yes.severity, Severity::Pass);
        assert!(yes.message.contains("key k1 from https://as/keys") && yes.spec == SPEC);
        let bad = Verified::No {
            error: VerifyError::BadSignature,
            jwks_uri: "https://as/keys".into(),
        }
        .finding("ID-JAG");
        assert_eq!(bad.severity, Severity::Error);
        assert_eq!(
            public_jwk(
                &json!({"kty":"EC","crv":"P-256","x":"a","y":"b","use":"sig","key_ops":["verify"]})
            ),
            json!({"kty":"EC","crv":"P-256","x":"a","y":"b"})
        );
    }
}
