//! An http(s) base URL, as the native servers take one on their command line (the relay's
//! upstreams, the demo tenant's base URL), parsed by the `url` crate. Native only: the page
//! and the worker compare URLs as strings, and `url`'s IDNA tables stay out of their wasm.

/// Why a value is not an http(s) base URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotBase {
    /// No scheme, or one other than http and https.
    Scheme,
    /// No host, or a query, fragment, space or user info.
    Shape,
}

/// `value` (trimmed) as an http(s) URL with a host and no query, fragment, space or user info.
pub fn http_base(value: &str) -> Result<url::Url, NotBase> {
    let trimmed = value.trim();
    let url = match url::Url::parse(trimmed) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => return Err(NotBase::Scheme),
        Err(_) => return Err(NotBase::Shape),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(NotBase::Scheme);
    }
    let has_user = !url.username().is_empty() || url.password().is_some();
    if url.host_str().is_none_or(str::is_empty)
        || url.query().is_some()
        || url.fragment().is_some()
        || has_user
        || trimmed.contains(' ')
    {
        return Err(NotBase::Shape);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_http_base_passes() {
        assert_eq!(
            http_base(" https://acme.okta.com/ ").unwrap().as_str(),
            "https://acme.okta.com/"
        );
        assert!(http_base("http://127.0.0.1:9400/base").is_ok());
        assert_eq!(http_base("acme.okta.com"), Err(NotBase::Scheme));
        assert_eq!(http_base("ftp://acme.okta.com"), Err(NotBase::Scheme));
        for bad in [
            "https://",
            "https://a.example/?x=1",
            "https://a.example/#f",
            "https://u@a.example",
            "https://a.example/a b",
        ] {
            assert_eq!(http_base(bad), Err(NotBase::Shape), "{bad}");
        }
    }
}
