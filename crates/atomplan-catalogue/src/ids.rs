//! Validated identifiers: a design id, a project id, a country code and a source id cannot be
//! confused with each other or with free text, and a malformed one fails at load time.

use serde::Serialize;

use crate::Error;
use std::fmt;

fn is_kebab(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 80
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

macro_rules! kebab_id {
    ($name:ident, $what:literal) => {
        #[doc = concat!("A validated ", $what, " id (lower-case kebab-case).")]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Result<Self, Error> {
                let value = value.into();
                if is_kebab(&value) {
                    Ok($name(value))
                } else {
                    Err(Error::NotKebab(value))
                }
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

kebab_id!(DesignId, "reactor design");
kebab_id!(ProjectId, "project");

/// The id of an entry of `sources.toml`. Source ids are kebab-case but may carry a `.` or
/// upper-case letters copied from an address, so only emptiness and whitespace are refused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SourceId(String);

impl SourceId {
    pub fn new(value: impl Into<String>) -> Result<Self, Error> {
        let value = value.into();
        if value.is_empty() || value.chars().any(char::is_whitespace) {
            Err(Error::NotKebab(value))
        } else {
            Ok(SourceId(value))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Stands in for an id that failed to parse, while the failure is reported.
    pub(crate) fn placeholder() -> Self {
        SourceId(String::from("invalid"))
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 3166 alpha-2 country code such as `TR` or `KZ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Accepts two ASCII letters in either case and stores them upper-case.
    pub fn new(value: &str) -> Result<Self, Error> {
        let bytes = value.as_bytes();
        if bytes.len() == 2 && bytes.iter().all(u8::is_ascii_alphabetic) {
            Ok(CountryCode([
                bytes[0].to_ascii_uppercase(),
                bytes[1].to_ascii_uppercase(),
            ]))
        } else {
            Err(Error::NotCountryCode(value.to_owned()))
        }
    }
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
