//! One answer, two formats. Every Open311 answer is built once as a [`Node`] tree and
//! written either as JSON (through serde) or as XML (by the small writer here), so the two
//! formats cannot drift apart. The mapping is GeoReport's "Spark convention": a JSON array
//! is an XML element whose children are named by the list (`<services><service>…`), a JSON
//! object is an element with one child per field, and `null` is an empty element.
//!
//! The XML is written by hand rather than with a crate: five escapes and a filter of the
//! characters XML 1.0 cannot carry are all it takes, and every tag name is a constant of
//! ours, so only text needs escaping.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A value of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// A whole number (an error code): written without a decimal point.
    Integer(i64),
    Number(f64),
    Text(String),
    /// Fields in the order they are written.
    Object(Vec<(&'static str, Node)>),
    /// Items; in XML each is an element named by the first field.
    List(&'static str, Vec<Node>),
}

impl Node {
    pub fn text(value: impl Into<String>) -> Self {
        Self::Text(value.into())
    }

    pub fn opt_text(value: Option<impl Into<String>>) -> Self {
        value.map_or(Self::Null, |v| Self::Text(v.into()))
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Integer(n) => serializer.serialize_i64(*n),
            // JSON has no NaN or infinity; nothing of ours is one, but null is its honest form.
            Self::Number(n) if !n.is_finite() => serializer.serialize_unit(),
            Self::Number(n) => serializer.serialize_f64(*n),
            Self::Text(t) => serializer.serialize_str(t),
            Self::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (name, value) in fields {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
            Self::List(_, items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

/// A whole answer: the XML root element's name and its content (the JSON is the content
/// alone).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: &'static str,
    pub body: Node,
}

impl Document {
    pub fn to_json(&self) -> String {
        // Serialising a tree of strings, numbers and booleans cannot fail.
        serde_json::to_string(&self.body).unwrap_or_else(|_| "null".into())
    }

    pub fn to_xml(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        element(&mut out, self.root, &self.body);
        out.push('\n');
        out
    }
}

/// Writes `<tag>value</tag>` (`<tag/>` for null).
fn element(out: &mut String, tag: &str, value: &Node) {
    match value {
        Node::Null => {
            out.push('<');
            out.push_str(tag);
            out.push_str("/>");
            return;
        }
        _ => {
            out.push('<');
            out.push_str(tag);
            out.push('>');
        }
    }
    match value {
        Node::Null => {}
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Integer(n) => out.push_str(&n.to_string()),
        Node::Number(n) if n.is_finite() => out.push_str(&n.to_string()),
        Node::Number(_) => {}
        Node::Text(t) => escape_into(out, t),
        Node::Object(fields) => {
            for (name, field) in fields {
                element(out, name, field);
            }
        }
        Node::List(item, items) => {
            for node in items {
                element(out, item, node);
            }
        }
    }
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// Whether XML 1.0 can carry a character at all (§2.2 `Char`): not the C0 controls other
/// than tab, line feed and carriage return, not U+FFFE or U+FFFF. (Surrogates cannot occur
/// in a Rust string.)
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Appends `text` escaped for element content or an attribute value; characters XML cannot
/// carry are dropped (a reader would refuse the whole document otherwise).
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A carriage return would be read back as a line feed.
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        escape_into(&mut out, text);
        out
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escaped(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
        // Already-escaped text is escaped again: it is text, not markup.
        assert_eq!(escaped("&amp;"), "&amp;amp;");
        assert_eq!(escaped("]]>"), "]]&gt;");
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped_and_the_rest_kept() {
        assert_eq!(escaped("a\u{0}b\u{1b}c\u{FFFF}d"), "abcd");
        assert_eq!(escaped("行1\n\t行2\r"), "行1\n\t行2&#13;");
        assert_eq!(escaped("西安 🌫 PM2.5"), "西安 🌫 PM2.5");
    }

    #[test]
    fn a_document_is_the_same_tree_in_both_formats() {
        let doc = Document {
            root: "service_requests",
            body: Node::List(
                "request",
                vec![Node::Object(vec![
                    ("service_request_id", Node::text("TS-2026-ABCDEF")),
                    ("status_notes", Node::Null),
                    ("lat", Node::Number(34.261)),
                    ("description", Node::text("<script>&")),
                    ("metadata", Node::Bool(false)),
                    ("code", Node::Integer(400)),
                ])],
            ),
        };
        assert_eq!(
            doc.to_xml(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests><request>\
             <service_request_id>TS-2026-ABCDEF</service_request_id><status_notes/>\
             <lat>34.261</lat><description>&lt;script&gt;&amp;</description>\
             <metadata>false</metadata><code>400</code></request></service_requests>\n"
        );
        assert_eq!(
            doc.to_json(),
            r#"[{"service_request_id":"TS-2026-ABCDEF","status_notes":null,"lat":34.261,"description":"<script>&","metadata":false,"code":400}]"#
        );
    }

    #[test]
    fn an_empty_list_is_an_empty_element_and_an_empty_array() {
        let doc = Document {
            root: "errors",
            body: Node::List("error", Vec::new()),
        };
        assert!(doc.to_xml().contains("<errors></errors>"));
        assert_eq!(doc.to_json(), "[]");
    }
}
