//! The back office's pages as plain HTML (every text from the store escaped) and its CSV.

use std::collections::HashMap;
use std::fmt::Write;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Offset, Utc};
use daylight_app::i18n::Lang;
use daylight_domain::complaint::{Contact, Deadlines, Status};
use daylight_store::{
    Admin, AdminSession, Change, Complaint, ComplaintEvent, Enterprise, EventKind, Handling,
    QueueItem, Role,
};

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
.admin-queue tr.new td:first-child{border-left:4px solid #1a73e8}\
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

pub(super) fn local(time: DateTime<Utc>, utc_offset_minutes: i32) -> String {
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

/// The bar atop every signed-in page: the queue, the registry for administrators, who is
/// signed in, and signing out.
pub(crate) fn header_bar(page: &Page<'_>) -> String {
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
    let registry = if page.session.admin.role == Role::Admin {
        format!(
            " <a href=\"/admin/enterprises\">{}</a>",
            lang.pick("企业名录", "Enterprise registry")
        )
    } else {
        String::new()
    };
    format!(
        "<header class=\"admin-bar\"><a href=\"/admin\">{queue}</a>{registry} <span>{user} ({who})</span>\
         <form method=\"post\" action=\"/admin/logout\" class=\"inline\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button type=\"submit\">{out}</button></form></header>",
        queue = lang.pick("投诉队列", "Queue"),
        user = esc(&page.session.admin.username),
        csrf = esc(&page.session.csrf),
        out = lang.pick("退出", "Sign out"),
    )
}

/// The queue's filters as the page was asked for them (query parameters, unchecked).
#[derive(Debug, Clone, Copy, Default)]
pub struct QueueFilters<'a> {
    /// An adcode, or "city".
    pub district: Option<&'a str>,
    pub status: Option<&'a str>,
    /// "me" or "none".
    pub assigned: Option<&'a str>,
}

impl QueueFilters<'_> {
    /// The filters as a query string (for the export link and the live stream).
    pub fn query(&self) -> String {
        serde_urlencoded::to_string([
            ("district", self.district.unwrap_or("")),
            ("status", self.status.unwrap_or("")),
            ("assigned", self.assigned.unwrap_or("")),
        ])
        .unwrap_or_default()
    }
}

fn assignee_text(lang: Lang, assignee: Option<&str>) -> String {
    match assignee {
        Some(name) => esc(name),
        None => lang.pick("未分派", "Unassigned").into(),
    }
}

/// One row of the queue (also what the live queue inserts: `super::live`).
pub fn queue_row(page: &Page<'_>, item: &QueueItem, now: DateTime<Utc>) -> String {
    let lang = page.lang;
    let c = &item.complaint;
    let clock = page
        .deadlines
        .clock(c.created, c.status, now, page.utc_offset_minutes);
    let overdue = lang.pick("（已超期）", " (overdue)");
    format!(
        "<tr class=\"{}\" data-code=\"{code}\" data-assignee=\"{}\"><td><a href=\"/admin/complaint/{code}\">{code}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"assignee\">{}</td><td>{}{}</td><td>{}{}</td></tr>",
        if clock.overdue() { "overdue" } else { "" },
        esc(item.handling.assignee.as_deref().unwrap_or("")),
        local(c.created, page.utc_offset_minutes),
        lang.pick(c.category.name_zh(), c.category.name_en()),
        esc(&district_name(lang, page.names, c)),
        status_name(lang, c.status),
        assignee_text(lang, item.handling.assignee.as_deref()),
        local(clock.accept_by, page.utc_offset_minutes),
        if clock.accept_overdue { overdue } else { "" },
        local(clock.close_by, page.utc_offset_minutes),
        if clock.close_overdue { overdue } else { "" },
        code = esc(c.tracking_code.as_str()),
    )
}

