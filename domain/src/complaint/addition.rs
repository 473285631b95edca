//! What a reporter adds to their complaint from the follow-up page: free text, cleaned like
//! the description and limited in length, so that one follow-up link cannot fill the audit
//! chain with megabytes.

use serde::{Deserialize, Serialize};

use super::clean_text;

/// The longest addition, in characters (half the description's 2,000: it adds to it).
pub const MAX_ADDITION_CHARS: usize = 1000;

/// A reporter's addition, cleaned and within the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition(String);

/// Why an addition was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AdditionProblem {
    #[error("the addition is empty")]
    Empty,
    #[error("the addition is longer than {MAX_ADDITION_CHARS} characters")]
    TooLong,
}

impl AdditionProblem {
    /// The code in the follow-up page's address after a refused addition.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLong => "too_long",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "empty" => Some(Self::Empty),
            "too_long" => Some(Self::TooLong),
            _ => None,
        }
    }
}

impl Addition {
    /// Line breaks kept, other control characters removed, surrounding blanks trimmed.
    pub fn parse(raw: &str) -> Result<Self, AdditionProblem> {
        let text = clean_text(raw, true).trim().to_owned();
        if text.is_empty() {
            Err(AdditionProblem::Empty)
        } else if text.chars().count() > MAX_ADDITION_CHARS {
            Err(AdditionProblem::TooLong)
        } else {
            Ok(Self(text))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additions_are_cleaned_and_limited() {
        assert_eq!(
            Addition::parse("  \u{7}\n ").unwrap_err(),
            AdditionProblem::Empty
        );
        assert_eq!(
            Addition::parse(" 气味\r\n晚上更重\u{0} ").map(|a| a.as_str().to_owned()),
            Ok("气味\n晚上更重".to_owned())
        );
        assert!(Addition::parse(&"臭".repeat(MAX_ADDITION_CHARS)).is_ok());
        assert_eq!(
            Addition::parse(&"臭".repeat(MAX_ADDITION_CHARS + 1)).unwrap_err(),
            AdditionProblem::TooLong
        );
        for p in [AdditionProblem::Empty, AdditionProblem::TooLong] {
            assert_eq!(AdditionProblem::parse(p.as_str()), Some(p));
        }
    }
}
