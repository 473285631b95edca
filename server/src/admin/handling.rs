//! Assignment to a named officer and findings against an enterprise, in the back office
//! (docs/complaints.md, "For officers"; the rules are `daylight_store::handling`'s). Plain
//! form posts to the complaint's page, like its other actions: `action` = `assign`
//! (`assignee`, `expected_assignee`), `enterprise` (`enterprise`, `expected_enterprise`), or
//! `status` with `status=closed_founded` and an optional `enterprise`.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use daylight_app::i18n::Lang;
use daylight_domain::complaint::Status;
use daylight_domain::enterprise::CreditCode;
use daylight_store::{
    may_be_assigned, Admin, AdminSession, AssignOutcome, Assignment, Complaint, Enterprise,
    Finding, FindingOutcome, Handling, Role, StoreError,
};

use super::{detail, see_other, unavailable, AdminState};

/// A complaint's handling, every account, and the enterprise registry.
pub(super) async fn context(
    state: &AdminState,
    complaint: &Complaint,
) -> Result<(Handling, Vec<Admin>, Vec<Enterprise>), StoreError> {
    let store = &state.site.store;
    let handling = store
        .complaint_handling(&[complaint.id])
        .await?
        .into_iter()
        .next()
        .map(|(_, h)| h)
        .unwrap_or_default();
    Ok((handling, store.admins().await?, store.enterprises().await?))
}

/// The accounts the complaint may be assigned to, by user name.
pub(super) fn assignable<'a>(accounts: &'a [Admin], complaint: &Complaint) -> Vec<&'a Admin> {
    accounts
        .iter()
        .filter(|a| may_be_assigned(&a.role, complaint.district.as_deref()))
        .collect()
}

/// What the enterprise field named.
#[derive(Debug, PartialEq)]
pub(super) enum Named<'a> {
    /// Left empty.
    Nothing,
    One(&'a Enterprise),
    /// Not in the registry (a credit code, or a name that matches none).
    Unknown,
    Several(Vec<&'a Enterprise>),
}

/// Finds the enterprise a field names: a credit code, an exact name (ignoring case and
/// surrounding space), or a part of one name only.
pub(super) fn resolve<'a>(text: &str, registry: &'a [Enterprise]) -> Named<'a> {
    let text = text.trim();
    if text.is_empty() {
        return Named::Nothing;
    }
    if let Ok(code) = CreditCode::parse(text) {
        return registry
            .iter()
            .find(|e| e.credit_code == code)
            .map_or(Named::Unknown, Named::One);
    }
    let wanted = text.to_lowercase();
    let exact: Vec<&Enterprise> = registry
        .iter()
        .filter(|e| e.name.trim().to_lowercase() == wanted)
        .collect();
    let found = if exact.is_empty() {
        registry
            .iter()
            .filter(|e| e.name.to_lowercase().contains(&wanted))
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [] => Named::Unknown,
        [one] => Named::One(one),
        _ => Named::Several(found),
    }
}

fn role_text(lang: Lang, role: &Role, names: &HashMap<String, String>) -> String {
    match role {
        Role::DistrictOfficer { district } => {
            let name = names.get(district).unwrap_or(district);
            match lang {
                Lang::Zh => format!("{name}的办理人员"),
                Lang::En => format!("an officer of {name}"),
            }
        }
        Role::CitySupervisor => lang.pick("市级督办", "a city supervisor").into(),
        Role::Admin => lang.pick("系统管理员", "an administrator").into(),
    }
}

