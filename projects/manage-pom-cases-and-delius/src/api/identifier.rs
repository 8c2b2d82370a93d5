//! The `{identifier}` of `GET /case-records/{identifier}` (spec 2.1): a CRN or a NOMS number,
//! told apart by a whole-string, case-sensitive match of their formats.

use std::fmt;

/// Message of the 400 for anything that is neither format (the reference implementation's
/// IllegalArgumentException text).
pub const UNRECOGNISED_IDENTIFIER_TYPE: &str = "UnrecognisedIdentifierType";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identifier<'a> {
    /// `[A-Z]\d{6}`, e.g. `T123456`.
    Crn(&'a str),
    /// `[A-Z]\d{4}[A-Z]{2}`, e.g. `A0123BY`.
    Noms(&'a str),
}

impl<'a> Identifier<'a> {
    /// `None` for anything that is neither a CRN nor a NOMS number (lower case, wrong length...).
    pub fn parse(value: &'a str) -> Option<Self> {
        // Byte checks rather than a regex: the same rule, and nothing to compile or allocate on
        // the hot path. Both formats are exactly seven ASCII characters.
        let bytes = value.as_bytes();
        if bytes.len() != 7 || !bytes[0].is_ascii_uppercase() {
            return None;
        }
        let all =
            |range: std::ops::Range<usize>, test: fn(&u8) -> bool| bytes[range].iter().all(test);
        if all(1..7, u8::is_ascii_digit) {
            Some(Self::Crn(value))
        } else if all(1..5, u8::is_ascii_digit) && all(5..7, u8::is_ascii_uppercase) {
            Some(Self::Noms(value))
        } else {
            None
        }
    }

    pub fn value(&self) -> &'a str {
        match self {
            Self::Crn(value) | Self::Noms(value) => value,
        }
    }

    /// The field name used in not-found messages: `crn` or `nomsId`.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Crn(_) => "crn",
            Self::Noms(_) => "nomsId",
        }
    }
}

impl fmt::Display for Identifier<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}", self.field(), self.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_2_1_crn_is_one_upper_case_letter_and_six_digits() {
        assert_eq!(
            Identifier::parse("T123456"),
            Some(Identifier::Crn("T123456"))
        );
        assert_eq!(
            Identifier::parse("A000000"),
            Some(Identifier::Crn("A000000"))
        );
    }

    #[test]
    fn spec_2_1_noms_is_a_letter_four_digits_and_two_letters() {
        assert_eq!(
            Identifier::parse("A0123BY"),
            Some(Identifier::Noms("A0123BY"))
        );
    }

    #[test]
    fn spec_2_1_anything_else_is_unrecognised() {
        for bad in [
            "", "t123456", "T12345", "T1234567", "a0123BY", "A0123by", "A0123B1", "A01234Y",
            "AA12345", "T12345X", "T123456 ", " T123456", "Т123456", "A0123BYZ", "1234567",
        ] {
            assert_eq!(Identifier::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn not_found_messages_name_the_field() {
        assert_eq!(Identifier::Crn("T123456").to_string(), "crn of T123456");
        assert_eq!(Identifier::Noms("A0123BY").to_string(), "nomsId of A0123BY");
    }
}
