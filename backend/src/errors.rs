//! Errors, one type per layer:
//! - `shared::ValidationError` for a value a rule refused (domain);
//! - `ApiError` for everything a request can end in (steps and GraphQL);
//!   it becomes a GraphQL error with a stable `extensions.code`;
//!   `ApiError::rendered` is what every edge sends (message and `extensions`), and
//!   `ApiError::status` the HTTP status where a route answers over plain HTTP;
//! - `graphql::errors::GqlError` at the GraphQL edge (see there);
//! - `anyhow`-style `Box<dyn Error>` only in `main.rs`, for the command line.
//!
//! Database and other internal failures are logged once, here, with their cause;
//! the client gets `INTERNAL` and nothing of the cause.

use shared::ValidationError;
use shared::policy::Field;
use shared::stage::Stage;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Sign in to continue")]
    Unauthenticated,
    #[error("You do not have access to {0}")]
    Forbidden(String),
    #[error("Not found")]
    NotFound,
    #[error("Some answers need correcting")]
    Validation(Vec<ValidationError>),
    #[error("This was changed by someone else (now version {current}); reload it and apply your changes again")]
    Conflict { current: i32 },
    #[error("Not possible at this stage: the case is at \"{}\"", .0.title())]
    WrongStage(Stage),
    /// The anonymisation gate stopped a text on its way out: the registered names it
    /// found, and the warnings no second person has overridden.
    #[error("{}", .0.message())]
    GateFailed(GateRefusal),
    /// The database cannot be reached (down, restarting, or the pool exhausted).
    #[error("The service cannot reach its database just now; try again in a moment")]
    Unavailable,
    /// Too many attempts (sign-ins for one account, or requests from one address):
    /// try again after `retry_after` seconds.
    #[error("Too many attempts; try again in {retry_after} second(s)")]
    TooManyAttempts { retry_after: i64 },
    #[error("Something went wrong on our side; it has been logged")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// What the anonymisation gate stopped.
#[derive(Debug, Clone, Default)]
pub struct GateRefusal {
    /// Each registered name as found, with its label.
    pub hits: Vec<(String, String)>,
    /// Each warning not overridden.
    pub warnings: Vec<GateWarningRef>,
}

/// A warning of one version of one document, as an override must name it.
#[derive(Debug, Clone)]
pub struct GateWarningRef {
    pub document: String,
    pub version: String,
    pub kind: shared::gate::WarningKind,
    pub found: String,
}

impl GateRefusal {
    fn message(&self) -> String {
        let mut names: Vec<String> = self.hits.iter().map(|(found, label)| format!("\"{found}\" ({label})")).collect();
        names.dedup();
        let mut warned: Vec<String> =
            self.warnings.iter().map(|w| format!("\"{}\" ({})", w.found, w.kind.title().to_lowercase())).collect();
        warned.dedup();
        match (names.is_empty(), warned.is_empty()) {
            (false, true) => {
                format!("The document still names {} (replace each with its label before it leaves)", names.join(", "))
            }
            (false, false) => format!(
                "The document still names {} (replace each with its label before it leaves), and holds {} \
                 (change each, or ask the Board Chair or business manager to override it)",
                names.join(", "),
                warned.join(", ")
            ),
            _ => format!(
                "The document holds {} (change each, or ask the Board Chair or business manager to override it)",
                warned.join(", ")
            ),
        }
    }
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound => "NOT_FOUND",
            ApiError::Validation(_) => "VALIDATION",
            ApiError::Conflict { .. } => "CONFLICT",
            ApiError::WrongStage(_) => "WRONG_STAGE",
            ApiError::GateFailed(_) => "GATE_FAILED",
            ApiError::TooManyAttempts { .. } => "TOO_MANY_ATTEMPTS",
            ApiError::Unavailable => "UNAVAILABLE",
            ApiError::Internal(_) => "INTERNAL",
        }
    }

    pub fn forbidden_field(f: Field) -> Self {
        ApiError::Forbidden(f.title().to_lowercase())
    }

    /// One validation error on one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![ValidationError::new(field, message)])
    }

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        ApiError::Internal(Box::new(e))
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::Validation(vec![e])
    }
}

