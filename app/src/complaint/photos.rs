//! Photos on the complaint pages: the form's file field, its messages, and the photos shown
//! on the follow-up page and in the register. Every address here serves the copy without
//! metadata; the originals are in the back office only.

use daylight_domain::complaint::photo::{UploadProblem, MAX_PHOTOS, MAX_PHOTO_BYTES};
use leptos::prelude::*;

use crate::i18n::Lang;

/// The public address of a publishable photo (404 until an officer allows it).
pub fn public_url(tracking_code: &str, number: u32) -> String {
    format!("/complaints/{tracking_code}/photos/{number}")
}

/// The address of a photo on the reporter's follow-up page (their secret link's own).
pub fn follow_url(token: &str, number: u32) -> String {
    format!("/report/follow/{token}/photos/{number}")
}

pub fn label(lang: Lang) -> &'static str {
    lang.pick("照片（可选）", "Photos (optional)")
}

pub fn hint(lang: Lang) -> String {
    let mib = MAX_PHOTO_BYTES / (1024 * 1024);
    match lang {
        Lang::Zh => format!(
            "最多 {MAX_PHOTOS} 张，JPEG、PNG 或 WebP，每张不超过 {mib} MB。公开前，照片中的位置等元数据会被去除，且须经工作人员同意。"
        ),
        Lang::En => format!(
            "Up to {MAX_PHOTOS}, JPEG, PNG or WebP, {mib} MB each at most. Before anything is published, metadata such as the location is removed, and an officer must allow it."
        ),
    }
}

/// The column of the register and the follow-up page's heading.
pub fn heading(lang: Lang) -> &'static str {
    lang.pick("照片", "Photos")
}

pub fn photo_alt(lang: Lang, number: u32) -> String {
    match lang {
        Lang::Zh => format!("照片 {number}"),
        Lang::En => format!("Photo {number}"),
    }
}

/// The resident's message for a refused upload. Nothing was stored, and the browser does
/// not keep chosen files in a returned form: say that they must be chosen again.
pub fn problem_text(lang: Lang, problem: &UploadProblem) -> String {
    let mib = MAX_PHOTO_BYTES / (1024 * 1024);
    let what = match (lang, problem) {
        (Lang::Zh, UploadProblem::TooMany { max }) => format!("最多只能附 {max} 张照片。"),
        (Lang::En, UploadProblem::TooMany { max }) => {
            format!("At most {max} photos can be attached.")
        }
        (Lang::Zh, UploadProblem::Empty { name }) => format!("文件“{name}”是空的。"),
        (Lang::En, UploadProblem::Empty { name }) => format!("The file “{name}” is empty."),
        (Lang::Zh, UploadProblem::TooLarge { name, .. }) => {
            format!("照片“{name}”超过 {mib} MB。")
        }
        (Lang::En, UploadProblem::TooLarge { name, .. }) => {
            format!("The photo “{name}” is larger than {mib} MB.")
        }
        (Lang::Zh, UploadProblem::BodyTooLarge) => {
            format!("提交的内容过大：最多 {MAX_PHOTOS} 张照片，每张不超过 {mib} MB。")
        }
        (Lang::En, UploadProblem::BodyTooLarge) => {
            format!("The submission is too large: at most {MAX_PHOTOS} photos of {mib} MB each.")
        }
        (Lang::Zh, UploadProblem::NotAnImage { name }) => {
            format!("文件“{name}”不是 JPEG、PNG 或 WebP 图片。")
        }
        (Lang::En, UploadProblem::NotAnImage { name }) => {
            format!("The file “{name}” is not a JPEG, PNG or WebP image.")
        }
        (Lang::Zh, UploadProblem::Malformed { name }) => {
            format!("图片“{name}”已损坏，无法读取。")
        }
        (Lang::En, UploadProblem::Malformed { name }) => {
            format!("The image “{name}” is damaged and cannot be read.")
        }
        (Lang::Zh, UploadProblem::Unreadable) => "无法读取提交的表单。".to_string(),
        (Lang::En, UploadProblem::Unreadable) => "The form could not be read.".to_string(),
    };
    let again = lang.pick(
        "举报尚未提交。您填写的内容已保留，请重新选择照片后再提交。",
        "Nothing was sent yet. What you typed is kept: choose the photos again and send.",
    );
    format!("{what}{}{again}", if lang == Lang::En { " " } else { "" })
}

/// Thumbnails linking to the full photos at `url(number)`.
#[component]
pub fn PhotoLinks(lang: Lang, urls: Vec<(u32, String)>) -> impl IntoView {
    let items = urls
        .into_iter()
        .map(|(number, url)| {
            let href = url.clone();
            view! {
                <li>
                    <a href=href>
                        <img src=url alt=photo_alt(lang, number) width="160" loading="lazy" decoding="async" />
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="photos">{items}</ul> }
}
