//! The layer rule, checked (tests only): `domain` knows nothing else; `views` know only
//! `domain`; `ssr` (repositories, all SQL) knows `domain` and `views`; `api` and the
//! server's forms parse, call `ssr` and map errors; pages and components render. Nothing
//! points back up, and no SQL is written outside `ssr`. Run by `cargo test -p app`.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable source folder") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `(file, line number, line)` for each line under `dir` that contains one of `needles`,
/// comments and the test module of this file left out.
fn offending(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(dir) {
        if file.ends_with("layers.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            if needles.iter().any(|needle| code.contains(needle)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, code));
            }
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn domain_knows_nothing_else() {
    let bad = offending(
        &src().join("domain"),
        &[
            "crate::api",
            "crate::ssr",
            "crate::views",
            "crate::pages",
            "crate::components",
            "leptos",
            "sqlx",
        ],
    );
    assert!(bad.is_empty(), "domain reaches out:\n{}", bad.join("\n"));
}

#[test]
fn views_know_only_the_domain() {
    let bad = offending(
        &src().join("views"),
        &[
            "crate::api",
            "crate::ssr",
            "crate::pages",
            "crate::components",
            "sqlx",
        ],
    );
    assert!(bad.is_empty(), "views reach up:\n{}", bad.join("\n"));
}

#[test]
fn server_internals_never_reach_up() {
    let bad = offending(
        &src().join("ssr"),
        &[
            "crate::api",
            "crate::pages",
            "crate::components",
            "use_context::<crate::api",
        ],
    );
    assert!(bad.is_empty(), "ssr reaches up:\n{}", bad.join("\n"));
}

#[test]
fn sql_lives_in_repositories_only() {
    let sql = [
        "sqlx::query",
        "query_as(",
        "query_scalar(",
        ".execute(&",
        "fetch_one(",
        "fetch_all(",
        "fetch_optional(",
    ];
    let mut bad = Vec::new();
    for dir in ["api", "pages", "components", "views", "domain"] {
        bad.extend(offending(&src().join(dir), &sql));
    }
    let server = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    bad.extend(offending(&server, &sql));
    bad.extend(offending(
        &server,
        &["app::api::checkout::server", "::server::"],
    ));
    assert!(
        bad.is_empty(),
        "SQL or server internals outside ssr:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checks_can_fail() {
    // The scanner finds what it is told to: this very crate has `ssr` code using sqlx.
    assert!(!offending(&src().join("ssr"), &["sqlx::query"]).is_empty());
    assert!(offending(&src().join("domain"), &["no such needle anywhere"]).is_empty());
}
