//! The HTTP adapter: routes, limits and the per-request GraphQL context. Thin by
//! design; tests drive `app(state)` with `tower::ServiceExt::oneshot`.

use std::sync::Arc;

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::extract::State;
use std::path::PathBuf;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use sea_orm::EntityTrait;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::context::Caller;
use crate::graphql::{self, ScrSchema};

/// Largest request body accepted; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The longest an evidence file may take to arrive (other bodies: `Edge::body_deadline`).
pub const UPLOAD_DEADLINE: std::time::Duration = std::time::Duration::from_secs(120);
/// What every API answer carries unless it says otherwise: kept by no cache, and run
/// by no browser as a page.
const API_CSP: &str = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; sandbox";

pub use crate::context::AppState;

#[derive(Clone)]
struct App {
    state: AppState,
    schema: ScrSchema,
    metrics: crate::metrics::Metrics,
}

/// The API alone.
pub fn app(state: AppState) -> Router {
    app_with_client(state, None)
}

/// The API, and the browser client from `client` (a `scripts/build-client.sh`
/// output folder) at `/` with the SPA fallback.
pub fn app_with_client(state: AppState, client: Option<PathBuf>) -> Router {
    let schema = graphql::schema(state.clone());
    let metrics = crate::metrics::Metrics::default();
    let api = Router::new()
        .route("/graphql", axum::routing::post(graphql_handler).layer(axum::middleware::from_fn(json_only)))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/api/reviews/{review_id}/export/{document}", get(export))
        .route("/api/reviews/{review_id}/submission-package", get(submission_package))
        .route("/api/evidence/{evidence_id}", get(download_evidence))
        .route("/published/{reference}", get(published))
        .route("/api/calendar.ics", get(calendar))
        .route("/api/administration-audit.csv", get(administration_audit_csv))
        .route("/api/session/refresh", axum::routing::post(refresh_session))
        .route("/api/session/sign-out", axum::routing::post(sign_out))
        .route("/api/oidc/{provider}/start", get(oidc_start))
        .route("/api/oidc/{provider}/callback", get(oidc_callback))
        .route("/metrics", get(metrics_answer))
        .route_layer(axum::middleware::from_fn_with_state(metrics.clone(), crate::metrics::track))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(tower_http::timeout::RequestBodyDeadlineLayer::new(state.edge.body_deadline))
        .with_state(App { state: state.clone(), schema: schema.clone(), metrics: metrics.clone() });
    // Evidence files are larger than any GraphQL request: their own route, their own limit.
    let uploads = Router::new()
        .route("/api/actions/{action_id}/evidence", axum::routing::post(upload_evidence))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .route_layer(axum::middleware::from_fn_with_state(metrics.clone(), crate::metrics::track))
        .layer(RequestBodyLimitLayer::new(shared::completion::MAX_EVIDENCE_BYTES + 64 * 1024))
        .layer(tower_http::timeout::RequestBodyDeadlineLayer::new(UPLOAD_DEADLINE))
        .with_state(App { state: state.clone(), schema, metrics });
    let api = api
        .merge(uploads)
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
        ))
        .layer(axum::middleware::from_fn_with_state(state.edge.clone(), client_address));
    let router = match client {
        Some(dir) => api.merge(client::routes(&dir)),
        None => api.fallback(|| async { (StatusCode::NOT_FOUND, "Not found") }),
    };
    // No CORS layer: a page on another origin cannot read any answer (closed by default).
    router
        .layer(axum::middleware::map_response(hsts_behind_tls))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
}

