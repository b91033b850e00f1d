//! Issue 16, each defect as a user hit it: no panic or abort, nothing stale after a resume,
//! nothing silently wrong, and outputs that cannot be turned against the user.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{atomplan, run};
use crate::study::{reduced_study, sqlite_count};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit 2, no panic, and every `words` in stderr.
fn assert_refused(output: &Output, words: &[&str]) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    for word in words {
        assert!(text.contains(word), "expected `{word}` in: {text}");
    }
}

fn study_run(study: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "study",
        "run",
        study.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn study_run_ok(study: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let output = study_run(study, out, extra);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn names(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Every CSV file of a run, by name.
fn csv_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out.join("csv"))
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn assert_same_csv(resumed: &Path, fresh: &Path) {
    let (a, b) = (csv_files(resumed), csv_files(fresh));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, left), (_, right)) in a.iter().zip(&b) {
        assert!(
            left == right,
            "{name} differs between the resumed and the fresh run"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// An hourly per-unit load profile with a daily swing of `swing`.
fn load_csv(swing: f64) -> String {
    let mut text = String::from("hour,value\n");
    for hour in 0..8760 {
        let phase = 2.0 * std::f64::consts::PI * f64::from(hour % 24) / 24.0;
        text.push_str(&format!("{hour},{:.6}\n", 1.0 + swing * phase.sin()));
    }
    text
}

// ------------------------------------------------------------------ panic and aborts

/// `discount_rate = -0.75` passes `study check`, but the planning solver fails on it. It used
/// to be saved as finished and panic in charts.rs on every run (exit 101).
#[test]
fn planning_solver_error_is_recorded_as_failed_and_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let study = reduced_study(dir.path());
    let text = std::fs::read_to_string(&study).unwrap();
    assert!(text.contains("discount_rate = 0.06"));
    std::fs::write(
        &study,
        text.replace("discount_rate = 0.06", "discount_rate = -0.75"),
    )
    .unwrap();
    let out = dir.path().join("out");
    for attempt in 0..2 {
        let output = study_run(&study, &out, &[]);
        assert_refused(&output, &["planning/", "failed"]);
        let db = out.join("results.sqlite");
        // Failed, not finished: nothing of planning in the stage log, every scenario in the
        // failure table, and so recomputed (not reused) by the second attempt.
        assert_eq!(
            sqlite_count(
                &db,
                "SELECT COUNT(*) FROM stage_log WHERE stage LIKE 'planning/%'"
            ),
            0,
            "attempt {attempt}"
        );
        assert!(
            sqlite_count(
                &db,
                "SELECT COUNT(*) FROM stage_failures WHERE stage LIKE 'planning/%'"
            ) >= 1
        );
        assert!(!stderr(&output).contains("reused)") || attempt == 1);
    }
    assert!(
        sqlite_count(
            &out.join("results.sqlite"),
            "SELECT COUNT(*) FROM stage_runs WHERE stage LIKE 'planning/%'"
        ) >= 2,
        "the failed stage was not run again"
    );
}

#[test]
fn monte_carlo_sizes_are_bounded() {
    let case =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/econ/pcge_nuclear_7pct.toml");
    for (flag, value) in [
        ("--samples", "1000000000000000"),
        ("--bins", "1000000000000000"),
        ("--samples", "0"),
    ] {
        let output = run(&["econ", "mc", "--case", case.to_str().unwrap(), flag, value]);
        assert_refused(&output, &[flag]);
    }
    let output = run(&[
        "econ",
        "mc",
        "--case",
        case.to_str().unwrap(),
        "--threads",
        "100000000",
    ]);
    assert_refused(&output, &["--threads"]);
}

// ------------------------------------------------------------------ validation

#[test]
fn duplicate_and_unsafe_scenario_names_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let study = reduced_study(dir.path());
    let text = std::fs::read_to_string(&study).unwrap();
    for (edited, key) in [
        (
            text.replace("name = \"low\"", "name = \"central\""),
            "demand_scenarios[1].name",
        ),
        (
            text.replace("name = \"low\"", "name = \"lo/w\""),
            "demand_scenarios[1].name",
        ),
        (
            text.replacen("id = \"cnnc-hpr1000\"", "id = \"../cnnc\"", 1),
            "candidates[1].id",
        ),
    ] {
        std::fs::write(&study, &edited).unwrap();
        for command in ["check", "run"] {
            let out = dir.path().join("out");
            let mut args = vec!["study", command, study.to_str().unwrap()];
            if command == "run" {
                args.extend(["--out", out.to_str().unwrap()]);
            }
            assert_refused(&run(&args), &[key, "study.toml"]);
            assert!(!out.exists(), "a refused run wrote {}", out.display());
        }
    }
}

/// A swept `discount_rate = 5.0` (which `study check` rejects) used to be recorded as `ok`.
#[test]
fn sweep_scenario_invalid_after_its_overrides_is_recorded_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&["study", "new", "--country", "KZ"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let study = dir.path().join("study.toml");
    std::fs::write(
        &study,
        format!(
            "{}\n[sweep]\nseed = 1\n\n[[sweep.grid]]\npath = \"options.discount_rate\"\nvalues = [0.05, 5.0]\n",
            text.replace("monte_carlo_samples = 1000", "monte_carlo_samples = 50")
        ),
    )
    .unwrap();
    let out = dir.path().join("sweep");
    let output = run(&[
        "--format",
        "json",
        "study",
        "sweep",
        study.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-progress",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["n_ok"], 1, "{report}");
    assert_eq!(report["n_invalid"], 1, "{report}");
    let merged = run(&["study", "merge", out.to_str().unwrap()]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let invalid: Vec<&str> = csv.lines().filter(|l| l.contains(",invalid,")).collect();
    assert_eq!(invalid.len(), 1, "{csv}");
    assert!(invalid[0].contains("options.discount_rate"), "{csv}");
    assert!(
        !invalid[0].contains("lcoe"),
        "an invalid scenario has no metrics: {csv}"
    );
}

// ------------------------------------------------------------------ resume keyed on content

/// An edited design in a `--data` copy and an edited profile CSV used to be missed by a
/// resume (LCOE 97.6 instead of 359.8 USD/MWh). Now each edit recomputes what it touches and
/// the CSV files equal a fresh run's byte for byte; a resume with nothing changed reuses all.
#[test]
fn resume_after_editing_catalogue_or_profile_equals_a_fresh_run() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&data_dir(), &data);
    let study = reduced_study(dir.path());
    let text = std::fs::read_to_string(&study).unwrap();
    std::fs::write(
        &study,
        format!("{text}\n[profiles]\nload_csv = \"load.csv\"\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("load.csv"), load_csv(0.2)).unwrap();
    let data_arg = data.to_str().unwrap().to_owned();
    let with_data = ["--data", data_arg.as_str()];
    let out = dir.path().join("out");
    let first = study_run_ok(&study, &out, &with_data);
    assert!(names(&first["stages_reused"]).is_empty());

    // Nothing changed: every stage is read back, and the CSV files do not move.
    let before = csv_files(&out);
    let again = study_run_ok(&study, &out, &with_data);
    assert!(names(&again["stages_computed"]).is_empty(), "{again}");
    assert_eq!(csv_files(&out), before);

    // A design edited in the catalogue copy.
    let design = data.join("designs/hpr1000.toml");
    let edited = std::fs::read_to_string(&design)
        .unwrap()
        .replace("capacity_factor = 0.9", "capacity_factor = 0.6");
    std::fs::write(&design, edited).unwrap();
    let resumed = study_run_ok(&study, &out, &with_data);
    assert!(names(&resumed["stages_computed"]).contains(&"economics".to_owned()));
    let fresh = dir.path().join("fresh-1");
    study_run_ok(&study, &fresh, &with_data);
    assert_same_csv(&out, &fresh);
    assert_ne!(csv_files(&out), before, "the edit changed nothing");

    // A profile edited in place: planning is recomputed, economics is not.
    std::fs::write(dir.path().join("load.csv"), load_csv(0.4)).unwrap();
    let resumed = study_run_ok(&study, &out, &with_data);
    let computed = names(&resumed["stages_computed"]);
    assert!(!computed.contains(&"economics".to_owned()), "{resumed}");
    assert!(
        computed.iter().any(|s| s.starts_with("planning/")),
        "{resumed}"
    );
    let fresh = dir.path().join("fresh-2");
    study_run_ok(&study, &fresh, &with_data);
    assert_same_csv(&out, &fresh);
}

/// Rows of a scenario removed from the study used to stay in results.sqlite.
#[test]
fn rows_of_removed_scenarios_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let study = reduced_study(dir.path());
    let out = dir.path().join("out");
    study_run_ok(&study, &out, &[]);
    let db = out.join("results.sqlite");
    let low = "SELECT COUNT(*) FROM capacity WHERE stage = 'planning/co2-target'";
    assert!(sqlite_count(&db, low) > 0);
    let text = std::fs::read_to_string(&study).unwrap();
    let start = text.find("[[scenarios]]\nname = \"co2-target\"").unwrap();
    let end = start + text[start..].find("\n\n").unwrap();
    std::fs::write(&study, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let summary = study_run_ok(&study, &out, &[]);
    assert_eq!(names(&summary["stages_removed"]), ["planning/co2-target"]);
    assert_eq!(sqlite_count(&db, low), 0);
    for table in ["stage_log", "stage_output", "stage_inputs", "periods"] {
        assert_eq!(
            sqlite_count(
                &db,
                &format!("SELECT COUNT(*) FROM {table} WHERE stage = 'planning/co2-target'")
            ),
            0,
            "{table}"
        );
    }
    // Only the edited study's planning stage was recomputed with it.
    let csv = std::fs::read_to_string(out.join("csv/capacity.csv")).unwrap();
    assert!(!csv.contains("co2-target"), "{csv}");
}

/// A folder made from another study is refused (and replaced with --force).
#[test]
fn another_studys_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let study = reduced_study(dir.path());
    let out = dir.path().join("out");
    study_run_ok(&study, &out, &[]);
    let other = dir.path().join("other.toml");
    let text = std::fs::read_to_string(&study).unwrap();
    std::fs::write(
        &other,
        text.replacen("title = \"", "title = \"Another study: ", 1),
    )
    .unwrap();
    let output = study_run(&other, &out, &[]);
    assert_refused(&output, &["another study", "--force"]);
    assert!(
        sqlite_count(
            &out.join("results.sqlite"),
            "SELECT COUNT(*) FROM stage_log"
        ) > 0
    );
}

// ------------------------------------------------------------------ safe outputs

#[test]
fn out_refuses_links_and_folders_atomplan_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let study = reduced_study(dir.path());
    // A symbolic link, even to an empty folder.
    let target = dir.path().join("target");
    std::fs::create_dir(&target).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_refused(&study_run(&study, &link, &[]), &["symbolic link"]);
    assert_refused(&study_run(&study, &link, &["--force"]), &["symbolic link"]);
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0);

    // An unrelated results.sqlite is left exactly as it was.
    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    let db = foreign.join("results.sqlite");
    {
        let connection = rusqlite::Connection::open(&db).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE stage_log (stage TEXT, note TEXT);
                 INSERT INTO stage_log VALUES ('mine', 'keep me');",
            )
            .unwrap();
    }
    let bytes = std::fs::read(&db).unwrap();
    assert_refused(
        &study_run(&study, &foreign, &[]),
        &["results.sqlite", "did not write", "--force"],
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
    assert_eq!(sqlite_count(&db, "SELECT COUNT(*) FROM stage_log"), 1);

    // Any other file too.
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("thesis.docx"), b"x").unwrap();
    assert_refused(&study_run(&study, &notes, &[]), &["thesis.docx"]);
}