/// The queue page. `live`: the address of its live stream (`/admin/live?…`), which the
/// page's script (`/admin/queue.js`) opens; without JavaScript the page is complete as is.
pub fn queue(
    page: &Page<'_>,
    list: &[QueueItem],
    filters: QueueFilters<'_>,
    live: &str,
) -> Response {
    let lang = page.lang;
    let now = Utc::now();
    let QueueFilters {
        district,
        status,
        assigned,
    } = filters;
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
        "</select></label><label>{}<select name=\"assigned\"><option value=\"\">{}</option>",
        lang.pick("承办人", "Assignee"),
        lang.pick("全部", "All"),
    );
    for (value, label) in [
        ("me", lang.pick("分派给我的", "Assigned to me")),
        ("none", lang.pick("未分派的", "Unassigned")),
    ] {
        let _ = write!(
            body,
            "<option value=\"{value}\"{}>{label}</option>",
            if assigned == Some(value) {
                " selected"
            } else {
                ""
            },
        );
    }
    let _ = write!(
        body,
        "</select></label><button type=\"submit\">{}</button> <a href=\"/admin/export.csv?{}\">{}</a></form>",
        lang.pick("筛选", "Filter"),
        esc(&filters.query()),
        lang.pick("导出 CSV", "Export CSV"),
    );
    // The table is there even when empty, for the live queue to fill.
    let _ = write!(
        body,
        "<section class=\"admin-queue-list\" data-live=\"{}\">\
         <p class=\"admin-live\" role=\"status\" aria-live=\"polite\" data-new=\"{}\"></p>\
         <p class=\"admin-empty\"{}>{}</p>\
         <div class=\"table-scroll\"><table class=\"admin-queue\"{}><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(live),
        esc(lang.pick("新投诉：{code}", "New complaint: {code}")),
        if list.is_empty() { "" } else { " hidden" },
        lang.pick("没有投诉。", "No complaints."),
        if list.is_empty() { " hidden" } else { "" },
        lang.pick("查询码", "Code"),
        lang.pick("提交时间", "Submitted"),
        lang.pick("类别", "Kind"),
        lang.pick("区县", "District"),
        lang.pick("状态", "Status"),
        lang.pick("承办人", "Assignee"),
        lang.pick("受理期限", "Accept by"),
        lang.pick("办结期限", "Close by"),
    );
    for item in list {
        body.push_str(&queue_row(page, item, now));
    }
    body.push_str(
        "</tbody></table></div></section><script src=\"/admin/queue.js\" defer></script>",
    );
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
        EventKind::Assignment => lang.pick("分派", "Assignment").into(),
        EventKind::EnterpriseLink => lang.pick("关联企业", "Enterprise linked").into(),
    }
}

/// What an event says, for the history: a change of assignee or enterprise as "before →
/// after", anything else as written.
fn event_text(lang: Lang, e: &ComplaintEvent, registry: &[Enterprise]) -> String {
    let none = |kind| match kind {
        EventKind::Assignment => lang.pick("未分派", "unassigned"),
        _ => lang.pick("无", "none"),
    };
    let name = |value: Option<&str>| -> String {
        match (e.kind, value) {
            (_, None) => none(e.kind).to_owned(),
            (EventKind::EnterpriseLink, Some(code)) => registry
                .iter()
                .find(|x| x.credit_code.as_str() == code)
                .map(|x| format!("{} ({code})", x.name))
                .unwrap_or_else(|| code.to_owned()),
            (_, Some(v)) => v.to_owned(),
        }
    };
    match e.kind {
        EventKind::Assignment | EventKind::EnterpriseLink => match Change::parse(&e.body) {
            Some(change) => format!(
                "{} → {}",
                name(change.before.as_deref()),
                name(change.after.as_deref())
            ),
            None => e.body.clone(),
        },
        _ => e.body.clone(),
    }
}

/// What the complaint page needs beyond the complaint: its handling, the accounts it may be
/// assigned to, and the enterprise registry (for the finding's list and names).
pub struct HandlingView<'a> {
    pub handling: &'a Handling,
    pub officers: Vec<&'a Admin>,
    pub registry: &'a [Enterprise],
}

