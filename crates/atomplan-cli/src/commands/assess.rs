//! `atomplan assess`.

use std::process::ExitCode;

use crate::printer::Printer;
use crate::GlobalArgs;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Not implemented yet
    Todo,
}

pub fn run(command: Command, _global: &GlobalArgs, _printer: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::Todo => anyhow::bail!("`atomplan assess` is not implemented yet"),
    }
}
