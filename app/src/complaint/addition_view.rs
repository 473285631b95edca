//! The reporter's additions on the follow-up page: what they added so far and a plain POST
//! form to add more (`POST /report/follow/{token}/add`, handled by the server's complaints
//! module, which sends the reporter back here with `?added=1` or `?addition=<problem>`).

use daylight_domain::complaint::addition::{AdditionProblem, MAX_ADDITION_CHARS};
use leptos::prelude::*;

use super::PublicReply;
use crate::components::format_local;
use crate::i18n::Lang;

/// The form's text field.
pub const FIELD: &str = "info";

struct AdditionTexts {
    title: &'static str,
    intro: &'static str,
    label: &'static str,
    submit: &'static str,
    added: &'static str,
    empty: &'static str,
    too_long: &'static str,
}

const ZH: AdditionTexts = AdditionTexts {
    title: "补充信息",
    intro: "如有新的情况（例如污染再次出现的时间、持续多久），可在此补充。补充内容只有办理人员和持有本链接的人能看到，不会公示。",
    label: "补充内容（最多 1000 字）",
    submit: "提交补充",
    added: "已收到您的补充信息。",
    empty: "请填写补充内容。",
    too_long: "补充内容过长，最多 1000 字。",
};

const EN: AdditionTexts = AdditionTexts {
    title: "Add information",
    intro: "If something new happens (for example when the pollution came back, or how long it lasted), add it here. Only the officers handling the complaint and whoever has this link can see it; it is never published.",
    label: "What to add (up to 1,000 characters)",
    submit: "Add",
    added: "Your information was added.",
    empty: "Please write what you want to add.",
    too_long: "That is too long: at most 1,000 characters.",
};

fn texts(lang: Lang) -> &'static AdditionTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// `path`: the follow-up page's own path (`/report/follow/{token}`).
#[component]
pub fn Additions(
    lang: Lang,
    path: String,
    additions: Vec<PublicReply>,
    offset: i32,
    added: bool,
    problem: Option<AdditionProblem>,
) -> impl IntoView {
    let at = texts(lang);
    let list = additions
        .iter()
        .map(|a| {
            view! {
                <li>
                    <time>{format_local(a.time, offset)}</time>
                    <p>{a.body.clone()}</p>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let message = problem.map(|p| match p {
        AdditionProblem::Empty => at.empty,
        AdditionProblem::TooLong => at.too_long,
    });
    view! {
        <section class="additions" id="additions">
            <h2>{at.title}</h2>
            {(!list.is_empty()).then(|| view! { <ol class="addition-list">{list}</ol> })}
            {added.then(|| view! { <p class="notice" role="status">{at.added}</p> })}
            <p class="hint">{at.intro}</p>
            <form method="post" action=format!("{path}/add")>
                <label for="addition">{at.label}</label>
                <textarea
                    id="addition"
                    name=FIELD
                    rows="4"
                    maxlength=MAX_ADDITION_CHARS.to_string()
                    required
                    aria-describedby=message.map(|_| "addition-error")
                ></textarea>
                {message.map(|m| view! { <p class="field-error" id="addition-error" role="alert">{m}</p> })}
                <button type="submit">{at.submit}</button>
            </form>
        </section>
    }
}