/// `Strict-Transport-Security` on answers to requests that reached the proxy in front
/// of `scr serve` over TLS (`X-Forwarded-Proto: https`); never over plain HTTP, where
/// browsers ignore it and a local run must keep working.
async fn hsts_behind_tls(headers: HeaderMap, mut res: axum::response::Response) -> axum::response::Response {
    let tls =
        headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.eq_ignore_ascii_case("https"));
    if tls {
        res.headers_mut()
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

/// Serving the browser client: hashed assets cached for a year (their names change
/// with their content), everything else answered with `index.html`, never cached,
/// under a Content-Security-Policy that lets in this origin's script and WebAssembly
/// and nothing else.
mod client {
    use std::path::Path;

    use axum::Router;
    use axum::http::{HeaderValue, header};
    use tower_http::services::{ServeDir, ServeFile};
    use tower_http::set_header::SetResponseHeaderLayer;

    pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
        font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    pub fn routes(dir: &Path) -> Router {
        let assets = ServeDir::new(dir.join("assets")).precompressed_br().precompressed_gzip();
        let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
        Router::new()
            // The icon is an asset named in `index.html`; an old-style request for
            // `/favicon.ico` is told there is none rather than answered with the page.
            .route("/favicon.ico", axum::routing::get(|| async { (axum::http::StatusCode::NOT_FOUND, "Not found") }))
            .nest_service(
                "/assets",
                tower::ServiceBuilder::new()
                    .layer(SetResponseHeaderLayer::overriding(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("public, max-age=31536000, immutable"),
                    ))
                    .service(assets),
            )
            .fallback_service(
                tower::ServiceBuilder::new()
                    .layer(SetResponseHeaderLayer::overriding(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("no-cache"),
                    ))
                    .service(index),
            )
            .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
    }
}

/// Notes the client's address on the request (`Edge::client_address`).
async fn client_address(
    State(edge): State<crate::edge::Edge>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let peer = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    let ip = edge.client_address(peer, req.headers());
    req.extensions_mut().insert(crate::edge::ClientAddress(ip));
    next.run(req).await
}

/// `GET /metrics`, for `Authorization: Bearer` the configured metrics token only; not
/// served at all without one.
async fn metrics_answer(State(app): State<App>, headers: HeaderMap) -> axum::response::Response {
    use sha2::{Digest, Sha256};
    let Some(expected) = &app.state.edge.metrics_token else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    // Compared as digests, so the time taken says nothing of the token.
    let given = bearer(&headers).map(|t| Sha256::digest(t.as_bytes()));
    if given != Some(Sha256::digest(expected.as_bytes())) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "Unauthorized").into_response();
    }
    crate::metrics::answer(&app.metrics, &app.state.db).into_response()
}

async fn readyz(State(app): State<App>) -> impl IntoResponse {
    if crate::db::ping(&app.state.db).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Resolves the caller from the bearer token. A missing, invalid, expired or
/// tampered token leaves the request anonymous: every field that needs a caller then
/// answers `UNAUTHENTICATED`, while `login` still works.
/// The caller a token names; `Ok(None)` without a usable token or an active user. A
/// database that cannot be reached is an error, never an anonymous caller.
async fn load_caller(app: &App, headers: &HeaderMap) -> Result<Option<Arc<Caller>>, crate::errors::ApiError> {
    let Some(subject) = bearer(headers).and_then(|t| app.state.tokens.verify(t).ok()) else { return Ok(None) };
    match Caller::load(&app.state.db, &subject).await {
        Ok(c) => Ok(Some(Arc::new(c))),
        Err(crate::errors::ApiError::Unavailable) => Err(crate::errors::ApiError::Unavailable),
        Err(e) => {
            tracing::debug!(error = %e, "token names no active user");
            Ok(None)
        }
    }
}

async fn caller(app: &App, headers: &HeaderMap) -> Option<Arc<Caller>> {
    load_caller(app, headers).await.ok().flatten()
}

/// A GraphQL answer holding only `e`, with its code.
fn error_response(e: &crate::errors::ApiError) -> async_graphql::Response {
    let mut res = async_graphql::Response::from_errors(vec![async_graphql::ServerError::new(e.to_string(), None)]);
    res.errors[0].extensions.get_or_insert_with(Default::default).set("code", e.code());
    res
}

/// The codes of a GraphQL answer's errors, for the metrics.
fn codes(res: &async_graphql::Response) -> impl Iterator<Item = Option<&str>> {
    res.errors.iter().map(|e| {
        e.extensions.as_ref().and_then(|x| x.get("code")).and_then(|v| match v {
            async_graphql::Value::String(s) => Some(s.as_str()),
            _ => None,
        })
    })
}

/// `POST /graphql` takes JSON only. A form on another site can post `text/plain` or
/// `multipart/form-data` without asking first (a "simple" request), and async-graphql
/// would read either: refused here, before anything runs or any cookie is set.
async fn json_only(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let json = req.method() != axum::http::Method::POST
        || req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        let e = crate::errors::ApiError::invalid("Content-Type", "Send GraphQL requests as application/json");
        let mut res = export_error(e);
        *res.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        return res;
    }
    next.run(req).await
}

