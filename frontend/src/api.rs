//! Every network call of the client: one GraphQL POST per operation, with the bearer
//! token, and the server's error codes turned into `ApiError`.

use graphql_client::GraphQLQuery;
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
    /// The anonymisation gate found names: (as found, its label).
    /// The anonymisation gate stopped a document: the names it found (found, label)
    /// and the warnings no second person has overridden (kind, found).
    Gate(Vec<(String, String)>, Vec<(String, String)>),
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
            ApiError::Gate(hits, warnings) => {
                let names: Vec<String> = hits.iter().map(|(f, l)| format!("\"{f}\" (replace with {l})")).collect();
                let warned: Vec<String> =
                    warnings.iter().map(|(k, f)| format!("\"{f}\" ({})", k.to_lowercase())).collect();
                match (names.is_empty(), warned.is_empty()) {
                    (false, true) => format!("It cannot leave the board yet: it still names {}.", names.join(", ")),
                    (false, false) => format!(
                        "It cannot leave the board yet: it still names {}, and holds {} (change each, or ask the Board Chair or business manager to let it through).",
                        names.join(", "),
                        warned.join(", ")
                    ),
                    _ => format!(
                        "It cannot leave the board yet: it holds {} (change each, or ask the Board Chair or business manager to let it through).",
                        warned.join(", ")
                    ),
                }
            }
            ApiError::Failed(m) => m.clone(),
        }
    }
}

fn from_code(message: &str, ext: &HashMap<String, serde_json::Value>) -> ApiError {
    let code = ext.get("code").and_then(|c| c.as_str()).unwrap_or("");
    match code {
        "UNAUTHENTICATED" => ApiError::Unauthenticated,
        "FORBIDDEN" => ApiError::Forbidden(message.trim_start_matches("You do not have access to ").to_owned()),
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
                .unwrap_or_else(|| vec![(String::new(), message.to_owned())]);
            ApiError::Validation(list)
        }
        "CONFLICT" => ApiError::Conflict {
            message: message.to_owned(),
            current: ext.get("currentVersion").and_then(|v| v.as_i64()),
        },
        "WRONG_STAGE" => ApiError::WrongStage(message.to_owned()),
        "GATE_FAILED" => {
            let pairs = |key: &str, a: &str, b: &str| -> Vec<(String, String)> {
                ext.get(key)
                    .and_then(|h| h.as_array())
                    .map(|list| {
                        list.iter()
                            .map(|x| (x[a].as_str().unwrap_or("").to_owned(), x[b].as_str().unwrap_or("").to_owned()))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            ApiError::Gate(pairs("hits", "found", "label"), pairs("warnings", "title", "found"))
        }
        _ => ApiError::Failed(message.to_owned()),
    }
}

/// Downloads `path` (an export) with the session's token and hands it to the browser
/// as a file. Returns the file's name; a refusal comes back as the API's error.
pub async fn download(path: &str) -> Result<String, ApiError> {
    let mut req = gloo_net::http::Request::get(path);
    if let Some(t) = fresh_token().await {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let res = req
        .send()
        .await
        .map_err(|_| ApiError::Failed("Could not reach the server. Check your connection and try again.".into()))?;
    if !res.ok() {
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        let ext: HashMap<String, serde_json::Value> =
            serde_json::from_value(body["extensions"].clone()).unwrap_or_default();
        let message = body["message"].as_str().unwrap_or("The export failed").to_owned();
        return Err(from_code(&message, &ext));
    }
    let name = res
        .headers()
        .get("content-disposition")
        .and_then(|d| d.split("filename=\"").nth(1).map(|n| n.trim_end_matches('"').to_owned()))
        .unwrap_or_else(|| "export".into());
    let bytes = res.binary().await.map_err(|_| ApiError::Failed("The file could not be read.".into()))?;
    save_file(&name, &bytes).map_err(|_| ApiError::Failed("The browser refused to save the file.".into()))?;
    Ok(name)
}

/// Sends a file as the body of `path` (an evidence upload) with the session's token.
pub async fn upload(path: &str, file: web_sys::File) -> Result<(), ApiError> {
    let mut req = gloo_net::http::Request::post(path);
    if let Some(t) = fresh_token().await {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let res = req
        .body(file)
        .map_err(|e| ApiError::Failed(format!("Could not prepare the upload: {e}")))?
        .send()
        .await
        .map_err(|_| ApiError::Failed("Could not reach the server. Check your connection and try again.".into()))?;
    if res.status() == 413 {
        return Err(ApiError::Validation(vec![("file".into(), "Files of up to 5 MB are accepted".into())]));
    }
    if !res.ok() {
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        let ext: HashMap<String, serde_json::Value> =
            serde_json::from_value(body["extensions"].clone()).unwrap_or_default();
        let message = body["message"].as_str().unwrap_or("The upload failed").to_owned();
        return Err(from_code(&message, &ext));
    }
    Ok(())
}

fn save_file(name: &str, bytes: &[u8]) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// The bearer token to send, renewed first when it is about to run out.
async fn fresh_token() -> Option<String> {
    let s = session::load()?;
    if session::expires_within(&s, 15_000.0) && session::renew().await {
        return session::load().map(|s| s.token);
    }
    Some(s.token)
}

async fn send<Q: GraphQLQuery>(
    body: &graphql_client::QueryBody<Q::Variables>,
    token: Option<String>,
) -> Result<serde_json::Value, ApiError> {
    let mut req = gloo_net::http::Request::post("/graphql");
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let sent = req
        .json(body)
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
    sent.json().await.map_err(|_| ApiError::Failed("The server's answer could not be read.".into()))
}

/// The first error of an answer, as the API's error. An answer with an error is read
/// by its error alone: the data beside it may be partial (a field refused is null), and
/// the refusal is what the person needs to see.
fn first_error(answer: &serde_json::Value) -> Option<ApiError> {
    let first = answer.get("errors")?.as_array()?.first()?;
    let message = first.get("message").and_then(|m| m.as_str()).unwrap_or("The request failed");
    let ext: HashMap<String, serde_json::Value> =
        first.get("extensions").cloned().and_then(|e| serde_json::from_value(e).ok()).unwrap_or_default();
    Some(from_code(message, &ext))
}

/// Sends one operation. A token refused as expired is renewed and the operation sent
/// once more; a session that cannot be renewed is marked expired, leaving the page
/// (and whatever was typed on it) where it is.
pub async fn call<Q: GraphQLQuery>(variables: Q::Variables) -> Result<Q::ResponseData, ApiError> {
    let body = Q::build_query(variables);
    let signed_in = session::load().is_some();
    let mut res = send::<Q>(&body, fresh_token().await).await?;
    let refused = |r: &serde_json::Value| first_error(r) == Some(ApiError::Unauthenticated);
    if signed_in && refused(&res) && session::renew().await {
        res = send::<Q>(&body, session::load().map(|s| s.token)).await?;
    }
    if let Some(err) = first_error(&res) {
        if err == ApiError::Unauthenticated {
            if let Some(auth) = session::installed() {
                if auth.session.get_untracked().is_some() {
                    auth.expired.set(true);
                }
            }
        }
        return Err(err);
    }
    match res.get_mut("data").map(serde_json::Value::take) {
        Some(data) if !data.is_null() => {
            serde_json::from_value(data).map_err(|_| ApiError::Failed("The server's answer could not be read.".into()))
        }
        _ => Err(ApiError::Failed("The server sent no data.".into())),
    }
}

use leptos::prelude::{GetUntracked, Set};
