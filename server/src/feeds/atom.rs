//! A minimal Atom 1.0 (RFC 4287) writer. Hand-written because the lockfile has no XML crate
//! and a feed needs only a handful of elements; every text and attribute goes through
//! [`escape`], so a name with `<&>` in it stays text.

use chrono::{DateTime, SecondsFormat, Utc};

/// One `<entry>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// A `tag:` URI that stays the same on every fetch (RFC 4287 §4.2.6).
    pub id: String,
    pub title: String,
    pub summary: String,
    pub updated: DateTime<Utc>,
    /// The absolute address of the page the entry is about.
    pub link: String,
    pub author: String,
    /// `term` (machine-readable) and `label` (in the feed's language).
    pub category: (String, String),
}

/// A whole feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    /// The feed's own address (`rel="self"`).
    pub self_link: String,
    /// The page the feed mirrors (`rel="alternate"`).
    pub alternate: String,
    /// `xml:lang` of the texts, e.g. `zh-CN`.
    pub lang: &'static str,
    /// The licence statement (`<rights>`).
    pub rights: String,
    /// When the newest entry changed; when there is none, the time the feed was built.
    pub updated: DateTime<Utc>,
    pub entries: Vec<Entry>,
}

/// Escapes text for XML character data and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all (other control characters) are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Feed {
    pub fn to_xml(&self) -> String {
        let mut x = String::with_capacity(1024 + self.entries.len() * 768);
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
            self.lang
        ));
        x.push_str(&format!("  <id>{}</id>\n", escape(&self.id)));
        x.push_str(&format!("  <title>{}</title>\n", escape(&self.title)));
        x.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(&self.subtitle)
        ));
        x.push_str(&format!("  <updated>{}</updated>\n", time(self.updated)));
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(&self.self_link)
        ));
        x.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&self.alternate)
        ));
        x.push_str(&format!("  <rights>{}</rights>\n", escape(&self.rights)));
        x.push_str("  <generator>Daylight</generator>\n");
        for e in &self.entries {
            x.push_str("  <entry>\n");
            x.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
            x.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
            x.push_str(&format!("    <updated>{}</updated>\n", time(e.updated)));
            x.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                escape(&e.link)
            ));
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(&e.author)
            ));
            x.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                escape(&e.category.0),
                escape(&e.category.1)
            ));
            x.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                escape(&e.summary)
            ));
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn texts_and_attributes_are_escaped() {
        assert_eq!(escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
        let t = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let feed = Feed {
            id: "tag:x,2026:f".into(),
            title: "T".into(),
            subtitle: "S".into(),
            self_link: "http://x/f?a=1&b=2".into(),
            alternate: "http://x/".into(),
            lang: "en",
            rights: "CC BY 4.0".into(),
            updated: t,
            entries: vec![Entry {
                id: "tag:x,2026:e".into(),
                title: "<b>&</b>".into(),
                summary: "s".into(),
                updated: t,
                link: "http://x/e".into(),
                author: "A".into(),
                category: ("k".into(), "K".into()),
            }],
        };
        let xml = feed.to_xml();
        assert!(
            xml.contains("<title>&lt;b&gt;&amp;&lt;/b&gt;</title>"),
            "{xml}"
        );
        assert!(xml.contains("href=\"http://x/f?a=1&amp;b=2\""), "{xml}");
        assert!(
            xml.contains("<updated>2026-11-30T02:00:00Z</updated>"),
            "{xml}"
        );
    }
}
