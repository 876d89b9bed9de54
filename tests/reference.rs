//! `docs/api.md` against the OpenAPI document the server serves, so that the
//! written reference and the code cannot drift apart.
//!
//! The convention the reference follows, and this test enforces:
//!
//! - every route is documented under a level-3 heading that reads exactly
//!   ``### `METHOD /full/path` `` (path parameters as the OpenAPI document
//!   writes them: `{key}`, `{id}`, `{locale}`), once;
//! - each such section has a `**Who:**` line and an `**Errors:**` line;
//! - a route named in running text as `` `METHOD /api/v1/...` `` exists;
//! - the table of the "Errors" section lists exactly the error codes of the
//!   document's error body.
//!
//! The document is read from the real `tribune` binary, started on a
//! temporary SQLite database, as an operator would run it.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const REFERENCE: &str = "docs/api.md";

/// The methods an OpenAPI path item may hold, as the reference writes them.
const METHODS: &[&str] = &[
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
];

/// A `tribune serve` on a port of its choosing; killed when dropped.
struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_tribune"))
            .arg("serve")
            .current_dir(dir.path())
            .env(
                "TRIBUNE_DATABASE__URL",
                format!("sqlite://{}", dir.path().join("tribune.db").display()),
            )
            .env("TRIBUNE_SERVER__BIND", "127.0.0.1:0")
            .env("TRIBUNE_LOG__FORMAT", "json")
            .env("TRIBUNE_RATE_LIMIT__ENABLED", "false")
            .env("TRIBUNE_AUTH__ARGON2_MEMORY_KIB", "64")
            .env("TRIBUNE_AUTH__ARGON2_ITERATIONS", "1")
            .env_remove("RUST_LOG")
            .env_remove("TRIBUNE_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the tribune binary");
        // The server logs the address it bound (port 0: no race for a port);
        // the log keeps being read so that the pipe never fills.
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let address = serde_json::from_str::<Value>(&line)
                    .ok()
                    .and_then(|v| v["fields"]["address"].as_str().map(str::to_string));
                if let (Some(address), Some(sender)) = (address, tx.as_ref()) {
                    let _ = sender.send(address);
                    tx = None;
                }
            }
        });
        let address = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(address) => address,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("tribune did not say where it listens within 60 s");
            }
        };
        Server {
            child,
            base: format!("http://{address}"),
            _dir: dir,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET /openapi.json` from the running binary.
async fn served_document() -> Value {
    let server = Server::start();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let url = format!("{}/openapi.json", server.base);
    let mut last_error = String::new();
    // The socket is bound before the address is logged; the workers may
    // still be starting.
    for _ in 0..100 {
        match client.get(&url).send().await {
            Ok(res) => {
                assert_eq!(res.status(), 200, "GET /openapi.json");
                return res.json().await.expect("the OpenAPI document is JSON");
            }
            Err(e) => last_error = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("GET /openapi.json failed: {last_error}");
}

fn reference_text() -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join(REFERENCE);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every (METHOD, path) of the document.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("the document has paths") {
        for method in item.as_object().expect("a path item").keys() {
            let method = method.to_uppercase();
            if METHODS.contains(&method.as_str()) {
                ops.insert((method, path.clone()));
            }
        }
    }
    ops
}

/// Follows a local `$ref`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local reference");
            resolve(doc, doc.pointer(pointer).expect("the reference resolves"))
        }
        None => schema,
    }
}

/// The values of `error.code` in the error body every error status carries.
fn error_codes(doc: &Value) -> BTreeSet<String> {
    let error = &doc["components"]["schemas"]["Error"];
    let detail = resolve(doc, &error["properties"]["error"]);
    let code = resolve(doc, &detail["properties"]["code"]);
    code["enum"]
        .as_array()
        .expect("error codes are an enum")
        .iter()
        .map(|c| c.as_str().expect("a code is a string").to_string())
        .collect()
}

/// `GET /x` → ("GET", "/x") when the method is one of `METHODS` and the path
/// starts with a slash and has no space.
fn route(text: &str) -> Option<(String, String)> {
    let (method, path) = text.split_once(' ')?;
    (METHODS.contains(&method) && path.starts_with('/') && !path.contains(char::is_whitespace))
        .then(|| (method.to_string(), path.to_string()))
}

/// What `docs/api.md` says, line numbers from 1.
#[derive(Default)]
struct Reference {
    /// Route headings: route → the line of its heading.
    headings: BTreeMap<(String, String), usize>,
    /// Routes under `/api/v1/` named in running text: (line, route).
    mentions: Vec<(usize, (String, String))>,
    /// The codes in the table of the "Errors" section: code → line.
    error_table: BTreeMap<String, usize>,
    problems: Vec<String>,
}

impl Reference {
    fn parse(text: &str) -> Reference {
        let mut reference = Reference::default();
        let lines: Vec<&str> = text.lines().collect();
        // Fenced code (curl examples, JSON answers) is no heading and no mention.
        let mut in_fence = false;
        let mut prose: Vec<(usize, &str)> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("```") {
                in_fence = !in_fence;
                continue;
            }
            if !in_fence {
                prose.push((i + 1, line));
            }
        }
        let mut section: Option<(usize, (String, String), bool, bool)> = None;
        let mut in_errors = false;
        for &(n, line) in &prose {
            if line.starts_with('#') {
                reference.close_section(section.take());
                in_errors = line.trim() == "## Errors";
            }
            if let Some(rest) = line.strip_prefix("### `") {
                match rest.strip_suffix('`').and_then(route) {
                    Some(r) => {
                        if let Some(first) = reference.headings.get(&r) {
                            reference.problems.push(format!(
                                "{REFERENCE}:{n}: `{} {}` has a second heading (the first is at line {first})",
                                r.0, r.1
                            ));
                        } else {
                            reference.headings.insert(r.clone(), n);
                        }
                        section = Some((n, r, false, false));
                    }
                    None => reference.problems.push(format!(
                        "{REFERENCE}:{n}: a route heading must read ### `METHOD /path` and nothing else; found {line:?}"
                    )),
                }
                continue;
            }
            if let Some((_, _, who, errors)) = section.as_mut() {
                *who |= line.starts_with("**Who:**");
                *errors |= line.starts_with("**Errors:**");
            }
            if in_errors && line.starts_with('|') {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                if let Some(code) = cells
                    .get(2)
                    .and_then(|c| c.strip_prefix('`'))
                    .and_then(|c| c.strip_suffix('`'))
                {
                    reference.error_table.insert(code.to_string(), n);
                }
            }
            // Inline code spans: the odd pieces between backticks.
            for span in line.split('`').skip(1).step_by(2) {
                let span = span.split('?').next().unwrap_or(span);
                if let Some(r) = route(span).filter(|(_, p)| p.starts_with("/api/v1/")) {
                    reference.mentions.push((n, r));
                }
            }
        }
        reference.close_section(section.take());
        reference
    }

    fn close_section(&mut self, section: Option<(usize, (String, String), bool, bool)>) {
        let Some((n, (method, path), who, errors)) = section else {
            return;
        };
        if !who {
            self.problems.push(format!(
                "{REFERENCE}:{n}: the section of `{method} {path}` has no **Who:** line"
            ));
        }
        if !errors {
            self.problems.push(format!(
                "{REFERENCE}:{n}: the section of `{method} {path}` has no **Errors:** line"
            ));
        }
    }
}

