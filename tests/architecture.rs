//! The import rules of docs/architecture.md, checked on the source itself:
//! a change that breaks one fails here with the file and line to look at.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn src(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(sub)
}

/// Every line of the files under `dir` that contains one of `needles`,
/// outside comments, as `file:line: text`.
fn lines_naming(dir: &Path, needles: &[&str], allowed: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(dir) {
        let text = fs::read_to_string(&file).expect("a readable source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let hit = needles.iter().any(|needle| code.contains(needle))
                && !allowed.iter().any(|ok| code.contains(ok));
            if hit {
                found.push(format!("{}:{}: {}", file.display(), n + 1, code));
            }
        }
    }
    found
}

#[test]
fn the_domain_depends_on_nothing_above_it() {
    let found = lines_naming(
        &src("domain"),
        &[
            "actix",
            "diesel",
            "crate::error",
            "crate::i18n",
            "crate::store",
            "crate::service",
            "crate::api",
            "crate::state",
        ],
        &[],
    );
    assert!(found.is_empty(), "domain/ imports:\n{}", found.join("\n"));
}

#[test]
fn below_the_edge_nothing_names_actix() {
    // Services, the store and the caches run the same under a command or a
    // test as under the server: they name `bytes` and `tokio`, not actix.
    let mut found = Vec::new();
    for dir in ["service", "store", "screening", "text", "cache.rs"] {
        let path = src(dir);
        if path.is_dir() {
            found.extend(lines_naming(&path, &["actix"], &[]));
        } else {
            let text = fs::read_to_string(&path).expect("a readable source file");
            let lines = text.lines().enumerate();
            found.extend(lines.filter_map(|(n, line)| {
                let code = line.trim_start();
                (!code.starts_with("//") && code.contains("actix"))
                    .then(|| format!("{}:{}: {}", path.display(), n + 1, code))
            }));
        }
    }
    assert!(
        found.is_empty(),
        "below the edge, actix is named:\n{}",
        found.join("\n")
    );
}

#[test]
fn handlers_reach_the_database_only_through_services() {
    let found = lines_naming(
        &src("api"),
        &["diesel", "store::", "DbConnection"],
        &["store::models::"],
    );
    // `db.read`/`db.write` around one service call are the transaction the
    // service function runs in; anything else of `store` is not for handlers.
    assert!(
        found.is_empty(),
        "api/ reaches the store:\n{}",
        found.join("\n")
    );
}

