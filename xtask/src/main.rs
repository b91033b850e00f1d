//! Project automation, in Rust instead of shell scripts.
//!
//! `cargo xtask main`  — set up build tools, build atomplan in release mode, run the main job
//!                       (the Kazakhstan flagship study, report in out/kz/report.html).
//! `cargo xtask test`  — set up build tools, run every test in the workspace, then the Python
//!                       package's (a venv with PyPSA 1.4, `pip install ./python`, pytest).
//! `cargo xtask python` — set up build tools, then only the Python package's tests.
//! `cargo xtask setup` — only the set-up.
//!
//! Set-up installs what a fresh machine lacks for building HiGHS (cmake, and libclang for
//! bindgen) from PyPI into the user's Python, and points cargo at them through environment
//! variables of the child processes. See ../shared/recipes/highs-build.md for why.
//! HiGHS's HiPO interior-point solver needs BLAS: set-up installs the system OpenBLAS
//! (Debian's `libopenblas-dev`, through apt) when no `libopenblas.a` is found.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

#[cfg(test)]
mod tidy;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map_or("help", String::as_str);
    let rest = &args[args.len().min(1)..];
    match task {
        "setup" => setup().map(|_| ()),
        "test" => test(rest),
        "python" => setup().and_then(|env| python_tests(&env)),
        "main" => main_job(rest),
        _ => {
            eprintln!("usage: cargo xtask <setup|test|python|main> [args]");
            Ok(())
        }
    }
}

fn workspace_root() -> PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR for the process too; the run-time value wins, so an
    // xtask binary reused from a target directory shared with another checkout still works here.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Environment for cargo children: PATH with cmake, LIBCLANG_PATH, parallel C++ build.
struct BuildEnv {
    vars: Vec<(String, String)>,
}

impl BuildEnv {
    fn apply(&self, command: &mut Command) {
        for (key, value) in &self.vars {
            command.env(key, value);
        }
    }
}

