//! Price indices and exchange rates: the one conversion path for every amount in atomplan.
//!
//! Convention (docs/conventions.md): an amount in currency C of price year Y is converted to
//! US dollars at the annual-average rate of year Y, moved to the target year T with the US
//! GDP deflator, and, for a target currency other than USD, converted at the annual-average
//! rate of year T. Converting first and inflating second keeps one deflator for the move in
//! time and needs the exchange rate of the price year only; the alternative (inflate in C with
//! C's deflator, convert at T's rate) differs whenever real exchange rates move, a known
//! limitation of both. The currencies' own GDP deflators serve a different purpose: removing
//! escalation from nominal figures in their own currency ([`Money::deflate_within`]).
//!
//! Every conversion that cannot be done returns an [`Error::Conversion`] naming the missing
//! rate or deflator; callers add the record and field. There is no silent fallback.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ids::SourceId;
use crate::Error;

/// A value with its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcedValue {
    pub value: f64,
    pub source: SourceId,
    pub verify: bool,
}

/// What a conversion lacked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Missing {
    /// No annual-average exchange rate of `currency` in `year`.
    ExchangeRate { currency: String, year: i32 },
    /// No GDP deflator of `currency` in `year`.
    Deflator { currency: String, year: i32 },
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Missing::ExchangeRate { currency, year } => {
                write!(
                    f,
                    "no {currency}/USD exchange rate for {year} in money/exchange-rates.csv"
                )
            }
            Missing::Deflator { currency, year } => {
                write!(
                    f,
                    "no {currency} GDP deflator for {year} in money/deflators.csv"
                )
            }
        }
    }
}

/// Deflators and exchange rates.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Money {
    /// (currency, year) -> GDP price index of the currency area.
    pub deflators: BTreeMap<(String, i32), SourcedValue>,
    /// (currency, year) -> units of currency per US dollar, annual average.
    pub per_usd: BTreeMap<(String, i32), SourcedValue>,
}

impl Money {
    /// Units of `currency` per US dollar in `year` (1 for USD).
    pub fn per_usd(&self, currency: &str, year: i32) -> Option<f64> {
        if currency == "USD" {
            return Some(1.0);
        }
        self.per_usd
            .get(&(currency.to_owned(), year))
            .map(|v| v.value)
    }

    /// GDP price index of `currency` in `year`.
    pub fn deflator(&self, currency: &str, year: i32) -> Option<f64> {
        self.deflators
            .get(&(currency.to_owned(), year))
            .map(|v| v.value)
    }

    fn rate_or_missing(&self, currency: &str, year: i32) -> Result<f64, Missing> {
        self.per_usd(currency, year)
            .ok_or_else(|| Missing::ExchangeRate {
                currency: currency.to_owned(),
                year,
            })
    }

    fn deflator_or_missing(&self, currency: &str, year: i32) -> Result<f64, Missing> {
        self.deflator(currency, year)
            .ok_or_else(|| Missing::Deflator {
                currency: currency.to_owned(),
                year,
            })
    }

    /// Converts `amount` of `currency` in prices of `year` to `target_currency` of
    /// `target_year`: rate of `year` to USD, US GDP deflator from `year` to `target_year`,
    /// rate of `target_year` to the target currency. A zero amount stays zero.
    ///
    /// # Errors
    /// [`Error::Conversion`] naming the first missing rate or deflator;
    /// [`Error::NotFinite`] for a NaN or infinite amount.
    pub fn convert(
        &self,
        amount: f64,
        currency: &str,
        year: i32,
        target_currency: &str,
        target_year: i32,
    ) -> Result<f64, Error> {
        if !amount.is_finite() {
            return Err(Error::NotFinite { amount });
        }
        let wrap = |missing: Missing| Error::Conversion {
            currency: currency.to_owned(),
            year,
            target_currency: target_currency.to_owned(),
            target_year,
            missing,
        };
        if currency == target_currency && year == target_year {
            return Ok(amount);
        }
        let usd_of_year = amount / self.rate_or_missing(currency, year).map_err(wrap)?;
        let factor = self.deflator_or_missing("USD", target_year).map_err(wrap)?
            / self.deflator_or_missing("USD", year).map_err(wrap)?;
        let usd_of_target = usd_of_year * factor;
        let result = usd_of_target
            * self
                .rate_or_missing(target_currency, target_year)
                .map_err(wrap)?;
        if result.is_finite() {
            Ok(result)
        } else {
            Err(Error::NotFinite { amount: result })
        }
    }

    /// Converts to US dollars of `target_year`; see [`Money::convert`].
    ///
    /// # Errors
    /// As [`Money::convert`].
    pub fn to_usd_checked(
        &self,
        amount: f64,
        currency: &str,
        year: i32,
        target_year: i32,
    ) -> Result<f64, Error> {
        self.convert(amount, currency, year, "USD", target_year)
    }

    /// Converts to US dollars of `target_year`, `None` when it cannot be done.
    ///
    /// Prefer [`Money::to_usd_checked`], which says what is missing; this wrapper exists for
    /// callers that report the failure themselves.
    pub fn to_usd(&self, amount: f64, currency: &str, year: i32, target_year: i32) -> Option<f64> {
        self.to_usd_checked(amount, currency, year, target_year)
            .ok()
    }

    /// Ratio of `currency`'s GDP deflator between `to_year` and `from_year`: multiply an amount
    /// in prices of `from_year` by it to get prices of `to_year`, within the same currency.
    ///
    /// # Errors
    /// [`Missing::Deflator`] for the first missing year.
    pub fn deflate_within(
        &self,
        currency: &str,
        from_year: i32,
        to_year: i32,
    ) -> Result<f64, Missing> {
        if from_year == to_year {
            return Ok(1.0);
        }
        Ok(self.deflator_or_missing(currency, to_year)?
            / self.deflator_or_missing(currency, from_year)?)
    }

    /// Currencies with at least one exchange rate, plus USD.
    pub fn currencies(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec!["USD"];
        for (currency, _) in self.per_usd.keys() {
            if !out.contains(&currency.as_str()) {
                out.push(currency);
            }
        }
        out
    }
}
