//! What every message handler needs: the database, the Manage POM Cases client and the audit user.

use auth::outbound::AuthorisedClient;
use delius_data::DbPool;
use messaging::detail::DetailUrlPolicy;
use url::Url;

#[derive(Clone)]
pub struct Context {
    pub pool: DbPool,
    /// Calls Manage POM Cases with the service's client-credentials token.
    pub client: AuthorisedClient,
    /// Which `detailUrl`s may be fetched with that token.
    pub detail_urls: DetailUrlPolicy,
    /// Base URL of Manage POM Cases, for the URLs this service builds itself.
    pub mpc_base: Url,
    /// `USER_.USER_ID` of the service's Delius user, for the audit columns.
    pub user_id: i64,
}