async fn graphql_handler(
    State(app): State<App>,
    headers: HeaderMap,
    axum::Extension(address): axum::Extension<crate::edge::ClientAddress>,
    req: GraphQLRequest,
) -> GraphQLResponse {
    let caller = match load_caller(&app, &headers).await {
        Ok(c) => c,
        Err(e) => {
            let res = error_response(&e);
            app.metrics.graphql_errors(codes(&res));
            return res.into();
        }
    };
    // Without a caller: within the address's limit, and the schema is not introspected
    // outside development.
    if caller.is_none()
        && let Err(retry_after) = app.state.edge.anonymous(address.0)
    {
        let res = error_response(&crate::errors::ApiError::TooManyAttempts { retry_after });
        app.metrics.graphql_errors(codes(&res));
        return res.into();
    }
    let user = caller.as_ref().map(|c| c.user.id);
    let loaders = crate::graphql::loaders::request_loaders(app.state.db.clone());
    let reads = Arc::new(crate::audit::IdentityReads::default());
    let mut req = req
        .into_inner()
        .data(loaders)
        .data(reads.clone())
        .data(crate::graphql::VisibleReviews::default())
        .data(crate::anonymise::Masks::default())
        .data(crate::edge::SignInOnce::default())
        .data(address);
    match caller {
        Some(c) => req = req.data(c),
        None if !app.state.edge.dev => req = req.disable_introspection(),
        None => {}
    }
    let mut res = app.schema.execute(req).await;
    // Identities answered are logged before the answer leaves; if they cannot be, the
    // answer does not leave.
    if let Some(user) = user
        && let Err(e) = reads.flush(&app.state.db, user).await
    {
        res = error_response(&crate::errors::ApiError::from(e));
    }
    // Errors from the GraphQL layer itself (a parse error, an unknown field, a variable
    // of the wrong type, a depth or cost limit) carry a code like every other error.
    for e in &mut res.errors {
        let coded = e.extensions.as_ref().is_some_and(|x| x.get("code").is_some());
        if !coded {
            e.extensions.get_or_insert_with(Default::default).set("code", "BAD_REQUEST");
        }
    }
    app.metrics.graphql_errors(codes(&res));
    res.into()
}

/// The header a session request must carry: a page of another origin cannot add it
/// without a preflight this server never answers, on top of the cookie's `SameSite`.
const SESSION_HEADER: &str = "x-scr-session";

/// `POST /api/session/refresh`: renews the session of the refresh-token cookie. The
/// answer holds a new access token and the session's limits, and sets the next
/// refresh token; a refused cookie is removed.
async fn refresh_session(State(app): State<App>, headers: HeaderMap) -> axum::response::Response {
    use crate::users::sessions;
    // A refused session's cookie goes; after any other failure the cookie stays, as
    // the session may well have moved on.
    let refused = |e: crate::errors::ApiError| {
        let over = matches!(e, crate::errors::ApiError::Unauthenticated);
        let mut res = export_error(e);
        if over && let Ok(v) = HeaderValue::from_str(&sessions::cleared_cookie()) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
        res
    };
    if headers.get(SESSION_HEADER).is_none() {
        return export_error(crate::errors::ApiError::invalid(SESSION_HEADER, "Send the X-SCR-Session header"));
    }
    let Some(presented) = sessions::presented(&headers) else {
        return refused(crate::errors::ApiError::Unauthenticated);
    };
    let st = &app.state;
    let issued = match sessions::refresh(&st.db, &st.sessions, &st.tokens, &presented).await {
        Ok(i) => i,
        Err(e) => return refused(e),
    };
    let caller = match Caller::load(&st.db, &crate::auth::Subject::User(issued.user.id)).await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    let body = serde_json::json!({
        "token": issued.access,
        "expiresAt": issued.access_expires_at,
        "idleEndsAt": issued.idle_ends_at,
        "endsAt": issued.ends_at,
        "user": {
            "id": caller.user.id,
            "name": caller.user.name,
            "email": caller.user.email,
            "roles": caller.roles(),
        },
    });
    let mut res = axum::Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&issued.cookie(st.sessions.clock.now())) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// `POST /api/session/sign-out`: ends the session of the refresh-token cookie and
