//! `atomplan serve`: the web app and JSON API of `atomplan-server`, in the foreground.
//!
//! The server prints nothing itself; this command prints its URL (and, on a non-loopback
//! address without `--token`, the token it generated) and then serves until killed.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::printer::Printer;
use crate::GlobalArgs;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; any address but loopback needs a token (one is generated and
    /// printed when `--token` is not given)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Folder for the job table and each run's results; queued and interrupted jobs found
    /// there are resumed
    #[arg(long, value_name = "DIR", default_value = "atomplan-jobs")]
    pub jobs: PathBuf,
    /// Bearer token every request must carry (16 to 256 visible ASCII characters)
    #[arg(long, env = "ATOMPLAN_SERVE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Studies run at once (default: one per core)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub max_running: Option<u64>,
    /// Jobs waiting at most; one more gets 429
    #[arg(long, value_name = "N", default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_queued: u64,
}

pub fn run(args: ServeArgs, global: &GlobalArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let mut config = atomplan_server::ServerConfig::new(args.jobs);
    config.bind = args.bind;
    config.port = args.port;
    config.data = global.data.clone();
    config.token = args.token;
    if let Some(n) = args.max_running {
        config.max_running = usize::try_from(n)?;
    }
    config.max_queued = usize::try_from(args.max_queued)?;
    let server = atomplan_server::Server::bind(config)?;
    let url = server.url();
    match server.token() {
        Some(token) if server.token_generated() => {
            printer.data(&format!("atomplan serve: {url}"));
            printer.data(&format!("token: {token}"));
            printer.warning(&format!(
                "{} is not a loopback address: every request needs `Authorization: Bearer <token>`",
                server.local_addr().ip()
            ));
            printer.hint(&format!("open {url}?token={token} in a browser once"));
        }
        Some(_) => {
            printer.data(&format!("atomplan serve: {url}"));
            printer.hint("every request needs `Authorization: Bearer <token>`; in a browser open the URL once with `?token=<token>`");
        }
        None => printer.data(&format!("atomplan serve: {url}")),
    }
    server.run()?;
    Ok(ExitCode::SUCCESS)
}