/// Whether `e` says the database could not be reached, rather than that it refused
/// what was asked of it.
fn unreachable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr, sqlx};
    match e {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(s))
        | DbErr::Exec(RuntimeErr::SqlxError(s))
        | DbErr::Query(RuntimeErr::SqlxError(s)) => {
            matches!(
                s.as_ref(),
                sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed
            )
        }
        _ => false,
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        if unreachable(&e) {
            tracing::warn!(error = %e, "database unreachable");
            return ApiError::Unavailable;
        }
        ApiError::internal(e)
    }
}

impl From<std::sync::Arc<sea_orm::DbErr>> for ApiError {
    fn from(e: std::sync::Arc<sea_orm::DbErr>) -> Self {
        if unreachable(&e) {
            tracing::warn!(error = %e, "database unreachable");
            return ApiError::Unavailable;
        }
        ApiError::Internal(Box::new(SharedDbErr(e)))
    }
}

/// A database error shared between the waiters of one batched load.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct SharedDbErr(std::sync::Arc<sea_orm::DbErr>);

impl From<sea_orm::TransactionError<ApiError>> for ApiError {
    fn from(e: sea_orm::TransactionError<ApiError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(api) => api,
        }
    }
}

impl ApiError {
    /// The HTTP status of the error where a route answers over plain HTTP (exports,
    /// evidence, the calendar, the published page). GraphQL answers are always 200,
    /// with the code in `extensions`.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Validation(_) | ApiError::GateFailed(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict { .. } | ApiError::WrongStage(_) => StatusCode::CONFLICT,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message and the `extensions` the client receives, at any edge: the code and
    /// what the code carries (the fields of a validation error, the current version of
    /// a conflict, the stage, the wait, the gate's names and warnings). An internal
    /// cause is logged here, once, and never sent.
    pub fn rendered(self) -> (String, serde_json::Map<String, serde_json::Value>) {
        use serde_json::{Value, json};
        let e = self;
        if let ApiError::Internal(cause) = &e {
            tracing::error!(error = %cause, "request failed");
        }
        let message = match &e {
            ApiError::Validation(errs) if errs.len() == 1 => errs[0].message.clone(),
            other => other.to_string(),
        };
        let mut ext = serde_json::Map::new();
        ext.insert("code".into(), Value::from(e.code()));
        match &e {
            ApiError::Validation(errs) => {
                if let Some(first) = errs.first() {
                    ext.insert("field".into(), Value::from(first.field.clone()));
                }
                let list = errs.iter().map(|v| json!({"field": v.field, "message": v.message})).collect();
                ext.insert("fields".into(), Value::Array(list));
            }
            ApiError::Conflict { current } => {
                ext.insert("currentVersion".into(), Value::from(*current));
            }
            ApiError::TooManyAttempts { retry_after } => {
                ext.insert("retryAfter".into(), Value::from(*retry_after));
            }
            ApiError::WrongStage(s) => {
                ext.insert("stage".into(), Value::from(s.as_str().to_uppercase()));
            }
            ApiError::GateFailed(refusal) => {
                let warnings = refusal
                    .warnings
                    .iter()
                    .map(|w| {
                        json!({"document": w.document, "version": w.version, "kind": w.kind.as_str().to_uppercase(),
                            "title": w.kind.title(), "found": w.found})
                    })
                    .collect();
                ext.insert("warnings".into(), Value::Array(warnings));
                let hits = refusal.hits.iter().map(|(found, label)| json!({"found": found, "label": label})).collect();
                ext.insert("hits".into(), Value::Array(hits));
            }
            _ => {}
        }
        (message, ext)
    }
}
