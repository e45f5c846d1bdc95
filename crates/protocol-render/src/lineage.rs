//! The token lineage of a run: one hop per token actually obtained, in step order, with what
//! changes from hop to hop (`iss`, `sub`, `aud`, `client_id`, the `act` chain, scope and
//! lifetime), drawn as SVG and laid out as a table from the same hops.

use serde_json::Value;

use protocol_catalogue::flows::TokenView;
use protocol_wire::checks::act_chain_of;
use protocol_wire::jwt::string_list;

/// One token of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The step that obtained it (its id).
    pub step: &'static str,
    /// The step's number in the run.
    pub number: usize,
    /// Who obtained it (the step's actor).
    pub actor: &'static str,
    /// What it is ("ID-JAG").
    pub label: String,
    /// `iss`.
    pub iss: String,
    /// `sub`.
    pub sub: String,
    /// `aud`, joined.
    pub aud: String,
    /// `client_id` (or Okta's `cid`, or `azp`).
    pub client_id: String,
    /// The `act` chain, the current actor first.
    pub act: Vec<String>,
    /// Its scopes.
    pub scope: Vec<String>,
    /// Scopes of the previous hop that this one does not carry (narrowing).
    pub narrowed: Vec<String>,
    /// `exp - iat`, seconds.
    pub lifetime: Option<i64>,
    /// Why its claims are not known (an opaque token).
    pub opaque: bool,
}

