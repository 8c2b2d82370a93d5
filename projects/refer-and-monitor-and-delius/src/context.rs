//! What the API and the message handler share: the database, the audit writer, the Refer and
//! Monitor client, the LDAP directory and the telemetry sink.

use std::sync::Arc;

use audit_iaps::Auditor;
use auth::outbound::AuthorisedClient;
use delius_data::DbPool;
use delius_ldap::Directory;
use messaging::detail::DetailUrlPolicy;
use messaging::Telemetry;

#[derive(Clone)]
pub struct Context {
    pub pool: DbPool,
    /// Writes `audited_interaction` rows; also holds the service's Delius user.
    pub auditor: Auditor,
    /// Calls Refer and Monitor with the service's client-credentials token.
    pub client: AuthorisedClient,
    /// Which `detailUrl`s may be fetched with that token.
    pub detail_urls: DetailUrlPolicy,
    pub telemetry: Telemetry,
    /// The `referral-withdrawal-reason` feature flag (spec 3.5 step 3).
    pub withdrawal_reason: bool,
    /// The Delius LDAP directory: staff e-mail and telephone, user names.
    pub directory: Arc<dyn Directory>,
}

impl Context {
    /// `USER_.USER_ID` of the service's Delius user, for the audit columns.
    pub fn user_id(&self) -> i64 {
        self.auditor.user().id
    }
}