fn python_output(code: &str) -> Option<String> {
    let output = Command::new("python3").args(["-c", code]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn pip_install(packages: &[&str]) -> Result<()> {
    eprintln!("xtask: installing {} with pip", packages.join(", "));
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(packages)
        .status()
        .context("running `python3 -m pip`")?;
    if !status.success() {
        bail!("`python3 -m pip install {}` failed", packages.join(" "));
    }
    Ok(())
}

fn setup() -> Result<BuildEnv> {
    let cmake_dir_code = "import cmake; print(cmake.CMAKE_BIN_DIR)";
    let clang_dir_code =
        "import clang, os; print(os.path.join(os.path.dirname(clang.__file__), 'native'))";
    let have_system_cmake = Command::new("cmake")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut missing = Vec::new();
    if !have_system_cmake && python_output(cmake_dir_code).is_none() {
        missing.push("cmake");
    }
    if std::env::var_os("LIBCLANG_PATH").is_none() && python_output(clang_dir_code).is_none() {
        missing.push("libclang");
    }
    if !missing.is_empty() {
        pip_install(&missing)?;
    }
    let mut vars = Vec::new();
    let mut path = std::env::var("PATH").unwrap_or_default();
    if !have_system_cmake {
        let cmake_dir =
            python_output(cmake_dir_code).context("cmake from PyPI has no CMAKE_BIN_DIR")?;
        path = format!("{cmake_dir}:{path}");
    }
    vars.push(("PATH".to_owned(), path));
    if std::env::var_os("LIBCLANG_PATH").is_none() {
        let clang_dir = python_output(clang_dir_code).context("libclang from PyPI not found")?;
        vars.push(("LIBCLANG_PATH".to_owned(), clang_dir));
    }
    ensure_openblas()?;
    let jobs = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    vars.push(("CMAKE_BUILD_PARALLEL_LEVEL".to_owned(), jobs.to_string()));
    Ok(BuildEnv { vars })
}

/// Whether a system OpenBLAS static library is in one of the directories that
/// cmake/highs-openblas.cmake searches (it copies the one found next to HiGHS for the linker).
fn openblas_found() -> bool {
    let arch = std::env::consts::ARCH;
    let multiarch = format!("/usr/lib/{arch}-linux-gnu");
    let mut dirs: Vec<PathBuf> = ["openblas-pthread", "openblas-openmp", "openblas-serial", ""]
        .iter()
        .map(|f| Path::new(&multiarch).join(f))
        .collect();
    dirs.extend(["/usr/lib64", "/usr/lib", "/usr/local/lib"].map(PathBuf::from));
    if let Some(dir) = std::env::var_os("ATOMPLAN_OPENBLAS_LIB_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    cfg!(target_os = "macos") || dirs.iter().any(|d| d.join("libopenblas.a").is_file())
}

/// HiPO (HiGHS's interior-point solver, atomplan's default for LPs) links OpenBLAS statically.
fn ensure_openblas() -> Result<()> {
    if openblas_found() {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let have_apt = Command::new("apt-get")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !(root && have_apt) {
        bail!(
            "no libopenblas.a found: install the system OpenBLAS (Debian/Ubuntu: \
             `apt-get install libopenblas-dev`) or set ATOMPLAN_OPENBLAS_LIB_DIR to its directory"
        );
    }
    eprintln!("xtask: installing libopenblas-dev with apt-get");
    let install = || {
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "libopenblas-dev",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install() {
        let updated = Command::new("apt-get")
            .arg("update")
            .status()
            .is_ok_and(|s| s.success());
        if !updated || !install() {
            bail!("`apt-get install libopenblas-dev` failed");
        }
    }
    if !openblas_found() {
        bail!("libopenblas-dev is installed but no libopenblas.a was found");
    }
    Ok(())
}

fn cargo(env: &BuildEnv, args: &[&str]) -> Result<()> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.current_dir(workspace_root()).args(args);
    env.apply(&mut command);
    let status = command
        .status()
        .with_context(|| format!("running `cargo {}`", args.join(" ")))?;
    if !status.success() {
        bail!("`cargo {}` failed", args.join(" "));
    }
    Ok(())
}

fn test(extra: &[String]) -> Result<()> {
    let env = setup()?;
    // The Python package is a cdylib built by maturin; its tests are pytest (below).
    let mut args = vec![
        "test",
        "--workspace",
        "--exclude",
        "atomplan-py",
        "--no-fail-fast",
    ];
    args.extend(extra.iter().map(String::as_str));
    let rust = cargo(&env, &args);
    let python = python_tests(&env);
    rust.and(python)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace_root().join("target"), PathBuf::from)
}

/// The Python package's tests: a venv beside the target directory (kept between runs) with
/// PyPSA 1.4.0, `pip install ./python` (maturin, release profile, in the same target directory
/// and with the same build environment as cargo, so HiGHS is not built again), then pytest.
fn python_tests(env: &BuildEnv) -> Result<()> {
    let root = workspace_root();
    let target = target_dir();
    let venv = target.join("python-venv");
    let python = venv.join("bin/python");
    if !python.is_file() {
        eprintln!("xtask: creating the Python venv {}", venv.display());
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .context("running `python3 -m venv`")?;
        if !status.success() {
            bail!("`python3 -m venv {}` failed", venv.display());
        }
    }
    // maturin's PEP 517 hooks run the `maturin` executable from PATH: the venv's bin first.
    let path = env.vars.iter().find(|(key, _)| key == "PATH").map_or_else(
        || std::env::var("PATH").unwrap_or_default(),
        |(_, value)| value.clone(),
    );
    let path = format!("{}:{path}", venv.join("bin").display());
    let run = |what: &str, command: &mut Command| -> Result<()> {
        command.current_dir(&root);
        env.apply(command);
        command.env("PATH", &path);
        command.env("CARGO_TARGET_DIR", &target);
        let status = command
            .status()
            .with_context(|| format!("running {what}"))?;
        if !status.success() {
            bail!("{what} failed");
        }
        Ok(())
    };
    run(
        "pip install of the test requirements",
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pypsa==1.4.0",
            "maturin>=1.5,<2",
            "pytest",
            "nbclient",
            "nbformat",
            "ipykernel",
            "pyarrow",
        ]),
    )?;
    run(
        "`pip install ./python`",
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-build-isolation",
            "--force-reinstall",
            "--no-deps",
            "./python",
        ]),
    )?;
    run(
        "pytest python/tests",
        Command::new(&python).args(["-m", "pytest", "-q", "python/tests"]),
    )
}

fn main_job(extra: &[String]) -> Result<()> {
    let env = setup()?;
    cargo(&env, &["build", "--release", "--bin", "atomplan"])?;
    let binary = target_dir().join("release/atomplan");
    let args: Vec<String> = if extra.is_empty() {
        // The flagship study: Kazakhstan's first nuclear plant (partner, size and timing).
        [
            "study",
            "run",
            "studies/kazakhstan-first-npp.toml",
            "--out",
            "out/kz",
        ]
        .map(String::from)
        .to_vec()
    } else {
        extra.to_vec()
    };
    let status = Command::new(&binary)
        .current_dir(workspace_root())
        .args(&args)
        .status()
        .with_context(|| format!("running {}", binary.display()))?;
    if !status.success() {
        bail!("the main job exited with {status}");
    }
    Ok(())
}