/// The handling section: who it is assigned to, with the form that changes that, and, for a
/// founded complaint, the enterprise it was found against, with the form that corrects it.
fn handling_section(page: &Page<'_>, c: &Complaint, view: &HandlingView<'_>) -> String {
    let lang = page.lang;
    let code = esc(c.tracking_code.as_str());
    let csrf = esc(&page.session.csrf);
    let current = view.handling.assignee.as_deref();
    let mut html = format!(
        "<h2>{}</h2><p class=\"admin-assignee\">{}: <strong data-assignee=\"{}\">{}</strong></p>",
        lang.pick("承办", "Handling"),
        lang.pick("承办人", "Assigned to"),
        esc(current.unwrap_or("")),
        assignee_text(lang, current),
    );
    if !c.status.is_closed() {
        let me = &page.session.admin.username;
        let _ = write!(
            html,
            "<form method=\"post\" action=\"/admin/complaint/{code}\" class=\"admin-action assign\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"assign\">\
             <input type=\"hidden\" name=\"expected_assignee\" value=\"{}\">\
             <label>{}<select name=\"assignee\"><option value=\"\">{}</option>",
            esc(current.unwrap_or("")),
            lang.pick("分派给", "Assign to"),
            lang.pick("（不分派）", "(nobody)"),
        );
        for officer in &view.officers {
            let name = esc(&officer.username);
            let _ = write!(
                html,
                "<option value=\"{name}\"{}>{name}{}</option>",
                if current == Some(officer.username.as_str()) {
                    " selected"
                } else {
                    ""
                },
                if &officer.username == me {
                    lang.pick("（我）", " (me)")
                } else {
                    ""
                },
            );
        }
        let _ = write!(
            html,
            "</select></label><button type=\"submit\">{}</button></form>",
            lang.pick("分派", "Assign")
        );
    }
    if c.status == Status::ClosedFounded {
        let linked = view.handling.enterprise.as_ref();
        let shown = match linked {
            Some(code) => match view.registry.iter().find(|e| &e.credit_code == code) {
                Some(e) => format!(
                    "<a href=\"/enterprise/{code}\">{}</a> ({code})",
                    esc(&e.name)
                ),
                None => esc(code.as_str()),
            },
            None => lang.pick("未关联", "None linked").into(),
        };
        let _ = write!(
            html,
            "<p class=\"admin-enterprise\">{}: <span data-enterprise=\"{}\">{shown}</span></p>\
             <form method=\"post\" action=\"/admin/complaint/{code}\" class=\"admin-action enterprise\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"enterprise\">\
             <input type=\"hidden\" name=\"expected\" value=\"{}\">\
             <input type=\"hidden\" name=\"expected_enterprise\" value=\"{}\">\
             <label>{}<input name=\"enterprise\" list=\"enterprise-registry\" maxlength=\"100\" value=\"{}\" autocomplete=\"off\"></label>\
             <button type=\"submit\">{}</button></form>",
            lang.pick("查实涉及企业（公开）", "Enterprise found against (public)"),
            linked.map(|c| c.as_str()).unwrap_or(""),
            c.status.as_str(),
            linked.map(|c| c.as_str()).unwrap_or(""),
            lang.pick(
                "更正企业（名称或统一社会信用代码；留空则取消关联）",
                "Correct the enterprise (name or credit code; empty removes the link)"
            ),
            linked.map(|c| c.as_str()).unwrap_or(""),
            lang.pick("保存", "Save"),
        );
    }
    html
}

/// The registry as a `<datalist>` for the enterprise fields: typing filters it in the
/// browser, without JavaScript. Enterprises of the complaint's district first.
fn registry_list(c: &Complaint, registry: &[Enterprise]) -> String {
    let mut list: Vec<&Enterprise> = registry.iter().collect();
    list.sort_by_key(|e| (e.district != c.district, e.name.clone()));
    let mut html = String::from("<datalist id=\"enterprise-registry\">");
    for e in list.iter().take(REGISTRY_LIST) {
        let _ = write!(
            html,
            "<option value=\"{}\">{}</option>",
            esc(e.credit_code.as_str()),
            esc(&e.name)
        );
    }
    html.push_str("</datalist>");
    html
}

/// At most this many enterprises in the list (the field also takes any name or code).
const REGISTRY_LIST: usize = 3000;

pub fn complaint(
    page: &Page<'_>,
    c: &Complaint,
    handling: &HandlingView<'_>,
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
        if c.status.can_become(Status::ClosedFounded) {
            let _ = write!(
                body,
                "</select></label><label>{}<input name=\"enterprise\" list=\"enterprise-registry\" maxlength=\"100\" autocomplete=\"off\"></label>",
                lang.pick(
                    "查实涉及企业（可选，仅“办结（情况属实）”时；名称或统一社会信用代码，公开）",
                    "Enterprise found against (optional, only when closing as founded; name or credit code; public)"
                ),
            );
        } else {
            body.push_str("</select></label>");
        }
        let _ = write!(
            body,
            "<button type=\"submit\">{}</button></form>",
            lang.pick("更改", "Change")
        );
    }
    body.push_str(&handling_section(page, c, handling));
    body.push_str(&registry_list(c, handling.registry));
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
            esc(&event_text(lang, e, handling.registry))
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
    body.push_str(&super::nearby_evidence::nearby_enterprises_html(
        lang,
        &c.evidence,
        tz,
    ));
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
    list: &[QueueItem],
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
            "assignee",
            "enterprise",
        ];
        if with_contact {
            head.push("contact");
        }
        writer.write_record(&head)?;
        let now = Utc::now();
        for item in list {
            let c = &item.complaint;
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
                item.handling.assignee.clone().unwrap_or_default(),
                item.handling
                    .enterprise
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
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
