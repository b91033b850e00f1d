//! Programme readiness on the IAEA Milestones Approach (NG-G-3.1 Rev. 1, 2015): the status of
//! the 19 infrastructure issues in each of the 3 phases, a completion score, and a distribution of
//! the time to first power that can set the earliest build year.
//!
//! The completion score is ours, for planning; it is not an IAEA measure. The IAEA says a
//! programme needs 10–15 years of preparatory work from the policy decision to the first plant's
//! operation (<https://www.iaea.org/topics/infrastructure-development>); the time model spreads
//! that band over the work still to do. With a design's construction time, the question becomes the
//! first power of a new project of that design, and phase 3 (implementing a plant) is replaced by
//! the project's own steps, in full: contracting and licensing up to first concrete, then
//! construction. See `docs/methods/readiness.md`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::Error;

#[cfg(test)]
mod tests;

/// The 19 infrastructure issues, Rev. 1 numbering.
pub const ISSUES: [&str; 19] = [
    "national position",
    "nuclear safety",
    "management",
    "funding and financing",
    "legal framework",
    "safeguards",
    "regulatory framework",
    "radiation protection",
    "electrical grid",
    "human resource development",
    "stakeholder involvement",
    "site and supporting facilities",
    "environmental protection",
    "emergency planning",
    "nuclear security",
    "nuclear fuel cycle",
    "radioactive waste management",
    "industrial involvement",
    "procurement",
];

/// The milestone that ends each phase.
pub const MILESTONES: [&str; 3] = [
    "ready to make a knowledgeable commitment to a nuclear power programme",
    "ready to invite bids or negotiate a contract for the first nuclear power plant",
    "ready to commission and operate the first nuclear power plant",
];

/// Default band for the whole programme, policy decision to first operation, years (IAEA).
pub const PROGRAMME_YEARS_LOW: f64 = 10.0;
pub const PROGRAMME_YEARS_HIGH: f64 = 15.0;

/// Default band, years, from milestone 2 (ready to contract) to first concrete: the contract,
/// site and construction licences. ASSUMPTION, not a published figure: chosen to span the
/// newcomer plants of the 2010s, whose contracts preceded first concrete by roughly two to five
/// years; a study should replace it with the country's own licensing schedule.
pub const LICENSING_YEARS_LOW: f64 = 2.0;
pub const LICENSING_YEARS_HIGH: f64 = 5.0;

/// Status of one issue in one phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssueStatus {
    NotStarted,
    InProgress,
    Met,
}

impl IssueStatus {
    /// Score: not started 0, in progress 0.5, met 1.
    #[must_use]
    pub fn score(self) -> f64 {
        match self {
            IssueStatus::NotStarted => 0.0,
            IssueStatus::InProgress => 0.5,
            IssueStatus::Met => 1.0,
        }
    }
}

/// Readiness inputs: `status[issue][phase]` for the 19 issues and 3 phases.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessInput {
    pub country: String,
    pub status: Vec<[IssueStatus; 3]>,
    /// Year the statuses describe.
    pub assessed_year: i32,
    /// Time model and Monte Carlo settings.
    pub time: TimeSettings,
}

/// Time-to-first-power model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeSettings {
    /// Years of the whole programme, drawn uniformly in `[low, high]` (default IAEA 10–15).
    pub programme_years_low: f64,
    pub programme_years_high: f64,
    /// Share of the programme each phase takes (default equal thirds: no source splits the band).
    pub phase_shares: [f64; 3],
    /// Construction time of the first unit, months (first concrete to first power), e.g. from
    /// the design's record. With it, the time model gives a new project's first power and replaces
    /// phase 3 by that project's licensing + construction.
    pub construction_months: Option<f64>,
    /// Years from milestone 2 (ready to contract) to first concrete, drawn uniformly in
    /// `[low, high]`; used only with a construction time (default: an assumption, see
    /// [`LICENSING_YEARS_LOW`]).
    pub licensing_years_low: f64,
    pub licensing_years_high: f64,
    pub n_samples: usize,
    pub seed: u64,
}

impl Default for TimeSettings {
    fn default() -> Self {
        TimeSettings {
            programme_years_low: PROGRAMME_YEARS_LOW,
            programme_years_high: PROGRAMME_YEARS_HIGH,
            phase_shares: [1.0 / 3.0; 3],
            construction_months: None,
            licensing_years_low: LICENSING_YEARS_LOW,
            licensing_years_high: LICENSING_YEARS_HIGH,
            n_samples: 10_000,
            seed: 42,
        }
    }
}

/// Quantiles of a sampled quantity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Distribution {
    pub mean: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub min: f64,
    pub max: f64,
}

