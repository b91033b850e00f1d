//! Dates as sources publish them: a year, a month or a day (`2025`, `2023-04`, `2020-05-22`).

use serde::Serialize;

use crate::Error;
use std::fmt;

/// A calendar date with optional month and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<Self, Error> {
        let format = || Error::DateFormat(text.to_owned());
        let parts: Vec<&str> = text.split('-').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(format());
        }
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(parts[0], 4) {
            return Err(format());
        }
        let year: i32 = parts[0].parse().map_err(|_| format())?;
        if !(1950..=2100).contains(&year) {
            return Err(Error::DateYear(year));
        }
        let month = match parts.get(1) {
            None => None,
            Some(m) if digits(m, 2) => Some(m.parse::<u8>().map_err(|_| format())?),
            Some(_) => return Err(format()),
        };
        let day = match parts.get(2) {
            None => None,
            Some(d) if digits(d, 2) => Some(d.parse::<u8>().map_err(|_| format())?),
            Some(_) => return Err(format()),
        };
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(Error::DateCalendar(text.to_owned()));
            }
            if let Some(d) = day {
                if d == 0 || d > days_in_month(year, m) {
                    return Err(Error::DateCalendar(text.to_owned()));
                }
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// The date as a fractional year, taking the middle of an unknown month or day.
    pub fn as_year_fraction(&self) -> f64 {
        let month = self.month.map_or(6.5, |m| f64::from(m) - 0.5);
        f64::from(self.year) + month / 12.0
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