/// Everything that differs between the document and the reference, one
/// message per difference.
fn route_problems(doc: &Value, text: &str) -> Vec<String> {
    let served = operations(doc);
    let reference = Reference::parse(text);
    let mut problems = reference.problems.clone();
    for (method, path) in &served {
        if !reference
            .headings
            .contains_key(&(method.clone(), path.clone()))
        {
            problems.push(format!(
                "`{method} {path}` is served (GET /openapi.json) but {REFERENCE} has no heading ### `{method} {path}`"
            ));
        }
    }
    for ((method, path), line) in &reference.headings {
        if !served.contains(&(method.clone(), path.clone())) {
            problems.push(format!(
                "{REFERENCE}:{line}: heading ### `{method} {path}` names a route the served OpenAPI document does not have"
            ));
        }
    }
    for (line, (method, path)) in &reference.mentions {
        if !served.contains(&(method.clone(), path.clone())) {
            problems.push(format!(
                "{REFERENCE}:{line}: `{method} {path}` is named in the text but the served OpenAPI document has no such route"
            ));
        }
    }
    problems
}

fn error_code_problems(doc: &Value, text: &str) -> Vec<String> {
    let codes = error_codes(doc);
    let reference = Reference::parse(text);
    let mut problems = Vec::new();
    for code in &codes {
        if !reference.error_table.contains_key(code) {
            problems.push(format!(
                "error code `{code}` of the served OpenAPI document is missing from the table of {REFERENCE}'s \"## Errors\" section"
            ));
        }
    }
    for (code, line) in &reference.error_table {
        if !codes.contains(code) {
            problems.push(format!(
                "{REFERENCE}:{line}: error code `{code}` is not a code of the served OpenAPI document"
            ));
        }
    }
    problems
}

