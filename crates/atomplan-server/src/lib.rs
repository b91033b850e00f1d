//! API Boundary. The atomplan web app and JSON API behind `atomplan serve`.
//!
//! People who decide nuclear programmes rarely live in a terminal: this crate puts the sourced
//! catalogue, the study check, study runs with live progress, the report and the scenario
//! comparison behind a local web server (axum on tokio), with a JSON API under `/api/v1` that
//! notebooks and other tools can drive.
//!
//! - [`Server::bind`] loads the catalogue, opens the job table and binds the socket;
//!   [`Server::run`] serves until the process ends. The CLI prints the URL (and a generated
//!   token); this crate prints nothing.
//! - `api.rs` is the JSON API, `jobs.rs` the job table (SQLite) and the bounded worker pool that
//!   runs studies through `atomplan_report::run_study`, `pages.rs` the server-rendered pages
//!   (with `assets/`, compiled into the binary), `security.rs` the token check, the same-origin
//!   check, the security headers and the one error shape, `openapi.rs` the OpenAPI document.
//!
//! Architecture Invariant: nothing a client sends becomes a file path. Job ids are generated
//! here (random, 32 lowercase hex digits) and a path is built only from an id that passed
//! [`jobs::is_job_id`]; study files posted to the server may not name input files.
//!
//! Architecture Invariant: the server computes nothing of its own; every answer comes from the
//! same library functions as the CLI's (`atomplan_catalogue::json`, `atomplan::study::validate`,
//! `atomplan_report::run_study`).

mod api;
mod error;
mod form;
pub mod jobs;
mod openapi;
mod pages;
mod security;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use atomplan::study::{from_catalogue, StudyCatalogue};
use atomplan_catalogue::Catalogue;

pub use error::ApiError;

/// The largest request body accepted (2 MiB); larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// How `atomplan serve` runs. Defaults are written beside each field ([`ServerConfig::new`]).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on (default 127.0.0.1). Any address that is not loopback needs a token.
    pub bind: IpAddr,
    /// Port (default 8080; 0 picks a free port).
    pub port: u16,
    /// A catalogue directory instead of the built-in catalogue.
    pub data: Option<PathBuf>,
    /// Where the job table (`jobs.sqlite`) and each job's study and results are kept.
    pub jobs_dir: PathBuf,
    /// The bearer token every request must carry. `None` on a non-loopback address generates one.
    pub token: Option<String>,
    /// Studies run at once (default: one per core).
    pub max_running: usize,
    /// Jobs waiting to run at most (default 32); one more gets 429.
    pub max_queued: usize,
    /// Time a request may take before 408 (default 30 s; event streams are not cut).
    pub request_timeout: Duration,
}

