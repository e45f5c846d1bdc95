//! The app's rarely used parts, kept out of its first load: code to run a request again in six
//! languages, "Explain" for a request, the Markdown report of a run, a run file opened
//! read-only, and share links.
//! The page loads this module (built to wasm as the `extras` binary) at the first use of one
//! of them and talks to it in JSON; every function here is plain Rust, tested natively.

mod html;
mod imported_html;

use protocol::codegen::Language;
use protocol::export::RunExport;
use protocol::flow::config::FlowConfig;
use protocol::flow::share;
use protocol::request::HttpRequest;

pub use imported_html::imported;

fn read<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| format!("the page sent an unreadable {what} ({e})"))
}

/// `request` (JSON of an [`HttpRequest`]) as code in the language with id `language`,
/// secrets masked unless `reveal`.
pub fn code(request: &str, language: &str, reveal: bool) -> Result<String, String> {
    let lang =
        Language::by_id(language).ok_or_else(|| format!("no code language \"{language}\""))?;
    let req: HttpRequest = read("request", request)?;
    Ok(protocol::codegen::render(&req, lang, reveal))
}

/// "Explain" for `request` (JSON of an [`HttpRequest`]): each part with what it is and the spec
/// section that asks for it, as the items of an HTML description list (every value escaped).
pub fn explain(request: &str) -> Result<String, String> {
    let req: HttpRequest = read("request", request)?;
    Ok(protocol::explain::explain(&req)
        .into_iter()
        .map(|e| {
            let spec = if e.spec.is_empty() {
                String::new()
            } else {
                format!("<span class=\"spec\"> ({})</span>", html::escape(e.spec))
            };
            format!(
                "<dt><code>{}</code></dt><dd>{}{spec}</dd>",
                html::escape(&e.part),
                html::escape(&e.meaning)
            )
        })
        .collect())
}

/// The Markdown report of `run` (JSON of a [`RunExport`]).
pub fn markdown(run: &str) -> Result<String, String> {
    let run: RunExport = read("run", run)?;
    Ok(protocol::export::markdown(&run))
}

/// The share-link payload of `config` (JSON of a [`FlowConfig`]).
pub fn share_payload(config: &str) -> Result<String, String> {
    let config: FlowConfig = read("configuration", config)?;
    Ok(share::encode(&config))
}

/// Reads a share-link `payload` for the flow with id `flow` over the reader's `current`
/// configuration (JSON), `known` being the issuers they have used (a JSON list): the
/// [`share::Received`] as JSON, or why the link is refused.
pub fn share_read(flow: &str, payload: &str, current: &str, known: &str) -> Result<String, String> {
    let def = protocol::flows::by_id(flow).ok_or_else(|| format!("no flow \"{flow}\""))?;
    let current: FlowConfig = read("configuration", current)?;
    let known: Vec<String> = read("list of issuers", known)?;
    let received = share::decode(def, payload, &current, &known)?;
    serde_json::to_string(&received).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::flow::config::Server;

    fn request() -> String {
        let mut req = HttpRequest::new(
            "Token exchange",
            protocol::request::Method::Post,
            "https://as.example/token",
        );
        req.form
            .push(protocol::request::Param::secret("client_secret", "s3cret"));
        serde_json::to_string(&req).unwrap()
    }

    #[test]
    fn code_comes_from_the_request_sent_and_masks_secrets_unless_revealed() {
        let masked = code(&request(), "python", false).unwrap();
        assert!(masked.contains("https://as.example/token"), "{masked}");
        assert!(!masked.contains("s3cret"));
        assert!(code(&request(), "python", true).unwrap().contains("s3cret"));
        assert!(code(&request(), "cobol", false)
            .unwrap_err()
            .contains("no code language \"cobol\""));
        assert!(code("{", "python", false)
            .unwrap_err()
            .contains("unreadable request"));
    }

    #[test]
    fn a_share_link_made_here_reads_back_for_the_same_flow() {
        let def = protocol::flows::ALL[0];
        let mut config = FlowConfig::default();
        let role = def.servers[0];
        config.servers.insert(
            role.key.to_string(),
            Server::new("https://as.example", Default::default()),
        );
        let payload = share_payload(&serde_json::to_string(&config).unwrap()).unwrap();
        let known = serde_json::to_string(&["https://as.example"]).unwrap();
        let current = serde_json::to_string(&FlowConfig::default()).unwrap();
        let received: share::Received =
            serde_json::from_str(&share_read(def.id, &payload, &current, &known).unwrap()).unwrap();
        assert!(received.new_servers.is_empty());
        assert_eq!(
            received.config.servers[role.key].issuer(),
            "https://as.example"
        );
        let strange = serde_json::to_string(&Vec::<String>::new()).unwrap();
        let received: share::Received =
            serde_json::from_str(&share_read(def.id, &payload, &current, &strange).unwrap())
                .unwrap();
        assert_eq!(received.new_servers, ["https://as.example"]);
        assert!(share_read(def.id, "%%%", &current, &known)
            .unwrap_err()
            .contains("base64url"));
        assert!(share_read("nope", &payload, &current, &known)
            .unwrap_err()
            .contains("no flow"));
    }

    #[test]
    fn explain_names_each_part_with_its_spec_and_escapes_configured_values() {
        let mut req: HttpRequest = serde_json::from_str(&request()).unwrap();
        req.headers
            .push(protocol::request::Param::public("X-Note", "<b>hi</b>"));
        let html = explain(&serde_json::to_string(&req).unwrap()).unwrap();
        assert!(
            html.starts_with(
                "<dt><code>POST https://as.example/token</code></dt><dd>Token exchange.</dd>"
            ),
            "{html}"
        );
        assert!(html.contains("<dt><code>client_secret</code></dt><dd>The client&#39;s secret, in the body (client_secret_post).<span class=\"spec\"> (RFC 6749 2.3.1)</span></dd>"), "{html}");
        assert!(
            html.contains("<code>X-Note: &lt;b&gt;hi&lt;/b&gt;</code>"),
            "{html}"
        );
        assert!(
            !html.contains("s3cret"),
            "a secret's value is never explained: {html}"
        );
    }

    #[test]
    fn the_markdown_report_is_made_from_the_run_sent() {
        let run = RunExport {
            format: protocol::export::FORMAT.into(),
            flow: "obo".into(),
            title: "On-behalf-of".into(),
            exported_at: "2026-11-25 10:00:00 UTC".into(),
            includes_secrets: false,
            removed: vec![],
            config: FlowConfig::default(),
            steps: vec![],
        };
        let md = markdown(&serde_json::to_string(&run).unwrap()).unwrap();
        assert!(md.starts_with("# On-behalf-of\n"), "{md}");
    }
}
