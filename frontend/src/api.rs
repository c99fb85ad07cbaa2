//! Every network call of the client: one GraphQL POST per operation, with the bearer
//! token, and the server's error codes turned into `ApiError`.

use graphql_client::{GraphQLQuery, Response};
use std::collections::HashMap;

use crate::session;

/// What a call can end in, from the server's `extensions.code`.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    Unauthenticated,
    Forbidden(String),
    NotFound,
    /// Field path -> message, in the server's order.
    Validation(Vec<(String, String)>),
    Conflict {
        message: String,
        current: Option<i64>,
    },
    WrongStage(String),
    Failed(String),
}

impl ApiError {
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated => "Your session has ended. Sign in again to continue.".into(),
            ApiError::Forbidden(m) => format!("You do not have access to this: {m}."),
            ApiError::NotFound => "Not found, or you do not have access to it.".into(),
            ApiError::Validation(list) => {
                list.first().map(|(_, m)| m.clone()).unwrap_or_else(|| "Check your answers".into())
            }
            ApiError::Conflict { message, .. } => message.clone(),
            ApiError::WrongStage(m) => m.clone(),
            ApiError::Failed(m) => m.clone(),
        }
    }
}

fn from_graphql(e: &graphql_client::Error) -> ApiError {
    let ext: HashMap<String, serde_json::Value> = e.extensions.clone().unwrap_or_default();
    let code = ext.get("code").and_then(|c| c.as_str()).unwrap_or("");
    match code {
        "UNAUTHENTICATED" => ApiError::Unauthenticated,
        "FORBIDDEN" => ApiError::Forbidden(e.message.trim_start_matches("You do not have access to ").to_owned()),
        "NOT_FOUND" => ApiError::NotFound,
        "VALIDATION" => {
            let list = ext
                .get("fields")
                .and_then(|f| f.as_array())
                .map(|a| {
                    a.iter()
                        .map(|x| {
                            (
                                x["field"].as_str().unwrap_or("").to_owned(),
                                x["message"].as_str().unwrap_or("").to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_else(|| vec![(String::new(), e.message.clone())]);
            ApiError::Validation(list)
        }
        "CONFLICT" => ApiError::Conflict {
            message: e.message.clone(),
            current: ext.get("currentVersion").and_then(|v| v.as_i64()),
        },
        "WRONG_STAGE" => ApiError::WrongStage(e.message.clone()),
        _ => ApiError::Failed(e.message.clone()),
    }
}

/// Sends one operation. A refused token marks the session expired, leaving the page
/// (and whatever was typed on it) where it is.
pub async fn call<Q: GraphQLQuery>(variables: Q::Variables) -> Result<Q::ResponseData, ApiError> {
    let body = Q::build_query(variables);
    let mut req = gloo_net::http::Request::post("/graphql");
    if let Some(s) = session::load() {
        req = req.header("Authorization", &format!("Bearer {}", s.token));
    }
    let sent = req
        .json(&body)
        .map_err(|e| ApiError::Failed(format!("Could not prepare the request: {e}")))?
        .send()
        .await
        .map_err(|_| ApiError::Failed("Could not reach the server. Check your connection and try again.".into()))?;
    if sent.status() == 413 {
        return Err(ApiError::Failed("That is too much text to send at once.".into()));
    }
    if !sent.ok() {
        return Err(ApiError::Failed(format!("The server answered {}. Try again.", sent.status())));
    }
    let res: Response<Q::ResponseData> =
        sent.json().await.map_err(|_| ApiError::Failed("The server's answer could not be read.".into()))?;
    if let Some(first) = res.errors.as_ref().and_then(|e| e.first()) {
        let err = from_graphql(first);
        if err == ApiError::Unauthenticated {
            if let Some(auth) = session::installed() {
                if auth.session.get_untracked().is_some() {
                    auth.expired.set(true);
                }
            }
        }
        return Err(err);
    }
    res.data.ok_or_else(|| ApiError::Failed("The server sent no data.".into()))
}

use leptos::prelude::{GetUntracked, Set};
