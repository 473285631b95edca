//! oEmbed discovery (<https://oembed.com/#section4>): the address of the oEmbed answer for
//! one of our pages, put in the `<head>` of station and water pages. The provider itself is
//! the server's `/oembed` route.

/// `{base}/oembed?url={base}{page_path}&format={format}`, with the page's address
/// percent-encoded as a query value.
pub fn discovery_href(base: &str, page_path: &str, format: &str) -> String {
    format!(
        "{base}/oembed?url={}&format={format}",
        encode_query_value(&format!("{base}{page_path}"))
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_address_is_one_encoded_query_value() {
        assert_eq!(
            discovery_href("http://127.0.0.1:3000", "/station/1462A", "json"),
            "http://127.0.0.1:3000/oembed?url=http%3A%2F%2F127.0.0.1%3A3000%2Fstation%2F1462A&format=json"
        );
        assert_eq!(encode_query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
