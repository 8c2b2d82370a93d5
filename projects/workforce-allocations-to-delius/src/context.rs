//! What every allocation needs: the database, the audit writer, the detail fetcher and the flags.

use audit_iaps::Auditor;
use delius_data::DbPool;
use messaging::detail::DetailFetcher;

use crate::allocation::reference::ReferenceCache;

#[derive(Clone)]
pub struct Context {
    pub pool: DbPool,
    /// Writes the `audited_interaction` rows, and knows the service's Delius user.
    pub auditor: Auditor,
    /// Fetches `detailUrl`s from HMPPS Workload with the service's client-credentials token.
    pub fetcher: DetailFetcher,
    /// Feature flag `produce-spod03-contact`.
    pub produce_spod03_contact: bool,
    /// Contact types, reasons and providers, shared by every message.
    pub reference: ReferenceCache,
}

impl Context {
    /// `USER_.USER_ID` of the service's Delius user, for the audit columns.
    pub fn user_id(&self) -> i64 {
        self.auditor.user().id
    }
}
