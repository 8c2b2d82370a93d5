//! `local-stack env <service>`: the environment `make run` (and the service tests to come) start a
//! service with.

use e2e::stack;
use e2e::topology::Topology;

#[tokio::test]
async fn env_gives_every_service_its_port_queue_user_database_and_emulator() {
    let database_url = "postgres://delius:delius@127.0.0.1:1/e2e_env";
    let endpoint = "http://127.0.0.1:2";
    for service in &Topology::load().services {
        let env = stack::service_env(&service.name, database_url, endpoint)
            .await
            .expect("local-stack env");
        let get = |name: &str| {
            env.get(name)
                .map(String::as_str)
                .unwrap_or_else(|| panic!("{}: no {name} in {env:?}", service.name))
        };
        assert_eq!(get("PORT"), service.port.to_string());
        assert_eq!(get("DATABASE_URL"), database_url);
        assert_eq!(get("AWS_ENDPOINT_URL"), endpoint);
        assert_eq!(get("MESSAGING_CONSUMER_QUEUE"), service.queue());
        assert_eq!(get("DELIUS_DB_USERNAME"), service.delius_username);
        for name in ["HMPPS_AUTH_URL", "JWT_ISSUER_URI", "AWS_REGION"] {
            assert!(!get(name).is_empty(), "{}: {name} is empty", service.name);
        }
        let upstreams = env
            .keys()
            .filter(|k| k.starts_with("INTEGRATIONS_"))
            .count();
        assert!(
            upstreams >= 1,
            "{}: no upstream URL in {env:?}",
            service.name
        );
    }

    let unknown = e2e::process::run(
        e2e::process::local_stack().args([
            "env",
            "no-such-service",
            "--database-url",
            database_url,
        ]),
        stack::COMMAND_LIMIT,
    )
    .await
    .expect("local-stack env");
    assert!(!unknown.status.success(), "{unknown}");
    assert!(unknown.stderr.contains("no-such-service"), "{unknown}");
}