/// removes the cookie.
async fn sign_out(State(app): State<App>, headers: HeaderMap) -> axum::response::Response {
    use crate::users::sessions;
    if headers.get(SESSION_HEADER).is_none() {
        return export_error(crate::errors::ApiError::invalid(SESSION_HEADER, "Send the X-SCR-Session header"));
    }
    if let Some(presented) = sessions::presented(&headers)
        && let Err(e) = sessions::sign_out(&app.state.db, &app.state.sessions.clock, &presented).await
    {
        return export_error(e);
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&sessions::cleared_cookie()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// `GET /api/oidc/{provider}/start`: to the provider's sign-in, with the flow cookie.
async fn oidc_start(
    State(app): State<App>,
    axum::extract::Path(provider): axum::extract::Path<String>,
) -> axum::response::Response {
    match app.state.oidc.start(&app.state.tokens, &provider).await {
        Ok((url, cookie)) => {
            let mut res = axum::response::Redirect::to(&url).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(crate::errors::ApiError::NotFound) => (StatusCode::NOT_FOUND, "No such sign-in provider").into_response(),
        Err(_) => axum::response::Redirect::to("/?sign-in=unavailable").into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
}

/// `GET /api/oidc/{provider}/callback`: the provider's answer. A session begins (its
/// refresh cookie set) and the browser goes to the client, which picks it up; any
/// refusal goes to the sign-in page saying so.
async fn oidc_callback(
    State(app): State<App>,
    axum::extract::Path(provider): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<Callback>,
    headers: HeaderMap,
) -> axum::response::Response {
    use crate::oidc;
    use crate::users::sessions;
    let st = &app.state;
    let signed_in = async {
        let (Some(code), Some(state), Some(flow)) = (q.code, q.state, oidc::presented(&headers)) else {
            return Err(crate::errors::ApiError::Unauthenticated);
        };
        let who = st.oidc.finish(&st.tokens, &provider, &code, &state, &flow).await?;
        let id = oidc::account_for(&st.db, &who).await?;
        let user = crate::entities::user::Entity::find_by_id(id)
            .one(&st.db)
            .await?
            .filter(|u| u.active)
            .ok_or(crate::errors::ApiError::Unauthenticated)?;
        sessions::start(&st.db, &st.sessions, &st.tokens, user, "provider").await
    };
    let (mut res, cookie) = match signed_in.await {
        Ok(issued) => (axum::response::Redirect::to("/").into_response(), Some(issued.cookie(st.sessions.clock.now()))),
        Err(crate::errors::ApiError::Unavailable) => {
            (axum::response::Redirect::to("/?sign-in=unavailable").into_response(), None)
        }
        Err(_) => (axum::response::Redirect::to("/?sign-in=refused").into_response(), None),
    };
    for c in cookie.into_iter().chain([oidc::cleared_cookie()]) {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[derive(serde::Deserialize)]
struct ExportQuery {
    format: String,
    #[serde(default)]
    purpose: Option<String>,
    #[serde(default)]
    imr: Option<i32>,
}

/// A plain-HTTP route's failure as JSON (the message and `extensions` a GraphQL answer
/// would carry), with the status its code calls for (`ApiError::status`).
fn export_error(e: crate::errors::ApiError) -> axum::response::Response {
    let status = e.status();
    let (message, extensions) = e.rendered();
    (status, axum::Json(serde_json::json!({ "message": message, "extensions": extensions }))).into_response()
}

/// `GET /api/administration-audit.csv?q=&about=&from=&to=`: the administration audit
/// (changes to accounts and organisations) as CSV, for whoever may read it on screen,
/// found as on screen (`q` the text, `about` accounts, proposals or organisations,
/// `from` and `to` days as YYYY-MM-DD), newest first.
async fn administration_audit_csv(
    State(app): State<App>,
    headers: HeaderMap,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    let Some(caller) = caller(&app, &headers).await else {
        return export_error(crate::errors::ApiError::Unauthenticated);
    };
    let filter = match audit_filter(&params) {
        Ok(f) => f,
        Err(e) => return export_error(e),
    };
    let changes = match crate::users::administration::download(&app.state.db, &caller, &filter).await {
        Ok(c) => c,
        Err(e) => return export_error(e),
    };
    let (headers, rows) = crate::users::administration::table(&changes);
    let doc = crate::exports::Document {
        title: "Administration audit".to_owned(),
        blocks: vec![crate::exports::Block::Table { headers, rows }],
    };
    match crate::exports::render(&doc, crate::exports::Format::Csv) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, crate::exports::Format::Csv.content_type().to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"SCR-administration-audit-{}.csv\"",
                        chrono::Utc::now().format("%Y-%m-%d")
                    ),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => export_error(e),
    }
}

/// The administration audit's filter from a download's address.
fn audit_filter(
    params: &std::collections::HashMap<String, String>,
) -> crate::errors::ApiResult<crate::users::administration::Filter> {
    use crate::errors::ApiError;
    use crate::users::administration::{About, Filter};
    let given = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let day = |k: &'static str| -> crate::errors::ApiResult<Option<chrono::NaiveDate>> {
        given(k)
            .map(|v| {
                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| ApiError::invalid(k, "Give the day as YYYY-MM-DD"))
            })
            .transpose()
    };
    let about = given("about")
        .map(|a| {
            About::parse(a).ok_or_else(|| ApiError::invalid("about", "Choose accounts, proposals or organisations"))
        })
        .transpose()?;
    Ok(Filter { text: given("q").map(str::to_owned), about, from: day("from")?, to: day("to")? })
}

/// `GET /api/reviews/{id}/submission-package`: the package to Ofsted and the DfE as one
/// The start of a downloaded file's name: the review's reference (`SCR-2026-0010`) in
/// characters every file system takes, with `SCR-` in front only when it lacks it.
fn download_stem(reference: &str) -> String {
    let safe: String = reference.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    if safe.starts_with("SCR-") { safe } else { format!("SCR-{safe}") }
}

/// ZIP of PDFs, every document through the anonymisation gate (see `exports`).
async fn submission_package(
    State(app): State<App>,
    headers: HeaderMap,
    axum::extract::Path(review_id): axum::extract::Path<i32>,
) -> axum::response::Response {
    let Some(caller) = caller(&app, &headers).await else {
        return export_error(crate::errors::ApiError::Unauthenticated);
    };
    match crate::exports::submission_package(&app.state.db, &caller, review_id).await {
        Ok((reference, bytes)) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}-submission.zip\"", download_stem(&reference)),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => export_error(e),
    }
}

