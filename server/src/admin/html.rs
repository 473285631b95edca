//! The back office's pages as plain HTML (every text from the store escaped) and its CSV.

use std::collections::HashMap;
use std::fmt::Write;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Offset, Utc};
use daylight_app::i18n::Lang;
use daylight_domain::complaint::{Contact, Deadlines, Status};
use daylight_store::{AdminSession, Complaint, ComplaintEvent, EventKind, Role};

/// What every signed-in page needs.
pub struct Page<'a> {
    pub lang: Lang,
    pub session: &'a AdminSession,
    pub names: &'a HashMap<String, String>,
    pub deadlines: Deadlines,
    pub utc_offset_minutes: i32,
}

/// The back office's own few rules (phone-sized screens included).
const STYLE: &str = ".admin-page{max-width:60rem;margin:0 auto;padding:1rem}\
.admin-page label{display:block;margin:.5rem 0}\
.admin-page textarea,.admin-page input,.admin-page select{display:block;width:100%;max-width:30rem;box-sizing:border-box}\
.admin-bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}\
.admin-page .table-scroll{overflow-x:auto}\
.admin-queue tr.overdue{background:#fde8e8}\
.admin-evidence{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8rem}\
.admin-facts dd{margin:0 0 .4rem 0}.admin-facts dt{font-weight:bold}\
.form-error{color:#b00020;font-weight:bold}";

/// Text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
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

fn local(time: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    let tz =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    time.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

fn status_name(lang: Lang, s: Status) -> &'static str {
    lang.pick(s.name_zh(), s.name_en())
}

fn district_name(lang: Lang, names: &HashMap<String, String>, c: &Complaint) -> String {
    match &c.district {
        Some(adcode) => names.get(adcode).cloned().unwrap_or_else(|| adcode.clone()),
        None if c.outside_city => lang
            .pick("市级（市外）", "City queue (outside the city)")
            .into(),
        None => lang.pick("市级", "City queue").into(),
    }
}

