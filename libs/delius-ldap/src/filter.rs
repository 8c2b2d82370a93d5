//! The search filter that finds one user by username, with the username escaped so that it is
//! only ever matched as a literal value.

use std::fmt::Write;

/// Escapes a value for use inside an LDAP search filter (RFC 4515 section 3): `*`, `(`, `)`, `\`
/// and NUL become `\2a`, `\28`, `\29`, `\5c` and `\00`, so that a username such as `*` matches only
/// a user literally called `*` instead of every user.
pub fn escape_filter_value(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            '*' | '(' | ')' | '\\' | '\0' => {
                // Writing to a String cannot fail.
                let _ = write!(escaped, "\\{:02x}", u32::from(character));
            }
            other => escaped.push(other),
        }
    }
    escaped
}

/// `(&(objectclass=inetOrgPerson)(cn=<username>))`: Delius users are inetOrgPerson entries named by
/// their username.
pub fn user_filter(username: &str) -> String {
    format!(
        "(&(objectclass=inetOrgPerson)(cn={}))",
        escape_filter_value(username)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_usernames_are_left_as_they_are() {
        assert_eq!(escape_filter_value("DefaultStaff"), "DefaultStaff");
        assert_eq!(escape_filter_value("john-smith.2"), "john-smith.2");
        assert_eq!(escape_filter_value(""), "");
    }

    #[test]
    fn filter_metacharacters_are_escaped_as_hex_pairs() {
        assert_eq!(escape_filter_value("*"), "\\2a");
        assert_eq!(escape_filter_value("("), "\\28");
        assert_eq!(escape_filter_value(")"), "\\29");
        assert_eq!(escape_filter_value("\\"), "\\5c");
        assert_eq!(escape_filter_value("\0"), "\\00");
        assert_eq!(escape_filter_value("*()\\"), "\\2a\\28\\29\\5c");
    }

    #[test]
    fn an_injected_filter_stays_inside_the_cn_value() {
        assert_eq!(
            user_filter("x)(objectclass=*"),
            "(&(objectclass=inetOrgPerson)(cn=x\\29\\28objectclass=\\2a))"
        );
    }

    #[test]
    fn non_ascii_characters_are_kept_as_utf8() {
        // RFC 4515 allows UTF-8 in values; only the five special characters need escaping.
        assert_eq!(escape_filter_value("Siân*"), "Siân\\2a");
    }

    #[test]
    fn the_user_filter_selects_inet_org_persons_by_cn() {
        assert_eq!(
            user_filter("DefaultStaff"),
            "(&(objectclass=inetOrgPerson)(cn=DefaultStaff))"
        );
    }
}
