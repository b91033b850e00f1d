//! Tax depreciation schedules: US MACRS (half-year convention) and straight line.
//!
//! ATB and Lazard both compute tax shields from published MACRS tables, so the tables are
//! stored exactly as published (IRS Publication 946, Table A-1, half-year convention) rather
//! than recomputed from the declining-balance rule, whose unrounded values differ in the
//! fourth decimal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::EconError;

/// IRS Publication 946, Table A-1 (GDS, half-year convention), as fractions.
const MACRS_3: [f64; 4] = [0.3333, 0.4445, 0.1481, 0.0741];
const MACRS_5: [f64; 6] = [0.20, 0.32, 0.192, 0.1152, 0.1152, 0.0576];
const MACRS_7: [f64; 8] = [
    0.1429, 0.2449, 0.1749, 0.1249, 0.0893, 0.0892, 0.0893, 0.0446,
];
const MACRS_10: [f64; 11] = [
    0.10, 0.18, 0.144, 0.1152, 0.0922, 0.0737, 0.0655, 0.0655, 0.0656, 0.0655, 0.0328,
];
const MACRS_15: [f64; 16] = [
    0.05, 0.095, 0.0855, 0.077, 0.0693, 0.0623, 0.059, 0.059, 0.0591, 0.059, 0.0591, 0.059, 0.0591,
    0.059, 0.0591, 0.0295,
];
const MACRS_20: [f64; 21] = [
    0.0375, 0.07219, 0.06677, 0.06177, 0.05713, 0.05285, 0.04888, 0.04522, 0.04462, 0.04461,
    0.04462, 0.04461, 0.04462, 0.04461, 0.04462, 0.04461, 0.04462, 0.04461, 0.04462, 0.04461,
    0.02231,
];

/// A tax depreciation schedule: the fraction of the depreciable base deducted in each year
/// of operation (year 1 is the first year of operation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Depreciation {
    /// MACRS general depreciation, half-year convention; recovery class in years
    /// (3, 5, 7, 10, 15 or 20).
    Macrs(u32),
    /// Equal fractions over the given number of years.
    StraightLine(u32),
    /// No tax depreciation.
    None,
}

impl Depreciation {
    /// The annual fractions, summing to 1 (empty for [`Depreciation::None`]).
    #[must_use]
    pub fn fractions(&self) -> std::borrow::Cow<'static, [f64]> {
        use std::borrow::Cow;
        match self {
            Depreciation::Macrs(3) => Cow::Borrowed(&MACRS_3),
            Depreciation::Macrs(5) => Cow::Borrowed(&MACRS_5),
            Depreciation::Macrs(7) => Cow::Borrowed(&MACRS_7),
            Depreciation::Macrs(10) => Cow::Borrowed(&MACRS_10),
            Depreciation::Macrs(15) => Cow::Borrowed(&MACRS_15),
            Depreciation::Macrs(20) => Cow::Borrowed(&MACRS_20),
            Depreciation::StraightLine(years) if *years > 0 => {
                Cow::Owned(vec![1.0 / f64::from(*years); *years as usize])
            }
            _ => Cow::Borrowed(&[]),
        }
    }

    /// Fraction deducted in operating year `year` (from 1); 0 outside the schedule.
    #[must_use]
    pub fn fraction_in_year(&self, year: usize) -> f64 {
        match self {
            Depreciation::StraightLine(years) => {
                if year >= 1 && year <= *years as usize {
                    1.0 / f64::from(*years)
                } else {
                    0.0
                }
            }
            _ => {
                let fractions = self.fractions();
                if year >= 1 {
                    fractions.get(year - 1).copied().unwrap_or(0.0)
                } else {
                    0.0
                }
            }
        }
    }
}

impl fmt::Display for Depreciation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Depreciation::Macrs(years) => write!(formatter, "macrs-{years}"),
            Depreciation::StraightLine(years) => write!(formatter, "straight-line-{years}"),
            Depreciation::None => write!(formatter, "none"),
        }
    }
}

impl FromStr for Depreciation {
    type Err = EconError;

    /// Parses `macrs-3|5|7|10|15|20`, `straight-line-N` (or `sl-N`) and `none`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            EconError::invalid(
                "depreciation",
                format!(
                    "unknown schedule `{text}`; expected `macrs-3`, `macrs-5`, `macrs-7`, `macrs-10`, `macrs-15`, `macrs-20`, `straight-line-N` or `none`"
                ),
            )
        };
        let lower = text.trim().to_ascii_lowercase();
        if lower == "none" {
            return Ok(Depreciation::None);
        }
        if let Some(class) = lower.strip_prefix("macrs-") {
            let years: u32 = class.parse().map_err(|_| bad())?;
            return if [3, 5, 7, 10, 15, 20].contains(&years) {
                Ok(Depreciation::Macrs(years))
            } else {
                Err(bad())
            };
        }
        if let Some(rest) = lower
            .strip_prefix("straight-line-")
            .or_else(|| lower.strip_prefix("sl-"))
        {
            let years: u32 = rest.parse().map_err(|_| bad())?;
            return if (1..=200).contains(&years) {
                Ok(Depreciation::StraightLine(years))
            } else {
                Err(bad())
            };
        }
        Err(bad())
    }
}

impl TryFrom<String> for Depreciation {
    type Error = EconError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Depreciation> for String {
    fn from(depreciation: Depreciation) -> Self {
        depreciation.to_string()
    }
}
