//! Tidy checks, run as tests (`cargo test -p xtask`): every Rust source file in a crate opens
//! with a `//!` paragraph saying why it exists, and library crates never print.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

fn crate_sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let crates = crate::workspace_root().join("crates");
    let Ok(entries) = std::fs::read_dir(&crates) else {
        return files;
    };
    for entry in entries.flatten() {
        rust_files(&entry.path().join("src"), &mut files);
    }
    files.sort();
    files
}

/// A file is a unit-test file when it is `tests.rs` or under a `tests/` folder.
fn is_test_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "tests.rs")
        || path.components().any(|part| part.as_os_str() == "tests")
}

#[test]
fn every_module_has_a_doc_paragraph() {
    let mut missing = Vec::new();
    for path in crate_sources() {
        if is_test_file(&path) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let first = text
            .lines()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("");
        if !first.starts_with("//!") {
            missing.push(path.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` paragraph:\n{}",
        missing.join("\n")
    );
}

#[test]
fn libraries_do_not_print() {
    let mut offenders = Vec::new();
    for path in crate_sources() {
        let path_text = path.display().to_string();
        // Binaries own the terminal (the CLI crate, any `main.rs` or `src/bin/` file); tests may print.
        let is_binary = path.file_name().is_some_and(|name| name == "main.rs")
            || path.components().any(|part| part.as_os_str() == "bin");
        if path_text.contains("atomplan-cli") || is_binary || is_test_file(&path) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (line_idx, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if ["println!(", "print!(", "eprintln!(", "eprint!(", "dbg!("]
                .iter()
                .any(|m| code.contains(m))
            {
                offenders.push(format!("{path_text}:{}", line_idx + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "libraries must not print (use tracing or return data):\n{}",
        offenders.join("\n")
    );
}
