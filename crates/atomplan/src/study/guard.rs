//! Checks that keep one part of a study from silently taking another's place or reaching
//! outside the study: scenario names and candidate ids are unique and safe (they name stages,
//! database rows and sweep scenarios), and the input files a study names stay in its folder.
//!
//! Called by `validate::validate`, so `study check`, `study run` and every sweep scenario
//! apply them alike.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use atomplan_core::{Diagnostic, Location};

use super::StudyFile;

/// The longest name or id accepted.
pub const MAX_NAME_CHARS: usize = 64;

/// Why `name` is unsafe as a scenario name or id, if it is: only ASCII letters, digits, `-`,
/// `_` and `.` are allowed, starting with a letter or digit, at most [`MAX_NAME_CHARS`].
pub fn unsafe_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Some(format!("is longer than {MAX_NAME_CHARS} characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("must start with a letter or a digit".to_owned());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Some(format!(
            "contains `{}`; use only letters, digits, `-`, `_` and `.`",
            bad.escape_default()
        ));
    }
    None
}

/// Names and ids: unique within their list and safe; input paths inside the study's folder.
pub fn check(file: &str, study: &StudyFile) -> Vec<Diagnostic> {
    let at = |field: &str| Location::file(file).with_field(field);
    let mut out = Vec::new();
    let lists: [(&str, &str, Vec<&str>); 3] = [
        (
            "demand_scenarios",
            "name",
            study
                .demand_scenarios
                .iter()
                .map(|s| s.name.as_str())
                .collect(),
        ),
        (
            "price_scenarios",
            "name",
            study
                .price_scenarios
                .iter()
                .map(|s| s.name.as_str())
                .collect(),
        ),
        (
            "candidates",
            "id",
            study.candidates.iter().map(|c| c.id.as_str()).collect(),
        ),
    ];
    for (list, key, names) in &lists {
        let mut seen = BTreeSet::new();
        for (index, name) in names.iter().enumerate() {
            let field = format!("{list}[{index}].{key}");
            if let Some(why) = unsafe_name(name) {
                out.push(
                    Diagnostic::error(at(&field), format!("`{}` {why}", name.escape_default()))
                        .with_hint("names become stage names, database rows and file names"),
                );
            } else if !seen.insert(*name) && *list != "candidates" {
                // (validate's check_candidates reports a repeated candidate id already.)
                out.push(Diagnostic::error(
                    at(&field),
                    format!("`{name}` is used by two {list}; each needs its own {key}"),
                ));
            }
        }
    }
    let study_dir = Path::new(file).parent().unwrap_or(Path::new(""));
    for (key, value) in [
        ("profiles.load_csv", &study.profiles.load_csv),
        ("profiles.wind_csv", &study.profiles.wind_csv),
        ("profiles.solar_csv", &study.profiles.solar_csv),
        ("profiles.hydro_csv", &study.profiles.hydro_csv),
    ] {
        if let Some(path) = value {
            if let Some(why) = escapes(study_dir, path) {
                out.push(
                    Diagnostic::error(at(key), format!("`{path}` {why}"))
                        .with_hint("copy the file into the study's folder (or a subfolder) and name it relative to the study file"),
                );
            }
        }
    }
    out
}

/// Why the study-relative `path` reaches outside `study_dir`, if it does: absolute paths,
/// `..` above the folder, and links that resolve outside it are refused.
pub fn escapes(study_dir: &Path, path: &str) -> Option<String> {
    let relative = Path::new(path);
    if relative.is_absolute() || relative.has_root() {
        return Some("is an absolute path; input files are named relative to the study file, inside its folder".to_owned());
    }
    let mut depth: i64 = 0;
    for component in relative.components() {
        match component {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => {
                return Some("is not a relative path".to_owned())
            }
        }
        if depth < 0 {
            return Some("leads outside the study's folder".to_owned());
        }
    }
    // A link inside the folder may still point outside it.
    let base = if study_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        study_dir
    };
    if let (Ok(root), Ok(target)) = (
        std::fs::canonicalize(base),
        std::fs::canonicalize(base.join(relative)),
    ) {
        if !target.starts_with(&root) {
            return Some("resolves (through a link) outside the study's folder".to_owned());
        }
    }
    None
}
