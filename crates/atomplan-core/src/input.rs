//! The one way atomplan reads an input file: only a regular file (never a FIFO, a device such
//! as `/dev/zero`, or a folder), and at most [`MAX_INPUT_BYTES`] of it.
//!
//! This is the crate's only IO. The errors are plain `std::io::Error`s with a message that
//! says what was refused, so callers report them as they report any read error.

use std::io::{Error, ErrorKind, Read};
use std::path::Path;

/// The largest input file read: 1 GiB. An hourly PyPSA series of 1,000 columns over 8,760
/// hours is under 100 MB.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Reads a whole input file, refusing anything but a regular file of at most `MAX_INPUT_BYTES`.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    read_capped(path, MAX_INPUT_BYTES)
}

/// [`read`] as UTF-8 text.
pub fn read_to_string(path: &Path) -> std::io::Result<String> {
    let bytes = read(path)?;
    String::from_utf8(bytes).map_err(|error| {
        Error::new(
            ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            ),
        )
    })
}

/// [`read`] with another size limit.
pub fn read_capped(path: &Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    // Checked before opening: opening a FIFO for reading blocks until a writer appears.
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        let what = if metadata.is_dir() {
            "a folder"
        } else {
            "not a regular file (a FIFO, socket or device)"
        };
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{what}; atomplan reads only regular files"),
        ));
    }
    if metadata.len() > max_bytes {
        return Err(too_large(max_bytes));
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // A file that grows while it is read is still cut at the limit.
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(max_bytes));
    }
    Ok(bytes)
}

fn too_large(max_bytes: u64) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!(
            "larger than the {} MiB limit for an input file",
            max_bytes / (1 << 20)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_folders_and_large_files() {
        let error = read(Path::new("/dev/zero")).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let dir = std::env::temp_dir();
        let error = read(&dir).unwrap_err();
        assert!(error.to_string().contains("a folder"), "{error}");
        let path = dir.join(format!("atomplan-input-{}.txt", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_capped(&path, 10).unwrap(), b"0123456789");
        let error = read_capped(&path, 9).unwrap_err();
        assert!(error.to_string().contains("limit"), "{error}");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(read_to_string(&path)
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
        let _ = std::fs::remove_file(&path);
    }
}
