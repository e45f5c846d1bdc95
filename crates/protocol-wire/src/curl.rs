//! cURL rendering of an [`HttpRequest`]: multi-line, every value single-quoted for POSIX
//! shells, secrets masked unless revealed.

use crate::mask::shown_value;
use crate::request::{HttpRequest, Method, Param};

/// Quotes a value for a POSIX shell: single quotes, with `'` written as `'\''`. Inside
/// single quotes nothing (`$`, backticks, `\`, newlines) is special.
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Renders the request as a cURL command that sends exactly the same bytes.
/// With `reveal = false`, secret values are replaced by a mask.
pub fn render(req: &HttpRequest, reveal: bool) -> String {
    let mut lines = Vec::new();
    match (req.method, req.query.is_empty()) {
        (Method::Get, false) => {
            // `--get` turns the `--data-urlencode` lines into the query string.
            lines.push("curl --get".to_string());
            lines.push(format!("--url {}", shell_quote(&req.url)));
        }
        _ => {
            lines.push(format!("curl --request {}", req.method.as_str()));
            lines.push(format!("--url {}", shell_quote(&req.full_url())));
        }
    }
    for h in &req.headers {
        lines.push(format!(
            "--header {}",
            shell_quote(&format!("{}: {}", h.name, shown_value(h, reveal)))
        ));
    }
    if let Some(raw) = &req.raw_body {
        lines.push(format!("--data-raw {}", shell_quote(raw)));
        return lines.join(" \\\n  ");
    }
    let data: &[Param] = match (req.method, req.query.is_empty()) {
        (Method::Get, false) => &req.query,
        _ => &req.form,
    };
    for p in data {
        lines.push(format!(
            "--data-urlencode {}",
            shell_quote(&format!("{}={}", p.name, shown_value(p, reveal)))
        ));
    }
    lines.join(" \\\n  ")
}

/// The URL a browser navigates to (authorize requests are never fetched).
pub fn browser_url(req: &HttpRequest) -> String {
    req.full_url()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Param;

    #[test]
    fn quotes_everything_that_is_special() {
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
        assert_eq!(shell_quote("$HOME `id`"), "'$HOME `id`'");
    }

    #[test]
    fn renders_seed_style_and_masks() {
        let mut r = HttpRequest::new("t", Method::Post, "https://org/oauth2/default/v1/token");
        r.headers.push(Param::public("Accept", "application/json"));
        r.headers
            .push(Param::secret("Authorization", "Basic c3ZjOnNlYw=="));
        r.form
            .push(Param::public("scope", "api:access:read api:access:write"));
        r.form.push(Param::secret("subject_token", "eyJsecret"));
        let masked = render(&r, false);
        assert_eq!(
            masked,
            "curl --request POST \\\n  --url 'https://org/oauth2/default/v1/token' \\\n  \
             --header 'Accept: application/json' \\\n  --header 'Authorization: Basic ‹hidden 12 chars›' \\\n  \
             --data-urlencode 'scope=api:access:read api:access:write' \\\n  \
             --data-urlencode 'subject_token=‹hidden 9 chars›'"
        );
        let revealed = render(&r, true);
        assert!(
            revealed.contains("Basic c3ZjOnNlYw==") && revealed.contains("subject_token=eyJsecret")
        );
    }

    #[test]
    fn raw_json_bodies_are_sent_as_is() {
        let mut r = HttpRequest::new("t", Method::Post, "https://api/mcp");
        r.headers
            .push(Param::public("Content-Type", "application/json"));
        r.raw_body = Some(r#"{"method":"initialize","x":"it's"}"#.into());
        assert_eq!(
            render(&r, true),
            "curl --request POST \\\n  --url 'https://api/mcp' \\\n  --header 'Content-Type: application/json' \\\n  \
             --data-raw '{\"method\":\"initialize\",\"x\":\"it'\\''s\"}'"
        );
    }

    #[test]
    fn get_with_query_uses_get_and_data_urlencode() {
        let r = crate::requests::tokeninfo("https://t/tokeninfo", "AT");
        assert_eq!(
            render(&r, true),
            "curl --get \\\n  --url 'https://t/tokeninfo' \\\n  --data-urlencode 'access_token=AT'"
        );
    }
}