/// `action=assign`.
pub(super) async fn assign(
    state: &AdminState,
    session: &AdminSession,
    complaint: &Complaint,
    fields: &HashMap<String, String>,
    lang: Lang,
) -> Response {
    let get = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
    };
    let assignment = Assignment {
        complaint_id: complaint.id,
        expected: get("expected_assignee"),
        assignee: get("assignee"),
        actor: session.admin.username.clone(),
        time: Utc::now(),
    };
    let problem = |text: String, status: StatusCode| async move {
        detail(state, session, complaint, lang, Some(&text), status).await
    };
    match state.site.store.assign_complaint(&assignment).await {
        Ok(AssignOutcome::Done(event)) => {
            tracing::info!(user = %session.admin.username, code = %complaint.tracking_code, assignee = assignment.assignee.as_deref().unwrap_or("-"), event = event.id, "complaint assigned");
            see_other(&format!("/admin/complaint/{}", complaint.tracking_code))
        }
        Ok(AssignOutcome::Unchanged) => {
            see_other(&format!("/admin/complaint/{}", complaint.tracking_code))
        }
        Ok(AssignOutcome::Stale) => problem(
            lang.pick(
                "该投诉的承办人已被他人更改，请查看后重新操作。",
                "Someone else changed this complaint's assignee meanwhile: check it and try again.",
            )
            .into(),
            StatusCode::CONFLICT,
        )
        .await,
        Ok(AssignOutcome::Closed) => {
            problem(
                lang.pick(
                    "已办结的投诉不再分派。",
                    "A closed complaint is not assigned any more.",
                )
                .into(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(AssignOutcome::NoSuchOfficer) => {
            let name = assignment.assignee.unwrap_or_default();
            problem(
                match lang {
                    Lang::Zh => format!("没有名为“{name}”的账号。"),
                    Lang::En => format!("There is no account named '{name}'."),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(AssignOutcome::NotEligible(role)) => {
            let name = assignment.assignee.unwrap_or_default();
            let names = daylight_app::complaint::data::district_names(&state.site)
                .await
                .unwrap_or_default();
            let who = role_text(lang, &role, &names);
            let here = match &complaint.district {
                Some(d) => names.get(d).cloned().unwrap_or_else(|| d.clone()),
                None => lang.pick("市级队列", "the city-level queue").into(),
            };
            tracing::info!(user = %session.admin.username, code = %complaint.tracking_code, assignee = %name, "assignment to an ineligible account refused");
            problem(
                match lang {
                    Lang::Zh => format!(
                        "不能分派给“{name}”：该账号是{who}。{here}的投诉只能分派给{here}的办理人员（市级队列的投诉分派给市级督办）。未作任何更改。"
                    ),
                    Lang::En => format!(
                        "Cannot assign to '{name}': that account is {who}. A complaint of {here} can only be assigned to an officer of {here} (a city-queue complaint to a city supervisor). Nothing was changed."
                    ),
                },
                StatusCode::FORBIDDEN,
            )
            .await
        }
        Err(error) => unavailable(&error),
    }
}

/// The enterprise a form field names, or the page with the problem.
async fn named(
    state: &AdminState,
    session: &AdminSession,
    complaint: &Complaint,
    text: &str,
    lang: Lang,
) -> Result<Option<CreditCode>, Response> {
    let registry = state
        .site
        .store
        .enterprises()
        .await
        .map_err(|e| unavailable(&e))?;
    let problem = match resolve(text, &registry) {
        Named::Nothing => return Ok(None),
        Named::One(e) => return Ok(Some(e.credit_code.clone())),
        Named::Unknown => match lang {
            Lang::Zh => format!("企业名录中没有“{}”。请输入名录中的企业名称或统一社会信用代码。", text.trim()),
            Lang::En => format!(
                "'{}' is not in the enterprise registry. Give the name or credit code of a registered enterprise.",
                text.trim()
            ),
        },
        Named::Several(found) => {
            let list: Vec<String> = found
                .iter()
                .take(10)
                .map(|e| format!("{} ({})", e.name, e.credit_code))
                .collect();
            match lang {
                Lang::Zh => format!(
                    "“{}”对应多家企业：{}。请输入完整名称或统一社会信用代码。",
                    text.trim(),
                    list.join("；")
                ),
                Lang::En => format!(
                    "'{}' matches several enterprises: {}. Give the full name or the credit code.",
                    text.trim(),
                    list.join("; ")
                ),
            }
        }
    };
    Err(detail(
        state,
        session,
        complaint,
        lang,
        Some(&problem),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await)
}

async fn record(
    state: &AdminState,
    session: &AdminSession,
    complaint: &Complaint,
    finding: Finding,
    lang: Lang,
) -> Response {
    let stale = lang.pick(
        "该投诉已被他人更改，请查看后重新操作。",
        "Someone else changed this complaint meanwhile: check it and try again.",
    );
    let (text, status) = match state.site.store.record_finding(&finding).await {
        Ok(FindingOutcome::Done(events)) => {
            tracing::info!(user = %session.admin.username, code = %complaint.tracking_code, enterprise = finding.enterprise.as_ref().map(|c| c.as_str()).unwrap_or("-"), events = events.len(), "complaint finding");
            return see_other(&format!("/admin/complaint/{}", complaint.tracking_code));
        }
        Ok(FindingOutcome::Unchanged) => {
            return see_other(&format!("/admin/complaint/{}", complaint.tracking_code))
        }
        Ok(FindingOutcome::Stale) => (stale, StatusCode::CONFLICT),
        Ok(FindingOutcome::NotAllowed) => (
            lang.pick(
                "不能从当前状态转到“办结（情况属实）”（受理 → 调查 → 办结）。",
                "The complaint cannot be closed as founded from its current status (received → accepted → investigating → closed).",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Ok(FindingOutcome::UnknownEnterprise) => (
            lang.pick(
                "该企业已不在企业名录中。",
                "That enterprise is no longer in the registry.",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => return unavailable(&error),
    };
    detail(state, session, complaint, lang, Some(text), status).await
}

fn expected_status(fields: &HashMap<String, String>) -> Option<Status> {
    fields.get("expected").and_then(|s| s.parse().ok())
}

/// `action=status&status=closed_founded`, with an optional `enterprise`.
pub(super) async fn close_founded(
    state: &AdminState,
    session: &AdminSession,
    complaint: &Complaint,
    fields: &HashMap<String, String>,
    lang: Lang,
) -> Response {
    let text = fields.get("enterprise").map(String::as_str).unwrap_or("");
    let enterprise = match named(state, session, complaint, text, lang).await {
        Ok(e) => e,
        Err(response) => return response,
    };
    let Some(expected) = expected_status(fields) else {
        return detail(
            state,
            session,
            complaint,
            lang,
            Some(lang.pick("请重新打开页面后操作。", "Open the page again and retry.")),
            StatusCode::CONFLICT,
        )
        .await;
    };
    let finding = Finding {
        complaint_id: complaint.id,
        expected_status: expected,
        // Closing: whatever is linked now (nothing, normally) is what the officer saw.
        expected_enterprise: None,
        enterprise,
        comment: fields
            .get("body")
            .map(|b| b.trim().to_owned())
            .unwrap_or_default(),
        actor: session.admin.username.clone(),
        time: Utc::now(),
    };
    record(state, session, complaint, finding, lang).await
}

/// `action=enterprise`: links, changes or removes the enterprise of a founded complaint.
pub(super) async fn link(
    state: &AdminState,
    session: &AdminSession,
    complaint: &Complaint,
    fields: &HashMap<String, String>,
    lang: Lang,
) -> Response {
    let text = fields.get("enterprise").map(String::as_str).unwrap_or("");
    let enterprise = match named(state, session, complaint, text, lang).await {
        Ok(e) => e,
        Err(response) => return response,
    };
    let expected_enterprise = fields
        .get("expected_enterprise")
        .and_then(|c| CreditCode::parse(c).ok());
    let finding = Finding {
        complaint_id: complaint.id,
        expected_status: expected_status(fields).unwrap_or(complaint.status),
        expected_enterprise,
        enterprise,
        comment: String::new(),
        actor: session.admin.username.clone(),
        time: Utc::now(),
    };
    if complaint.status != Status::ClosedFounded {
        return detail(
            state,
            session,
            complaint,
            lang,
            Some(lang.pick(
                "只有“办结（情况属实）”的投诉才能关联企业。",
                "Only a complaint closed as founded can name an enterprise.",
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    record(state, session, complaint, finding, lang).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enterprise(code: &str, name: &str) -> Enterprise {
        Enterprise {
            credit_code: CreditCode::parse(code).unwrap(),
            name: name.into(),
            permit_number: String::new(),
            industry: String::new(),
            district: None,
            address: String::new(),
            position: None,
            key_unit: String::new(),
            demo: false,
            provenance: String::new(),
        }
    }

    #[test]
    fn a_field_names_an_enterprise_by_code_full_name_or_a_unique_part() {
        let registry = [
            enterprise("91350100M000100Y43", "西安示例热电有限公司"),
            enterprise("914403001922038216", "西安示例化工有限公司"),
            enterprise("9144030071526726XG", "Example Paper Co"),
        ];
        let code = |n: Named<'_>| match n {
            Named::One(e) => e.credit_code.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(resolve("  ", &registry), Named::Nothing);
        assert_eq!(
            code(resolve("914403001922038216", &registry)),
            "914403001922038216"
        );
        assert_eq!(
            code(resolve(" 9144030071526726xg ", &registry)),
            "9144030071526726XG"
        );
        assert_eq!(code(resolve("热电", &registry)), "91350100M000100Y43");
        assert_eq!(
            code(resolve("example paper co", &registry)),
            "9144030071526726XG"
        );
        assert!(matches!(resolve("西安示例", &registry), Named::Several(v) if v.len() == 2));
        assert_eq!(resolve("钢铁", &registry), Named::Unknown);
        // A well-formed code that is not registered.
        assert_eq!(resolve("91110000600037341L", &registry), Named::Unknown);
    }
}
