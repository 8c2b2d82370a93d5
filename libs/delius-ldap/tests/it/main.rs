//! `LdapDirectory` against the local OpenLDAP server that `scripts/ldap.sh start` runs (seeded from
//! crates/local-stack/ldap/seed.ldif), plus stand-in TCP servers for the failure cases.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use delius_ldap::{Directory, DirectoryError, DirectoryUser, LdapDirectory, LdapSettings};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

fn test_url() -> String {
    std::env::var("PI_TEST_LDAP_URL").unwrap_or_else(|_| "ldap://127.0.0.1:3389".to_owned())
}

fn test_settings() -> LdapSettings {
    let bind_dn = std::env::var("PI_TEST_LDAP_USERNAME")
        .unwrap_or_else(|_| "cn=admin,dc=moj,dc=com".to_owned());
    let password = std::env::var("PI_TEST_LDAP_PASSWORD").unwrap_or_else(|_| "secret".to_owned());
    LdapSettings::new(test_url(), bind_dn, password)
}

/// A directory on the test server; fails (never skips) when the server is not running.
async fn seeded_directory() -> LdapDirectory {
    let directory = LdapDirectory::new(test_settings());
    if let Err(e) = directory.verify().await {
        panic!(
            "the LDAP test server at {} is not reachable ({e}): run scripts/ldap.sh start",
            test_url()
        );
    }
    directory
}

fn unavailable_message(outcome: Result<Option<DirectoryUser>, DirectoryError>) -> String {
    match outcome {
        Err(DirectoryError::Unavailable(message)) => message,
        other => panic!("expected DirectoryError::Unavailable, got {other:?}"),
    }
}

/// The host:port part of the test URL, for the forwarding proxy.
fn test_server_address() -> String {
    let url = test_url();
    url.trim_start_matches("ldap://")
        .trim_end_matches('/')
        .to_owned()
}

#[tokio::test]
async fn email_rule_finds_default_staffs_mail_by_username() {
    let directory = seeded_directory().await;

    let user = directory.find_user("DefaultStaff").await.unwrap();

    assert_eq!(
        user,
        Some(DirectoryUser {
            username: "DefaultStaff".into(),
            forename: Some("Default".into()),
            surname: Some("Staff".into()),
            email: Some("default.staff@moj.gov.uk".into()),
            telephone: None,
        })
    );
}

#[tokio::test]
async fn refer_and_monitor_attributes_include_the_telephone_number() {
    let directory = seeded_directory().await;

    let user = directory.find_user("john-smith").await.unwrap().unwrap();

    assert_eq!(user.username, "john-smith");
    assert_eq!(user.forename.as_deref(), Some("John"));
    assert_eq!(user.surname.as_deref(), Some("Smith"));
    assert_eq!(user.email.as_deref(), Some("john.smith@moj.gov.uk"));
    assert_eq!(user.telephone.as_deref(), Some("07321165373"));
}

#[tokio::test]
async fn an_unknown_username_is_none() {
    let directory = seeded_directory().await;

    assert_eq!(
        directory.find_user("non-existent-user").await.unwrap(),
        None
    );
    assert_eq!(directory.find_user("829185656291").await.unwrap(), None);
}

#[tokio::test]
async fn filter_injection_a_wildcard_username_matches_no_one_rather_than_everyone() {
    let directory = seeded_directory().await;

    assert_eq!(directory.find_user("*").await.unwrap(), None);
    assert_eq!(directory.find_user("Default*").await.unwrap(), None);
    assert_eq!(
        directory
            .find_user("DefaultStaff)(objectclass=*")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn filter_injection_a_username_of_metacharacters_is_matched_literally() {
    let directory = seeded_directory().await;

    let user = directory.find_user("filter(*)\\chars").await.unwrap();

    assert_eq!(
        user.map(|u| (u.username, u.surname)),
        Some(("filter(*)\\chars".to_owned(), Some("Characters".to_owned())))
    );
}

#[tokio::test]
async fn lookups_share_the_connection_and_run_concurrently() {
    let directory = Arc::new(seeded_directory().await);

    let lookups = (0..20).map(|i| {
        let directory = Arc::clone(&directory);
        tokio::spawn(async move {
            let username = if i % 2 == 0 {
                "DefaultStaff"
            } else {
                "john-smith"
            };
            directory.find_user(username).await
        })
    });
    let users = futures_join(lookups).await;

    for (i, user) in users.into_iter().enumerate() {
        let user = user.unwrap().unwrap();
        let expected = if i % 2 == 0 {
            "DefaultStaff"
        } else {
            "john-smith"
        };
        assert_eq!(user.username, expected);
    }
}

async fn futures_join<T>(handles: impl Iterator<Item = JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.await.unwrap());
    }
    results
}

