//! The registry page of the back office (`super::registry`): the upload form, the outcome
//! of an upload, and the enterprises as a table. Every text from the store or a file is
//! escaped.

use std::fmt::Write;

use axum::http::StatusCode;
use axum::response::Response;
use daylight_app::i18n::Lang;
use daylight_store::{Enterprise, ImportCounts};

use super::html::{document, esc, header_bar, Page};
use crate::import::{RegistryFile, RowError};

/// Errors listed at most; the rest are counted.
const MAX_LISTED_ERRORS: usize = 200;

/// One enterprise of the table.
pub struct Row<'a> {
    pub enterprise: &'a Enterprise,
    pub outlets: usize,
}

/// What the page reports above the form.
pub enum Notice<'a> {
    None,
    Stored(RegistryFile, ImportCounts),
    Refused(RegistryFile, &'a [RowError]),
    Problem(&'a str),
}

fn file_name(lang: Lang, file: RegistryFile) -> &'static str {
    match file {
        RegistryFile::Enterprises => lang.pick("企业", "enterprises"),
        RegistryFile::Outlets => lang.pick("排放口", "outlets"),
        RegistryFile::Limits => lang.pick("排放限值", "limits"),
    }
}

/// One bad row, its line number in the user's language (the reason is the importer's own,
/// the same text `daylight import` prints).
fn row_error(lang: Lang, error: &RowError) -> String {
    match lang {
        Lang::Zh => format!("第 {} 行：{}", error.line, error.message),
        _ => format!("Line {}: {}", error.line, error.message),
    }
}

fn notice_html(lang: Lang, notice: &Notice<'_>) -> String {
    match notice {
        Notice::None => String::new(),
        Notice::Problem(text) => {
            format!("<p class=\"form-error\" role=\"alert\">{}</p>", esc(text))
        }
        Notice::Stored(file, c) => {
            let what = file_name(lang, *file);
            let text = match lang {
                Lang::Zh => format!(
                    "已导入{what} {} 条：新增 {}，更新 {}，未变 {}。",
                    c.total(),
                    c.inserted,
                    c.updated,
                    c.unchanged
                ),
                _ => format!(
                    "Imported {} {what}: {} added, {} updated, {} unchanged.",
                    c.total(),
                    c.inserted,
                    c.updated,
                    c.unchanged
                ),
            };
            format!(
                "<p class=\"import-summary\" role=\"status\">{}</p>",
                esc(&text)
            )
        }
        Notice::Refused(file, errors) => {
            let what = file_name(lang, *file);
            let head = match lang {
                Lang::Zh => format!(
                    "文件有 {} 处错误，未导入任何{what}（全部正确才会写入）：",
                    errors.len()
                ),
                _ => format!(
                    "The file has {} error(s); no {what} were imported (a file is written only when every row is good):",
                    errors.len()
                ),
            };
            let mut out = format!(
                "<div class=\"import-errors\" role=\"alert\"><p class=\"form-error\">{}</p><ul>",
                esc(&head)
            );
            for error in errors.iter().take(MAX_LISTED_ERRORS) {
                let _ = write!(out, "<li>{}</li>", esc(&row_error(lang, error)));
            }
            if errors.len() > MAX_LISTED_ERRORS {
                let more = errors.len() - MAX_LISTED_ERRORS;
                let text = match lang {
                    Lang::Zh => format!("另有 {more} 处错误未列出。"),
                    _ => format!("{more} more not listed."),
                };
                let _ = write!(out, "<li>{}</li>", esc(&text));
            }
            out.push_str("</ul></div>");
            out
        }
    }
}

fn upload_form(page: &Page<'_>) -> String {
    let lang = page.lang;
    let options: String = RegistryFile::ALL
        .into_iter()
        .map(|f| {
            format!(
                "<option value=\"{}\">{}</option>",
                f.as_str(),
                file_name(lang, f)
            )
        })
        .collect();
    format!(
        "<section><h2>{title}</h2><p>{help}</p>\
         <form method=\"post\" action=\"/admin/enterprises\" enctype=\"multipart/form-data\" class=\"registry-upload\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label>{kind}<select name=\"kind\">{options}</select></label>\
         <label>{file}<input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label>\
         <button type=\"submit\">{go}</button></form></section>",
        title = lang.pick("导入 CSV", "Import a CSV file"),
        help = lang.pick(
            "格式与命令行 daylight import enterprises|outlets|limits 相同（见 docs/import-formats.md）：UTF-8，最大 1 MB。先导入企业，再导入排放口，最后导入限值；有任何一行错误则整个文件都不写入。",
            "The same formats as daylight import enterprises|outlets|limits on the command line (see docs/import-formats.md): UTF-8, at most 1 MB. Import enterprises first, then outlets, then limits; a file with any bad row writes nothing.",
        ),
        csrf = esc(&page.session.csrf),
        kind = lang.pick("文件内容", "The file holds"),
        file = lang.pick("CSV 文件", "CSV file"),
        go = lang.pick("导入", "Import"),
    )
}

fn table(lang: Lang, rows: &[Row<'_>]) -> String {
    if rows.is_empty() {
        return format!(
            "<p>{}</p>",
            lang.pick("名录中还没有企业。", "The registry has no enterprise yet.")
        );
    }
    let mut out = format!(
        "<div class=\"table-scroll\"><table class=\"registry\"><thead><tr>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        lang.pick("名称", "Name"),
        lang.pick("统一社会信用代码", "Credit code"),
        lang.pick("区县", "District"),
        lang.pick("行业", "Industry"),
        lang.pick("排放口", "Outlets"),
    );
    for row in rows {
        let e = row.enterprise;
        let code = esc(e.credit_code.as_str());
        let _ = write!(
            out,
            "<tr><td><a href=\"/enterprise/{code}\">{}</a></td><td>{code}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.name),
            esc(e.district.as_deref().unwrap_or("")),
            esc(&e.industry),
            row.outlets,
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

pub fn page(
    page: &Page<'_>,
    rows: &[Row<'_>],
    notice: &Notice<'_>,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let title = lang.pick("企业名录", "Enterprise registry");
    let count = match lang {
        Lang::Zh => format!("共 {} 家企业。", rows.len()),
        _ => format!("{} enterprise(s).", rows.len()),
    };
    let body = format!(
        "{bar}<h1>{title}</h1>{notice}{form}<section><h2>{list}</h2><p>{count}</p>{table}</section>",
        bar = header_bar(page),
        title = esc(title),
        notice = notice_html(lang, notice),
        form = upload_form(page),
        list = lang.pick("名录", "The registry"),
        count = esc(&count),
        table = table(lang, rows),
    );
    document(lang, status, title, &body)
}
