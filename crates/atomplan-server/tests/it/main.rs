//! Integration tests of `atomplan-server`: the real server (axum on tokio) on a free port of
//! 127.0.0.1, driven over real TCP, and the web app in real headless Chromium.

mod api;
mod browser;
mod common;
mod flagship;
mod jobs;
mod load;
mod security;
