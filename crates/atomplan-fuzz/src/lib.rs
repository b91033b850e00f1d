//! Coverage-free mutational fuzzing of atomplan's parsers, on stable Rust (no nightly, no
//! instrumentation): each target starts from a corpus of the repository's own files, applies
//! 1 to 4 random byte- and token-level mutations per execution (bit flips, interesting bytes
//! and numbers, deleted, duplicated or spliced ranges, truncation), and runs the parser under
//! `catch_unwind`. A panic is a failure; every `Err` the parser returns is a pass.
//!
//! Reproducible: execution `i` of a run with seed `s` mutates with a generator seeded from
//! (s, i), so a failing input can be rebuilt from its number.
//!
//! `cargo run --release -p atomplan-fuzz -- TARGET EXECUTIONS [SEED]` runs one target (see
//! docs/benchmarks.md, "Fuzzing"); the tests run a short pass of every target.

pub mod targets;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// One named input of a corpus (its name matters for targets that read file kinds by path).
#[derive(Debug, Clone)]
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a run found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub target: String,
    pub executions: u64,
    pub seconds: f64,
    /// (execution number, seed name, input, panic message) of the first panics.
    pub panics: Vec<(u64, String, Vec<u8>, String)>,
}

/// splitmix64: small, fast, and good enough to drive mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

const INTERESTING_BYTES: &[u8] = b"\0\xff\"'[]{}=,.-+eE\n\r\t 019#:\\";
const TOKENS: &[&str] = &[
    "nan",
    "NaN",
    "inf",
    "-inf",
    "-1",
    "0",
    "-0.0",
    "1e308",
    "-1e308",
    "1e-320",
    "18446744073709551616",
    "-9223372036854775809",
    "4294967296",
    "999999999999",
    "\"\"",
    "[[",
    "]]",
    "[",
    "]",
    "= ",
    ",,",
    "\n",
    "true",
    "false",
    "{ }",
    "[]",
    "\"x\"",
    "\u{feff}",
    "é",
    "..",
    "/",
];

/// Applies 1 to 4 mutations to `input` (a copy of a seed); `other` is another seed to splice.
pub fn mutate(rng: &mut Rng, input: &mut Vec<u8>, other: &[u8], max_len: usize) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(9) {
            0 if len > 0 => {
                let at = rng.below(len);
                input[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                input[at] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())];
            }
            2 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(64));
                input.drain(at..at + n);
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(256));
                let piece: Vec<u8> = input[at..at + n].to_vec();
                let to = rng.below(len + 1);
                input.splice(to..to, piece);
            }
            4 | 5 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                input.splice(at..at, token.iter().copied());
            }
            6 if len > 0 => {
                // Replace a run of digits (a number) with a token.
                let at = rng.below(len);
                if let Some(start) = (at..len).find(|&i| input[i].is_ascii_digit()) {
                    let end = (start..len)
                        .find(|&i| !(input[i].is_ascii_digit() || input[i] == b'.'))
                        .unwrap_or(len);
                    let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    input.splice(start..end, token.iter().copied());
                }
            }
            7 if len > 0 => {
                input.truncate(rng.below(len));
            }
            8 if !other.is_empty() => {
                let from = rng.below(other.len());
                let n = 1 + rng.below((other.len() - from).min(512));
                let to = rng.below(len + 1);
                input.splice(to..to, other[from..from + n].iter().copied());
            }
            _ => {}
        }
    }
    input.truncate(max_len);
}

/// Silences the default panic message while fuzzing (a panic is reported by the outcome).
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::env::var_os("ATOMPLAN_FUZZ_VERBOSE").is_some() {
                default(info);
            }
        }));
    });
}

/// Runs `executions` mutated inputs of `corpus` through `run`; keeps the first 10 panics.
pub fn fuzz(
    target: &str,
    corpus: &[Seed],
    executions: u64,
    seed: u64,
    run: &dyn Fn(&Seed, &[u8]),
) -> Outcome {
    quiet_panics();
    let started = Instant::now();
    let mut panics = Vec::new();
    if corpus.is_empty() {
        return Outcome {
            target: target.to_owned(),
            executions: 0,
            seconds: 0.0,
            panics,
        };
    }
    for execution in 0..executions {
        let mut rng = Rng::new(seed ^ execution.wrapping_mul(0xd6e8_feb8_6659_fd93));
        let base = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())];
        let mut input = base.bytes.clone();
        // One execution in 16 runs the seed itself.
        if rng.below(16) != 0 {
            mutate(
                &mut rng,
                &mut input,
                &other.bytes,
                (base.bytes.len() * 2).max(4096),
            );
        }
        let result = catch_unwind(AssertUnwindSafe(|| run(base, &input)));
        if let Err(payload) = result {
            if panics.len() < 10 {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                panics.push((execution, base.name.clone(), input, message));
            }
        }
    }
    Outcome {
        target: target.to_owned(),
        executions,
        seconds: started.elapsed().as_secs_f64(),
        panics,
    }
}

#[cfg(test)]
mod tests;
