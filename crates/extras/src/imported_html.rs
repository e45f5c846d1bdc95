//! A run file opened read-only, as HTML: the same markup the step cards use (cURL figures,
//! responses, findings, decoded claims), every value from the file escaped. The page shows it
//! as it is; nothing in it runs (the page's Content-Security-Policy allows no inline script,
//! and no value reaches an attribute or element name unescaped).

use std::fmt::Write;

use protocol::checks::Finding;
use protocol::export::{ExchangeRecord, RunExport, StepRecord};

use crate::html::escape;

/// Reads a run file (`protocol::export::import`) and renders it: the heading part (title, when
/// exported, what was removed) and the steps, as two HTML fragments; or why it cannot be opened.
pub fn imported(file: &str) -> Result<(String, String), String> {
    let run = protocol::export::import(file)?;
    Ok((head(&run), run.steps.iter().map(step).collect()))
}

fn head(run: &RunExport) -> String {
    format!(
        "<h2 id=\"imported-title\" tabindex=\"-1\">Imported run (read-only): {}</h2>\
         <p class=\"help\">Exported {}. Removed: {}.</p>",
        escape(&run.title),
        escape(&run.exported_at),
        escape(&run.removed.join("; ")),
    )
}

fn step(s: &StepRecord) -> String {
    let mut out = format!(
        "<article class=\"step imported-step\"><h3>Step {}: {} <span class=\"pill {}\">{}</span></h3>",
        s.number,
        escape(&s.title),
        escape(&s.status),
        escape(&s.status),
    );
    if let Some(summary) = &s.summary {
        let _ = write!(out, "<p class=\"summary\">{}</p>", escape(summary));
    }
    for x in &s.exchanges {
        out.push_str(&exchange(x));
    }
    if !s.findings.is_empty() {
        out.push_str("<ul class=\"findings\">");
        for f in &s.findings {
            out.push_str(&finding(f));
        }
        out.push_str("</ul>");
    }
    for t in &s.tokens {
        if let Some(claims) = &t.claims {
            let _ = write!(
                out,
                "<p class=\"token-label\">{}</p><pre tabindex=\"0\" class=\"claims\"><code>{}</code></pre>",
                escape(&t.label),
                escape(&serde_json::to_string_pretty(claims).unwrap_or_default()),
            );
        }
    }
    out.push_str("</article>");
    out
}

fn exchange(x: &ExchangeRecord) -> String {
    let mut out = format!(
        "<figure class=\"curl\"><figcaption>{} — {} ({} ms)</figcaption><pre tabindex=\"0\"><code>{}</code></pre></figure>",
        escape(&x.request.label),
        escape(&x.at),
        x.ms,
        escape(&protocol::curl::render(&x.request, true)),
    );
    match &x.response {
        Some(r) => {
            let _ = write!(
                out,
                "<p>HTTP {}</p><pre tabindex=\"0\" class=\"body\"><code>{}</code></pre>",
                r.status,
                escape(&r.body)
            );
        }
        None => {
            let _ = write!(
                out,
                "<p>No response: {}</p>",
                escape(x.error.as_deref().unwrap_or_default())
            );
        }
    }
    out
}

