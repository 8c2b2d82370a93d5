//! Reading a JSON request body field by field, so a 400 names every field that is missing or
//! not what the spec says, rather than serde's first error.

use auth::FieldError;
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::errors::ApiError;

pub const REQUIRED: &str = "NotNull";
pub const INVALID: &str = "Invalid";

pub struct Fields<'a> {
    prefix: &'a str,
    object: &'a Map<String, Value>,
    errors: &'a mut Vec<FieldError>,
}

/// The body as a JSON object, or a 400 saying it is not one.
pub fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::BadRequest(
            "Request body must be a JSON object".to_owned(),
        )),
        Err(error) => Err(ApiError::BadRequest(format!(
            "Malformed JSON request body: {error}"
        ))),
    }
}

impl<'a> Fields<'a> {
    pub fn new(
        prefix: &'a str,
        object: &'a Map<String, Value>,
        errors: &'a mut Vec<FieldError>,
    ) -> Self {
        Self {
            prefix,
            object,
            errors,
        }
    }

    fn name(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    pub fn error(&mut self, field: &str, code: &str, message: &str) {
        let field = self.name(field);
        self.errors.push(FieldError {
            code: code.to_owned(),
            message: message.to_owned(),
            field,
        });
    }

    /// The field's value, or an error naming it when it is missing or null.
    pub fn required<T>(&mut self, field: &str, kind: Kind<T>) -> Option<T> {
        match self.object.get(field) {
            None | Some(Value::Null) => {
                self.error(field, REQUIRED, "must not be null");
                None
            }
            Some(value) => self.parse(field, value, kind),
        }
    }

    /// The field's value when present and not null; an error naming it when it is not valid.
    pub fn optional<T>(&mut self, field: &str, kind: Kind<T>) -> Option<T> {
        match self.object.get(field) {
            None | Some(Value::Null) => None,
            Some(value) => self.parse(field, value, kind),
        }
    }

    pub fn present(&self, field: &str) -> bool {
        !matches!(self.object.get(field), None | Some(Value::Null))
    }

    fn parse<T>(&mut self, field: &str, value: &Value, kind: Kind<T>) -> Option<T> {
        let parsed = (kind.parse)(value);
        if parsed.is_none() {
            self.error(field, INVALID, kind.expected);
        }
        parsed
    }
}

/// How to read one JSON value, and what to say when it cannot be.
pub struct Kind<T> {
    parse: fn(&Value) -> Option<T>,
    expected: &'static str,
}

pub const UUID: Kind<Uuid> = Kind {
    parse: |v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()),
    expected: "must be a UUID",
};

pub const ZONED_DATE_TIME: Kind<DateTime<FixedOffset>> = Kind {
    parse: |v| v.as_str().and_then(parse_zoned),
    expected: "must be an ISO-8601 date-time with an offset",
};

pub const INTEGER: Kind<i64> = Kind {
    parse: Value::as_i64,
    expected: "must be an integer",
};

pub const STRING: Kind<String> = Kind {
    parse: |v| v.as_str().map(str::to_owned),
    expected: "must be a string",
};

pub const BOOLEAN: Kind<bool> = Kind {
    parse: Value::as_bool,
    expected: "must be a boolean",
};

pub const OBJECT: Kind<Map<String, Value>> = Kind {
    parse: |v| v.as_object().cloned(),
    expected: "must be an object",
};

/// ISO-8601 with an offset; Java's optional `[Region/Zone]` suffix is accepted and ignored,
/// since the offset already fixes the instant.
pub fn parse_zoned(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = match text.find('[') {
        Some(at) if text.ends_with(']') => &text[..at],
        _ => text,
    };
    DateTime::parse_from_rfc3339(text).ok()
}

/// 400 with the collected field errors, if there are any.
pub fn finish(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn zoned_date_times_accept_a_java_zone_suffix() {
        let plain = parse_zoned("2023-02-23T15:29:54.197Z").unwrap();
        assert_eq!(
            parse_zoned("2023-02-23T15:29:54.197Z[Europe/London]"),
            Some(plain)
        );
        assert_eq!(parse_zoned("2023-02-23T15:29:54"), None);
        assert_eq!(parse_zoned("yesterday"), None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let body = json!({"a": null, "b": "x", "c": 3});
        let object = body.as_object().unwrap();
        let mut errors = Vec::new();
        let mut fields = Fields::new("outcome.", object, &mut errors);
        assert_eq!(fields.required("a", INTEGER), None);
        assert_eq!(fields.required("b", INTEGER), None);
        assert_eq!(fields.required("c", INTEGER), Some(3));
        assert_eq!(fields.optional("d", STRING), None);
        assert_eq!(fields.required("e", BOOLEAN), None);
        let named: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("outcome.a", REQUIRED),
                ("outcome.b", INVALID),
                ("outcome.e", REQUIRED)
            ]
        );
    }
}
