//! The layers every request passes: the bearer-token check (constant time), the same-origin
//! check on state-changing requests (CSRF), a request timeout, the security headers, and the
//! rewrite of any bare error under `/api/` into the one JSON error shape.
//!
//! Browsers cannot add an `Authorization` header to a page load, so a page opened once with
//! `?token=T` gets the token as an `HttpOnly`, `SameSite=Strict` cookie; the header and the
//! cookie are compared alike.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore as _;
use subtle::ConstantTimeEq as _;

use crate::{ApiError, AppState};

/// The cookie that carries the token for pages.
const TOKEN_COOKIE: &str = "atomplan_token";

/// The policy of every page: nothing but this server, no inline script, no framing by others.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'self'";

/// The report is a self-contained page with inline styles and SVG but no script.
pub(crate) const REPORT_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox";

/// 32 random bytes from the operating system, as 64 hex digits.
pub(crate) fn generate_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time equality of the presented and the expected token.
fn token_matches(presented: &str, expected: &str) -> bool {
    // `ct_eq` on slices of different lengths returns false without comparing contents; the
    // length of the expected token is not a secret worth hiding.
    bool::from(presented.as_bytes().ct_eq(expected.as_bytes()))
}

fn presented_token(request: &Request) -> Option<String> {
    let headers = request.headers();
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return value.strip_prefix("Bearer ").map(|t| t.trim().to_owned());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == TOKEN_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// 401 unless the request carries the server's token (when it has one).
pub(crate) async fn require_token(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(expected) = state.token.as_deref() else {
        return next.run(request).await;
    };
    if presented_token(&request).is_some_and(|t| token_matches(&t, expected)) {
        return next.run(request).await;
    }
    // A page opened with `?token=T`: set the cookie and reload without the token in the URL.
    if request.method() == Method::GET && !request.uri().path().starts_with("/api/") {
        let query = request.uri().query().unwrap_or("");
        let given = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| *name == "token")
            .map(|(_, value)| value);
        if given.is_some_and(|t| token_matches(t, expected)) {
            // Only a path on this server: `//host/…` would leave it.
            let path = match request.uri().path() {
                path if path.starts_with("//") || path.contains('\\') => "/".to_owned(),
                path => path.to_owned(),
            };
            let mut response = Redirect::to(&path).into_response();
            let cookie = format!("{TOKEN_COOKIE}={expected}; HttpOnly; SameSite=Strict; Path=/");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            return response;
        }
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this server needs `Authorization: Bearer <token>` (the token `atomplan serve` printed)",
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// 403 for a state-changing request whose `Origin` (or, without one, `Referer`) names another
/// site than the `Host` it was sent to: a cross-site form or script cannot start jobs.
pub(crate) async fn same_origin(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let headers = request.headers();
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin = headers
            .get(header::ORIGIN)
            .or_else(|| headers.get(header::REFERER))
            .and_then(|v| v.to_str().ok());
        if let Some(origin) = origin {
            let origin_host = origin
                .split_once("://")
                .map_or(origin, |(_, rest)| rest)
                .split('/')
                .next()
                .unwrap_or("");
            if host.is_none_or(|host| host != origin_host) {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "cross-origin requests may not change anything on this server",
                )
                .into_response();
            }
        }
    }
    next.run(request).await
}

/// 408 when a request takes longer than `limit` to answer (an event stream, once started,
/// is not cut).
pub(crate) async fn timeout(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!("the request took longer than {} s", limit.as_secs()),
        )
        .into_response(),
    }
}

/// The security headers of every response; pages and the API get the strict policy unless a
/// handler set its own (the report).
pub(crate) async fn headers(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    if is_api && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Any error under `/api/` that is not already JSON (from the body limit, the router or an
/// extractor) becomes `{"error": {"code", "message", "field"}}`.
pub(crate) async fn json_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let mut rewritten = ApiError::new(status, ApiError::code_for(status), message).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rewritten.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rewritten
}

/// 404 for every unknown path (JSON under `/api/`, a page otherwise).
pub(crate) async fn not_found(request: Request) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") {
        return ApiError::not_found(format!("no such endpoint: {} {path}", request.method()))
            .into_response();
    }
    let mut response = crate::pages::not_found_page().into_response();
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

/// The body of a request as UTF-8 text, at most [`crate::MAX_BODY_BYTES`] (else 413).
pub(crate) async fn body_text(body: Body) -> Result<String, ApiError> {
    let bytes = axum::body::to_bytes(body, crate::MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "the body is larger than {} MiB",
                    crate::MAX_BODY_BYTES / (1024 * 1024)
                ),
            )
        })?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))
}

#[cfg(test)]
mod tests;
