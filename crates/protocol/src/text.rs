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
