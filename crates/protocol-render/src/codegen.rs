//! The request of a step as code to run it again: cURL, HTTPie, JavaScript `fetch`, Python
//! `requests`, Go `net/http` and Rust `reqwest`, from the same [`HttpRequest`] that is sent.
//! Secrets are masked unless revealed. A client assertion is single-use, so the code reads a
//! fresh one from the `CLIENT_ASSERTION` environment variable instead of repeating the one sent.

use protocol_wire::curl::shell_quote;
use protocol_wire::mask::shown_value;
use protocol_wire::request::{HttpRequest, Method, Param};

/// The environment variable the code reads a fresh client assertion from.
pub const ASSERTION_VAR: &str = "CLIENT_ASSERTION";

/// A language to show a request in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// `curl`, POSIX shell quoting.
    Curl,
    /// HTTPie (`http`), POSIX shell quoting.
    Httpie,
    /// JavaScript `fetch` (browsers, Node 18+, Deno).
    Fetch,
    /// Python `requests`.
    Python,
    /// Go `net/http`.
    Go,
    /// Rust `reqwest` (blocking).
    Rust,
}

impl Language {
    /// Every language, in menu order.
    pub const ALL: [Language; 6] = [
        Language::Curl,
        Language::Httpie,
        Language::Fetch,
        Language::Python,
        Language::Go,
        Language::Rust,
    ];

    /// Stable identifier (`"python"`).
    pub fn id(self) -> &'static str {
        match self {
            Language::Curl => "curl",
            Language::Httpie => "httpie",
            Language::Fetch => "fetch",
            Language::Python => "python",
            Language::Go => "go",
            Language::Rust => "rust",
        }
    }

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Language::Curl => "cURL",
            Language::Httpie => "HTTPie",
            Language::Fetch => "JavaScript (fetch)",
            Language::Python => "Python (requests)",
            Language::Go => "Go (net/http)",
            Language::Rust => "Rust (reqwest)",
        }
    }

    /// The language with this identifier.
    pub fn by_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.id() == id)
    }
}

/// A value in the code: a literal, or the fresh assertion read from the environment.
enum Value {
    Literal(String),
    Assertion,
}

/// Whether a parameter carries a client assertion (single-use: the reader signs a fresh one).
fn is_assertion(p: &Param) -> bool {
    p.name == "client_assertion"
}

fn value(p: &Param, reveal: bool) -> Value {
    if is_assertion(p) {
        return Value::Assertion;
    }
    Value::Literal(shown_value(p, reveal))
}

/// The parameters of the body (or of the query, for a GET with a query).
fn data(req: &HttpRequest) -> &[Param] {
    if req.method == Method::Get && !req.query.is_empty() {
        &req.query
    } else {
        &req.form
    }
}

fn uses_assertion(req: &HttpRequest) -> bool {
    req.form.iter().chain(&req.query).any(is_assertion)
}

/// The request as code in `lang`; secrets masked unless `reveal`.
pub fn render(req: &HttpRequest, lang: Language, reveal: bool) -> String {
    let code = match lang {
        Language::Curl => curl(req, reveal),
        Language::Httpie => httpie(req, reveal),
        Language::Fetch => fetch(req, reveal),
        Language::Python => python(req, reveal),
        Language::Go => go(req, reveal),
        Language::Rust => rust(req, reveal),
    };
    if uses_assertion(req) {
        let comment = match lang {
            Language::Curl | Language::Httpie | Language::Python => "#",
            _ => "//",
        };
        format!(
            "{comment} {ASSERTION_VAR}: a freshly signed client assertion (each one is single-use).\n{code}"
        )
    } else {
        code
    }
}

/// A shell word: single-quoted literal, or `"name=$CLIENT_ASSERTION"` for the assertion.
fn shell_pair(name: &str, sep: &str, v: &Value) -> String {
    match v {
        Value::Literal(s) => shell_quote(&format!("{name}{sep}{s}")),
        Value::Assertion => format!("\"{name}{sep}${ASSERTION_VAR}\""),
    }
}

fn curl(req: &HttpRequest, reveal: bool) -> String {
    let get_query = req.method == Method::Get && !req.query.is_empty();
    let mut lines = vec![
        if get_query {
            "curl --get".to_string()
        } else {
            format!("curl --request {}", req.method.as_str())
        },
        format!(
            "--url {}",
            shell_quote(&if get_query {
                req.url.clone()
            } else {
                req.full_url()
            })
        ),
    ];
    for h in &req.headers {
        lines.push(format!(
            "--header {}",
            shell_pair(&h.name, ": ", &value(h, reveal))
        ));
    }
    match &req.raw_body {
        Some(raw) => lines.push(format!("--data-raw {}", shell_quote(raw))),
        None => {
            for p in data(req) {
                lines.push(format!(
                    "--data-urlencode {}",
                    shell_pair(&p.name, "=", &value(p, reveal))
                ));
            }
        }
    }
    lines.join(" \\\n  ")
}