/// `GET /api/reviews/{id}/export/{document}?format=pdf|docx|csv&purpose=internal|outside[&imr=ID]`:
/// a document of the review as a file, built through the access policy and, for
/// outside use, the anonymisation gate (see `exports`).
async fn export(
    State(app): State<App>,
    headers: HeaderMap,
    axum::extract::Path((review_id, document)): axum::extract::Path<(i32, String)>,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
) -> axum::response::Response {
    use crate::errors::ApiError;
    use crate::exports::{self, Format, Kind, Purpose};
    let Some(caller) = caller(&app, &headers).await else {
        return export_error(ApiError::Unauthenticated);
    };
    let kind = match (document.as_str(), q.imr) {
        ("terms-of-reference", _) => Kind::TermsOfReference,
        ("imr", Some(id)) => Kind::Imr(id),
        ("imr", None) => return export_error(ApiError::invalid("imr", "Say which IMR to export")),
        ("chronology", _) => Kind::Chronology,
        ("overview-report", _) => Kind::OverviewReport,
        ("executive-summary", _) => Kind::ExecutiveSummary,
        ("action-plan", _) => Kind::ActionPlan,
        _ => return export_error(ApiError::NotFound),
    };
    let Some(format) = Format::parse(&q.format) else {
        return export_error(ApiError::invalid("format", "Choose pdf, docx or csv"));
    };
    if format == Format::Csv && kind != Kind::Chronology {
        return export_error(ApiError::invalid("format", "Only the chronology exports as CSV"));
    }
    let purpose = match q.purpose.as_deref() {
        None | Some("internal") => Purpose::Internal,
        Some("outside") => Purpose::Outside,
        Some(_) => return export_error(ApiError::invalid("purpose", "Choose internal or outside")),
    };
    let doc = match exports::build(&app.state.db, &caller, review_id, kind, purpose).await {
        Ok(d) => d,
        Err(e) => return export_error(e),
    };
    let reference = crate::entities::review::Entity::find_by_id(review_id)
        .one(&app.state.db)
        .await
        .ok()
        .flatten()
        .map_or_else(|| review_id.to_string(), |r| r.reference);
    // Laying out a long document is CPU work: keep it off the async workers.
    let bytes = match tokio::task::spawn_blocking(move || exports::render(&doc, format)).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return export_error(e),
        Err(e) => return export_error(ApiError::internal(e)),
    };
    let file = format!("{}-{}.{}", download_stem(&reference), kind.slug(), format.extension());
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct UploadQuery {
    name: String,
}

