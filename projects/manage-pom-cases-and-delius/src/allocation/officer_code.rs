//! Officer codes for new POM staff (spec 3.2.1 step 3, rule 6): `<area3><letter><nnn>`, the
//! highest existing number for the letter plus one, from `A001`; after 999 the next letter; after
//! `Z999` no code is left.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("StaffCodeExhausted: every officer code from {prefix}A001 to {prefix}Z999 is taken")]
pub struct StaffCodeExhausted {
    pub prefix: String,
}

/// The prefix of a provider's generated codes: the first 3 characters of its code.
pub fn prefix(provider_code: &str) -> String {
    provider_code.chars().take(3).collect()
}

/// The next free code given the existing codes that start with `prefix` (any others are
/// ignored). Matching ignores case, as the reference's regex does; the number compared is the
/// numeric value of the 3 digits, so mixed-case codes cannot make a lower number win.
pub fn next_officer_code(prefix: &str, existing: &[String]) -> Result<String, StaffCodeExhausted> {
    for letter in 'A'..='Z' {
        let letter_prefix = format!("{prefix}{letter}").to_ascii_uppercase();
        let highest = existing
            .iter()
            .filter_map(|code| number_after(&code.to_ascii_uppercase(), &letter_prefix))
            .max()
            .unwrap_or(0);
        let next = highest + 1;
        if next <= 999 {
            return Ok(format!("{prefix}{letter}{next:03}"));
        }
    }
    Err(StaffCodeExhausted {
        prefix: prefix.to_owned(),
    })
}

/// The 3-digit number of `code` when it is exactly `letter_prefix` followed by 3 digits.
fn number_after(code: &str, letter_prefix: &str) -> Option<u32> {
    let digits = code.strip_prefix(letter_prefix)?;
    if digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rule_6_first_code_is_a001_and_unallocated_codes_do_not_count() {
        assert_eq!(next_officer_code("N03", &[]).unwrap(), "N03A001");
        assert_eq!(
            next_officer_code("N03", &codes(&["N03ALLU", "N03POMF", "N03DEF0"])).unwrap(),
            "N03A001"
        );
    }

    #[test]
    fn rule_6_next_code_follows_the_highest_number_ignoring_case() {
        assert_eq!(
            next_officer_code("N03", &codes(&["N03A001", "n03a007", "N03A003"])).unwrap(),
            "N03A008"
        );
        assert_eq!(
            next_officer_code("N03", &codes(&["N03A001"])).unwrap(),
            "N03A002"
        );
    }

    #[test]
    fn rule_6_codes_roll_over_to_the_next_letter_after_999() {
        assert_eq!(
            next_officer_code("N03", &codes(&["N03A999"])).unwrap(),
            "N03B001"
        );
        assert_eq!(
            next_officer_code("N03", &codes(&["N03A999", "N03B010"])).unwrap(),
            "N03B011"
        );
    }

    #[test]
    fn rule_6_codes_are_exhausted_after_z999() {
        let all: Vec<String> = ('A'..='Z').map(|l| format!("N03{l}999")).collect();
        assert_eq!(
            next_officer_code("N03", &all),
            Err(StaffCodeExhausted {
                prefix: "N03".into()
            })
        );
        let all_but_z: Vec<String> = ('A'..='Y').map(|l| format!("N03{l}999")).collect();
        assert_eq!(next_officer_code("N03", &all_but_z).unwrap(), "N03Z001");
    }

    #[test]
    fn prefix_is_the_first_three_characters() {
        assert_eq!(prefix("N03"), "N03");
        assert_eq!(prefix("N03X"), "N03");
    }
}
