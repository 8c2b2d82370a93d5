//! Typed configuration from environment variables. Every problem is collected and reported at
//! once, one line per variable, and values are never echoed (they may be secrets).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub problems: Vec<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "invalid configuration:")?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Reads variables from a snapshot of the environment, collecting problems as it goes.
#[derive(Debug, Default)]
pub struct Env {
    vars: HashMap<String, String>,
    problems: Vec<String>,
}

impl Env {
    pub fn from_process() -> Self {
        Self::from_map(std::env::vars())
    }

    pub fn from_map<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            problems: Vec::new(),
        }
    }

    fn raw(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn parse<T: FromStr>(&mut self, name: &str, raw: &str) -> Option<T>
    where
        T::Err: fmt::Display,
    {
        match raw.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.problems.push(format!(
                    "{name} is malformed: expected {}: {e}",
                    short_type_name::<T>()
                ));
                None
            }
        }
    }

    /// A value that must be present.
    pub fn required<T: FromStr>(&mut self, name: &str) -> Option<T>
    where
        T::Err: fmt::Display,
    {
        match self.raw(name).map(str::to_owned) {
            Some(raw) => self.parse(name, &raw),
            None => {
                self.problems
                    .push(format!("{name} is required but not set"));
                None
            }
        }
    }

    /// A value that may be absent.
    pub fn optional<T: FromStr>(&mut self, name: &str) -> Option<T>
    where
        T::Err: fmt::Display,
    {
        let raw = self.raw(name)?.to_owned();
        self.parse(name, &raw)
    }

    /// A value with a default when absent (a malformed value is still an error).
    pub fn or<T: FromStr>(&mut self, name: &str, default: T) -> T
    where
        T::Err: fmt::Display,
    {
        match self.raw(name).map(str::to_owned) {
            Some(raw) => self.parse(name, &raw).unwrap_or(default),
            None => default,
        }
    }

    /// A comma-separated list (empty when absent).
    pub fn list(&mut self, name: &str) -> Vec<String> {
        self.raw(name)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Records a problem found by the caller (e.g. two settings that contradict each other).
    pub fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    /// Ok when nothing was missing or malformed.
    pub fn finish(self) -> Result<(), ConfigError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError {
                problems: self.problems,
            })
        }
    }
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    match full {
        "bool" => "true or false",
        "u16" | "u32" | "u64" | "usize" => "a whole number",
        _ => full.rsplit("::").next().unwrap_or(full),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_missing_and_malformed_value_without_echoing_it() {
        let mut env = Env::from_map([("PORT", "eighty"), ("SECRET", "hunter2"), ("FLAG", "maybe")]);
        let _: Option<String> = env.required("DATABASE_URL");
        let _: Option<u16> = env.required("PORT");
        let _: bool = env.or("FLAG", false);
        let err = env.finish().unwrap_err();
        assert_eq!(err.problems.len(), 3);
        assert_eq!(err.problems[0], "DATABASE_URL is required but not set");
        assert!(err.problems[1].starts_with("PORT is malformed: expected a whole number"));
        assert!(err.problems[2].starts_with("FLAG is malformed: expected true or false"));
        assert!(!err.to_string().contains("eighty"));
    }

    #[test]
    fn defaults_lists_and_blank_values() {
        let mut env = Env::from_map([("URLS", "http://a, http://b,,"), ("BLANK", "  ")]);
        assert_eq!(env.or("CONCURRENCY", 10usize), 10);
        assert_eq!(env.list("URLS"), ["http://a", "http://b"]);
        assert_eq!(env.optional::<String>("BLANK"), None);
        assert!(env.finish().is_ok());
    }
}