fn text(claims: &Value, name: &str) -> String {
    claims
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn scopes(claims: &Value) -> Vec<String> {
    match claims.get("scope").or_else(|| claims.get("scp")) {
        Some(Value::String(s)) => s.split_whitespace().map(String::from).collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// The hops of a run: for each step that ran, in order, `(id, number, actor, tokens)`.
pub fn hops<'a>(
    steps: impl IntoIterator<Item = (&'static str, usize, &'static str, &'a [TokenView])>,
) -> Vec<Hop> {
    let mut out: Vec<Hop> = Vec::new();
    for (step, number, actor, tokens) in steps {
        for t in tokens {
            let claims = t.claims.clone().unwrap_or(Value::Null);
            let scope = scopes(&claims);
            let previous = out
                .iter()
                .rev()
                .find(|h| !h.scope.is_empty())
                .map(|h| h.scope.clone());
            let narrowed = match previous {
                Some(p) if !scope.is_empty() => {
                    p.into_iter().filter(|s| !scope.contains(s)).collect()
                }
                _ => Vec::new(),
            };
            let time = |n: &str| claims.get(n).and_then(Value::as_i64);
            out.push(Hop {
                step,
                number,
                actor,
                label: t.label.clone(),
                iss: text(&claims, "iss"),
                sub: text(&claims, "sub"),
                aud: string_list(claims.get("aud")).join(", "),
                client_id: ["client_id", "cid", "azp"]
                    .iter()
                    .map(|c| text(&claims, c))
                    .find(|c| !c.is_empty())
                    .unwrap_or_default(),
                act: act_chain_of(claims.get("act")),
                scope,
                narrowed,
                lifetime: time("exp")
                    .zip(time("iat"))
                    .map(|(e, i)| e.saturating_sub(i)),
                opaque: t.claims.is_none(),
            });
        }
    }
    out
}

/// The rows of a hop, as shown in the picture and the table.
pub fn rows(h: &Hop) -> Vec<(&'static str, String)> {
    if h.opaque {
        return vec![(
            "token",
            "opaque: its claims are known only to its issuer".into(),
        )];
    }
    let mut rows = vec![
        ("iss", h.iss.clone()),
        ("sub", h.sub.clone()),
        ("aud", h.aud.clone()),
        ("client_id", h.client_id.clone()),
        (
            "act",
            if h.act.is_empty() {
                "—".into()
            } else {
                h.act.join(" ← ")
            },
        ),
        ("scope", h.scope.join(" ")),
    ];
    if !h.narrowed.is_empty() {
        rows.push(("narrowed", format!("dropped {}", h.narrowed.join(" "))));
    }
    if let Some(l) = h.lifetime {
        rows.push(("lifetime", format!("{l} s")));
    }
    rows.retain(|(_, v)| !v.is_empty());
    rows
}

use protocol_wire::text::escape_html as esc;

/// Shortens a value for a box of the picture (the table has it in full).
fn fit(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n - 1).collect();
        format!("{cut}…")
    }
}

const BOX_W: usize = 300;
const GAP: usize = 56;
const LINE: usize = 18;

/// The hops as an SVG picture: a box per token, left to right, an arrow between; each box is
/// a link (`data-step`) to its step. Self-contained (inline styles), so it can be saved alone.
pub fn svg(hops: &[Hop], title: &str) -> String {
    let height = hops.iter().map(|h| rows(h).len()).max().unwrap_or(1) * LINE + 64;
    let width = hops.len().max(1) * (BOX_W + GAP) - GAP + 16;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"lineage-svg-title\" font-family=\"system-ui, sans-serif\" font-size=\"12\"><title id=\"lineage-svg-title\">{}</title><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"#4f586b\"/></marker></defs>",
        esc(title)
    );
    for (i, h) in hops.iter().enumerate() {
        let x = 8 + i * (BOX_W + GAP);
        s.push_str(&format!(
            "<g class=\"hop\" data-step=\"{}\"><rect x=\"{x}\" y=\"8\" width=\"{BOX_W}\" height=\"{}\" rx=\"8\" fill=\"#ffffff\" stroke=\"#2f49c4\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"28\" font-weight=\"700\" fill=\"#1b2233\">{}</text><text x=\"{}\" y=\"44\" fill=\"#4f586b\">{}</text>",
            esc(h.step),
            height - 16,
            x + 10,
            esc(&fit(&format!("{}. {}", h.number, h.label), 40)),
            x + 10,
            esc(&fit(&format!("obtained by {}", h.actor), 44))
        ));
        for (j, (k, v)) in rows(h).iter().enumerate() {
            let y = 64 + j * LINE;
            let colour = if *k == "narrowed" {
                "#a4231b"
            } else {
                "#1b2233"
            };
            s.push_str(&format!(
                "<text x=\"{}\" y=\"{y}\" fill=\"#4f586b\">{k}</text><text x=\"{}\" y=\"{y}\" fill=\"{colour}\">{}</text>",
                x + 10,
                x + 80,
                esc(&fit(v, 34))
            ));
        }
        s.push_str("</g>");
        if i + 1 < hops.len() {
            let ay = height / 2;
            s.push_str(&format!(
                "<line x1=\"{}\" y1=\"{ay}\" x2=\"{}\" y2=\"{ay}\" stroke=\"#4f586b\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>",
                x + BOX_W + 4,
                x + BOX_W + GAP - 4
            ));
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(label: &str, claims: Value) -> TokenView {
        TokenView {
            label: label.into(),
            raw: Default::default(),
            header: None,
            claims: Some(claims),
            times: vec![],
            note: None,
        }
    }

    #[test]
    fn hops_show_the_act_chain_and_narrowed_scopes() {
        let jag = [view(
            "ID-JAG",
            json!({"iss":"https://idp","sub":"alice","aud":"https://as","client_id":"agent","scope":"files.read files.write","iat":0,"exp":300}),
        )];
        let at = [view(
            "Access token",
            json!({"iss":"https://as","sub":"alice","aud":["https://api"],"cid":"agent","scp":["files.read"],"act":{"sub":"agent","act":{"sub":"app"}}}),
        )];
        let h = hops([
            ("exchange", 2, "AI Agent", &jag[..]),
            ("bearer", 3, "AI Agent", &at[..]),
        ]);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].lifetime, Some(300));
        assert_eq!(h[1].act, vec!["agent", "app"]);
        assert_eq!(h[1].narrowed, vec!["files.write"]);
        assert_eq!(h[1].client_id, "agent");
        let picture = svg(&h, "Lineage <of> a run");
        assert!(
            picture.contains("data-step=\"bearer\"")
                && picture.contains("agent ← app")
                && picture.contains("dropped files.write")
        );
        assert!(picture.contains("Lineage &lt;of&gt; a run"), "escaped");
        assert!(rows(&h[1])
            .iter()
            .any(|(k, v)| *k == "narrowed" && v == "dropped files.write"));
    }
}