impl ServerConfig {
    /// The defaults: 127.0.0.1:8080, the built-in catalogue, one study per core, 32 queued.
    pub fn new(jobs_dir: PathBuf) -> Self {
        ServerConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            data: None,
            jobs_dir,
            token: None,
            max_running: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            max_queued: 32,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Why the server could not start, a job was not accepted, or a job failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("the catalogue has {n_errors} error(s); run `atomplan catalogue check`")]
    Catalogue { n_errors: usize },
    #[error("cannot listen on {addr}: {message}")]
    Bind { addr: SocketAddr, message: String },
    #[error("job store `{path}`: {message}")]
    Jobs { path: String, message: String },
    #[error("`--token` must be 16 to 256 visible ASCII characters")]
    BadToken,
    #[error("cannot start the server: {0}")]
    Runtime(String),
    /// A job was not accepted: the queue holds `max_queued` jobs already.
    #[error("{max_queued} jobs are waiting already; try again when one has started")]
    QueueFull { max_queued: usize },
    /// A job was not accepted: it could not be stored.
    #[error("cannot store the job: {0}")]
    Submit(String),
    /// A job's study file could not be read back.
    #[error("cannot read the job's study: {0}")]
    JobRead(std::io::Error),
    /// A job's study does not parse or does not check; its errors, as `study check` lists
    /// them.
    #[error("{}", jobs::diagnostics_text(.0))]
    JobInvalid(Vec<atomplan_core::Diagnostic>),
    /// A job's run stopped.
    #[error(transparent)]
    JobRun(#[from] atomplan_report::ReportError),
    /// A job's run finished with failed stages.
    #[error("{}", jobs::failed_stages_text(.0))]
    JobStages(Vec<atomplan_report::FailedStage>),
    /// The study runner panicked (a bug).
    #[error("internal error: the study runner panicked")]
    JobPanicked,
}

/// Shared by every request handler.
pub(crate) struct AppState {
    pub catalogue: Arc<Catalogue>,
    pub study_catalogue: Arc<StudyCatalogue>,
    pub jobs: Arc<jobs::Jobs>,
    pub token: Option<String>,
    /// The catalogue never changes while the server runs: its listings are serialised once.
    pub listings: api::Listings,
}

/// A bound server, ready to [`run`](Server::run).
pub struct Server {
    listener: std::net::TcpListener,
    addr: SocketAddr,
    state: Arc<AppState>,
    token_generated: bool,
    request_timeout: Duration,
    max_running: usize,
}

impl Server {
    /// Loads the catalogue, opens (or creates) the job table, requeues interrupted jobs and binds.
    ///
    /// # Errors
    /// An invalid catalogue, an unusable jobs folder, a bad token or a port in use.
    pub fn bind(config: ServerConfig) -> Result<Server, ServerError> {
        let loaded = match &config.data {
            Some(dir) => Catalogue::load_dir(dir),
            None => Catalogue::builtin(),
        };
        let catalogue = loaded.map_err(|diagnostics| ServerError::Catalogue {
            n_errors: diagnostics.iter().filter(|d| d.is_error()).count(),
        })?;
        let study_catalogue = Arc::new(from_catalogue::study_catalogue(&catalogue));
        let (token, token_generated) = match config.token {
            Some(token) => {
                let printable = token.chars().all(|c| c.is_ascii_graphic());
                if !(16..=256).contains(&token.len()) || !printable {
                    return Err(ServerError::BadToken);
                }
                (Some(token), false)
            }
            None if !config.bind.is_loopback() => (Some(security::generate_token()), true),
            None => (None, false),
        };
        let jobs = jobs::Jobs::open(
            &config.jobs_dir,
            Arc::clone(&study_catalogue),
            config.max_queued,
        )?;
        let addr = SocketAddr::new(config.bind, config.port);
        let listener = std::net::TcpListener::bind(addr).map_err(|error| ServerError::Bind {
            addr,
            message: error.to_string(),
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|error| ServerError::Runtime(error.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|error| ServerError::Runtime(error.to_string()))?;
        Ok(Server {
            listener,
            addr,
            state: Arc::new(AppState {
                listings: api::Listings::new(&catalogue),
                catalogue: Arc::new(catalogue),
                study_catalogue,
                jobs: Arc::new(jobs),
                token,
            }),
            token_generated,
            request_timeout: config.request_timeout,
            max_running: config.max_running.max(1),
        })
    }

    /// The address it listens on (with the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the app, e.g. `http://127.0.0.1:8080/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The token every request needs, if any.
    pub fn token(&self) -> Option<&str> {
        self.state.token.as_deref()
    }

    /// True when no `--token` was given and one was generated for a non-loopback address.
    pub fn token_generated(&self) -> bool {
        self.token_generated
    }

    /// Starts the job workers and serves until the process ends.
    ///
    /// # Errors
    /// The runtime or the listener failed.
    pub fn run(self) -> Result<(), ServerError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|error| ServerError::Runtime(error.to_string()))?;
        jobs::start_workers(&self.state.jobs, self.max_running);
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)
                .map_err(|error| ServerError::Runtime(error.to_string()))?;
            let app = router(self.state, self.request_timeout);
            axum::serve(listener, app)
                .await
                .map_err(|error| ServerError::Runtime(error.to_string()))
        })
    }
}

/// The whole app: pages, assets and the API, behind the security layers.
fn router(state: Arc<AppState>, request_timeout: Duration) -> axum::Router {
    use axum::middleware::from_fn;
    use axum::middleware::from_fn_with_state;
    axum::Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .fallback(security::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(move |request, next| {
            security::timeout(request_timeout, request, next)
        }))
        .layer(from_fn(security::same_origin))
        .layer(from_fn_with_state(
            Arc::clone(&state),
            security::require_token,
        ))
        .layer(from_fn(security::json_errors))
        .layer(from_fn(security::headers))
        .with_state(state)
}
