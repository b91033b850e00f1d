//! `atomplan solve`.

use std::process::ExitCode;

use crate::printer::Printer;
use crate::GlobalArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A PyPSA CSV folder
    pub folder: std::path::PathBuf,
}

pub fn run(args: Args, _global: &GlobalArgs, _printer: &Printer) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "`atomplan solve {}` is not implemented yet",
        args.folder.display()
    )
}
