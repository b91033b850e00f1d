//! Case files of the assessments: TOML wire structs with `deny_unknown_fields`, converted in one
//! place into the pure input structs of each method.
//!
//! This is the only deserialization in `assess`; callers pass the file text (no IO here) and get
//! either the domain input or an [`Error`] naming the key.

pub mod assessments;
pub mod mcda;

use crate::Error;

/// A number, or a fraction written as a string (`"1/3"`), as pairwise judgments often are.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum NumberOrFraction {
    Number(f64),
    Text(String),
}

impl NumberOrFraction {
    /// The value; `"a/b"` is `a / b`.
    ///
    /// # Errors
    /// [`Error::Value`] naming `key` if the text is not a number or fraction.
    pub fn value(&self, key: &str) -> Result<f64, Error> {
        match self {
            NumberOrFraction::Number(value) => Ok(*value),
            NumberOrFraction::Text(text) => {
                let parse = |part: &str| part.trim().parse::<f64>().ok();
                let value = match text.split_once('/') {
                    Some((numerator, denominator)) => {
                        match (parse(numerator), parse(denominator)) {
                            (Some(numerator), Some(denominator)) if denominator != 0.0 => {
                                Some(numerator / denominator)
                            }
                            _ => None,
                        }
                    }
                    None => parse(text),
                };
                value.filter(|value| value.is_finite()).ok_or_else(|| {
                    Error::value(
                        key,
                        format!("`{text}` is not a number or a fraction like \"1/3\""),
                    )
                })
            }
        }
    }
}

/// Converts a matrix of numbers or fractions.
///
/// # Errors
/// The first entry that is not a number, named `key[i][j]`.
pub fn matrix_values(matrix: &[Vec<NumberOrFraction>], key: &str) -> Result<Vec<Vec<f64>>, Error> {
    matrix
        .iter()
        .enumerate()
        .map(|(row_idx, row)| {
            row.iter()
                .enumerate()
                .map(|(col_idx, entry)| entry.value(&format!("{key}[{row_idx}][{col_idx}]")))
                .collect()
        })
        .collect()
}

/// Parses TOML text into a wire struct; the error names the line and the key when TOML gives them.
///
/// # Errors
/// [`Error::Toml`] with `line N` (or `toml`) and TOML's own message.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    toml::from_str(text).map_err(|error| {
        let key = match error.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("line {line}")
            }
            None => "toml".to_owned(),
        };
        Error::Toml {
            location: key,
            message: error.message().trim_end_matches('.').to_owned(),
        }
    })
}
