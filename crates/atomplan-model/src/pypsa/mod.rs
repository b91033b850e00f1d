//! PyPSA CSV folders: the importer ([`read_folder`]) and the results writer ([`write_results`]).
//!
//! This is the only place that knows PyPSA's file layout (`export_to_csv_folder`, PyPSA 1.x);
//! the rest of the crate sees a [`crate::Network`].

mod read;
mod table;
mod write;

pub use read::{read_folder, read_frames, Frames, Imported};
pub use table::Column;
pub use write::{write_planning_results, write_results};
