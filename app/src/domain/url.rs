//! Building addresses.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a query-string value escapes: everything but unreserved characters and `/` (`/` is
/// allowed in a query and keeps paths like `next=/clusters` readable).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a query-string value (`%XX`, upper case; a space is `%20`).
pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
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
