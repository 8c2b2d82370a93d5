//! The example messages under `crates/local-stack/messages/<service>/*.json`.

use std::path::PathBuf;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

/// One example message file.
#[derive(Debug, Clone)]
pub struct ExampleMessage {
    /// The folder it is in: the service it was written for.
    pub service: String,
    /// The file name, e.g. `prisoner-released.json`.
    pub file_name: String,
    pub path: PathBuf,
    /// The `eventType` SNS message attribute (what the filter policies see), or the body's
    /// `eventType` when the file has no attribute (as `local-stack publish` does).
    pub event_type: String,
    /// The domain event (`Message`, parsed; the file itself when it has no `Message`).
    pub body: Value,
}

impl ExampleMessage {
    /// `<service>/<file name>`, for messages.
    pub fn id(&self) -> String {
        format!("{}/{}", self.service, self.file_name)
    }

    /// `detailUrl` as written in the file (with its port placeholder).
    pub fn detail_url(&self) -> Option<&str> {
        self.body.get("detailUrl").and_then(Value::as_str)
    }

    /// The body's own `eventType`, which may differ from the attribute.
    pub fn body_event_type(&self) -> Option<&str> {
        self.body.get("eventType").and_then(Value::as_str)
    }
}

/// Every example message, sorted by service and file name.
pub fn all() -> Vec<ExampleMessage> {
    let root = crate::local_stack_path("messages");
    let mut out = Vec::new();
    let mut services: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    services.sort_by_key(|e| e.file_name());
    for service in services {
        let mut files: Vec<_> = std::fs::read_dir(service.path())
            .expect("readable service folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for path in files {
            out.push(parse(
                service.file_name().to_string_lossy().into_owned(),
                path,
            ));
        }
    }
    assert!(
        out.len() > 50,
        "expected the example messages under {}, found {}",
        root.display(),
        out.len()
    );
    out
}

fn parse(service: String, path: PathBuf) -> ExampleMessage {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let file: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let body = match file.get("Message") {
        Some(Value::String(inner)) => serde_json::from_str(inner)
            .unwrap_or_else(|e| panic!("{}: Message is not JSON: {e}", path.display())),
        Some(inner) => inner.clone(),
        None => file.clone(),
    };
    let attribute = file
        .pointer("/MessageAttributes/eventType/Value")
        .and_then(Value::as_str);
    let event_type = attribute
        .or_else(|| body.get("eventType").and_then(Value::as_str))
        .unwrap_or_else(|| panic!("{}: no eventType", path.display()))
        .to_owned();
    ExampleMessage {
        service,
        file_name: path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned(),
        path,
        event_type,
        body,
    }
}

/// Replaces the port placeholders of the examples (`http://localhost:{wiremock.port}`,
/// `{dev.wiremock.port}`, `${wiremock.port}`) with `base`, e.g. `http://127.0.0.1:8090`.
pub fn substitute(text: &str, base: &str) -> String {
    static PLACEHOLDER: OnceLock<Regex> = OnceLock::new();
    let re = PLACEHOLDER.get_or_init(|| {
        Regex::new(r"https?://(?:localhost|127\.0\.0\.1):\$?\{[A-Za-z0-9_.\-]+\}").expect("regex")
    });
    re.replace_all(text, regex::NoExpand(base.trim_end_matches('/')))
        .into_owned()
}
