//! PNG copies of the charts, rasterised from the very same SVG text with resvg, for slides and
//! documents.
//!
//! Text needs a font. The report must render identically on any machine and offline, so the
//! rasteriser does not look for system fonts: DejaVu Sans (regular and bold, Bitstream Vera
//! licence, `assets/fonts/LICENSE`) is compiled into the binary and stands for every
//! `sans-serif` in the charts.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::ReportError;

/// The scale of the PNG against the SVG's own size (2: sharp on slides).
pub const PNG_SCALE: f32 = 2.0;

const DEJAVU_SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut database = usvg::fontdb::Database::new();
            database.load_font_data(DEJAVU_SANS.to_vec());
            database.load_font_data(DEJAVU_SANS_BOLD.to_vec());
            database.set_sans_serif_family("DejaVu Sans");
            database.set_serif_family("DejaVu Sans");
            database.set_monospace_family("DejaVu Sans");
            Arc::new(database)
        })
        .clone()
}

/// Rasterises SVG text to PNG bytes at [`PNG_SCALE`] on its white background.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, ReportError> {
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| ReportError::Raster(format!("SVG: {e}")))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(PNG_SCALE)
        .ok_or_else(|| {
            ReportError::Raster(format!(
                "SVG size {}x{} cannot be rasterised",
                tree.size().width(),
                tree.size().height()
            ))
        })?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        ReportError::Raster(format!("empty PNG size {}x{}", size.width(), size.height()))
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ReportError::Raster(format!("PNG: {e}")))
}

/// Writes `svg` rasterised as a PNG file at `path`.
pub fn write_png(path: &Path, svg: &str) -> Result<(), ReportError> {
    let bytes = svg_to_png(svg).map_err(|error| ReportError::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    })?;
    std::fs::write(path, bytes).map_err(|e| ReportError::io(path, &e))
}

#[cfg(test)]
mod tests;
