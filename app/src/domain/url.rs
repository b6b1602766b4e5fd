//! Building addresses.

/// Percent-encodes a query-string value. Unreserved characters and `/` stay as they are
/// (`/` is allowed in a query and keeps paths like `next=/clusters` readable).
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_must_be() {
        assert_eq!(
            encode_query_value("/clusters?a=b c"),
            "/clusters%3Fa%3Db%20c"
        );
        assert_eq!(encode_query_value("fields[c0_name]"), "fields%5Bc0_name%5D");
        assert_eq!(encode_query_value("é"), "%C3%A9");
        assert_eq!(encode_query_value("{\"a\":1}"), "%7B%22a%22%3A1%7D");
    }
}
