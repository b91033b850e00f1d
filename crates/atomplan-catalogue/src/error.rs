//! The catalogue's one error type: a catalogue that cannot be used, a lookup that found
//! nothing, a date or an id that does not parse, and a money conversion that cannot be done.
//! Loading collects `Diagnostic`s instead (every problem at once); this type is for callers who
//! want `?`, and for the value parsers (`PartialDate::parse`, the id constructors,
//! `Money::to_usd_checked`) whose single failure is the answer.

use atomplan_core::Diagnostic;

use crate::money::Missing;

/// Why a catalogue, or one of its values, could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The catalogue has errors; every one is listed.
    #[error("the catalogue has {} error(s); run `atomplan catalogue check`", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    /// A lookup by id found nothing.
    #[error("no {kind} `{id}` in the catalogue")]
    NotFound { kind: &'static str, id: String },
    /// A date is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("`{0}` is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")]
    DateFormat(String),
    /// A date has a month or day that does not exist.
    #[error("`{0}` is not a valid calendar date")]
    DateCalendar(String),
    /// A date's year is outside the range the catalogue accepts.
    #[error("year {0} is outside 1950..=2100")]
    DateYear(i32),
    /// A design, project or source id is not lower-case kebab-case.
    #[error("`{0}` is not a valid id: use lower-case letters, digits and `-`")]
    NotKebab(String),
    /// A country code is not ISO 3166 alpha-2.
    #[error("`{0}` is not an ISO 3166 alpha-2 country code (two upper-case letters)")]
    NotCountryCode(String),
    /// A money conversion needs an exchange rate or deflator the money table lacks.
    #[error("cannot convert {currency} {year} to {target_currency} {target_year}: {missing}")]
    Conversion {
        currency: String,
        year: i32,
        target_currency: String,
        target_year: i32,
        missing: Missing,
    },
    /// An amount to convert, or its result, is not a finite number.
    #[error("cannot convert a non-finite amount ({amount})")]
    NotFinite { amount: f64 },
}

impl Error {
    /// The missing rate or deflator, when that is why a conversion failed.
    #[must_use]
    pub fn missing(&self) -> Option<&Missing> {
        match self {
            Error::Conversion { missing, .. } => Some(missing),
            _ => None,
        }
    }
}