fn httpie(req: &HttpRequest, reveal: bool) -> String {
    let get_query = req.method == Method::Get && !req.query.is_empty();
    let form = req.raw_body.is_none() && !req.form.is_empty();
    let mut words = vec![format!(
        "http{} {} {}",
        if form { " --form" } else { "" },
        req.method.as_str(),
        shell_quote(&if get_query {
            req.url.clone()
        } else {
            req.full_url()
        })
    )];
    for h in &req.headers {
        words.push(shell_pair(&h.name, ":", &value(h, reveal)));
    }
    match &req.raw_body {
        Some(raw) => words.push(format!("--raw {}", shell_quote(raw))),
        None => {
            let sep = if get_query { "==" } else { "=" };
            for p in data(req) {
                words.push(shell_pair(&p.name, sep, &value(p, reveal)));
            }
        }
    }
    words.join(" \\\n  ")
}

/// A string literal in JavaScript, Python, Go or Rust: JSON's escaping is valid in all four.
fn lit(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn fetch(req: &HttpRequest, reveal: bool) -> String {
    let js = |v: Value| match v {
        Value::Literal(s) => lit(&s),
        Value::Assertion => format!("process.env.{ASSERTION_VAR}"),
    };
    let url = if req.method == Method::Get && !req.query.is_empty() {
        let pairs: Vec<String> = req
            .query
            .iter()
            .map(|p| format!("  [{}, {}],", lit(&p.name), js(value(p, reveal))))
            .collect();
        format!(
            "{} + '?' + new URLSearchParams([\n{}\n])",
            lit(&req.url),
            pairs.join("\n")
        )
    } else {
        lit(&req.full_url())
    };
    let mut opts = vec![format!("  method: {},", lit(req.method.as_str()))];
    if !req.headers.is_empty() {
        let hs: Vec<String> = req
            .headers
            .iter()
            .map(|h| format!("    {}: {},", lit(&h.name), js(value(h, reveal))))
            .collect();
        opts.push(format!("  headers: {{\n{}\n  }},", hs.join("\n")));
    }
    if let Some(raw) = &req.raw_body {
        opts.push(format!("  body: {},", lit(raw)));
    } else if !req.form.is_empty() {
        let pairs: Vec<String> = req
            .form
            .iter()
            .map(|p| format!("    [{}, {}],", lit(&p.name), js(value(p, reveal))))
            .collect();
        opts.push(format!(
            "  body: new URLSearchParams([\n{}\n  ]),",
            pairs.join("\n")
        ));
    }
    format!(
        "const response = await fetch({url}, {{\n{}\n}});\nconsole.log(response.status, await response.text());",
        opts.join("\n")
    )
}

fn python(req: &HttpRequest, reveal: bool) -> String {
    let py = |v: Value| match v {
        Value::Literal(s) => lit(&s),
        Value::Assertion => format!("os.environ[\"{ASSERTION_VAR}\"]"),
    };
    let pairs = |ps: &[Param]| -> String {
        let items: Vec<String> = ps
            .iter()
            .map(|p| format!("        ({}, {}),", lit(&p.name), py(value(p, reveal))))
            .collect();
        format!("[\n{}\n    ]", items.join("\n"))
    };
    let get_query = req.method == Method::Get && !req.query.is_empty();
    let mut args = vec![
        format!("    {}", lit(req.method.as_str())),
        format!(
            "    {}",
            lit(&if get_query {
                req.url.clone()
            } else {
                req.full_url()
            })
        ),
    ];
    if !req.headers.is_empty() {
        let hs: Vec<String> = req
            .headers
            .iter()
            .map(|h| format!("        {}: {},", lit(&h.name), py(value(h, reveal))))
            .collect();
        args.push(format!("    headers={{\n{}\n    }}", hs.join("\n")));
    }
    if get_query {
        args.push(format!("    params={}", pairs(&req.query)));
    }
    if let Some(raw) = &req.raw_body {
        args.push(format!("    data={}", lit(raw)));
    } else if !req.form.is_empty() {
        args.push(format!("    data={}", pairs(&req.form)));
    }
    let import = if uses_assertion(req) {
        "import os\n\n"
    } else {
        ""
    };
    format!(
        "{import}import requests\n\nresponse = requests.request(\n{},\n    allow_redirects=False,\n)\nprint(response.status_code, response.text)",
        args.join(",\n")
    )
}

/// Every package the Go snippet may import, in gofmt's (sorted) order.
const GO_IMPORTS: [&str; 6] = [
    "\"fmt\"",
    "\"io\"",
    "\"net/http\"",
    "\"net/url\"",
    "\"os\"",
    "\"strings\"",
];

fn go(req: &HttpRequest, reveal: bool) -> String {
    let gv = |v: Value| match v {
        Value::Literal(s) => lit(&s),
        Value::Assertion => format!("os.Getenv({})", lit(ASSERTION_VAR)),
    };
    let get_query = req.method == Method::Get && !req.query.is_empty();
    let mut body = String::new();
    let mut imports = vec!["\"fmt\"", "\"io\"", "\"net/http\""];
    let (url, reader) = if get_query {
        imports.push("\"net/url\"");
        body.push_str("\tquery := url.Values{}\n");
        for p in &req.query {
            body.push_str(&format!(
                "\tquery.Add({}, {})\n",
                lit(&p.name),
                gv(value(p, reveal))
            ));
        }
        (
            format!("{} + \"?\" + query.Encode()", lit(&req.url)),
            "nil".to_string(),
        )
    } else if let Some(raw) = &req.raw_body {
        imports.push("\"strings\"");
        (
            lit(&req.full_url()),
            format!("strings.NewReader({})", lit(raw)),
        )
    } else if !req.form.is_empty() {
        imports.extend(["\"net/url\"", "\"strings\""]);
        body.push_str("\tform := url.Values{}\n");
        for p in &req.form {
            body.push_str(&format!(
                "\tform.Add({}, {})\n",
                lit(&p.name),
                gv(value(p, reveal))
            ));
        }
        (
            lit(&req.full_url()),
            "strings.NewReader(form.Encode())".to_string(),
        )
    } else {
        (lit(&req.full_url()), "nil".to_string())
    };
    if uses_assertion(req) {
        imports.push("\"os\"");
    }
    // gofmt's order, by hand: a sort adds kilobytes of code to the browser bundle.
    let imports: Vec<&str> = GO_IMPORTS
        .iter()
        .copied()
        .filter(|i| imports.contains(i))
        .collect();
    body.push_str(&format!(
        "\treq, err := http.NewRequest({}, {url}, {reader})\n\tif err != nil {{\n\t\tpanic(err)\n\t}}\n",
        lit(req.method.as_str())
    ));
    for h in &req.headers {
        body.push_str(&format!(
            "\treq.Header.Set({}, {})\n",
            lit(&h.name),
            gv(value(h, reveal))
        ));
    }
    body.push_str("\tclient := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}\n\tres, err := client.Do(req)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tdefer res.Body.Close()\n\tout, _ := io.ReadAll(res.Body)\n\tfmt.Println(res.StatusCode, string(out))\n");
    let imports: Vec<String> = imports.iter().map(|i| format!("\t{i}")).collect();
    format!(
        "package main\n\nimport (\n{}\n)\n\nfunc main() {{\n{body}}}",
        imports.join("\n")
    )
}

fn rust(req: &HttpRequest, reveal: bool) -> String {
    let rv = |v: Value| match v {
        Value::Literal(s) => lit(&s),
        Value::Assertion => "client_assertion.as_str()".to_string(),
    };
    let pairs = |ps: &[Param]| -> String {
        let items: Vec<String> = ps
            .iter()
            .map(|p| format!("            ({}, {}),", lit(&p.name), rv(value(p, reveal))))
            .collect();
        format!("[\n{}\n        ]", items.join("\n"))
    };
    let get_query = req.method == Method::Get && !req.query.is_empty();
    let mut chain = format!(
        "    let response = reqwest::blocking::Client::builder()\n        .redirect(reqwest::redirect::Policy::none())\n        .build()?\n        .request(reqwest::Method::{}, {})",
        req.method.as_str(),
        lit(&if get_query { req.url.clone() } else { req.full_url() })
    );
    for h in &req.headers {
        chain.push_str(&format!(
            "\n        .header({}, {})",
            lit(&h.name),
            rv(value(h, reveal))
        ));
    }
    if get_query {
        chain.push_str(&format!("\n        .query(&{})", pairs(&req.query)));
    }
    if let Some(raw) = &req.raw_body {
        chain.push_str(&format!("\n        .body({})", lit(raw)));
    } else if !req.form.is_empty() {
        chain.push_str(&format!("\n        .form(&{})", pairs(&req.form)));
    }
    chain.push_str("\n        .send()?;");
    // Read once, so every value in the request is a &str.
    let assertion = if uses_assertion(req) {
        format!(
            "    let client_assertion = std::env::var({})?;\n",
            lit(ASSERTION_VAR)
        )
    } else {
        String::new()
    };
    format!(
        "// Cargo.toml: reqwest = {{ version = \"0.12\", features = [\"blocking\"] }}\nfn main() -> Result<(), Box<dyn std::error::Error>> {{\n{assertion}{chain}\n    let status = response.status();\n    println!(\"{{status}} {{}}\", response.text()?);\n    Ok(())\n}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange() -> HttpRequest {
        let mut r = HttpRequest::new(
            "Token exchange",
            Method::Post,
            "https://idp.example/oauth2/v1/token",
        );
        r.headers.push(Param::public("Accept", "application/json"));
        r.form.push(Param::public(
            "grant_type",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        ));
        r.form
            .push(Param::secret("subject_token", "eyJ.subject.token"));
        r.form
            .push(Param::secret("client_assertion", "eyJ.used.assertion"));
        r.form.push(Param::public("scope", "files.read it's"));
        r
    }

    #[test]
    fn every_language_reads_a_fresh_assertion_and_masks_secrets() {
        for lang in Language::ALL {
            let code = render(&exchange(), lang, false);
            assert!(code.contains(ASSERTION_VAR), "{lang:?}: {code}");
            assert!(
                !code.contains("eyJ.used.assertion"),
                "{lang:?} repeats the used assertion"
            );
            assert!(
                !code.contains("eyJ.subject.token"),
                "{lang:?} shows a secret: {code}"
            );
            assert!(
                render(&exchange(), lang, true).contains("eyJ.subject.token"),
                "{lang:?}"
            );
            assert!(code.contains("files.read it"), "{lang:?}");
        }
    }

    #[test]
    fn shell_snippets_quote_and_expand_only_the_assertion() {
        let c = render(&exchange(), Language::Curl, true);
        assert!(
            c.contains("--data-urlencode \"client_assertion=$CLIENT_ASSERTION\""),
            "{c}"
        );
        assert!(c.contains(r"'scope=files.read it'\''s'"), "{c}");
        let h = render(&exchange(), Language::Httpie, true);
        assert!(h.starts_with("# CLIENT_ASSERTION"), "{h}");
        assert!(
            h.contains("http --form POST 'https://idp.example/oauth2/v1/token'"),
            "{h}"
        );
        assert!(h.contains("'Accept:application/json'"), "{h}");
    }

    #[test]
    fn get_queries_and_json_bodies() {
        let mut g = HttpRequest::new("API", Method::Get, "https://api.example/x");
        g.query.push(Param::public("q", "a b"));
        assert!(render(&g, Language::Httpie, false).contains("'q==a b'"));
        assert!(render(&g, Language::Python, false).contains("params=["));
        let mut p = HttpRequest::new("API", Method::Post, "https://api.example/x");
        p.headers
            .push(Param::public("Content-Type", "application/json"));
        p.raw_body = Some("{\"a\":1}".into());
        assert!(render(&p, Language::Curl, false).contains("--data-raw '{\"a\":1}'"));
        assert!(render(&p, Language::Go, false).contains("strings.NewReader(\"{\\\"a\\\":1}\")"));
        assert!(render(&p, Language::Rust, false).contains(".body(\"{\\\"a\\\":1}\")"));
    }

    #[test]
    fn go_imports_are_in_gofmt_order_and_only_those_used() {
        let imports = |code: &str| {
            let block = code
                .split("import (\n")
                .nth(1)
                .unwrap()
                .split("\n)")
                .next()
                .unwrap();
            block
                .lines()
                .map(|l| l.trim().to_string())
                .collect::<Vec<_>>()
        };
        // A form with an assertion from the environment: url, strings and os besides the base.
        let form = render(&exchange(), Language::Go, false);
        assert_eq!(
            imports(&form),
            [
                "\"fmt\"",
                "\"io\"",
                "\"net/http\"",
                "\"net/url\"",
                "\"os\"",
                "\"strings\""
            ],
            "{form}"
        );
        let mut g = HttpRequest::new("API", Method::Get, "https://api.example/x");
        g.query.push(Param::public("q", "a"));
        let get = render(&g, Language::Go, false);
        assert_eq!(
            imports(&get),
            ["\"fmt\"", "\"io\"", "\"net/http\"", "\"net/url\""],
            "{get}"
        );
    }
}
