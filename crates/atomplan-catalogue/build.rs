//! Compiles the built-in catalogue (`data/` at the workspace root) into the library.
//!
//! Decision: a generated list of `include_bytes!` instead of the `include_dir` crate, so the
//! catalogue needs no extra dependency and Cargo rebuilds when any data file changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, root, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.ends_with(".toml") || rel.ends_with(".csv") {
                println!("cargo:rerun-if-changed={}", path.display());
                out.push((rel, path.clone()));
            }
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let data = manifest.join("../../data");
    println!("cargo:rerun-if-changed={}", data.display());
    let mut files = Vec::new();
    collect(&data, &data, &mut files);
    let mut code = String::from("/// Files of the built-in catalogue: path relative to `data/`, bytes.\npub static BUILTIN_FILES: &[(&str, &[u8])] = &[\n");
    for (rel, path) in files {
        let abs = path.canonicalize().unwrap_or(path);
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        );
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
