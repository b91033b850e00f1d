//! Reading and writing the user's files safely: inputs through the bounded reader of
//! `atomplan_core::input`, outputs never over an existing file without `--force` and never
//! through a symbolic link.

use std::path::Path;

use anyhow::{anyhow, Context};

/// Reads an input file named on the command line (a regular file, size-capped).
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    atomplan_core::input::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))
}

/// Refuses to write `path` (given by option `flag`) when it is a symbolic link, or when it
/// exists and `force` is not set.
pub fn check_new(path: &Path, force: bool, flag: &str) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(anyhow!(
            "{flag} {}: is a symbolic link; atomplan does not write through links",
            path.display()
        )),
        Ok(metadata) if metadata.is_dir() => Err(anyhow!(
            "{flag} {}: is a folder; give a file name",
            path.display()
        )),
        Ok(_) if !force => Err(anyhow!(
            "{flag} {}: the file exists; pass --force to overwrite it",
            path.display()
        )),
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path` after [`check_new`].
pub fn write_new(path: &Path, bytes: &[u8], force: bool, flag: &str) -> anyhow::Result<()> {
    check_new(path, force, flag)?;
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Refuses an output folder given by `flag` that is a symbolic link.
pub fn check_out_dir(path: &Path, flag: &str) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(anyhow!(
            "{flag} {}: is a symbolic link; give a real folder (the link is not followed)",
            path.display()
        )),
        _ => Ok(()),
    }
}