#[test]
fn nothing_imports_the_module_that_builds_the_server() {
    let mut found = Vec::new();
    for file in rust_files(&src("")) {
        if file.ends_with("main.rs") || file.ends_with("app.rs") || file.ends_with("lib.rs") {
            continue;
        }
        let text = fs::read_to_string(&file).expect("a readable source file");
        for (n, line) in text.lines().enumerate() {
            if line.contains("crate::app") && !line.trim_start().starts_with("//") {
                found.push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "imports of app:\n{}", found.join("\n"));
}

#[test]
fn no_source_file_grows_past_what_one_can_read() {
    // A file's test modules do not count; code after them does.
    let too_long: Vec<String> = rust_files(&src(""))
        .into_iter()
        .filter_map(|file| {
            let text = fs::read_to_string(&file).expect("a readable source file");
            let n = without_test_modules(&text).iter().flatten().count();
            (n > 550).then(|| format!("{}: {n} lines", file.display()))
        })
        .collect();
    assert!(
        too_long.is_empty(),
        "files to split:\n{}",
        too_long.join("\n")
    );
}

/// The "may use" table of docs/architecture.md: each module of `src/`, and
/// the modules it may import from (its own always). Keep the two equal.
const MAY_USE: &[(&str, &[&str])] = &[
    // server: everything
    ("app", &["*"]),
    ("main", &["*"]),
    ("lib", &["*"]),
    // edge
    ("api", EDGE),
    ("web", EDGE),
    ("http", EDGE),
    ("auth", EDGE),
    // rules
    (
        "service",
        &[
            "store",
            "domain",
            "screening",
            "text",
            "i18n",
            "config",
            "cache",
            "metrics",
            "ratelimit",
            "auth",
        ],
    ),
    // command line
    ("import", &["store", "domain", "text", "config", "alloc"]),
    // pure
    ("screening", &["text", "domain"]),
    ("text", &["screening", "domain"]),
    ("domain", &["text"]),
    // data
    ("store", &["domain", "config", "i18n", "text", "alloc"]),
    // beside: what every layer leans on
    ("config", &["domain", "i18n"]),
    // The edge's error wraps the service's and the limits' answers.
    (
        "error",
        &["domain", "i18n", "service", "store", "ratelimit"],
    ),
    ("i18n", &["domain", "text"]),
    ("alloc", &[]),
    ("telemetry", &["config"]),
    ("metrics", &["cache"]),
    ("cache", &["store", "text"]),
    ("ratelimit", &["config"]),
    // beside: the process and its workers
    (
        "state",
        &[
            "auth",
            "cache",
            "config",
            "domain",
            "i18n",
            "live",
            "metrics",
            "ratelimit",
            "service",
            "store",
            "error",
        ],
    ),
    (
        "live",
        &[
            "api", "config", "domain", "service", "store", "state", "metrics",
        ],
    ),
    ("delivery", PROCESS),
    ("mailer", PROCESS),
    ("retention", PROCESS),
    ("backup", PROCESS),
    ("worker", &[]),
];

const EDGE: &[&str] = &[
    "api",
    "web",
    "http",
    "auth",
    "service",
    "domain",
    "screening",
    "text",
    "state",
    "error",
    "i18n",
    "config",
    "cache",
    "metrics",
    "live",
    "alloc",
    "store",
];

const PROCESS: &[&str] = &[
    "config", "domain", "error", "metrics", "service", "store", "worker",
];

/// Where only part of a module may be used: (importer, module, the paths allowed).
const ONLY: &[(&str, &str, &[&str])] = &[
    // Handlers and pages name the rows services return, nothing else of the store.
    ("api", "store", &["models"]),
    ("web", "store", &["models"]),
    ("http", "store", &["models"]),
    ("auth", "store", &["models"]),
    // Services use the credentials (hashing, tokens), never the extractors.
    ("service", "auth", &["Hasher", "hash_token", "new_token"]),
    ("state", "auth", &["Hasher"]),
    // The edge's error names the store's only to say what it means.
    ("error", "store", &["StoreError"]),
    // Live threads render their frames with the API's views.
    ("live", "api", &["views"]),
];

/// The top-level module a file of `src/` belongs to.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(src("")).expect("a file under src/");
    let first = rel.components().next().expect("a path").as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// Every `crate::…` path in a line of code, as (module, what follows it).
fn crate_paths(code: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::b, c};`: each item of the group.
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let item = item.trim();
                let (module, tail) = item.split_once("::").unwrap_or((item, ""));
                if !module.is_empty() {
                    found.push((module.to_string(), tail.to_string()));
                }
            }
            continue;
        }
        let module: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let tail = rest[module.len()..].strip_prefix("::").unwrap_or("");
        found.push((module, tail.to_string()));
    }
    found
}

/// The names a path's tail reaches first: `models::UserRow` → `models`,
/// `{hash_token, new_token};` → both.
fn first_names(tail: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    match tail.strip_prefix('{') {
        Some(group) => group
            .split('}')
            .next()
            .unwrap_or("")
            .split(',')
            .map(ident)
            .collect(),
        None => vec![ident(tail)],
    }
}

/// A file's lines, `None` for those of its `#[cfg(test)]` modules.
fn without_test_modules(text: &str) -> Vec<Option<&str>> {
    let mut lines = Vec::new();
    let mut depth = 0i64;
    let mut pending = false;
    for line in text.lines() {
        let opens = line.matches('{').count() as i64 - line.matches('}').count() as i64;
        if depth > 0 {
            depth += opens;
            lines.push(None);
        } else if line.trim_start().starts_with("#[cfg(test)]") {
            pending = true;
            lines.push(None);
        } else if pending && line.trim_start().starts_with("mod ") && line.contains('{') {
            pending = false;
            depth = opens;
            lines.push(None);
        } else {
            pending = false;
            lines.push(Some(line));
        }
    }
    lines
}

#[test]
fn every_module_imports_only_what_the_table_allows() {
    let mut found = Vec::new();
    for file in rust_files(&src("")) {
        let module = module_of(&file);
        if module == "bin" {
            continue;
        }
        let Some((_, allowed)) = MAY_USE.iter().find(|(m, _)| *m == module) else {
            found.push(format!(
                "{}: module `{module}` is not in docs/architecture.md's table",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(&file).expect("a readable source file");
        for (n, line) in without_test_modules(&text).into_iter().enumerate() {
            let Some(line) = line else { continue };
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for (target, tail) in crate_paths(code) {
                if target == module || allowed.contains(&"*") {
                    continue;
                }
                let place = format!("{}:{}: {}", file.display(), n + 1, code);
                if !allowed.contains(&target.as_str()) {
                    found.push(format!("{place}\n    `{module}` may not use `{target}`"));
                    continue;
                }
                let limited = ONLY
                    .iter()
                    .find(|(from, to, _)| *from == module && *to == target);
                if let Some((_, _, parts)) = limited {
                    if !first_names(&tail)
                        .iter()
                        .all(|n| parts.contains(&n.as_str()))
                    {
                        found.push(format!(
                            "{place}\n    `{module}` may use only {parts:?} of `{target}`"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "imports across docs/architecture.md's table:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_table_knows_every_module() {
    let mut modules: Vec<String> = rust_files(&src(""))
        .iter()
        .map(|f| module_of(f))
        .filter(|m| m != "bin")
        .collect();
    modules.dedup();
    for module in &modules {
        assert!(
            MAY_USE.iter().any(|(m, _)| m == module),
            "`{module}` has no row in the table"
        );
    }
    for (module, _) in MAY_USE {
        assert!(
            modules.iter().any(|m| m == module),
            "the table names `{module}`, which src/ no longer has"
        );
    }
}

#[test]
fn the_checker_sees_a_crossing() {
    // The rule above must be able to fail: a line it is shown is read.
    assert_eq!(
        crate_paths("use crate::store::{self, now_ms};"),
        vec![("store".to_string(), "{self, now_ms};".to_string())]
    );
    assert_eq!(
        crate_paths("let x = crate::api::views::CommentView::new(crate::text::hex(&d));"),
        vec![
            (
                "api".to_string(),
                "views::CommentView::new(crate::text::hex(&d));".to_string()
            ),
            ("text".to_string(), "hex(&d));".to_string()),
        ]
    );
    assert_eq!(first_names("{self, now_ms};"), vec!["self", "now_ms"]);
    assert_eq!(first_names("models::UserRow;"), vec!["models"]);
    let code =
        "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { crate::app::x(); }\n}\nfn c() {}\n";
    assert_eq!(
        without_test_modules(code),
        vec![Some("fn a() {}"), None, None, None, None, Some("fn c() {}")]
    );
}

/// A file's module path: `src/store/comments.rs` → `store::comments`,
/// `src/store/mod.rs` → `store`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src("")).expect("a file under src/");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The module paths a line names after `prefix` (`crate::` or `super::`),
/// each as its segments: `crate::store::{users, now_ms}` → `store::users`,
/// `store::now_ms`.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    /// The paths one use-tree names, groups spelled out.
    fn tree(text: &str) -> Vec<Vec<String>> {
        let mut head = Vec::new();
        let mut rest = text.trim_start();
        loop {
            if let Some(group) = rest.strip_prefix('{') {
                // Split at the group's own commas, up to its own closing brace.
                let (mut depth, mut items, mut from) = (0, Vec::new(), 0);
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            items.push(&group[from..i]);
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            items.push(&group[from..i]);
                            from = i + 1;
                        }
                        _ => {}
                    }
                }
                return items
                    .into_iter()
                    .flat_map(tree)
                    .map(|tail| head.iter().cloned().chain(tail).collect())
                    .collect();
            }
            let ident: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if ident.is_empty() {
                return vec![head];
            }
            rest = &rest[ident.len()..];
            head.push(ident);
            match rest.strip_prefix("::") {
                Some(after) => rest = after,
                None => return vec![head],
            }
        }
    }
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().last();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        found.extend(tree(rest).into_iter().filter(|p| !p.is_empty()));
    }
    found
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let files: Vec<PathBuf> = rust_files(&src(""))
        .into_iter()
        .filter(|f| {
            let m = module_path(f);
            !m.is_empty() && m[0] != "bin" && m[0] != "lib" && m[0] != "main"
        })
        .collect();
    let modules: Vec<Vec<String>> = files.iter().map(|f| module_path(f)).collect();
    // The longest known module a path starts with.
    let resolve = |path: &[String]| -> Option<usize> {
        (1..=path.len())
            .rev()
            .find_map(|n| modules.iter().position(|m| m[..] == path[..n]))
    };
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (from, file) in files.iter().enumerate() {
        let me = &modules[from];
        let text = fs::read_to_string(file).expect("a readable source file");
        for line in without_test_modules(&text).into_iter().flatten() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let mut named = paths_after(code, "crate::");
            for path in paths_after(code, "super::") {
                let mut full = me[..me.len().saturating_sub(1)].to_vec();
                full.extend(path);
                named.push(full);
            }
            for path in named {
                let Some(to) = resolve(&path) else { continue };
                let target = &modules[to];
                // A module and its own parent or children are one unit.
                let related = target.starts_with(me) || me.starts_with(target);
                if !related && !edges[from].contains(&to) {
                    edges[from].push(to);
                }
            }
        }
    }
    // Depth-first search; each back edge closes a circle.
    fn visit(
        at: usize,
        edges: &[Vec<usize>],
        state: &mut [u8],
        stack: &mut Vec<usize>,
        circles: &mut Vec<Vec<usize>>,
    ) {
        state[at] = 1;
        stack.push(at);
        for &next in &edges[at] {
            if state[next] == 1 {
                let start = stack.iter().position(|&m| m == next).expect("on the stack");
                let mut circle = stack[start..].to_vec();
                circle.push(next);
                circles.push(circle);
            } else if state[next] == 0 {
                visit(next, edges, state, stack, circles);
            }
        }
        stack.pop();
        state[at] = 2;
    }
    let mut state = vec![0u8; files.len()];
    let mut circles = Vec::new();
    for start in 0..files.len() {
        if state[start] == 0 {
            visit(start, &edges, &mut state, &mut Vec::new(), &mut circles);
        }
    }
    let names: Vec<String> = circles
        .iter()
        .map(|c| {
            let names: Vec<String> = c.iter().map(|&m| modules[m].join("::")).collect();
            names.join(" → ")
        })
        .collect();
    assert!(
        names.is_empty(),
        "modules importing each other in a circle:\n{}",
        names.join("\n")
    );
}

#[test]
fn the_circle_checker_reads_paths() {
    assert_eq!(
        paths_after("use crate::store::{users, now_ms};", "crate::"),
        vec![
            vec!["store".to_string(), "users".to_string()],
            vec!["store".to_string(), "now_ms".to_string()]
        ]
    );
    assert_eq!(
        paths_after("super::counters::count_change(conn)", "super::"),
        vec![vec!["counters".to_string(), "count_change".to_string()]]
    );
    assert_eq!(
        paths_after("use crate::{a::{b, c::d}, e};", "crate::"),
        vec![
            vec!["a".to_string(), "b".to_string()],
            vec!["a".to_string(), "c".to_string(), "d".to_string()],
            vec!["e".to_string()]
        ]
    );
}
