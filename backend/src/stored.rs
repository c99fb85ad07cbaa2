//! Stored values decoded in one place. A value that does not parse (a corrupt row, or
//! one written by a version that knew a value this one does not) is an `INTERNAL`
//! error, logged with what it was, never a plausible default: a review shown at the
//! wrong stage, or a person's aliases read as none (and so never replaced in text a
//! label-only reader receives), would be worse than a refusal.

use serde::de::DeserializeOwned;
use shared::deadline::ProcedureProfile;

use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

/// The error for a stored value that does not parse.
pub fn corrupt(what: &str, raw: &str) -> ApiError {
    let shown: String = raw.chars().take(80).collect();
    ApiError::Internal(format!("stored {what} does not parse: {shown:?}").into())
}

/// A stored enum value, by its stable name.
pub fn value<T>(what: &str, raw: &str, parse: impl FnOnce(&str) -> Option<T>) -> ApiResult<T> {
    parse(raw).ok_or_else(|| corrupt(what, raw))
}

/// A stored enum value in a column that may be empty (`NULL`): `None` stays `None`.
pub fn optional<T>(what: &str, raw: Option<&str>, parse: impl FnOnce(&str) -> Option<T>) -> ApiResult<Option<T>> {
    raw.map(|r| value(what, r, parse)).transpose()
}

/// A stored JSON value.
pub fn json<T: DeserializeOwned>(what: &str, raw: &str) -> ApiResult<T> {
    serde_json::from_str(raw).map_err(|_| corrupt(what, raw))
}

/// A person's other names and spellings.
pub fn aliases(p: &person::Model) -> ApiResult<Vec<String>> {
    json("person aliases", &p.aliases)
}

/// The procedure profile a board runs reviews by.
pub fn profile(b: &board::Model) -> ApiResult<ProcedureProfile> {
    json("board procedure profile", &b.procedure_profile)
}

/// The days a board does not work: weekends, the bank holidays of England and Wales
/// and the board's own closure days.
pub fn calendar(b: &board::Model) -> ApiResult<shared::calendar::Calendar> {
    let closed: Vec<chrono::NaiveDate> = json("board closure days", &b.closure_days)?;
    Ok(shared::calendar::Calendar::england_and_wales().with_closures(closed))
}

/// A role grant as the policy sees it.
pub fn grant(g: &role_grant::Model) -> ApiResult<shared::policy::Grant> {
    Ok(shared::policy::Grant {
        role: value("role", &g.role, shared::role::Role::parse)?,
        board: g.board_id.map(shared::BoardId),
        agency: g.agency_id.map(shared::AgencyId),
    })
}

/// Who a milestone that is a notice told. Only a notice has a body: every other
/// milestone is written with an empty one, which reads as none; a body that is not
/// empty must parse.
pub fn notice_body(m: &milestone::Model) -> ApiResult<Option<shared::completion::NoticeBody>> {
    if m.body.is_empty() {
        return Ok(None);
    }
    value("notice body", &m.body, shared::completion::NoticeBody::parse).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_that_does_not_parse_is_an_internal_error_not_a_default() {
        assert!(matches!(aliases_of("not json"), Err(ApiError::Internal(_))));
        assert_eq!(aliases_of("[\"Shaz\"]").unwrap_or_default(), ["Shaz"]);
        assert!(matches!(value("stage", "nowhere", shared::stage::Stage::parse), Err(ApiError::Internal(_))));
    }

    fn aliases_of(raw: &str) -> ApiResult<Vec<String>> {
        json("person aliases", raw)
    }
}
