//! Role checks, including the admin role that implies every role the service declares.

/// Authority that implies every role declared by the service (platform spec §2.1).
pub const ADMIN_ROLE: &str = "ROLE_PROBATION_INTEGRATION_ADMIN";

/// The roles a service declares (its `oauth2.roles`) and the admin hierarchy over them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolePolicy {
    service_roles: Vec<String>,
}

impl RolePolicy {
    /// `service_roles` are authority names; a missing `ROLE_` prefix is added, so both
    /// `EXAMPLE` and `ROLE_EXAMPLE` mean the authority `ROLE_EXAMPLE`.
    pub fn new(service_roles: Vec<String>) -> Self {
        Self {
            service_roles: service_roles.iter().map(|r| normalise(r)).collect(),
        }
    }

    pub fn service_roles(&self) -> &[String] {
        &self.service_roles
    }

    /// True if `authorities` contain `role`, or contain [`ADMIN_ROLE`] and `role` is one of the
    /// service's declared roles. The admin role deliberately does not unlock undeclared roles.
    pub fn allows(&self, authorities: &[String], role: &str) -> bool {
        let role = normalise(role);
        let has = |authority: &str| authorities.iter().any(|a| a == authority);
        has(&role) || (has(ADMIN_ROLE) && self.service_roles.contains(&role))
    }
}

pub(crate) fn normalise(role: &str) -> String {
    if role.starts_with("ROLE_") {
        role.to_owned()
    } else {
        format!("ROLE_{role}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authorities(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn direct_role_passes() {
        let policy = RolePolicy::new(vec![]);
        assert!(policy.allows(&authorities(&["ROLE_A"]), "ROLE_A"));
        assert!(!policy.allows(&authorities(&["ROLE_B"]), "ROLE_A"));
        assert!(!policy.allows(&[], "ROLE_A"));
    }

    #[test]
    fn admin_implies_declared_roles_only() {
        let policy = RolePolicy::new(vec!["ROLE_A".into()]);
        assert!(policy.allows(&authorities(&[ADMIN_ROLE]), "ROLE_A"));
        assert!(!policy.allows(&authorities(&[ADMIN_ROLE]), "ROLE_B"));
    }

    #[test]
    fn prefix_is_normalised() {
        let policy = RolePolicy::new(vec!["A".into()]);
        assert_eq!(policy.service_roles(), ["ROLE_A"]);
        assert!(policy.allows(&authorities(&[ADMIN_ROLE]), "A"));
        assert!(policy.allows(&authorities(&["ROLE_B"]), "B"));
    }
}
