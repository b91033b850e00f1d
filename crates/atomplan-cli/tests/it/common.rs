//! Helpers to run the built `atomplan` binary.

use std::process::{Command, Output};

pub fn atomplan() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_atomplan"));
    command.env("NO_COLOR", "1");
    command
}

#[allow(dead_code)]
pub fn run(args: &[&str]) -> Output {
    atomplan()
        .args(args)
        .output()
        .expect("the atomplan binary runs")
}
