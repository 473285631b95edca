//! The enterprise account's pages as plain HTML, in the back office's frame (every text
//! from the store or the user escaped).

use std::fmt::Write;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, FixedOffset, Offset, Utc};
use daylight_app::enterprise::EnterprisePageData;
use daylight_app::i18n::Lang;
use daylight_domain::enterprise::{Pollutant, StatementKind};
use daylight_store::{AuditAction, AuditRecord, EnterpriseSession};

use super::manual::{CSV_HEADER, MAX_NOTE};
use super::Notice;
use crate::admin::html::{document, esc};

pub struct Page<'a> {
    pub lang: Lang,
    pub session: &'a EnterpriseSession,
    pub utc_offset_minutes: i32,
}

fn local(time: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    let tz =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    time.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

pub fn message(lang: Lang, status: StatusCode, title: &str, text: &str) -> Response {
    document(
        lang,
        status,
        title,
        &format!(
            "<section class=\"message-page\"><h1>{}</h1><p>{}</p><p><a href=\"/account\">{}</a></p></section>",
            esc(title),
            esc(text),
            lang.pick("返回企业账号", "Back to your account")
        ),
    )
}

pub fn login(lang: Lang, csrf: &str, error: Option<&str>, status: StatusCode) -> Response {
    let error = error
        .map(|e| format!("<p class=\"form-error\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    let title = lang.pick("企业账号登录", "Enterprise account: sign in");
    document(
        lang,
        status,
        title,
        &format!(
            "<h1>{title}</h1><p>{intro}</p>{error}\
             <form method=\"post\" action=\"/account/login\" class=\"account-login\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <label>{user}<input name=\"username\" autocomplete=\"username\" required></label>\
             <label>{pw}<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\
             <button type=\"submit\">{go}</button></form>",
            title = esc(title),
            intro = lang.pick(
                "排污单位上传手工监测结果、发布企业说明。账号由平台管理员开通。",
                "For discharging enterprises: upload manual lab results and publish statements. Accounts are opened by the portal's administrator."
            ),
            csrf = esc(csrf),
            user = lang.pick("用户名", "User name"),
            pw = lang.pick("密码", "Password"),
            go = lang.pick("登录", "Sign in"),
        ),
    )
}

fn kind_name(lang: Lang, kind: StatementKind) -> &'static str {
    lang.pick(kind.name_zh(), kind.name_en())
}

fn pollutant_name(lang: Lang, p: Pollutant) -> &'static str {
    lang.pick(p.name_zh(), p.name_en())
}

fn action_name(lang: Lang, action: AuditAction) -> &'static str {
    match action {
        AuditAction::SignIn => lang.pick("登录", "sign-in"),
        AuditAction::ManualResult => lang.pick("手工监测结果", "manual result"),
        AuditAction::Statement => lang.pick("发布说明", "statement"),
    }
}