/// `POST /api/actions/{id}/evidence?name=FILE` with the file as the body: the owner
/// attaches evidence to an open action. Answers `{"id": N}`.
async fn upload_evidence(
    State(app): State<App>,
    headers: HeaderMap,
    axum::extract::Path(action_id): axum::extract::Path<i32>,
    axum::extract::Query(q): axum::extract::Query<UploadQuery>,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use crate::errors::ApiError;
    let Some(caller) = caller(&app, &headers).await else {
        return export_error(ApiError::Unauthenticated);
    };
    match crate::completion::upload_evidence(&app.state.db, &caller, action_id, &q.name, body.to_vec()).await {
        Ok(id) => (StatusCode::CREATED, axum::Json(serde_json::json!({ "id": id }))).into_response(),
        Err(e) => export_error(e),
    }
}

/// `GET /api/evidence/{id}`: a file of evidence, for whoever may see its action.
async fn download_evidence(
    State(app): State<App>,
    headers: HeaderMap,
    axum::extract::Path(evidence_id): axum::extract::Path<i32>,
) -> axum::response::Response {
    use crate::errors::ApiError;
    let Some(caller) = caller(&app, &headers).await else {
        return export_error(ApiError::Unauthenticated);
    };
    match crate::completion::evidence_file(&app.state.db, &caller, evidence_id).await {
        Ok(e) => {
            let kind = match crate::stored::value("evidence kind", &e.kind, shared::completion::EvidenceKind::parse) {
                Ok(k) => k,
                Err(err) => return export_error(err),
            };
            let safe: String = e
                .file_name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' })
                .collect();
            (
                [
                    (header::CONTENT_TYPE, kind.content_type().to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{safe}\"")),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                e.bytes,
            )
                .into_response()
        }
        Err(e) => export_error(e),
    }
}

/// `GET /published/{reference}`: the published executive summary, for anyone.
async fn published(
    State(app): State<App>,
    axum::extract::Path(reference): axum::extract::Path<String>,
) -> axum::response::Response {
    match crate::exports::public::summary(&app.state.db, &reference).await {
        Ok(p) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                (header::CONTENT_SECURITY_POLICY, crate::exports::public::content_security_policy()),
                (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
            ],
            crate::exports::public::page(&p),
        )
            .into_response(),
        Err(crate::errors::ApiError::NotFound) => (StatusCode::NOT_FOUND, "Not found").into_response(),
        Err(e) => export_error(e),
    }
}

#[derive(serde::Deserialize)]
struct CalendarQuery {
    token: String,
}

/// `GET /api/calendar.ics?token=T`: the user's deadlines and due work as iCalendar,
/// for a calendar app to subscribe to (the token comes from `calendarFeedUrl`).
async fn calendar(
    State(app): State<App>,
    axum::extract::Query(q): axum::extract::Query<CalendarQuery>,
) -> axum::response::Response {
    let Ok((user_id, generation)) = app.state.tokens.verify_calendar(&q.token) else {
        return export_error(crate::errors::ApiError::Unauthenticated);
    };
    let caller = match Caller::load(&app.state.db, &crate::auth::Subject::User(user_id)).await {
        // A deactivated user is refused by `load`; a rotated address by its generation.
        Ok(c) if c.user.calendar_generation == generation => c,
        Ok(_) => return export_error(crate::errors::ApiError::Unauthenticated),
        Err(e) => return export_error(e),
    };
    match crate::attention::calendar(&app.state.db, &caller, crate::step::today()).await {
        Ok(ics) => ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], ics)
            .into_response(),
        Err(e) => export_error(e),
    }
}
