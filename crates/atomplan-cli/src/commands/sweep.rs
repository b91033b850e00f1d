//! `atomplan study sweep|merge|slurm-script`: scenario sweeps, shards and Slurm job arrays.
//! Reached through `atomplan study`, see commands/study.rs.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::printer::Printer;
use crate::GlobalArgs;

/// `atomplan study sweep FILE --out DIR [--shard I/N] [--threads N]`.
#[derive(Debug, Clone, clap::Args)]
pub struct SweepArgs {
    /// Study file with a `[sweep]` table
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Folder for the shard result files and manifests (shared by all shards)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Run only the scenarios whose id modulo N is I (0-based), e.g. `--shard 3/8`
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Worker threads; default `SLURM_CPUS_PER_TASK` when set, else every core
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Hide the progress bar
    #[arg(long)]
    pub no_progress: bool,
}

/// `atomplan study merge DIR`.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// Folder the shards wrote into
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// `atomplan study slurm-script FILE --shards N`.
#[derive(Debug, Clone, clap::Args)]
pub struct SlurmScriptArgs {
    /// Study file with a `[sweep]` table
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Number of array tasks (shards)
    #[arg(long, value_name = "N")]
    pub shards: usize,
    /// Folder for results, relative to the submission folder
    #[arg(long, value_name = "DIR", default_value = "sweep-out")]
    pub out: PathBuf,
    /// CPUs per array task; also the thread count of each shard
    #[arg(long, value_name = "C", default_value_t = 1)]
    pub cpus_per_task: usize,
    /// Memory per array task, as sbatch takes it (e.g. `2G`)
    #[arg(long, value_name = "MEM", default_value = "2G")]
    pub mem: String,
    /// Wall-time limit per array task (`HH:MM:SS`)
    #[arg(long, value_name = "TIME", default_value = "01:00:00")]
    pub time: String,
    /// Partition to submit to (default: the cluster's default)
    #[arg(long, value_name = "NAME")]
    pub partition: Option<String>,
    /// Path of the atomplan binary on the compute nodes
    #[arg(long, value_name = "PATH", default_value = "atomplan")]
    pub atomplan: String,
}

pub fn run_sweep(
    _args: SweepArgs,
    _global: &GlobalArgs,
    _printer: &Printer,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`atomplan study sweep` is not implemented yet")
}

pub fn run_merge(
    _args: MergeArgs,
    _global: &GlobalArgs,
    _printer: &Printer,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`atomplan study merge` is not implemented yet")
}

pub fn run_slurm_script(
    _args: SlurmScriptArgs,
    _global: &GlobalArgs,
    _printer: &Printer,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`atomplan study slurm-script` is not implemented yet")
}
