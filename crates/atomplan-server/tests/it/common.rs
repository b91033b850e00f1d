//! A server on a free port, and a small HTTP/1.1 client over `std::net` that sends paths and
//! bodies exactly as given (so a test can send `..%2F` or 3 MiB).

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

use atomplan_server::{Server, ServerConfig};

pub use crate::flagship::{quick_study, tiny_study};

/// Tests that run studies take this lock, so they run one at a time: a dozen debug-profile
/// studies at once on a two-core machine push each past its time limit, and the load test's
/// figures would measure the other tests.
pub fn one_study_test_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub token: Option<String>,
    /// Keeps the jobs folder alive as long as the server.
    pub _dir: Option<tempfile::TempDir>,
}

/// A server with default settings and a fresh jobs folder.
pub fn server() -> TestServer {
    server_with(|_| {})
}

/// A server with settings changed by `edit` (bind and port are set here).
pub fn server_with(edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let jobs_dir = dir.path().join("jobs");
    let mut test = server_in(&jobs_dir, edit);
    test._dir = Some(dir);
    test
}

/// A server on an existing jobs folder.
pub fn server_in(jobs_dir: &Path, edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
    let mut config = ServerConfig::new(jobs_dir.to_path_buf());
    config.port = 0;
    edit(&mut config);
    let server = Server::bind(config).unwrap();
    let addr = server.local_addr();
    let token = server.token().map(str::to_owned);
    std::thread::spawn(move || server.run());
    TestServer {
        addr,
        token,
        _dir: None,
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Asserts the one error shape and returns its `code`.
    pub fn error_code(&self) -> String {
        let value = self.json();
        let error = value
            .get("error")
            .unwrap_or_else(|| panic!("no `error` in {value}"));
        assert!(
            error.get("message").and_then(|m| m.as_str()).is_some(),
            "{value}"
        );
        assert!(error.get("field").is_some(), "no `field` in {value}");
        error["code"].as_str().unwrap().to_owned()
    }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    pub fn post(&self, path: &str, body: &str) -> Reply {
        self.request("POST", path, &[], body.as_bytes())
    }

    /// One request on its own connection; the token is sent when the server has one.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        if let Some(token) = &self.token {
            if !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            {
                all.push(("Authorization".to_owned(), format!("Bearer {token}")));
            }
        }
        raw_request(self.addr, method, path, &all, body)
    }
}

/// Sends one HTTP/1.1 request and reads the whole response (the server closes the connection).
pub fn raw_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(900)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) and close before reading a large body: ignore write errors.
    let _ = stream.write_all(body);
    parse_response(&read_response(&mut stream))
}

/// Reads one response: up to its `Content-Length`, the last chunk, or the end of the stream
/// (a server may keep the connection open despite `Connection: close`, as chromedriver does).
fn read_response(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buffer = [0_u8; 65536];
    loop {
        if let Some(head_end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
            let body_len = raw.len() - head_end - 4;
            let content_length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if content_length.is_some_and(|n| body_len >= n) {
                break;
            }
            if head.contains("transfer-encoding: chunked") && raw.ends_with(b"\r\n0\r\n\r\n") {
                break;
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
        }
    }
    raw
}

fn parse_response(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size =
            usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        let end = (start + size).min(data.len());
        out.extend_from_slice(&data[start..end]);
        data = &data[(end + 2).min(data.len())..];
    }
    out
}

/// Polls a job until it is done or failed (at most `limit`); returns its last JSON.
pub fn wait_for_job(server: &TestServer, id: &str, limit: Duration) -> serde_json::Value {
    let started = std::time::Instant::now();
    loop {
        let job = server.get(&format!("/api/v1/jobs/{id}")).json();
        let status = job["status"].as_str().unwrap().to_owned();
        if status == "done" || status == "failed" {
            return job;
        }
        assert!(
            started.elapsed() < limit,
            "job {id} still {status} after {limit:?}: {job}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}
