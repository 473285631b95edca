//! The enterprise a resident suspects (optional): picked from the registry, or named in
//! their own words. A name the registry does not know is kept as the resident wrote it:
//! an officer can still look for it, and a typo is not a reason to refuse a complaint.

use serde::{Deserialize, Serialize};

use super::clean_text;
use crate::enterprise::CreditCode;

/// Longest suspected enterprise, in characters (a registered name is rarely over 60).
pub const MAX_SUSPECT: usize = 100;

/// The suspected enterprise stored with a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Suspect {
    /// An enterprise of the registry, with its name as registered when the complaint came.
    Registered { code: CreditCode, name: String },
    /// A name (or anything else) the registry does not know, as the resident wrote it.
    Named { text: String },
}

impl Suspect {
    /// What the officer and the reporter read: the registered name or the resident's text.
    pub fn name(&self) -> &str {
        match self {
            Self::Registered { name, .. } => name,
            Self::Named { text } => text,
        }
    }

    pub fn code(&self) -> Option<&CreditCode> {
        match self {
            Self::Registered { code, .. } => Some(code),
            Self::Named { .. } => None,
        }
    }
}

/// A problem with the suspected enterprise field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SuspectProblem {
    #[error("the suspected enterprise is longer than {max} characters")]
    TooLong { max: usize },
}

/// The field as typed: None when empty, the cleaned text otherwise.
pub fn clean(raw: &str) -> Result<Option<String>, SuspectProblem> {
    let text = clean_text(raw, false);
    if text.chars().count() > MAX_SUSPECT {
        return Err(SuspectProblem::TooLong { max: MAX_SUSPECT });
    }
    Ok((!text.is_empty()).then_some(text))
}

/// Names compared the way a person means them: blanks ignored, Latin letters in any case,
/// full-width brackets as half-width (`（示例企业）` = `(示例企业)`).
fn comparable(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Links the resident's `text` to the registry (credit code and name of each enterprise).
/// `picked`: the credit code the page's search put in a hidden field, trusted only while
/// the text still names that enterprise (the resident may have typed something else after
/// picking). Otherwise the text is a credit code, or exactly one registered name; anything
/// else is kept as [`Suspect::Named`]. None: the field was empty.
pub fn resolve<'a>(
    text: Option<&str>,
    picked: Option<&str>,
    registry: impl IntoIterator<Item = (&'a CreditCode, &'a str)> + Clone,
) -> Option<Suspect> {
    let text = text?;
    let registered = |code: &CreditCode, name: &str| Suspect::Registered {
        code: code.clone(),
        name: name.to_owned(),
    };
    let wanted = comparable(text);
    if let Some(picked) = picked.and_then(|p| CreditCode::parse(p).ok()) {
        if let Some((code, name)) = registry.clone().into_iter().find(|(c, _)| **c == picked) {
            if comparable(name) == wanted || code.as_str().eq_ignore_ascii_case(text.trim()) {
                return Some(registered(code, name));
            }
        }
    }
    if let Ok(typed) = CreditCode::parse(text) {
        if let Some((code, name)) = registry.clone().into_iter().find(|(c, _)| **c == typed) {
            return Some(registered(code, name));
        }
    }
    let mut same_name = registry
        .into_iter()
        .filter(|(_, name)| comparable(name) == wanted);
    match (same_name.next(), same_name.next()) {
        (Some((code, name)), None) => Some(registered(code, name)),
        // Unknown, or two enterprises of that name: the officer decides.
        _ => Some(Suspect::Named {
            text: text.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Vec<(CreditCode, String)> {
        [
            ("91610111MA6DM0001J", "示例热电有限公司（示例企业）"),
            ("91610112MA6DM00024", "示例燃气热电有限公司（示例企业）"),
            ("91610112MA6DM00037", "Same Name Ltd"),
            ("91610116MA6DM00044", "Same Name Ltd"),
        ]
        .into_iter()
        .map(|(c, n)| (CreditCode::parse(c).expect("a valid code"), n.to_owned()))
        .collect()
    }

    fn run(text: &str, picked: Option<&str>) -> Option<Suspect> {
        let r = registry();
        let text = clean(text).expect("short enough");
        resolve(
            text.as_deref(),
            picked,
            r.iter().map(|(c, n)| (c, n.as_str())),
        )
    }

    fn code_of(s: Option<Suspect>) -> Option<String> {
        s.and_then(|s| s.code().map(|c| c.to_string()))
    }

    #[test]
    fn an_empty_field_is_no_suspect() {
        assert_eq!(run("  ", None), None);
        assert_eq!(run("", Some("91610111MA6DM0001J")), None);
    }

    #[test]
    fn a_pick_a_code_or_an_exact_name_links_the_registered_enterprise() {
        let thermal = Some("91610111MA6DM0001J".to_string());
        assert_eq!(
            code_of(run("示例热电有限公司（示例企业）", thermal.as_deref())),
            thermal
        );
        // Typed by hand: the code in lowercase, the name with half-width brackets.
        assert_eq!(code_of(run("91610111ma6dm0001j", None)), thermal);
        assert_eq!(code_of(run("示例热电有限公司 (示例企业)", None)), thermal);
        let linked = run("示例热电有限公司（示例企业）", None);
        assert_eq!(
            linked.as_ref().map(Suspect::name),
            Some("示例热电有限公司（示例企业）")
        );
    }

    #[test]
    fn a_pick_the_text_no_longer_names_is_not_trusted() {
        let s = run("河边那家化工厂", Some("91610111MA6DM0001J"));
        assert_eq!(
            s,
            Some(Suspect::Named {
                text: "河边那家化工厂".into()
            })
        );
        // A forged hidden code that is not in the registry changes nothing either.
        let s = run(
            "示例燃气热电有限公司（示例企业）",
            Some("91610112MA6DM00037"),
        );
        assert_eq!(code_of(s), Some("91610112MA6DM00024".to_string()));
    }

    #[test]
    fn unknown_and_ambiguous_names_are_kept_as_text() {
        assert_eq!(
            run("<b>无名小厂</b>", None),
            Some(Suspect::Named {
                text: "<b>无名小厂</b>".into()
            })
        );
        assert_eq!(code_of(run("same name ltd", None)), None);
        // A well-formed code of no registered enterprise is text too.
        assert_eq!(code_of(run("91610124MA6DM0010B", None)), None);
    }

    #[test]
    fn the_field_has_a_length_limit() {
        assert!(clean(&"厂".repeat(MAX_SUSPECT)).is_ok());
        assert_eq!(
            clean(&"厂".repeat(MAX_SUSPECT + 1)),
            Err(SuspectProblem::TooLong { max: MAX_SUSPECT })
        );
        assert_eq!(clean(" a\u{0}b "), Ok(Some("ab".into())));
    }
}