pub(crate) fn document(lang: Lang, status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"/style/daylight.css\"><style>{}</style>\
         <title>{} · Daylight</title></head>\
         <body class=\"admin\"><main id=\"main\" class=\"admin-page\">{}</main></body></html>",
        lang.tag(),
        STYLE,
        esc(title),
        body
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn message(lang: Lang, status: StatusCode, title: &str, text: &str) -> Response {
    document(
        lang,
        status,
        title,
        &format!(
            "<section class=\"message-page\"><h1>{}</h1><p>{}</p><p><a href=\"/admin\">{}</a></p></section>",
            esc(title),
            esc(text),
            lang.pick("返回后台", "Back office")
        ),
    )
}

pub fn login(lang: Lang, csrf: &str, error: Option<&str>, status: StatusCode) -> Response {
    let error = error
        .map(|e| format!("<p class=\"form-error\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    let title = lang.pick("投诉处理后台登录", "Complaints back office: sign in");
    document(
        lang,
        status,
        title,
        &format!(
            "<h1>{title}</h1>{error}<form method=\"post\" action=\"/admin/login\" class=\"admin-login\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <label>{user}<input name=\"username\" autocomplete=\"username\" required></label>\
             <label>{pw}<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\
             <button type=\"submit\">{go}</button></form>",
            title = esc(title),
            csrf = esc(csrf),
            user = lang.pick("用户名", "User name"),
            pw = lang.pick("密码", "Password"),
            go = lang.pick("登录", "Sign in"),
        ),
    )
}

fn header_bar(page: &Page<'_>) -> String {
    let lang = page.lang;
    let who = match &page.session.admin.role {
        Role::DistrictOfficer { district } => format!(
            "{} · {}",
            lang.pick("区县办理人员", "District officer"),
            esc(page.names.get(district).unwrap_or(district))
        ),
        Role::CitySupervisor => lang.pick("市级督办", "City supervisor").into(),
        Role::Admin => lang.pick("管理员", "Administrator").into(),
    };
    format!(
        "<header class=\"admin-bar\"><a href=\"/admin\">{queue}</a> <span>{user} ({who})</span>\
         <form method=\"post\" action=\"/admin/logout\" class=\"inline\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button type=\"submit\">{out}</button></form></header>",
        queue = lang.pick("投诉队列", "Queue"),
        user = esc(&page.session.admin.username),
        csrf = esc(&page.session.csrf),
        out = lang.pick("退出", "Sign out"),
    )
}

pub fn queue(
    page: &Page<'_>,
    list: &[Complaint],
    district: Option<&str>,
    status: Option<&str>,
) -> Response {
    let lang = page.lang;
    let now = Utc::now();
    let title = lang.pick("投诉队列", "Complaints queue");
    let mut body = header_bar(page);
    let _ = write!(body, "<h1>{}</h1>", esc(title));
    // Filters: a GET form, so it works without JavaScript.
    body.push_str("<form method=\"get\" action=\"/admin\" class=\"admin-filter\">");
    if page.session.admin.role.district().is_none() {
        let _ = write!(
            body,
            "<label>{}<select name=\"district\"><option value=\"\">{}</option><option value=\"city\"{}>{}</option>",
            lang.pick("区县", "District"),
            lang.pick("全部", "All"),
            if district == Some("city") { " selected" } else { "" },
            lang.pick("市级队列", "City queue"),
        );
        let mut names: Vec<(&String, &String)> = page.names.iter().collect();
        names.sort();
        for (code, name) in names {
            let _ = write!(
                body,
                "<option value=\"{}\"{}>{}</option>",
                esc(code),
                if district == Some(code.as_str()) {
                    " selected"
                } else {
                    ""
                },
                esc(name)
            );
        }
        body.push_str("</select></label>");
    }
    let _ = write!(
        body,
        "<label>{}<select name=\"status\"><option value=\"\">{}</option>",
        lang.pick("状态", "Status"),
        lang.pick("全部", "All")
    );
    for s in Status::ALL {
        let _ = write!(
            body,
            "<option value=\"{}\"{}>{}</option>",
            s.as_str(),
            if status == Some(s.as_str()) {
                " selected"
            } else {
                ""
            },
            status_name(lang, s)
        );
    }
    let _ = write!(
        body,
        "</select></label><button type=\"submit\">{}</button> <a href=\"/admin/export.csv?{}\">{}</a></form>",
        lang.pick("筛选", "Filter"),
        esc(&serde_urlencoded::to_string([
            ("district", district.unwrap_or("")),
            ("status", status.unwrap_or(""))
        ])
        .unwrap_or_default()),
        lang.pick("导出 CSV", "Export CSV"),
    );
    if list.is_empty() {
        let _ = write!(body, "<p>{}</p>", lang.pick("没有投诉。", "No complaints."));
    } else {
        let _ = write!(
            body,
            "<div class=\"table-scroll\"><table class=\"admin-queue\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            lang.pick("查询码", "Code"),
            lang.pick("提交时间", "Submitted"),
            lang.pick("类别", "Kind"),
            lang.pick("区县", "District"),
            lang.pick("状态", "Status"),
            lang.pick("受理期限", "Accept by"),
            lang.pick("办结期限", "Close by"),
        );
        for c in list {
            let clock = page
                .deadlines
                .clock(c.created, c.status, now, page.utc_offset_minutes);
            let overdue = lang.pick("（已超期）", " (overdue)");
            let _ = write!(
                body,
                "<tr class=\"{}\"><td><a href=\"/admin/complaint/{code}\">{code}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}{}</td></tr>",
                if clock.overdue() { "overdue" } else { "" },
                local(c.created, page.utc_offset_minutes),
                lang.pick(c.category.name_zh(), c.category.name_en()),
                esc(&district_name(lang, page.names, c)),
                status_name(lang, c.status),
                local(clock.accept_by, page.utc_offset_minutes),
                if clock.accept_overdue { overdue } else { "" },
                local(clock.close_by, page.utc_offset_minutes),
                if clock.close_overdue { overdue } else { "" },
                code = esc(c.tracking_code.as_str()),
            );
        }
        body.push_str("</tbody></table></div>");
    }
    document(lang, StatusCode::OK, title, &body)
}

fn event_label(lang: Lang, e: &ComplaintEvent) -> String {
    match e.kind {
        EventKind::Status => format!(
            "{}: {}",
            lang.pick("状态", "Status"),
            e.status.map(|s| status_name(lang, s)).unwrap_or("")
        ),
        EventKind::Note => lang.pick("内部备注", "Internal note").into(),
        EventKind::PublicReply => lang.pick("公开答复", "Public reply").into(),
        EventKind::ReporterAddition => lang.pick("举报人补充", "Added by the reporter").into(),
    }
}

pub fn complaint(
    page: &Page<'_>,
    c: &Complaint,
    events: &[ComplaintEvent],
    photos: &[daylight_store::PhotoInfo],
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let tz = page.utc_offset_minutes;
    let code = esc(c.tracking_code.as_str());
    let clock = page.deadlines.clock(c.created, c.status, Utc::now(), tz);
    let mut body = header_bar(page);
    let _ = write!(body, "<h1>{} {code}</h1>", lang.pick("投诉", "Complaint"));
    if let Some(problem) = problem {
        let _ = write!(
            body,
            "<p class=\"form-error\" role=\"alert\">{}</p>",
            esc(problem)
        );
    }
    let contact = match &c.contact {
        Some(Contact::Phone(v)) | Some(Contact::Email(v)) => esc(v),
        None => lang.pick("匿名", "Anonymous").into(),
    };
    let location = c
        .location
        .map(|p| format!("{:.5}, {:.5}", p.lat, p.lon))
        .unwrap_or_else(|| "—".into());
    let overdue = lang.pick("（已超期）", " (overdue)");
    let _ = write!(
        body,
        "<dl class=\"admin-facts\">\
         <dt>{}</dt><dd class=\"status\">{}</dd>\
         <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
         <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
         <dt>{}</dt><dd>{}{}</dd><dt>{}</dt><dd>{}{}</dd>\
         <dt>{}</dt><dd class=\"description\">{}</dd></dl>",
        lang.pick("状态", "Status"),
        status_name(lang, c.status),
        lang.pick("类别", "Kind"),
        lang.pick(c.category.name_zh(), c.category.name_en()),
        lang.pick("区县", "District"),
        esc(&district_name(lang, page.names, c)),
        lang.pick("提交时间", "Submitted"),
        local(c.created, tz),
        lang.pick("发现时间", "Observed"),
        local(c.observed, tz),
        lang.pick("位置（纬度, 经度）", "Location (lat, lon)"),
        location,
        lang.pick("地址", "Address"),
        esc(c.address.as_deref().unwrap_or("—")),
        lang.pick("受理期限", "Accept by"),
        local(clock.accept_by, tz),
        if clock.accept_overdue { overdue } else { "" },
        lang.pick("办结期限", "Close by"),
        local(clock.close_by, tz),
        if clock.close_overdue { overdue } else { "" },
        lang.pick("描述", "Description"),
        esc(&c.description),
    );
    let _ = write!(
        body,
        "<p class=\"admin-contact\">{}: {}</p>",
        lang.pick(
            "联系方式（个人信息，仅限办理使用）",
            "Contact (personal data, for handling only)"
        ),
        contact
    );
    body.push_str(&crate::complaints::suspect_html(lang, c));
    body.push_str(&super::photos::section(
        page,
        c.tracking_code.as_str(),
        photos,
    ));
    let csrf = esc(&page.session.csrf);
    let expected = c.status.as_str();
    if !c.status.next().is_empty() {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/admin/complaint/{code}\" class=\"admin-action\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"status\">\
             <input type=\"hidden\" name=\"expected\" value=\"{expected}\">\
             <label>{}<select name=\"status\">",
            lang.pick("更改状态", "Change status")
        );
        for s in c.status.next() {
            let _ = write!(
                body,
                "<option value=\"{}\">{}</option>",
                s.as_str(),
                status_name(lang, *s)
            );
        }
        let _ = write!(
            body,
            "</select></label><button type=\"submit\">{}</button></form>",
            lang.pick("更改", "Change")
        );
    }
    for (action, label, hint) in [
        (
            "reply",
            lang.pick(
                "公开答复（举报人和公众可见）",
                "Public reply (the reporter and the public see it)",
            ),
            "reply",
        ),
        (
            "note",
            lang.pick("内部备注（仅后台可见）", "Internal note (back office only)"),
            "note",
        ),
    ] {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/admin/complaint/{code}\" class=\"admin-action {hint}\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"{action}\">\
             <input type=\"hidden\" name=\"expected\" value=\"{expected}\">\
             <label>{label}<textarea name=\"body\" rows=\"3\" maxlength=\"4000\" required></textarea></label>\
             <button type=\"submit\">{}</button></form>",
            lang.pick("添加", "Add")
        );
    }
    let _ = write!(
        body,
        "<h2>{}</h2><ol class=\"admin-history\">",
        lang.pick("办理记录（留痕）", "History (audit trail)")
    );
    for e in events {
        let _ = write!(
            body,
            "<li class=\"event-{}\"><time>{}</time> <strong>{}</strong> {}<p>{}</p></li>",
            e.kind.as_str(),
            local(e.time, tz),
            esc(&event_label(lang, e)),
            esc(&e.actor),
            esc(&e.body)
        );
    }
    body.push_str("</ol>");
    let evidence = serde_json::to_string_pretty(&c.evidence).unwrap_or_default();
    let _ = write!(
        body,
        "<h2>{}</h2><pre class=\"admin-evidence\">{}</pre>",
        lang.pick(
            "提交时的监测数据（证据快照）",
            "Monitoring data at submission (evidence snapshot)"
        ),
        esc(&evidence)
    );
    document(
        lang,
        status,
        &format!("{} {}", lang.pick("投诉", "Complaint"), c.tracking_code),
        &body,
    )
}

/// A cell a spreadsheet would read as a formula gets a leading apostrophe.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The queue as CSV (UTF-8 with a BOM, for spreadsheets). The reporter's contact only for
/// admins.
pub fn csv(
    list: &[Complaint],
    names: &HashMap<String, String>,
    deadlines: Deadlines,
    utc_offset_minutes: i32,
    with_contact: bool,
) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let mut head = vec![
            "tracking_code",
            "submitted",
            "category",
            "district",
            "outside_city",
            "status",
            "accept_by",
            "close_by",
            "overdue",
            "lat",
            "lon",
            "address",
            "description",
        ];
        if with_contact {
            head.push("contact");
        }
        writer.write_record(&head)?;
        let now = Utc::now();
        for c in list {
            let clock = deadlines.clock(c.created, c.status, now, utc_offset_minutes);
            let mut row = vec![
                c.tracking_code.to_string(),
                local(c.created, utc_offset_minutes),
                c.category.as_str().to_owned(),
                c.district
                    .as_ref()
                    .map(|d| names.get(d).cloned().unwrap_or_else(|| d.clone()))
                    .unwrap_or_default(),
                c.outside_city.to_string(),
                c.status.as_str().to_owned(),
                local(clock.accept_by, utc_offset_minutes),
                local(clock.close_by, utc_offset_minutes),
                clock.overdue().to_string(),
                c.location.map(|p| p.lat.to_string()).unwrap_or_default(),
                c.location.map(|p| p.lon.to_string()).unwrap_or_default(),
                cell(c.address.as_deref().unwrap_or("")),
                cell(&c.description),
            ];
            if with_contact {
                row.push(cell(c.contact.as_ref().map(|v| v.value()).unwrap_or("")));
            }
            writer.write_record(&row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}
