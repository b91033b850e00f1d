//! Assessments beyond cost: does the unit fit the grid, do the lights stay on, how dependent does
//! the country become and on whom, are emission targets met, which partner is best, is the country
//! ready, and who sells reactors abroad.
//!
//! Every method here is a pure function of its own input struct, so that the study layer, the CLI
//! and tests can call it without files or a catalogue.
//! Formulas and sources are documented in `docs/methods/`.
//! Architecture Invariant: nothing in `assess` prints or reads files; the only deserialization is
//! the wire structs of the MCDA and assessment case files in [`case`], which turn into these input
//! structs in one place.

pub mod adequacy;
pub mod alternatives;
pub mod case;
pub mod catalogue;
pub mod emissions;
pub mod grid;
pub mod market;
pub mod mcda;
pub mod readiness;
pub mod security;

/// Indices of `scores` sorted best first (descending); ties keep input order.
///
/// Scores that are not finite sort last.
#[must_use]
pub fn rank_descending(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| {
        let (score_a, score_b) = (scores[a], scores[b]);
        match (score_a.is_finite(), score_b.is_finite()) {
            (true, true) => score_b.total_cmp(&score_a),
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            (false, false) => std::cmp::Ordering::Equal,
        }
    });
    order
}
