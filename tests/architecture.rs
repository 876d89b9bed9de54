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
    // Tests inside a file do not count: they sit at its end.
    let too_long: Vec<String> = rust_files(&src(""))
        .into_iter()
        .filter_map(|file| {
            let text = fs::read_to_string(&file).expect("a readable source file");
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let n = code.lines().count();
            (n > 550).then(|| format!("{}: {n} lines", file.display()))
        })
        .collect();
    assert!(
        too_long.is_empty(),
        "files to split:\n{}",
        too_long.join("\n")
    );
}