#[tokio::test]
async fn a_wrong_password_is_unavailable_and_names_the_rejected_bind() {
    seeded_directory().await;
    let settings = LdapSettings::new(test_url(), "cn=admin,dc=moj,dc=com", "not-the-password");
    let directory = LdapDirectory::new(settings);

    let message = unavailable_message(directory.find_user("DefaultStaff").await);

    assert!(
        message.contains("bind") && message.contains("invalidCredentials"),
        "{message}"
    );
    assert!(!message.contains("not-the-password"), "{message}");
}

#[tokio::test]
async fn an_anonymous_connection_may_not_read_users() {
    seeded_directory().await;
    let directory = LdapDirectory::new(LdapSettings::new(test_url(), "", ""));

    let outcome = directory.find_user("DefaultStaff").await;

    // The directory (like Delius's) lets only bound users read entries: without a bind the
    // search is refused or finds nothing, and never leaks the entry.
    match outcome {
        Ok(None) | Err(DirectoryError::Unavailable(_)) => {}
        other => panic!("anonymous search returned {other:?}"),
    }
}

#[tokio::test]
async fn a_search_base_that_does_not_exist_is_unavailable() {
    seeded_directory().await;
    let directory = LdapDirectory::new(test_settings().with_base_dn("ou=Nowhere,dc=moj,dc=com"));

    let message = unavailable_message(directory.find_user("DefaultStaff").await);

    assert!(message.contains("noSuchObject"), "{message}");
}

#[tokio::test]
async fn a_server_that_is_down_is_unavailable_at_once() {
    // A port that was free a moment ago: nothing listens there.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let directory = LdapDirectory::new(LdapSettings::new(
        format!("ldap://127.0.0.1:{port}"),
        "cn=admin,dc=moj,dc=com",
        "secret",
    ));

    let started = Instant::now();
    let message = unavailable_message(directory.find_user("DefaultStaff").await);

    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
}

/// Accepts connections and never answers, like a hung server or a firewall that drops packets.
async fn silent_server() -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ldap://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (url, task)
}

#[tokio::test]
async fn a_server_that_never_answers_is_unavailable_within_the_timeout() {
    let (url, server) = silent_server().await;
    let timeout = Duration::from_millis(400);
    let directory = LdapDirectory::new(
        LdapSettings::new(url, "cn=admin,dc=moj,dc=com", "secret").with_timeout(timeout),
    );

    let started = Instant::now();
    let message = unavailable_message(directory.find_user("DefaultStaff").await);
    let waited = started.elapsed();

    assert!(waited >= timeout / 2, "{waited:?}");
    assert!(waited < timeout * 3, "{waited:?}");
    assert!(
        message.contains("bind") || message.contains("took longer"),
        "{message}"
    );

    // Straight after a failed connection, look-ups fail at once instead of waiting again.
    let started = Instant::now();
    let message = unavailable_message(directory.find_user("DefaultStaff").await);
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "{:?}",
        started.elapsed()
    );
    assert!(message.contains("not retried"), "{message}");
    server.abort();
}

/// Forwards TCP connections to the test server; `cut()` drops every forwarded connection, as a
/// server restart or an idle-connection reaper would.
struct CuttableProxy {
    url: String,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl CuttableProxy {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ldap://{}", listener.local_addr().unwrap());
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let tracked = Arc::clone(&connections);
        let upstream = test_server_address();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let forward = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tracked.lock().unwrap().push(forward);
            }
        });
        Self {
            url,
            connections,
            accept,
        }
    }

    fn cut(&self) -> usize {
        let mut connections = self.connections.lock().unwrap();
        let count = connections.len();
        for connection in connections.drain(..) {
            connection.abort();
        }
        count
    }

    fn opened(&self) -> usize {
        self.connections.lock().unwrap().len()
    }
}

#[tokio::test]
async fn a_dropped_connection_is_reopened_for_the_next_lookup() {
    seeded_directory().await;
    let proxy = CuttableProxy::start().await;
    let mut settings = test_settings();
    settings.url = proxy.url.clone();
    let directory = LdapDirectory::new(settings);

    assert!(directory.find_user("DefaultStaff").await.unwrap().is_some());
    assert!(directory.find_user("john-smith").await.unwrap().is_some());
    assert_eq!(proxy.opened(), 1, "both look-ups used one connection");

    assert_eq!(proxy.cut(), 1);
    let user = directory.find_user("DefaultStaff").await.unwrap();

    assert_eq!(
        user.and_then(|u| u.email).as_deref(),
        Some("default.staff@moj.gov.uk")
    );
    assert_eq!(proxy.opened(), 1, "a new connection replaced the cut one");
    proxy.accept.abort();
}