/// The markup of `ui::findings` in the app.
fn finding(f: &Finding) -> String {
    let class = f.severity.name();
    let spec = if f.spec.is_empty() {
        String::new()
    } else {
        format!("<span class=\"spec\"> — {}</span>", escape(&f.spec))
    };
    format!(
        "<li class=\"finding {class}\" data-check=\"{}\"><span class=\"glyph\" aria-hidden=\"true\">{}</span>\
         <span class=\"text\"><span class=\"sr-only\">{class}: </span>{}{spec}</span></li>",
        escape(&f.check),
        f.severity.glyph(),
        escape(&f.message),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::checks::Severity;
    use protocol::export::{TokenRecord, FORMAT};
    use protocol::flow::config::FlowConfig;
    use protocol::request::{HttpRequest, Method};
    use protocol::response::HttpCapture;

    fn run(evil: &str) -> RunExport {
        RunExport {
            format: FORMAT.into(),
            flow: "agentic".into(),
            title: format!("Agentic {evil}"),
            exported_at: "2026-11-25 10:00:00 UTC".into(),
            includes_secrets: false,
            removed: vec![format!("2 secrets {evil}")],
            config: FlowConfig::default(),
            steps: vec![StepRecord {
                number: 1,
                title: format!("Sign in {evil}"),
                status: format!("done\" onclick=\"x {evil}"),
                summary: Some(format!("Signed in {evil}")),
                findings: vec![Finding {
                    severity: Severity::Warning,
                    check: format!("c\"{evil}"),
                    message: format!("Careful {evil}"),
                    spec: format!("RFC {evil}"),
                }],
                tokens: vec![TokenRecord {
                    label: format!("ID token {evil}"),
                    token: String::new(),
                    header: None,
                    claims: Some(serde_json::json!({ "sub": evil })),
                }],
                exchanges: vec![
                    ExchangeRecord {
                        at: "10:00:00".into(),
                        request: HttpRequest::new(
                            &format!("Token {evil}"),
                            Method::Post,
                            "https://as.example/token",
                        ),
                        response: Some(HttpCapture {
                            status: 200,
                            headers: vec![],
                            body: format!("{{\"x\":\"{evil}\"}}"),
                        }),
                        error: None,
                        ms: 12,
                        via: None,
                    },
                    ExchangeRecord {
                        at: "10:00:01".into(),
                        request: HttpRequest::new("Userinfo", Method::Get, "https://as.example/u"),
                        response: None,
                        error: Some(format!("refused {evil}")),
                        ms: 3,
                        via: None,
                    },
                ],
            }],
        }
    }

    #[test]
    fn nothing_from_the_file_becomes_markup() {
        let evil = "<img src=x onerror=alert(1)>'&";
        let json = serde_json::to_string(&run(evil)).unwrap();
        let (head, steps) = imported(&json).unwrap();
        for html in [&head, &steps] {
            assert!(!html.contains("<img"), "{html}");
            assert!(!html.contains("onclick=\""), "{html}");
            assert!(!html.contains("c\"<"), "{html}");
        }
        assert!(head.contains(
            "Imported run (read-only): Agentic &lt;img src=x onerror=alert(1)&gt;&#39;&amp;"
        ));
        assert!(steps.contains("class=\"pill done&quot; onclick=&quot;x"));
    }

    #[test]
    fn shows_what_the_step_cards_show() {
        let json = serde_json::to_string(&run("e")).unwrap();
        let (head, steps) = imported(&json).unwrap();
        assert!(head.contains("Exported 2026-11-25 10:00:00 UTC. Removed: 2 secrets e."));
        assert!(steps.contains("<h3>Step 1: Sign in e "));
        assert!(steps.contains("<p class=\"summary\">Signed in e</p>"));
        assert!(steps.contains("<figcaption>Token e — 10:00:00 (12 ms)</figcaption>"));
        assert!(
            steps.contains("<pre tabindex=\"0\"><code>curl --request POST"),
            "the request as cURL: {steps}"
        );
        assert!(steps.contains("<p>HTTP 200</p>"));
        assert!(steps.contains("<p>No response: refused e</p>"));
        assert!(steps.contains(
            "<li class=\"finding warning\" data-check=\"c&quot;e\"><span class=\"glyph\" aria-hidden=\"true\">⚠</span>"
        ));
        assert!(steps.contains(
            "<span class=\"sr-only\">warning: </span>Careful e<span class=\"spec\"> — RFC e</span>"
        ));
        assert!(steps.contains("<p class=\"token-label\">ID token e</p>"));
        assert!(steps.contains("&quot;sub&quot;: &quot;e&quot;"));
    }

    #[test]
    fn a_file_that_is_not_a_run_is_refused_with_the_reason() {
        assert!(imported("not json").unwrap_err().contains("not JSON"));
        assert!(imported("{}")
            .unwrap_err()
            .contains("not a run exported by this app"));
    }
}