fn assert_none(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{REFERENCE} and the OpenAPI document disagree:\n  - {}",
        problems.join("\n  - ")
    );
}

#[tokio::test]
async fn docs_api_md_documents_exactly_the_served_routes() {
    let doc = served_document().await;
    // A guard against checking nothing: the document has its routes.
    assert!(operations(&doc).len() > 40, "too few operations served");
    assert_none(route_problems(&doc, &reference_text()));
}

#[tokio::test]
async fn docs_api_md_lists_exactly_the_error_codes() {
    let doc = served_document().await;
    assert_none(error_code_problems(&doc, &reference_text()));
}

/// The checks above must be able to fail, and say where.
#[test]
fn the_checks_name_what_is_missing_and_where() {
    let doc = serde_json::json!({
        "paths": {
            "/api/v1/me": {"get": {}, "patch": {}},
            "/healthz": {"get": {}},
        },
        "components": {"schemas": {
            "Error": {"properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}}},
            "ErrorDetail": {"properties": {"code": {"enum": ["not_found", "forbidden"]}}},
        }},
    });
    let text = "\
# API

## Errors

| status | code | when |
|---|---|---|
| 404 | `not_found` | nothing there |
| 410 | `gone` | never |

## Accounts

### `GET /api/v1/me`

**Who:** a reader.

**Errors:** none.

### `DELETE /api/v1/me`

**Who:** a reader. See also `PUT /api/v1/me/password?x=1`.

**Errors:** none.

### `GET /healthz` please

```sh
### `POST /api/v1/not-a-heading-in-code`
```

### `GET /healthz`

**Who:** anyone.
";
    let problems = route_problems(&doc, text);
    let expected = [
        "docs/api.md:24: a route heading must read ### `METHOD /path` and nothing else; found \"### `GET /healthz` please\"",
        "docs/api.md:30: the section of `GET /healthz` has no **Errors:** line",
        "`PATCH /api/v1/me` is served (GET /openapi.json) but docs/api.md has no heading ### `PATCH /api/v1/me`",
        "docs/api.md:18: heading ### `DELETE /api/v1/me` names a route the served OpenAPI document does not have",
        "docs/api.md:20: `PUT /api/v1/me/password` is named in the text but the served OpenAPI document has no such route",
    ];
    assert_eq!(problems, expected);

    let problems = error_code_problems(&doc, text);
    assert_eq!(
        problems,
        [
            "error code `forbidden` of the served OpenAPI document is missing from the table of docs/api.md's \"## Errors\" section",
            "docs/api.md:8: error code `gone` is not a code of the served OpenAPI document",
        ]
    );
}
