//! The business failures the spec names, raised deep in a workflow with `?` and turned into an
//! HTTP status by the API or a failure by the message handler.

/// A missing row, reported with the spec's message, e.g. `Person with crn of X123456 not found`
/// (404 in the API, a failure for events).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotFound(pub String);

impl NotFound {
    /// `<entity> with <field> of <value> not found`.
    pub fn new(entity: &str, field: &str, value: impl std::fmt::Display) -> Self {
        Self(format!("{entity} with {field} of {value} not found"))
    }
}

/// `Some(value)` or the [`NotFound`] error.
pub trait OrNotFound<T> {
    fn or_not_found(
        self,
        entity: &str,
        field: &str,
        value: impl std::fmt::Display,
    ) -> Result<T, NotFound>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(
        self,
        entity: &str,
        field: &str,
        value: impl std::fmt::Display,
    ) -> Result<T, NotFound> {
        self.ok_or_else(|| NotFound::new(entity, field, value))
    }
}

/// A request Delius cannot accept as sent (400), e.g. a referral to a PSS breach committal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadRequest(pub String);

/// A request that clashes with what Delius already holds (409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Conflict(pub String);