/// `/account/enterprise/{code}`: the account's own enterprise.
pub fn account(
    page: &Page<'_>,
    data: &EnterprisePageData,
    audit: &[AuditRecord],
    notice: Option<&Notice>,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let offset = page.utc_offset_minutes;
    let user = &page.session.user;
    let csrf = esc(&page.session.csrf);
    let code = esc(&data.info.credit_code);
    let mut b = String::new();
    let title = format!(
        "{} · {}",
        lang.pick("企业账号", "Enterprise account"),
        data.info.name
    );
    let _ = write!(
        b,
        "<header class=\"admin-bar\"><strong>{title}</strong><span>{signed} {who}</span>\
         <a href=\"/enterprise/{code}\">{public}</a>\
         <form method=\"post\" action=\"/account/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <button type=\"submit\">{out}</button></form></header>",
        title = esc(&title),
        signed = lang.pick("已登录：", "Signed in as"),
        who = esc(user.author()),
        public = lang.pick("公开页面", "Public page"),
        out = lang.pick("退出", "Sign out"),
    );
    let _ = write!(
        b,
        "<h1>{}</h1><p class=\"self-reported-note\" role=\"note\">{}</p>",
        esc(&data.info.name),
        lang.pick(
            "您在此上传的数据和说明将立即公开，并标注“企业自行监测，未经审核”。每一次修改都会留下审计记录。",
            "What you upload or publish here is public at once, labelled \"self-reported, not audited\". Every change leaves an audit record."
        )
    );
    match notice {
        Some(Notice::Saved(text)) => {
            let _ = write!(b, "<p class=\"form-ok\" role=\"status\">{}</p>", esc(text));
        }
        Some(Notice::Problems(list)) => {
            b.push_str("<div class=\"form-error\" role=\"alert\"><ul>");
            for p in list {
                let _ = write!(b, "<li>{}</li>", esc(p));
            }
            b.push_str("</ul></div>");
        }
        None => {}
    }

    // Outlets with the latest values.
    let _ = write!(
        b,
        "<section><h2>{}</h2><div class=\"table-scroll\"><table class=\"account-latest\"><thead><tr>\
         <th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        lang.pick("排放口与最新值", "Outlets and latest values"),
        lang.pick("排放口", "Outlet"),
        lang.pick("监测项目", "Pollutant"),
        lang.pick("限值", "Limit"),
        lang.pick("最新值", "Latest"),
        lang.pick("时间", "Time"),
    );
    for o in &data.outlets {
        for m in &o.monitored {
            let (value, time) = match &m.latest {
                Some(l) => (
                    format!("{} {}", l.value, m.unit.symbol()),
                    local(l.time, offset),
                ),
                None => (lang.pick("无数据", "no data").to_owned(), String::new()),
            };
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{} ({})</td><td>{} {}</td><td>{}</td><td>{}</td></tr>",
                esc(&o.code),
                pollutant_name(lang, m.pollutant),
                m.pollutant.as_str(),
                m.limit,
                m.unit.symbol(),
                esc(&value),
                esc(&time)
            );
        }
    }
    b.push_str("</tbody></table></div></section>");

    // Options shared by the forms.
    let outlet_options: String = data
        .outlets
        .iter()
        .map(|o| {
            format!(
                "<option value=\"{c}\">{c} · {n}</option>",
                c = esc(&o.code),
                n = esc(&o.name)
            )
        })
        .collect();
    let mut pollutants: Vec<(Pollutant, &str)> = data
        .outlets
        .iter()
        .flat_map(|o| o.monitored.iter().map(|m| (m.pollutant, m.unit.ascii())))
        .collect();
    pollutants.sort_by_key(|(p, _)| p.as_str());
    pollutants.dedup_by_key(|(p, _)| *p);
    let pollutant_options: String = pollutants
        .iter()
        .map(|(p, unit)| {
            format!(
                "<option value=\"{}\">{} {} ({})</option>",
                p.as_str(),
                p.as_str(),
                pollutant_name(lang, *p),
                unit
            )
        })
        .collect();
    let hidden = format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <input type=\"hidden\" name=\"enterprise\" value=\"{code}\">"
    );

    // One manual result.
    let _ = write!(
        b,
        "<section><h2>{h}</h2><p>{intro}</p>\
         <form method=\"post\" action=\"/account/enterprise/{code}/results\" class=\"account-result\">{hidden}\
         <label>{outlet}<select name=\"outlet\" required>{outlet_options}</select></label>\
         <label>{pollutant}<select name=\"pollutant\" required>{pollutant_options}</select></label>\
         <label>{time}<input type=\"datetime-local\" name=\"time\" required></label>\
         <label>{value}<input name=\"value\" inputmode=\"decimal\" required></label>\
         <label>{unit}<input name=\"unit\" required placeholder=\"mg/L, mg/m3\"></label>\
         <label>{note}<input name=\"note\" maxlength=\"{MAX_NOTE}\"></label>\
         <button type=\"submit\">{save}</button></form></section>",
        h = lang.pick("录入手工监测结果", "Enter a manual lab result"),
        intro = lang.pick(
            "采样时间按本地时间填写；单位须与排放限值一致；同一排放口、项目和时间的已有数值将被替换（审计记录保留原值）。",
            "Sampling time in local time; the unit must be the limit's; a value already stored for the same outlet, pollutant and time is replaced (the audit record keeps the old one)."
        ),
        outlet = lang.pick("排放口", "Outlet"),
        pollutant = lang.pick("监测项目", "Pollutant"),
        time = lang.pick("采样时间", "Sampling time"),
        value = lang.pick("监测值", "Value"),
        unit = lang.pick("单位", "Unit"),
        note = lang.pick("检测机构 / 方法（可选）", "Laboratory / method (optional)"),
        save = lang.pick("保存", "Save"),
    );

    // CSV upload.
    let _ = write!(
        b,
        "<section><h2>{h}</h2><p>{intro}</p><pre class=\"admin-evidence\">{header}\n\
         DW001,w01018,2026-11-29 10:00,42.5,mg/L,{example}</pre>\
         <form method=\"post\" action=\"/account/enterprise/{code}/results.csv\" enctype=\"multipart/form-data\" class=\"account-csv\">{hidden}\
         <label>{file}<input type=\"file\" name=\"file\" accept=\".csv,text/csv\"></label>\
         <label>{paste}<textarea name=\"csv\" rows=\"4\"></textarea></label>\
         <button type=\"submit\">{upload}</button></form></section>",
        h = lang.pick("上传 CSV 文件", "Upload a CSV file"),
        intro = lang.pick(
            "UTF-8 编码，第一行为列名。文件中任何一行有误时，整个文件都不会保存，并列出出错的行号。",
            "UTF-8, the first line names the columns. If any line is wrong, nothing in the file is saved and the bad lines are listed by number."
        ),
        header = CSV_HEADER.join(","),
        example = lang.pick("某检测公司 HJ 828-2017", "Lab X, HJ 828-2017"),
        file = lang.pick("CSV 文件", "CSV file"),
        paste = lang.pick("或粘贴内容", "or paste its content"),
        upload = lang.pick("上传", "Upload"),
    );

    // Statement.
    let kinds: String = StatementKind::ALL
        .iter()
        .map(|k| {
            format!(
                "<option value=\"{}\">{}</option>",
                k.as_str(),
                kind_name(lang, *k)
            )
        })
        .collect();
    let corrects: String = data
        .statements
        .iter()
        .map(|s| {
            format!(
                "<option value=\"{id}\">#{id} · {}</option>",
                kind_name(lang, s.kind),
                id = s.id
            )
        })
        .collect();
    let _ = write!(
        b,
        "<section><h2>{h}</h2><p>{intro}</p>\
         <form method=\"post\" action=\"/account/enterprise/{code}/statements\" class=\"account-statement\">{hidden}\
         <label>{kind}<select name=\"kind\" required>{kinds}</select></label>\
         <label>{outlet}<select name=\"outlet\"><option value=\"\">—</option>{outlet_options}</select></label>\
         <label>{from}<input type=\"datetime-local\" name=\"from\"></label>\
         <label>{to}<input type=\"datetime-local\" name=\"to\"></label>\
         <label>{corr}<select name=\"corrects\"><option value=\"\">—</option>{corrects}</select></label>\
         <label>{text}<textarea name=\"body\" rows=\"5\" maxlength=\"4000\" required></textarea></label>\
         <button type=\"submit\">{publish}</button></form></section>",
        h = lang.pick("发布企业说明", "Publish a statement"),
        intro = lang.pick(
            "说明发布后公开显示，不能修改或删除；如需更正，请发布一条新说明并选择所更正的说明。",
            "A statement is public once published and can be neither edited nor deleted: to correct one, publish a new statement that names it."
        ),
        kind = lang.pick("类型", "Kind"),
        outlet = lang.pick("排放口（可选）", "Outlet (optional)"),
        from = lang.pick("时段开始（可选）", "Period from (optional)"),
        to = lang.pick("时段结束（可选）", "Period to (optional)"),
        corr = lang.pick("更正以前的说明（可选）", "Corrects an earlier statement (optional)"),
        text = lang.pick("内容", "Text"),
        publish = lang.pick("发布", "Publish"),
    );

    // Published statements.
    let _ = write!(
        b,
        "<section><h2>{}</h2>",
        lang.pick("已发布的说明", "Published statements")
    );
    if data.statements.is_empty() {
        let _ = write!(b, "<p>{}</p>", lang.pick("尚无说明。", "None yet."));
    } else {
        b.push_str("<ul class=\"account-statements\">");
        for s in &data.statements {
            let corrects = s
                .corrects
                .map(|c| format!(" · {} #{c}", lang.pick("更正", "corrects")))
                .unwrap_or_default();
            let _ = write!(
                b,
                "<li data-id=\"{id}\"><strong>#{id} · {kind}</strong> · {time} · {author}{corrects}\
                 <p class=\"admin-evidence\">{body}</p></li>",
                id = s.id,
                kind = kind_name(lang, s.kind),
                time = local(s.created, offset),
                author = esc(&s.author),
                body = esc(&s.body),
            );
        }
        b.push_str("</ul>");
    }
    b.push_str("</section>");

    // Audit.
    let _ = write!(
        b,
        "<section><h2>{}</h2><p>{}</p><div class=\"table-scroll\"><table class=\"account-audit\"><thead><tr>\
         <th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        lang.pick("审计记录", "Audit trail"),
        lang.pick(
            "本企业账号的每次登录和修改，按时间倒序（最近 100 条）。",
            "Every sign-in and change by your enterprise's accounts, newest first (last 100)."
        ),
        lang.pick("时间", "Time"),
        lang.pick("账号", "Account"),
        lang.pick("操作", "Action"),
        lang.pick("对象", "Subject"),
        lang.pick("修改前", "Before"),
        lang.pick("修改后", "After"),
    );
    for r in audit {
        let _ = write!(
            b,
            "<tr data-action=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.action.as_str(),
            local(r.time, offset),
            esc(&r.actor),
            action_name(lang, r.action),
            esc(&r.subject),
            esc(r.before.as_deref().unwrap_or("—")),
            esc(r.after.as_deref().unwrap_or("—")),
        );
    }
    b.push_str("</tbody></table></div></section>");
    document(lang, status, &title, &b)
}