#[test]
fn existing_files_are_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "keep me").unwrap();
    let output = run(&[
        "study",
        "new",
        "--country",
        "KZ",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_refused(&output, &["--force", "mine.toml"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    let output = run(&[
        "study",
        "new",
        "--country",
        "KZ",
        "-o",
        path.to_str().unwrap(),
        "--force",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read_to_string(&path).unwrap().contains("country"));

    let network =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../atomplan-model/tests/fixtures/toy-1node-24");
    let lp = dir.path().join("model.lp");
    std::fs::write(&lp, "keep me").unwrap();
    let output = run(&[
        "solve",
        network.to_str().unwrap(),
        "--write-lp",
        lp.to_str().unwrap(),
    ]);
    assert_refused(&output, &["--write-lp", "--force"]);
    assert_eq!(std::fs::read_to_string(&lp).unwrap(), "keep me");
}

/// The printed Slurm script used to run any `$(…)` in `--out`. Here it runs against stand-in
/// `sbatch` and `atomplan` commands that record their arguments.
#[test]
fn slurm_script_does_not_execute_the_out_path() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&["study", "new", "--country", "KZ"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let study = dir.path().join("study.toml");
    std::fs::write(
        &study,
        format!(
            "{text}\n[sweep]\n[[sweep.grid]]\npath = \"options.discount_rate\"\nvalues = [0.05, 0.07]\n"
        ),
    )
    .unwrap();
    let pwned = dir.path().join("PWNED");
    let out = format!(
        "{}/o$(touch {})'`touch {}`'\"$(touch {})\"",
        dir.path().display(),
        pwned.display(),
        pwned.display(),
        pwned.display()
    );
    let output = run(&[
        "study",
        "slurm-script",
        study.to_str().unwrap(),
        "--out",
        &out,
        "--shards",
        "2",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let script = dir.path().join("submit.sh");
    std::fs::write(&script, &output.stdout).unwrap();
    // sbatch: run the job script from stdin or --wrap as Slurm would (bash / sh), with the
    // array index set; atomplan: record the arguments it got.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let args_log = dir.path().join("args.log");
    std::fs::write(
        bin.join("sbatch"),
        "#!/bin/bash\nwrap=''\nfor a in \"$@\"; do case \"$a\" in --wrap=*) wrap=\"${a#--wrap=}\";; esac; done\nif [ -n \"$wrap\" ]; then sh -c \"$wrap\"; else SLURM_ARRAY_TASK_ID=0 bash -s; fi\necho 1\n",
    )
    .unwrap();
    std::fs::write(
        bin.join("fake-atomplan"),
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\n",
            args_log.display()
        ),
    )
    .unwrap();
    for name in ["sbatch", "fake-atomplan"] {
        let status = std::process::Command::new("chmod")
            .args(["+x", bin.join(name).to_str().unwrap()])
            .status()
            .unwrap();
        assert!(status.success());
    }
    let status = std::process::Command::new("bash")
        .arg(&script)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("ATOMPLAN", bin.join("fake-atomplan"))
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!pwned.exists(), "the script ran code from --out");
    let args = std::fs::read_to_string(&args_log).unwrap();
    // The sweep job and the merge job both got --out verbatim.
    assert_eq!(
        args.lines().filter(|line| *line == out).count(),
        2,
        "{args}"
    );
}

#[test]
fn study_relative_inputs_stay_in_the_study_folder() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("study");
    std::fs::create_dir(&inner).unwrap();
    let study = reduced_study(&inner);
    let text = std::fs::read_to_string(&study).unwrap();
    std::fs::write(dir.path().join("secret.csv"), "hour,value\n0,SECRET-LINE\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.csv"), inner.join("link.csv")).unwrap();
    for path in ["../secret.csv", "/etc/passwd", "link.csv"] {
        std::fs::write(
            &study,
            format!("{text}\n[profiles]\nload_csv = \"{path}\"\n"),
        )
        .unwrap();
        let output = run(&["study", "check", study.to_str().unwrap()]);
        assert_refused(&output, &["profiles.load_csv"]);
        assert!(!stderr(&output).contains("SECRET-LINE"));
    }
}

/// A FIFO in the catalogue used to hang `catalogue check`; /dev/zero was read until memory ran
/// out.
#[test]
fn only_regular_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&data_dir(), &data);
    let fifo = data.join("designs/x.toml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = atomplan()
        .args(["--data", data.to_str().unwrap(), "catalogue", "check"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("catalogue check hangs on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(stderr(&output).contains("x.toml"), "{}", stderr(&output));

    for args in [
        vec!["study", "check", "/dev/zero"],
        vec!["econ", "lcoe", "--case", "/dev/zero"],
    ] {
        assert_refused(&run(&args), &["/dev/zero", "regular file"]);
    }
}

// ------------------------------------------------------------------ PyPSA importer

fn toy_network(dir: &Path) -> PathBuf {
    let folder = dir.join("net");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../atomplan-model/tests/fixtures/toy-1node-24"),
        &folder,
    );
    folder
}

/// A series file without its index column had its first column dropped silently (objective
/// 811.2 M became 335.7 M).
#[test]
fn pypsa_series_file_without_its_index_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = toy_network(dir.path());
    let path = folder.join("generators-p_max_pu.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let stripped: String = text
        .lines()
        .map(|line| line.split_once(',').unwrap().1.to_owned() + "\n")
        .collect();
    std::fs::write(&path, stripped).unwrap();
    let output = run(&["solve", folder.to_str().unwrap()]);
    assert_refused(
        &output,
        &["generators-p_max_pu.csv", "onwind", "index column"],
    );
}

/// A generator `efficiency` of 0 left the plant out of the CO2 cap; a negative one gave it
/// negative emissions.
#[test]
fn pypsa_efficiency_at_or_below_zero_is_refused() {
    for value in ["0.0", "-0.5"] {
        let dir = tempfile::tempdir().unwrap();
        let folder = toy_network(dir.path());
        let path = folder.join("generators.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace(
                "gas,35.6429,289.28,0.56",
                &format!("gas,35.6429,289.28,{value}"),
            ),
        )
        .unwrap();
        let output = run(&["solve", folder.to_str().unwrap()]);
        assert_refused(&output, &["generators.csv", "efficiency", ":3"]);
    }
}
