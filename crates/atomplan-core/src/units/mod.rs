//! Unit newtypes for error-prone quantities.
//!
//! They validate on construction, so a negative capacity or a rate of -150 % cannot travel
//! further than the layer that parsed it. Hot loops unwrap to `f64` once and keep the unit in
//! the variable name (`capacity_mw`), see docs/conventions.md.

use serde::Serialize;
use std::fmt;

/// Why a quantity was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UnitError {
    #[error("`{quantity}` must be finite, got {value}")]
    NotFinite { quantity: &'static str, value: f64 },
    #[error("`{quantity}` must be {bound}, got {value}")]
    OutOfRange {
        quantity: &'static str,
        bound: &'static str,
        value: f64,
    },
}

fn finite(quantity: &'static str, value: f64) -> Result<f64, UnitError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(UnitError::NotFinite { quantity, value })
    }
}

macro_rules! non_negative_unit {
    ($name:ident, $quantity:literal, $unit:literal) => {
        #[doc = concat!("A non-negative ", $quantity, " in ", $unit, ".")]
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
        #[serde(transparent)]
        pub struct $name(f64);

        impl $name {
            pub fn new(value: f64) -> Result<Self, UnitError> {
                let value = finite($quantity, value)?;
                if value < 0.0 {
                    return Err(UnitError::OutOfRange {
                        quantity: $quantity,
                        bound: ">= 0",
                        value,
                    });
                }
                Ok($name(value))
            }
            pub fn get(self) -> f64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", self.0, $unit)
            }
        }
    };
}

non_negative_unit!(Mw, "power", "MW");
non_negative_unit!(Mwh, "energy", "MWh");
non_negative_unit!(Years, "duration", "years");

/// A rate per period as a fraction (0.07 = 7 %). Must be greater than -1, so that
/// `1 + rate` stays positive and discount factors are defined.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Rate(f64);

impl Rate {
    pub fn new(value: f64) -> Result<Self, UnitError> {
        let value = finite("rate", value)?;
        if value <= -1.0 {
            return Err(UnitError::OutOfRange {
                quantity: "rate",
                bound: "> -1",
                value,
            });
        }
        Ok(Rate(value))
    }
    pub fn get(self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests;
