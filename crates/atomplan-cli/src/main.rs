//! API Boundary. The `atomplan` binary.
//!
//! Parsing happens in two stages: clap turns argv into [`Cli`], then each command module
//! resolves what it needs (catalogue, case files) and runs.
//! Exit codes everywhere: 0 ok, 1 ran but the answer is negative (infeasible, invalid), 2 bad
//! input or could not run.

mod commands;
mod flat_csv;
mod heartbeat;
mod printer;
mod safe_io;
mod text_table;

/// The most worker threads any command starts.
pub(crate) const MAX_THREADS: usize = 1024;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::printer::Printer;

/// Plan nuclear new-build and SMR programmes in real power systems.
#[derive(Debug, Parser)]
#[command(name = "atomplan", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Commands,
}

/// Options every command accepts.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Use this catalogue directory instead of the built-in one
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<std::path::PathBuf>,
    /// Output format of listings and results
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print only data and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more detail on stderr
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Browse and check the sourced catalogue
    #[command(subcommand)]
    Catalogue(commands::catalogue::Command),
    /// Levelised cost, cash flows, Monte Carlo and tornado
    #[command(subcommand)]
    Econ(commands::econ::Command),
    /// Solve a PyPSA CSV-folder network with HiGHS
    Solve(commands::solve::Args),
    /// Grid fit, adequacy, security, emissions, readiness, market, MCDA
    #[command(subcommand)]
    Assess(commands::assess::Command),
    /// Studies: run a country study and write its report
    #[command(subcommand)]
    Study(commands::study::Command),
    /// The web app and JSON API on a local port
    Serve(commands::serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    install_log_subscriber(&cli.global);
    let printer = Printer::new(&cli.global);
    let result = match cli.command {
        Commands::Catalogue(command) => commands::catalogue::run(command, &cli.global, &printer),
        Commands::Econ(command) => commands::econ::run(command, &cli.global, &printer),
        Commands::Solve(args) => commands::solve::run(args, &cli.global, &printer),
        Commands::Assess(command) => commands::assess::run(command, &cli.global, &printer),
        Commands::Study(command) => commands::study::run(command, &cli.global, &printer),
        Commands::Serve(args) => commands::serve::run(args, &cli.global, &printer),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            printer.error(&format!("{error:#}"));
            ExitCode::from(2)
        }
    }
}

/// The libraries log through `tracing`; this makes their events visible: `-v` shows the
/// information events (model sizes, solver status and times, stage progress), `-vv` adds the
/// debug events (and, for `solve`, HiGHS's own log). `-q` or no `-v` shows none of them.
fn install_log_subscriber(global: &GlobalArgs) {
    if global.quiet || global.verbose == 0 {
        return;
    }
    let level = if global.verbose > 1 {
        tracing::Level::DEBUG
    } else {
        tracing::Level::INFO
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(true)
        .without_time()
        .finish();
    // Only fails if a subscriber is already installed, which `main` does not do twice.
    let _ = tracing::subscriber::set_global_default(subscriber);
}
