//! The token check, the same-origin check and the start-up refusals.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::common::{raw_request, server_with};

fn on_loopback(addr: SocketAddr) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
}

/// Status of `GET path` with the given headers.
fn status(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> u16 {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    raw_request(addr, "GET", path, &headers, b"").status
}

#[test]
fn any_address_without_a_token_generates_one_and_requires_it() {
    let server = server_with(|c| c.bind = IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let token = server.token.clone().expect("a generated token");
    assert_eq!(token.len(), 64);
    let addr = on_loopback(server.addr);
    for path in [
        "/api/v1/designs",
        "/",
        "/catalogue",
        "/api/v1/openapi.json",
        "/assets/app.js",
    ] {
        assert_eq!(status(addr, path, &[]), 401, "{path} without a token");
        assert_eq!(
            status(addr, path, &[("Authorization", "Bearer wrong")]),
            401,
            "{path}"
        );
        let wrong_same_length = format!("Bearer {}", "0".repeat(64));
        assert_eq!(
            status(addr, path, &[("Authorization", &wrong_same_length)]),
            401
        );
        let right = format!("Bearer {token}");
        assert_eq!(
            status(addr, path, &[("Authorization", &right)]),
            200,
            "{path}"
        );
    }
    let reply = raw_request(addr, "GET", "/api/v1/designs", &[], b"");
    assert_eq!(reply.error_code(), "unauthorized");
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    // A POST without the token never reaches the job queue.
    let reply = raw_request(addr, "POST", "/api/v1/jobs", &[], b"title = 1");
    assert_eq!(reply.status, 401);
}

#[test]
fn a_page_opened_with_the_token_sets_a_cookie_for_the_browser() {
    let server = server_with(|c| c.token = Some("a-token-of-twenty-chars".to_owned()));
    let addr = server.addr;
    assert_eq!(
        status(addr, "/catalogue", &[]),
        401,
        "a given token applies on loopback too"
    );
    let reply = raw_request(
        addr,
        "GET",
        "/catalogue?token=a-token-of-twenty-chars",
        &[],
        b"",
    );
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/catalogue"));
    let cookie = reply.header("set-cookie").unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap();
    assert_eq!(status(addr, "/catalogue", &[("Cookie", pair)]), 200);
    assert_eq!(
        status(addr, "/catalogue?token=wrong-token-of-twenty", &[]),
        401
    );
    let reply = raw_request(
        addr,
        "GET",
        "//evil.example/?token=a-token-of-twenty-chars",
        &[],
        b"",
    );
    assert_eq!(
        reply.header("location"),
        Some("/"),
        "the redirect stays on this server"
    );
    assert_eq!(
        status(addr, "/api/v1/designs?token=a-token-of-twenty-chars", &[]),
        401,
        "the API takes the header or the cookie, not a query"
    );
}

#[test]
fn short_or_odd_tokens_are_refused_at_start() {
    for token in ["short", "has a space in it ok", &"x".repeat(300)] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = atomplan_server::ServerConfig::new(dir.path().join("jobs"));
        config.port = 0;
        config.token = Some(token.to_owned());
        assert!(matches!(
            atomplan_server::Server::bind(config),
            Err(atomplan_server::ServerError::BadToken)
        ));
    }
}

#[test]
fn cross_origin_posts_are_403() {
    let server = server_with(|_| {});
    let text = include_str!("../../../../studies/mongolia-small-npp.toml");
    let reply = server.request(
        "POST",
        "/api/v1/studies/check",
        &[("Origin", "https://evil.example")],
        text.as_bytes(),
    );
    assert_eq!(reply.status, 403);
    assert_eq!(reply.error_code(), "forbidden");
    let reply = server.request(
        "POST",
        "/api/v1/jobs",
        &[("Origin", "http://localhost.evil.example")],
        text.as_bytes(),
    );
    assert_eq!(reply.status, 403);
    let origin = format!("http://{}", server.addr);
    let reply = server.request(
        "POST",
        "/api/v1/studies/check",
        &[("Origin", &origin)],
        text.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn a_port_in_use_is_an_error_not_a_panic() {
    let first = server_with(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let mut config = atomplan_server::ServerConfig::new(dir.path().join("jobs"));
    config.port = first.addr.port();
    assert!(matches!(
        atomplan_server::Server::bind(config),
        Err(atomplan_server::ServerError::Bind { .. })
    ));
}
