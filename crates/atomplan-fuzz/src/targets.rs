//! The fuzz targets: one per parser, each with a corpus seeded from the repository's files.
//!
//! | target      | parser                                                  | corpus                          |
//! |-------------|---------------------------------------------------------|---------------------------------|
//! | `catalogue` | `Catalogue::load_files` (one catalogue file)            | every file of `data/`           |
//! | `study`     | `study::validate::parse` then `validate` (and `guard`)  | `studies/*.toml`                |
//! | `planning`  | `planning::file::parse`                                 | planning fixtures, `bench/`     |
//! | `pypsa`     | `pypsa::read_folder` with one file mutated               | the PyPSA fixture folders       |
//! | `assess`    | MCDA and assessment case parsers (`assess::case`)        | the CLI's assess fixtures       |
//! | `sweep`     | `Sweep::from_toml_str`, then its first scenarios         | studies with a `[sweep]` table  |
//!
//! Econ case files are parsed by the CLI; their target is a test there
//! (`crates/atomplan-cli/src/commands/econ/fuzz.rs`) built on [`crate::fuzz`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use atomplan::study::{from_catalogue, guard, validate, StudyCatalogue};

use crate::Seed;

/// The repository root (this crate is `crates/atomplan-fuzz`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The names of every target.
pub const TARGETS: &[&str] = &["catalogue", "study", "planning", "pypsa", "assess", "sweep"];

fn files_under(root: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_under(&path, keep, out);
        } else if keep(&path) {
            out.push(path);
        }
    }
}

fn seeds(root: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<Seed> {
    let mut paths = Vec::new();
    files_under(root, keep, &mut paths);
    paths
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            Some(Seed { name, bytes })
        })
        .collect()
}

fn extension(path: &Path, wanted: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| wanted.contains(&e))
}

const SWEEP_TABLE: &str = r#"
[sweep]
seed = 5
samples = 3

[[sweep.grid]]
path = "options.discount_rate"
values = [0.03, 0.07]

[[sweep.grid]]
path = "candidates.0.financing.debt_rate"
values = [0.03, 0.06, 0.09]

[[sweep.sample]]
path = "candidates.0.overnight_cost_usd_per_kwe"
distribution = "triangular"
low = 8000.0
mode = 12000.0
high = 20000.0
"#;

/// The corpus of a target.
pub fn corpus(target: &str) -> Vec<Seed> {
    let repo = repo();
    match target {
        "catalogue" => seeds(&repo.join("data"), &|p| extension(p, &["toml", "csv"])),
        "study" => seeds(&repo.join("studies"), &|p| extension(p, &["toml"])),
        "planning" => {
            let mut out = seeds(
                &repo.join("crates/atomplan-model/tests/fixtures/planning"),
                &|p| extension(p, &["toml"]),
            );
            out.extend(seeds(&repo.join("bench"), &|p| {
                extension(p, &["toml"])
                    && p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("plan"))
            }));
            out
        }
        "pypsa" => {
            let fixtures = repo.join("crates/atomplan-model/tests/fixtures");
            let mut out = Vec::new();
            for folder in ["toy-1node-24", "toy-2node-168", "mesh-5node-168"]
                .iter()
                .map(|f| fixtures.join(f))
                .chain(
                    ["milp", "planning", "multi-period"]
                        .iter()
                        .flat_map(|d| std::fs::read_dir(fixtures.join(d)).into_iter().flatten())
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.is_dir() && p.join("buses.csv").exists()),
                )
            {
                for mut seed in seeds(&folder, &|p| extension(p, &["csv"])) {
                    seed.name = format!("{}|{}", folder.display(), seed.name);
                    out.push(seed);
                }
            }
            out.sort_by(|a, b| a.name.cmp(&b.name));
            out
        }
        "assess" => seeds(
            &repo.join("crates/atomplan-cli/tests/fixtures/assess"),
            &|p| extension(p, &["toml"]),
        ),
        "sweep" => seeds(&repo.join("studies"), &|p| extension(p, &["toml"]))
            .into_iter()
            .map(|mut seed| {
                seed.bytes.extend_from_slice(SWEEP_TABLE.as_bytes());
                seed
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn view() -> &'static StudyCatalogue {
    static VIEW: OnceLock<StudyCatalogue> = OnceLock::new();
    VIEW.get_or_init(|| {
        let catalogue = atomplan_catalogue::Catalogue::builtin_shared()
            .expect("the built-in catalogue is valid");
        from_catalogue::study_catalogue(catalogue)
    })
}

thread_local! {
    /// Per thread, a scratch copy of each PyPSA fixture folder.
    static SCRATCH: RefCell<HashMap<String, tempfile::TempDir>> = RefCell::new(HashMap::new());
}

fn copy_folder(from: &Path, to: &Path) {
    if let Ok(entries) = std::fs::read_dir(from) {
        for entry in entries.flatten() {
            if entry.path().is_file() {
                let _ = std::fs::copy(entry.path(), to.join(entry.file_name()));
            }
        }
    }
}

/// Runs one input through a target's parser. Results are dropped: only a panic matters.
pub fn run(target: &str, seed: &Seed, input: &[u8]) {
    let text = || std::str::from_utf8(input).ok();
    match target {
        "catalogue" => {
            let _ = atomplan_catalogue::Catalogue::load_files(vec![(
                seed.name.clone(),
                input.to_vec(),
            )]);
        }
        "study" => {
            let Some(text) = text() else { return };
            let file = repo().join("studies").join(&seed.name);
            let file = file.to_string_lossy();
            if let Ok(study) = validate::parse(&file, text) {
                let _ = validate::validate(&file, &study, view());
                let _ = guard::check(&file, &study);
            }
        }
        "planning" => {
            let Some(text) = text() else { return };
            let _ = atomplan_model::planning::file::parse(text, &seed.name);
        }
        "pypsa" => {
            let Some((folder, file)) = seed.name.split_once('|') else {
                return;
            };
            SCRATCH.with(|scratch| {
                let mut scratch = scratch.borrow_mut();
                let dir = scratch.entry(folder.to_owned()).or_insert_with(|| {
                    let dir = tempfile::tempdir().expect("a temporary folder");
                    copy_folder(Path::new(folder), dir.path());
                    dir
                });
                let path = dir.path().join(file);
                if std::fs::write(&path, input).is_ok() {
                    let _ = atomplan_model::pypsa::read_folder(dir.path());
                    let _ = std::fs::write(&path, &seed.bytes);
                }
            });
        }
        "assess" => {
            use atomplan::assess::case::{assessments, mcda};
            let Some(text) = text() else { return };
            let _ = mcda::parse_case(text);
            let _ = assessments::parse_grid_fit(text);
            let _ = assessments::parse_emissions(text);
            let _ = assessments::parse_security(text);
            let _ = assessments::parse_readiness(text);
            let _ = assessments::parse_market(text);
            let _ =
                assessments::parse_adequacy(text, &|_| Err(std::io::Error::other("no files here")));
        }
        "sweep" => {
            let Some(text) = text() else { return };
            if let Ok(sweep) = atomplan::sweep::Sweep::from_toml_str(&seed.name, text) {
                for id in 0..sweep.len().min(3) {
                    let _ = sweep.scenario(id);
                }
            }
        }
        _ => {}
    }
}