impl Distribution {
    /// Summary of `values` (sorted in place). Quantiles by the nearest-rank method.
    #[must_use]
    pub fn from_samples(values: &mut [f64]) -> Distribution {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        if n == 0 {
            return Distribution {
                mean: 0.0,
                p10: 0.0,
                p50: 0.0,
                p90: 0.0,
                min: 0.0,
                max: 0.0,
            };
        }
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let quantile = |q: f64| values[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
        #[allow(clippy::cast_precision_loss)]
        let mean = values.iter().sum::<f64>() / n as f64;
        Distribution {
            mean,
            p10: quantile(0.10),
            p50: quantile(0.50),
            p90: quantile(0.90),
            min: values[0],
            max: values[n - 1],
        }
    }
}

/// One phase's completion.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PhaseReport {
    pub phase: u8,
    pub milestone: &'static str,
    /// Mean issue score in this phase, 0..1.
    pub completion: f64,
    pub issues_met: usize,
    pub issues_in_progress: usize,
    pub issues_not_started: usize,
    /// Whether all 19 issues are met: the milestone is reached.
    pub milestone_reached: bool,
}

/// Readiness result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReadinessReport {
    pub country: String,
    pub assessed_year: i32,
    pub phases: Vec<PhaseReport>,
    /// The phase the country is in: the first whose milestone is not reached (4 = all reached).
    pub current_phase: u8,
    /// Phase-weighted completion of the whole programme, 0..1 (planning measure, not IAEA).
    pub overall_completion: f64,
    /// Issues not met in the current phase.
    pub open_issues: Vec<&'static str>,
    /// Years from `assessed_year` to first power.
    pub years_to_first_power: Distribution,
    /// Calendar year of first power.
    pub first_power_year: Distribution,
    /// Earliest construction start (first power − construction time, never before the assessed
    /// year), if a construction time was given.
    pub earliest_construction_start_year: Option<Distribution>,
}

/// Scores the statuses and samples the time to first power.
///
/// Without a construction time, remaining time in a sample = `T · Σ_p s_p (1 − c_p)`, with
/// `T ~ U(low, high)` the whole programme's length, `s_p` the phase's share and `c_p` its
/// completion.
///
/// With a construction time `C`, the time is that of a new project of the design, and phase 3 is
/// counted by the project's own steps instead of its share of `T`:
/// remaining = `T · (s_1 (1 − c_1) + s_2 (1 − c_2)) + L + C`, with
/// `L ~ U(licensing low, high)` the years from milestone 2 to first concrete. The steps are not
/// scaled by phase 3's completion `c_3`: that measures the national infrastructure (and a plant
/// already under construction), while a new project still needs its own contract, licence and
/// build. Construction starts at first power − `C`.
///
/// # Errors
/// Not exactly 19 issues, invalid time settings.
pub fn readiness(input: &ReadinessInput) -> Result<ReadinessReport, Error> {
    if input.status.len() != ISSUES.len() {
        return Err(Error::shape(
            "issues",
            "19 issues (IAEA Milestones, Rev. 1)",
            input.status.len(),
        ));
    }
    let time = &input.time;
    if !(time.programme_years_low.is_finite()
        && time.programme_years_low >= 0.0
        && time.programme_years_high >= time.programme_years_low)
    {
        return Err(Error::value(
            "time.programme_years",
            "need 0 <= low <= high",
        ));
    }
    let share_sum: f64 = time.phase_shares.iter().sum();
    if time
        .phase_shares
        .iter()
        .any(|share| !share.is_finite() || *share < 0.0)
        || share_sum <= 0.0
    {
        return Err(Error::value(
            "time.phase_shares",
            "need three shares >= 0 with a positive sum",
        ));
    }
    if time
        .construction_months
        .is_some_and(|months| !(months.is_finite() && months >= 0.0))
    {
        return Err(Error::value(
            "time.construction_months",
            "must be a finite number >= 0",
        ));
    }
    if !(time.licensing_years_low.is_finite()
        && time.licensing_years_high.is_finite()
        && time.licensing_years_low >= 0.0
        && time.licensing_years_high >= time.licensing_years_low)
    {
        return Err(Error::value(
            "time.licensing_years",
            "need 0 <= low <= high",
        ));
    }
    if time.n_samples == 0 || time.n_samples > 10_000_000 {
        return Err(Error::value(
            "time.samples",
            "must be between 1 and 10,000,000",
        ));
    }
    let mut phases = Vec::with_capacity(3);
    for phase_idx in 0..3 {
        let statuses: Vec<IssueStatus> = input.status.iter().map(|row| row[phase_idx]).collect();
        let count = |status: IssueStatus| statuses.iter().filter(|s| **s == status).count();
        #[allow(clippy::cast_precision_loss)]
        let completion = statuses.iter().map(|s| s.score()).sum::<f64>() / ISSUES.len() as f64;
        phases.push(PhaseReport {
            #[allow(clippy::cast_possible_truncation)]
            phase: phase_idx as u8 + 1,
            milestone: MILESTONES[phase_idx],
            completion,
            issues_met: count(IssueStatus::Met),
            issues_in_progress: count(IssueStatus::InProgress),
            issues_not_started: count(IssueStatus::NotStarted),
            milestone_reached: count(IssueStatus::Met) == ISSUES.len(),
        });
    }
    let current_idx = phases
        .iter()
        .position(|phase| !phase.milestone_reached)
        .unwrap_or(3);
    let open_issues = if current_idx < 3 {
        ISSUES
            .iter()
            .zip(&input.status)
            .filter(|(_, row)| row[current_idx] != IssueStatus::Met)
            .map(|(name, _)| *name)
            .collect()
    } else {
        Vec::new()
    };
    let shares: Vec<f64> = time
        .phase_shares
        .iter()
        .map(|share| share / share_sum)
        .collect();
    let remaining_fraction: f64 = phases
        .iter()
        .zip(&shares)
        .map(|(phase, share)| share * (1.0 - phase.completion))
        .sum();
    let overall_completion = 1.0 - remaining_fraction;
    // Phases 1 and 2 (to "ready to contract") as shares of the programme; phase 3 by its steps.
    let preparation_fraction: f64 = phases
        .iter()
        .zip(&shares)
        .take(2)
        .map(|(phase, share)| share * (1.0 - phase.completion))
        .sum();
    let mut years: Vec<f64> = (0..time.n_samples)
        .into_par_iter()
        .map(|sample_idx| {
            let mut rng = ChaCha8Rng::seed_from_u64(time.seed);
            rng.set_stream(sample_idx as u64);
            let total = time.programme_years_low
                + (time.programme_years_high - time.programme_years_low) * rng.gen::<f64>();
            match time.construction_months {
                Some(months) => {
                    let licensing = time.licensing_years_low
                        + (time.licensing_years_high - time.licensing_years_low) * rng.gen::<f64>();
                    // A new project's licence and build are its own: not shortened by the
                    // progress of phase 3, which another plant may be making.
                    total * preparation_fraction + licensing + months / 12.0
                }
                None => total * remaining_fraction,
            }
        })
        .collect();
    let mut calendar: Vec<f64> = years
        .iter()
        .map(|y| f64::from(input.assessed_year) + y)
        .collect();
    let earliest_construction_start_year = time.construction_months.map(|months| {
        let mut starts: Vec<f64> = calendar.iter().map(|year| year - months / 12.0).collect();
        Distribution::from_samples(&mut starts)
    });
    Ok(ReadinessReport {
        country: input.country.clone(),
        assessed_year: input.assessed_year,
        #[allow(clippy::cast_possible_truncation)]
        current_phase: current_idx as u8 + 1,
        overall_completion,
        open_issues,
        years_to_first_power: Distribution::from_samples(&mut years),
        first_power_year: Distribution::from_samples(&mut calendar),
        earliest_construction_start_year,
        phases,
    })
}

