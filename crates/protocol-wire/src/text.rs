//! Small text helpers for messages.

/// `s` with its first letter upper-cased. ASCII only: the messages and labels it is used on
/// begin with ASCII, and Unicode case tables would add kilobytes to the browser bundle.
pub fn capitalize(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::capitalize;

    #[test]
    fn upper_cases_the_first_ascii_letter_only() {
        assert_eq!(capitalize("the issuer"), "The issuer");
        assert_eq!(capitalize(""), "");
        assert_eq!(capitalize("émis"), "émis");
        assert_eq!(capitalize("1 step"), "1 step");
    }
}

/// `s` escaped for HTML text and attribute values (double- or single-quoted): the one escaper
/// behind every HTML or SVG this workspace writes as text (the lineage picture, the demo
/// tenant's pages).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod escape_tests {
    use super::escape_html;

    #[test]
    fn every_markup_character_is_escaped_quotes_of_both_kinds_included() {
        assert_eq!(
            escape_html(r#"<a href='x' title="y">&</a>"#),
            "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
