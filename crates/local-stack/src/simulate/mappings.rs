//! WireMock-format stub mappings: loading `<dir>/<service>/mappings/*.json` (+ `__files/`) and matching
//! requests against them.
//!
//! Supported request matchers: `method` (or `ANY`), `url` (path + query, exact), `urlPath` (path, exact),
//! `urlPattern` (regex over path + query), `urlPathPattern` (regex over the path), `queryParameters` and
//! `bodyPatterns` with `equalTo` / `contains` / `matches` / `doesNotMatch` / `equalToJson`. Responses:
//! `status`, `headers`, `bodyFileName` | `jsonBody` | `body`, `fixedDelayMilliseconds`. Lower `priority`
//! wins; otherwise the first mapping loaded wins (files in name order).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum MappingFile {
    Many { mappings: Vec<RawMapping> },
    One(Box<RawMapping>),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMapping {
    #[serde(default)]
    priority: Option<i64>,
    request: RawRequest,
    response: RawResponse,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRequest {
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    url_path: Option<String>,
    #[serde(default)]
    url_pattern: Option<String>,
    #[serde(default)]
    url_path_pattern: Option<String>,
    #[serde(default)]
    query_parameters: BTreeMap<String, RawPattern>,
    #[serde(default)]
    body_patterns: Vec<RawPattern>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPattern {
    #[serde(default)]
    equal_to: Option<String>,
    #[serde(default)]
    contains: Option<String>,
    #[serde(default)]
    matches: Option<String>,
    #[serde(default)]
    does_not_match: Option<String>,
    #[serde(default)]
    equal_to_json: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResponse {
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    headers: BTreeMap<String, Value>,
    #[serde(default)]
    body_file_name: Option<String>,
    #[serde(default)]
    json_body: Option<Value>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    fixed_delay_milliseconds: Option<u64>,
}

#[derive(Debug, Clone)]
enum UrlMatcher {
    Any,
    /// Path and query exactly.
    Url(String),
    /// Path exactly.
    Path(String),
    /// Regex over path and query.
    UrlRegex(Regex),
    /// Regex over the path.
    PathRegex(Regex),
}

#[derive(Debug, Clone)]
enum ValueMatcher {
    EqualTo(String),
    Contains(String),
    Matches(Regex),
    DoesNotMatch(Regex),
    EqualToJson(Value),
}

impl ValueMatcher {
    fn from_raw(raw: &RawPattern, what: &str) -> Result<Self> {
        if let Some(v) = &raw.equal_to {
            return Ok(ValueMatcher::EqualTo(v.clone()));
        }
        if let Some(v) = &raw.contains {
            return Ok(ValueMatcher::Contains(v.clone()));
        }
        if let Some(v) = &raw.matches {
            return Ok(ValueMatcher::Matches(full_regex(v)?));
        }
        if let Some(v) = &raw.does_not_match {
            return Ok(ValueMatcher::DoesNotMatch(full_regex(v)?));
        }
        if let Some(v) = &raw.equal_to_json {
            let json = match v {
                Value::String(s) => serde_json::from_str(s)
                    .with_context(|| format!("{what}: equalToJson is not JSON"))?,
                other => other.clone(),
            };
            return Ok(ValueMatcher::EqualToJson(json));
        }
        bail!("{what}: unsupported pattern (use equalTo, contains, matches, doesNotMatch or equalToJson)")
    }

    fn matches(&self, value: &str) -> bool {
        match self {
            ValueMatcher::EqualTo(v) => value == v,
            ValueMatcher::Contains(v) => value.contains(v.as_str()),
            ValueMatcher::Matches(re) => re.is_match(value),
            ValueMatcher::DoesNotMatch(re) => !re.is_match(value),
            ValueMatcher::EqualToJson(v) => {
                serde_json::from_str::<Value>(value).is_ok_and(|actual| &actual == v)
            }
        }
    }
}

/// WireMock regexes match the whole value.
fn full_regex(pattern: &str) -> Result<Regex> {
    Regex::new(&format!("^(?:{pattern})$")).with_context(|| format!("invalid regex {pattern}"))
}

/// A canned response.
#[derive(Debug, Clone)]
pub struct StubResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay_ms: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Mapping {
    /// Where it came from, for logs: `<service>/mappings/<file>#<index>`.
    pub source: String,
    priority: i64,
    method: Option<String>,
    url: UrlMatcher,
    query: Vec<(String, ValueMatcher)>,
    body: Vec<ValueMatcher>,
    pub response: StubResponse,
}

/// An incoming request, as the matcher sees it.
#[derive(Debug, Clone, Copy)]
pub struct IncomingRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub body: &'a [u8],
}

impl Mapping {
    fn matches(&self, req: &IncomingRequest<'_>, path: &str) -> bool {
        if let Some(method) = &self.method {
            if !method.eq_ignore_ascii_case(req.method) {
                return false;
            }
        }
        let path_and_query = match req.query {
            Some(q) if !q.is_empty() => format!("{path}?{q}"),
            _ => path.to_string(),
        };
        let url_ok = match &self.url {
            UrlMatcher::Any => true,
            UrlMatcher::Url(u) => *u == path_and_query,
            UrlMatcher::Path(p) => p == path,
            UrlMatcher::UrlRegex(re) => re.is_match(&path_and_query),
            UrlMatcher::PathRegex(re) => re.is_match(path),
        };
        if !url_ok {
            return false;
        }
        if !self.query.is_empty() {
            let params: Vec<(String, String)> =
                url::form_urlencoded::parse(req.query.unwrap_or("").as_bytes())
                    .into_owned()
                    .collect();
            for (name, matcher) in &self.query {
                let ok = params.iter().any(|(k, v)| k == name && matcher.matches(v));
                if !ok {
                    return false;
                }
            }
        }
        if !self.body.is_empty() {
            let body = String::from_utf8_lossy(req.body);
            if !self.body.iter().all(|m| m.matches(&body)) {
                return false;
            }
        }
        true
    }
}

/// Every loaded mapping plus the upstream path prefixes that may precede a mapped URL.
#[derive(Debug, Clone, Default)]
pub struct Mappings {
    mappings: Vec<Mapping>,
    prefixes: Vec<String>,
}

impl Mappings {
    pub fn new(mut mappings: Vec<Mapping>, prefixes: Vec<String>) -> Self {
        // stable: equal priorities keep load order
        mappings.sort_by_key(|m| m.priority);
        Mappings { mappings, prefixes }
    }

    pub fn len(&self) -> usize {
        self.mappings.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Mapping> {
        self.mappings.iter()
    }

    /// The first mapping that matches the request as sent, or with a known upstream prefix (`/prison-api`)
    /// removed from its path.
    pub fn find(&self, req: &IncomingRequest<'_>) -> Option<&Mapping> {
        let mut paths = vec![req.path.to_string()];
        for prefix in &self.prefixes {
            if let Some(rest) = req.path.strip_prefix(prefix.as_str()) {
                if rest.is_empty() {
                    paths.push("/".to_string());
                } else if rest.starts_with('/') {
                    paths.push(rest.to_string());
                }
            }
        }
        self.mappings
            .iter()
            .find(|m| paths.iter().any(|p| m.matches(req, p)))
    }
}

/// Loads `<dir>/<service>/mappings/*.json`, resolving `bodyFileName` against `<dir>/<service>/__files/`.
/// A `<dir>/mappings` folder (plain WireMock layout) is loaded as well.
pub fn load_dir(dir: &Path) -> Result<Vec<Mapping>> {
    if !dir.is_dir() {
        bail!("simulations directory {} does not exist", dir.display());
    }
    let mut roots: Vec<PathBuf> = vec![dir.to_path_buf()];
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    children.sort();
    roots.extend(children);

    let mut mappings = Vec::new();
    for root in roots {
        let mapping_dir = root.join("mappings");
        if !mapping_dir.is_dir() {
            continue;
        }
        let label = root
            .strip_prefix(dir)
            .ok()
            .map(|p| p.display().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| ".".to_string());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&mapping_dir)
            .with_context(|| format!("reading {}", mapping_dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            let file_name = file
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let parsed = parse_file(
                &text,
                &format!("{label}/mappings/{file_name}"),
                &root.join("__files"),
            )
            .with_context(|| format!("loading mappings from {}", file.display()))?;
            mappings.extend(parsed);
        }
    }
    Ok(mappings)
}

/// Parses one mapping file. `files_dir` is where `bodyFileName`s are read from.
pub fn parse_file(text: &str, source: &str, files_dir: &Path) -> Result<Vec<Mapping>> {
    let file: MappingFile = serde_json::from_str(text).context("not a WireMock mapping file")?;
    let raws = match file {
        MappingFile::Many { mappings } => mappings,
        MappingFile::One(m) => vec![*m],
    };
    raws.into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let source = format!("{source}#{i}");
            compile(raw, &source, files_dir).with_context(|| format!("mapping {source}"))
        })
        .collect()
}

fn compile(raw: RawMapping, source: &str, files_dir: &Path) -> Result<Mapping> {
    let r = raw.request;
    let url = match (&r.url, &r.url_path, &r.url_pattern, &r.url_path_pattern) {
        (Some(u), None, None, None) => UrlMatcher::Url(u.clone()),
        (None, Some(p), None, None) => UrlMatcher::Path(p.clone()),
        (None, None, Some(p), None) => UrlMatcher::UrlRegex(full_regex(p)?),
        (None, None, None, Some(p)) => UrlMatcher::PathRegex(full_regex(p)?),
        (None, None, None, None) => UrlMatcher::Any,
        _ => bail!("give only one of url, urlPath, urlPattern, urlPathPattern"),
    };
    let method = r
        .method
        .filter(|m| !m.eq_ignore_ascii_case("ANY"))
        .map(|m| m.to_ascii_uppercase());
    let query = r
        .query_parameters
        .iter()
        .map(|(name, p)| {
            Ok((
                name.clone(),
                ValueMatcher::from_raw(p, &format!("query parameter {name}"))?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let body = r
        .body_patterns
        .iter()
        .map(|p| ValueMatcher::from_raw(p, "bodyPatterns"))
        .collect::<Result<Vec<_>>>()?;

    let resp = raw.response;
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &resp.headers {
        match value {
            Value::String(s) => headers.push((name.clone(), s.clone())),
            Value::Array(items) => {
                for item in items {
                    let s = item
                        .as_str()
                        .with_context(|| format!("header {name}: values must be strings"))?;
                    headers.push((name.clone(), s.to_string()));
                }
            }
            other => headers.push((name.clone(), other.to_string())),
        }
    }
    let has_content_type = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    let (response_body, json_like) = match (&resp.body_file_name, &resp.json_body, &resp.body) {
        (Some(name), None, None) => {
            if Path::new(name)
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                bail!("bodyFileName {name} must stay inside __files");
            }
            let path = files_dir.join(name);
            let bytes = std::fs::read(&path)
                .with_context(|| format!("reading bodyFileName {}", path.display()))?;
            (bytes, name.ends_with(".json"))
        }
        (None, Some(json), None) => (json.to_string().into_bytes(), true),
        (None, None, Some(text)) => (text.clone().into_bytes(), false),
        (None, None, None) => (Vec::new(), false),
        _ => bail!("give only one of bodyFileName, jsonBody, body"),
    };
    if json_like && !has_content_type {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    Ok(Mapping {
        source: source.to_string(),
        priority: raw.priority.unwrap_or(5),
        method,
        url,
        query,
        body,
        response: StubResponse {
            status: resp.status.unwrap_or(200),
            headers,
            body: response_body,
            delay_ms: resp.fixed_delay_milliseconds,
        },
    })
}

impl Mapping {
    /// One line describing what the mapping matches, for `/__admin/mappings`.
    pub fn describe(&self) -> String {
        let method = self.method.as_deref().unwrap_or("ANY");
        let url = match &self.url {
            UrlMatcher::Any => "(any url)".to_string(),
            UrlMatcher::Url(u) => u.clone(),
            UrlMatcher::Path(p) => format!("{p} (path)"),
            UrlMatcher::UrlRegex(re) => format!("{} (url regex)", re.as_str()),
            UrlMatcher::PathRegex(re) => format!("{} (path regex)", re.as_str()),
        };
        format!("{method} {url} -> {}", self.response.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(
        method: &'a str,
        path: &'a str,
        query: Option<&'a str>,
        body: &'a [u8],
    ) -> IncomingRequest<'a> {
        IncomingRequest {
            method,
            path,
            query,
            body,
        }
    }

    fn load(text: &str) -> Mappings {
        let m = parse_file(text, "test", Path::new("/nonexistent")).expect("valid mappings");
        Mappings::new(m, vec!["/prison-api".into()])
    }

    #[test]
    fn matches_method_and_exact_url() {
        let m = load(
            r#"{"mappings":[{"request":{"method":"GET","url":"/a/b?x=1"},"response":{"status":200,"body":"hi"}}]}"#,
        );
        assert!(m.find(&req("GET", "/a/b", Some("x=1"), b"")).is_some());
        assert!(
            m.find(&req("GET", "/a/b", None, b"")).is_none(),
            "url includes the query"
        );
        assert!(
            m.find(&req("POST", "/a/b", Some("x=1"), b"")).is_none(),
            "method differs"
        );
        let hit = m.find(&req("GET", "/a/b", Some("x=1"), b"")).expect("hit");
        assert_eq!(hit.response.body, b"hi");
        assert_eq!(hit.source, "test#0");
    }

    #[test]
    fn url_path_ignores_query_and_query_parameters_are_checked() {
        let m = load(
            r#"{"mappings":[
              {"request":{"method":"GET","urlPath":"/api/bookings/offenderNo/A1",
                 "queryParameters":{"extraInfo":{"equalTo":"true"}}},
               "response":{"status":200,"jsonBody":{"bookingId":1}}}
            ]}"#,
        );
        let hit = m
            .find(&req(
                "GET",
                "/api/bookings/offenderNo/A1",
                Some("basicInfo=false&extraInfo=true"),
                b"",
            ))
            .expect("hit");
        assert_eq!(hit.response.body, br#"{"bookingId":1}"#);
        assert!(hit
            .response
            .headers
            .contains(&("Content-Type".into(), "application/json".into())));
        assert!(m
            .find(&req(
                "GET",
                "/api/bookings/offenderNo/A1",
                Some("extraInfo=false"),
                b""
            ))
            .is_none());
        assert!(m
            .find(&req("GET", "/api/bookings/offenderNo/A1", None, b""))
            .is_none());
    }

    #[test]
    fn url_patterns_are_full_regex_matches() {
        let m = load(
            r#"{"mappings":[
              {"request":{"method":"ANY","urlPattern":"/alerts/[0-9a-f-]+"},"response":{"status":201}},
              {"request":{"urlPathPattern":"/case-notes/.*"},"response":{"status":202}}
            ]}"#,
        );
        assert_eq!(
            m.find(&req("DELETE", "/alerts/abc-123", None, b""))
                .map(|h| h.response.status),
            Some(201)
        );
        assert!(
            m.find(&req("GET", "/alerts/abc/x", None, b"")).is_none(),
            "anchored"
        );
        assert!(
            m.find(&req("GET", "/alerts/abc-1", Some("q=1"), b""))
                .is_none(),
            "urlPattern sees the query"
        );
        assert_eq!(
            m.find(&req("GET", "/case-notes/A/1", Some("q=1"), b""))
                .map(|h| h.response.status),
            Some(202)
        );
    }

    #[test]
    fn body_patterns_and_priority() {
        let m = load(
            r#"{"mappings":[
              {"request":{"method":"POST","urlPath":"/api/movements/offenders"},"response":{"status":200,"body":"fallback"}},
              {"priority":1,"request":{"method":"POST","urlPath":"/api/movements/offenders",
                 "bodyPatterns":[{"contains":"\"A0001AA\""}]},"response":{"status":200,"body":"a1"}},
              {"priority":1,"request":{"method":"POST","urlPath":"/json",
                 "bodyPatterns":[{"equalToJson":"[\"X\"]"}]},"response":{"status":200,"body":"json"}}
            ]}"#,
        );
        let body_of = |r: IncomingRequest<'_>| {
            m.find(&r)
                .map(|h| String::from_utf8_lossy(&h.response.body).into_owned())
        };
        assert_eq!(
            body_of(req(
                "POST",
                "/api/movements/offenders",
                None,
                br#"["A0001AA"]"#
            ))
            .as_deref(),
            Some("a1")
        );
        assert_eq!(
            body_of(req("POST", "/api/movements/offenders", None, br#"["B"]"#)).as_deref(),
            Some("fallback")
        );
        assert_eq!(
            body_of(req("POST", "/json", None, b" [ \"X\" ] ")).as_deref(),
            Some("json")
        );
        assert_eq!(body_of(req("POST", "/json", None, br#"["Y"]"#)), None);
    }

    #[test]
    fn upstream_prefix_is_optional() {
        let m = load(
            r#"{"request":{"method":"GET","url":"/api/bookings/1"},"response":{"status":200}}"#,
        );
        assert!(m.find(&req("GET", "/api/bookings/1", None, b"")).is_some());
        assert!(m
            .find(&req("GET", "/prison-api/api/bookings/1", None, b""))
            .is_some());
        assert!(m
            .find(&req("GET", "/prison-apix/api/bookings/1", None, b""))
            .is_none());
        assert!(m
            .find(&req("GET", "/other/api/bookings/1", None, b""))
            .is_none());
    }

    #[test]
    fn invalid_mappings_are_reported() {
        let dir = Path::new("/nonexistent");
        assert!(parse_file("{}", "t", dir).is_err());
        let two_urls = r#"{"request":{"url":"/a","urlPath":"/a"},"response":{}}"#;
        assert!(parse_file(two_urls, "t", dir).is_err());
        let missing_file = r#"{"request":{"url":"/a"},"response":{"bodyFileName":"nope.json"}}"#;
        let err = parse_file(missing_file, "t", dir).expect_err("missing body file");
        assert!(format!("{err:#}").contains("nope.json"));
        let escape = r#"{"request":{"url":"/a"},"response":{"bodyFileName":"../x.json"}}"#;
        assert!(parse_file(escape, "t", dir).is_err());
        let bad_regex = r#"{"request":{"urlPattern":"(("},"response":{}}"#;
        assert!(parse_file(bad_regex, "t", dir).is_err());
    }

    #[test]
    fn bundled_simulations_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("simulations");
        let mappings = load_dir(&dir).expect("bundled simulations load");
        let m = Mappings::new(mappings, vec!["/workforce-allocations".into()]);
        assert!(m.len() > 40);
        let hit = m
            .find(&req(
                "GET",
                "/workforce-allocations/allocation/person/allocate-new-person-manager",
                None,
                b"",
            ))
            .expect("workforce mapping");
        assert!(hit
            .source
            .starts_with("workforce-allocations-to-delius/mappings/"));
        assert!(m
            .find(&req(
                "GET",
                "/sent-referral/f56c5f7c-632f-4cad-a1b3-693541cb5f22",
                None,
                b""
            ))
            .is_some());
    }
}
