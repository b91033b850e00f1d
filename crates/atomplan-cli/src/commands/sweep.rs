//! `atomplan study sweep|merge|slurm-script`: scenario sweeps, shards and Slurm job arrays.
//! Reached through `atomplan study`, see commands/study.rs.
