//! Price indices and exchange rates, so that every cost can be shown in one currency-year.
//!
//! Convention (docs/conventions.md): an amount in currency C of year Y is first converted to
//! US dollars at the annual-average rate of year Y, then moved to the target year with the
//! US GDP deflator. Converting first and inflating second keeps one deflator for all
//! currencies; the alternative (inflate in C, convert at the target year's rate) gives a
//! different answer whenever real exchange rates move, which is a known limitation of both.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ids::SourceId;

/// A value with its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcedValue {
    pub value: f64,
    pub source: SourceId,
    pub verify: bool,
}

/// Deflators and exchange rates.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Money {
    /// (currency, year) -> price index.
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

    /// Price index of `currency` in `year`.
    pub fn deflator(&self, currency: &str, year: i32) -> Option<f64> {
        self.deflators
            .get(&(currency.to_owned(), year))
            .map(|v| v.value)
    }

    /// Converts `amount` of `currency` in prices of `year` to US dollars of `target_year`.
    ///
    /// Returns `None` when the exchange rate of `year` or a deflator is missing, or when the
    /// amount is not finite. A zero amount stays zero.
    pub fn to_usd(&self, amount: f64, currency: &str, year: i32, target_year: i32) -> Option<f64> {
        if !amount.is_finite() {
            return None;
        }
        let usd_of_year = amount / self.per_usd(currency, year)?;
        let factor = self.deflator("USD", target_year)? / self.deflator("USD", year)?;
        let result = usd_of_year * factor;
        result.is_finite().then_some(result)
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
