//! `atomplan econ design`: the LCOE of a catalogue design in a country under a financing
//! preset.

use std::process::ExitCode;

use anyhow::anyhow;

use crate::printer::Printer;
use crate::GlobalArgs;

#[derive(Debug, clap::Args)]
pub struct DesignArgs {
    /// Design id in the catalogue (e.g. `vver_1200`)
    pub design_id: String,
    /// Country code (ISO 3166-1 alpha-2)
    #[arg(long)]
    pub country: String,
    /// Financing preset: state-export-loan, boo-ppa, utility, rab
    #[arg(long, default_value = "utility")]
    pub financing: String,
}

pub fn run(
    args: &DesignArgs,
    _global: &GlobalArgs,
    _printer: &Printer,
) -> anyhow::Result<ExitCode> {
    Err(anyhow!(
        "`atomplan econ design {}` is not implemented yet",
        args.design_id
    ))
}