/// First power of one candidate design: the readiness time model with the design's construction
/// time, set beside the year the study or the announced programme plans.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FirstPowerEstimate {
    pub candidate: String,
    pub design: String,
    /// Construction time used (first concrete to first power), months.
    pub construction_months: f64,
    /// `construction_months` is an assumption: the catalogue records none for the design.
    #[serde(default)]
    pub construction_months_assumed: bool,
    /// Band of years from "ready to contract" to first concrete.
    pub licensing_years: (f64, f64),
    /// Calendar year of first power: P10, P50, P90.
    pub first_power_p10: f64,
    pub first_power_p50: f64,
    pub first_power_p90: f64,
    /// Median earliest year of first concrete.
    pub construction_start_p50: f64,
    /// The first year the study lets the candidate run (its `earliest_year`).
    pub planned_year: Option<i32>,
}

impl FirstPowerEstimate {
    /// From a readiness report computed with a construction time.
    #[must_use]
    pub fn from_report(
        candidate: &str,
        design: &str,
        time: &TimeSettings,
        report: &ReadinessReport,
        planned_year: Option<i32>,
    ) -> Self {
        FirstPowerEstimate {
            candidate: candidate.to_owned(),
            design: design.to_owned(),
            construction_months: time.construction_months.unwrap_or(0.0),
            construction_months_assumed: false,
            licensing_years: (time.licensing_years_low, time.licensing_years_high),
            first_power_p10: report.first_power_year.p10,
            first_power_p50: report.first_power_year.p50,
            first_power_p90: report.first_power_year.p90,
            construction_start_p50: report
                .earliest_construction_start_year
                .as_ref()
                .map_or(report.first_power_year.p50, |d| d.p50),
            planned_year,
        }
    }

    /// Years by which the median first power falls after the planned year (negative: before).
    #[must_use]
    pub fn years_after_plan(&self) -> Option<f64> {
        self.planned_year
            .map(|year| self.first_power_p50 - f64::from(year))
    }
}

/// Statuses implied by a phase alone (as the catalogue records it): every issue met in earlier
/// phases, in progress in the current phase, not started after it. Coarse: per-issue evidence
/// should replace it when available.
#[must_use]
pub fn statuses_from_phase(phase: u8) -> Vec<[IssueStatus; 3]> {
    let row: [IssueStatus; 3] = std::array::from_fn(|phase_idx| {
        let this_phase = u8::try_from(phase_idx + 1).unwrap_or(u8::MAX);
        match this_phase.cmp(&phase) {
            std::cmp::Ordering::Less => IssueStatus::Met,
            std::cmp::Ordering::Equal => IssueStatus::InProgress,
            std::cmp::Ordering::Greater => IssueStatus::NotStarted,
        }
    });
    vec![row; ISSUES.len()]
}
