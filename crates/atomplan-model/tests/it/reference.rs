//! Plans of the planning builder, recorded: the reference the core's planning families were
//! checked against while both existed.
//!
//! Until commit ea8e74d the planning model had a second, independent LP assembly
//! (`build/planning/`: its own dispatch, investment, storage and branch rows over a planning
//! system). Each plan of these tests was solved on both, and the two agreed within the tests'
//! tolerances (1e-7 relative or better in the objective, 1e-3 MW in every capacity). When the
//! second assembly was deleted, its answers were kept in
//! `tests/fixtures/planning/builder-reference.csv`, the way PyPSA's answers are kept in
//! `tests/fixtures/pypsa-results`: the core's plan must still equal them.
//!
//! A plan is found by the test's name and a hash of its inputs (every file of the network
//! folder and the planning file's text), so a test whose network or plan changes no longer
//! finds a recorded answer and fails, instead of comparing with the answer of other inputs.

use std::collections::BTreeMap;
use std::path::Path;

/// The recorded answers.
const CSV: &str = include_str!("../fixtures/planning/builder-reference.csv");

/// A generator or storage unit in a period.
pub type Key = (String, Option<i32>);

/// A plan as the planning builder answered it.
#[derive(Debug, Default)]
pub struct Recorded {
    pub objective: f64,
    /// Per generator and period: `p_nom_opt` (MW), what was built (units, or MW without a
    /// unit size) and the units it has (unit-sized designs only).
    pub capacities: BTreeMap<Key, (f64, f64, Option<f64>)>,
    /// Per storage unit and period: `p_nom_opt` (MW) and energy discharged (MWh).
    pub storage: BTreeMap<Key, (f64, f64)>,
}

/// FNV-1a, 64 bits: the same on every platform.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

/// The key of a plan: the running test's name and a hash of the folder's files (by name) and
/// the planning file.
fn key(folder: &Path, plan: &str) -> String {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for file in files {
        fnv(
            &mut hash,
            file.file_name().unwrap().to_string_lossy().as_bytes(),
        );
        fnv(&mut hash, &std::fs::read(&file).unwrap());
    }
    fnv(&mut hash, plan.as_bytes());
    let test = std::thread::current()
        .name()
        .unwrap_or("main")
        .rsplit("::")
        .next()
        .unwrap_or("main")
        .to_owned();
    format!("{test}:{hash:016x}")
}

/// The planning builder's recorded plan of the network in `folder` with `plan`.
///
/// # Panics
/// When nothing is recorded for these inputs in this test.
pub fn builder(folder: &Path, plan: &str) -> Recorded {
    let key = key(folder, plan);
    let mut recorded = Recorded::default();
    let mut found = false;
    for line in CSV.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        if fields[0] != key {
            continue;
        }
        found = true;
        let number = |i: usize| fields[i].parse::<f64>().unwrap();
        let period = (!fields[3].is_empty()).then(|| fields[3].parse::<i32>().unwrap());
        match fields[1] {
            "objective" => recorded.objective = number(4),
            "generator" => {
                let units = (!fields[6].is_empty()).then(|| number(6));
                recorded.capacities.insert(
                    (fields[2].to_owned(), period),
                    (number(4), number(5), units),
                );
            }
            "storage" => {
                recorded
                    .storage
                    .insert((fields[2].to_owned(), period), (number(4), number(5)));
            }
            other => panic!("unknown kind `{other}` in builder-reference.csv"),
        }
    }
    assert!(
        found,
        "no recorded plan of the planning builder for `{key}`: the test's network or plan changed"
    );
    recorded
}
