//! What the back office's complaint page shows of the form's additions (issue 6): the
//! enterprise the resident suspects, linked to its public page when it is registered.
//! The page itself is `crate::admin::html`.

use daylight_app::i18n::Lang;
use daylight_domain::complaint::suspect::Suspect;
use daylight_store::Complaint;

use crate::admin::html::esc;

/// A paragraph naming the suspected enterprise, or "" when the resident named none.
pub(crate) fn suspect_html(lang: Lang, complaint: &Complaint) -> String {
    let Some(suspect) = &complaint.suspect else {
        return String::new();
    };
    let label = lang.pick("举报人怀疑的企业", "Enterprise the reporter suspects");
    let named = match suspect {
        Suspect::Registered { code, name } => format!(
            "<a href=\"/enterprise/{}\">{}</a> ({})",
            esc(code.as_str()),
            esc(name),
            esc(code.as_str())
        ),
        Suspect::Named { text } => format!(
            "{}{}",
            esc(text),
            lang.pick(
                "（未在企业名录中，为举报人原文）",
                " (not in the registry; as the reporter wrote it)"
            )
        ),
    };
    format!("<p class=\"admin-suspect\">{label}: {named}</p>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use daylight_domain::enterprise::CreditCode;

    fn with(suspect: Option<Suspect>) -> Complaint {
        Complaint {
            id: 1,
            tracking_code: daylight_domain::complaint::TrackingCode::parse("TS-2026-ABCDEF")
                .expect("a code"),
            category: daylight_domain::complaint::Category::Odour,
            description: String::new(),
            observed: chrono::Utc::now(),
            location: None,
            address: Some("x".into()),
            district: None,
            outside_city: false,
            contact: None,
            status: daylight_domain::complaint::Status::Received,
            created: chrono::Utc::now(),
            evidence: serde_json::json!({}),
            suspect,
        }
    }

    #[test]
    fn a_registered_suspect_links_its_page_and_text_is_escaped() {
        assert_eq!(suspect_html(Lang::En, &with(None)), "");
        let registered = with(Some(Suspect::Registered {
            code: CreditCode::parse("91610111MA6DM0001J").expect("a code"),
            name: "示例热电".into(),
        }));
        let html = suspect_html(Lang::En, &registered);
        assert!(html.contains(r#"<a href="/enterprise/91610111MA6DM0001J">示例热电</a>"#));
        let named = with(Some(Suspect::Named {
            text: "<script>x</script>".into(),
        }));
        let html = suspect_html(Lang::Zh, &named);
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;（未在企业名录中"));
        assert!(!html.contains("<script>"));
    }
}
