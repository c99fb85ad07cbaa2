//! The backend's layers, kept by reading its source:
//! - only the GraphQL layer (the root `graphql/`, each feature's `graphql.rs` or
//!   `graphql/`, the HTTP adapter `app.rs` that serves it and the command line `main.rs`
//!   that prints its schema) uses `async_graphql` or the GraphQL modules: the steps and
//!   the common modules know nothing of GraphQL;
//! - feature folders do not import each other (the demo, `seed/`, drives them all),
//!   and the common modules import no feature: what two features share lives in a
//!   common module;
//! - no source file is over 800 lines;
//! - only the step helper (`step.rs`) begins a transaction; anything else that must
//!   (creating a review, accounts, the audit log itself) says why on the line above;
//! - only the step helper moves a review's stage (the synthetic data generator, which
//!   writes reviews at every stage for benchmarks, excepted);
//! - stored values are decoded without a silent default anywhere but `stored.rs`.
//!
//! Each rule is also run against a snippet that breaks it, so the test is shown to fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every source file of the backend: (path under `src/`, text).
fn backend() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Lines of `text` that are code, not comments.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")).map(|(i, l)| (i + 1, l))
}

fn graphql_outside_its_layer(files: &[(String, String)]) -> Vec<String> {
    let layer = |f: &str| {
        f.split('/').any(|part| part == "graphql" || part == "graphql.rs")
            || f == "app.rs"
            || f == "main.rs"
            || f == "lib.rs"
    };
    let mut out = Vec::new();
    for (f, text) in files.iter().filter(|(f, _)| !layer(f)) {
        for (n, line) in code_lines(text) {
            if line.contains("async_graphql") || line.contains("crate::graphql") || line.contains("graphql::") {
                out.push(format!("{f}:{n}: {}", line.trim()));
            }
        }
    }
    out
}

fn transactions_outside_the_step(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (f, text) in files.iter().filter(|(f, _)| f != "step.rs") {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = !line.trim_start().starts_with("//");
            if code && (line.contains(".begin().await") || line.contains(".transaction(")) {
                let said =
                    lines[..i].iter().rev().take(2).any(|l| l.trim_start().starts_with("// Not a step on a review:"));
                if !said {
                    out.push(format!("{f}:{}: {}", i + 1, line.trim()));
                }
            }
        }
    }
    out
}

fn stage_moves_outside_the_step(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (f, text) in files.iter().filter(|(f, _)| f != "step.rs" && f != "seed/synthetic.rs") {
        for (n, line) in code_lines(text) {
            if line.contains("Column::Stage, Expr::value")
                || line.contains("stage: Set(") && !line.contains("Stage::Referred")
            {
                out.push(format!("{f}:{n}: {}", line.trim()));
            }
        }
    }
    out
}

/// The feature folders: one per phase of the procedure or concern.
const FEATURES: [&str; 11] = [
    "attention",
    "completion",
    "decision",
    "exports",
    "findings",
    "organisations",
    "people",
    "reporting",
    "review",
    "seed",
    "users",
];

/// The crate's modules a line names: `crate::x::...` and each name of `crate::{x, y}`.
fn crate_modules(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in line.match_indices("crate::") {
        let rest = &line[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or_default();
            out.extend(group.split(',').map(|n| n.trim().split("::").next().unwrap_or_default().to_owned()));
        } else {
            out.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    out
}

/// The feature a source file belongs to, if any.
fn feature_of(f: &str) -> Option<&'static str> {
    let top = f.split('/').next().unwrap_or_default();
    FEATURES.iter().copied().find(|x| *x == top && f.contains('/'))
}

fn features_importing_each_other(files: &[(String, String)]) -> Vec<String> {
    let composes =
        |f: &str| f.starts_with("graphql/") || f == "app.rs" || f == "main.rs" || f == "lib.rs" || f == "init.rs";
    let mut out = Vec::new();
    for (f, text) in files.iter().filter(|(f, _)| !composes(f) && feature_of(f) != Some("seed")) {
        let own = feature_of(f);
        for (n, line) in code_lines(text) {
            for m in crate_modules(line) {
                if FEATURES.contains(&m.as_str()) && own != Some(m.as_str()) {
                    out.push(format!("{f}:{n}: {}", line.trim()));
                }
            }
        }
    }
    out
}

fn files_over(limit: usize, files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(_, t)| t.lines().count() > limit)
        .map(|(f, t)| format!("{f}: {} lines", t.lines().count()))
        .collect()
}

fn silent_decoding_outside_stored(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let exempt = |f: &str| f == "stored.rs" || f.starts_with("seed/");
    for (f, text) in files.iter().filter(|(f, _)| !exempt(f)) {
        for (n, line) in code_lines(text) {
            let decodes = line.contains("::parse(&") || line.contains("from_str(&");
            let falls_back = line.contains(".unwrap_or") || line.contains(".map_or(") || line.contains(".ok()");
            if decodes && falls_back {
                out.push(format!("{f}:{n}: {}", line.trim()));
            }
        }
    }
    out
}

#[test]
fn stored_values_are_decoded_without_silent_defaults() {
    let found = silent_decoding_outside_stored(&backend());
    assert!(found.is_empty(), "stored values decoded with a silent default outside stored.rs:\n{}", found.join("\n"));
    let bad = vec![(
        "attention/mod.rs".to_owned(),
        "let s = ImrStatus::parse(&i.status).unwrap_or(ImrStatus::Requested);".to_owned(),
    )];
    assert_eq!(silent_decoding_outside_stored(&bad).len(), 1, "the rule catches a breach");
}

#[test]
fn feature_folders_do_not_import_each_other() {
    let found = features_importing_each_other(&backend());
    assert!(found.is_empty(), "a feature or common module imports another feature:\n{}", found.join("\n"));
    let across = vec![("completion/mod.rs".to_owned(), "use crate::review::{self, Doc};".to_owned())];
    assert_eq!(features_importing_each_other(&across).len(), 1, "the rule catches one feature importing another");
    let grouped = vec![("findings/graphql.rs".to_owned(), "use crate::{people, users};".to_owned())];
    assert_eq!(features_importing_each_other(&grouped).len(), 2, "the rule reads grouped imports");
    let common = vec![("anonymise.rs".to_owned(), "crate::review::versions(db, id, doc)".to_owned())];
    assert_eq!(features_importing_each_other(&common).len(), 1, "the rule catches a common module importing a feature");
    let allowed = vec![
        ("review/graphql/mod.rs".to_owned(), "use crate::review::NewEntry;".to_owned()),
        ("seed/mod.rs".to_owned(), "crate::decision::submit_referral(db, &c, r)".to_owned()),
        ("graphql/mod.rs".to_owned(), "crate::users::graphql::SignIn,".to_owned()),
    ];
    assert!(features_importing_each_other(&allowed).is_empty(), "its own feature, the demo and the root are allowed");
}

#[test]
fn no_source_file_is_over_800_lines() {
    let found = files_over(800, &backend());
    assert!(found.is_empty(), "source files over 800 lines (split them by what they hold):\n{}", found.join("\n"));
    let long = vec![("review/mod.rs".to_owned(), "fn x() {}\n".repeat(801))];
    assert_eq!(files_over(800, &long).len(), 1, "the rule catches a long file");
}

#[test]
fn only_the_graphql_layer_knows_graphql() {
    let found = graphql_outside_its_layer(&backend());
    assert!(found.is_empty(), "GraphQL used outside its layer:\n{}", found.join("\n"));
    let bad = vec![("review/mod.rs".to_owned(), "use crate::graphql::objects::text;".to_owned())];
    assert_eq!(graphql_outside_its_layer(&bad).len(), 1, "the rule catches a breach");
    let common = vec![("audit.rs".to_owned(), "use async_graphql::SimpleObject;".to_owned())];
    assert_eq!(graphql_outside_its_layer(&common).len(), 1, "the rule catches a common module");
    let layer = vec![("review/graphql/mutation.rs".to_owned(), "use async_graphql::Object;".to_owned())];
    assert!(graphql_outside_its_layer(&layer).is_empty(), "a feature's graphql folder is the layer");
}

#[test]
fn only_the_step_helper_begins_a_transaction() {
    let found = transactions_outside_the_step(&backend());
    assert!(found.is_empty(), "transactions begun outside step.rs without a reason:\n{}", found.join("\n"));
    let bad = vec![("findings/mod.rs".to_owned(), "let txn = db.begin().await?;".to_owned())];
    assert_eq!(transactions_outside_the_step(&bad).len(), 1, "the rule catches a breach");
    let said = vec![(
        "users/mod.rs".to_owned(),
        "// Not a step on a review: accounts.\nlet txn = db.begin().await?;".to_owned(),
    )];
    assert!(transactions_outside_the_step(&said).is_empty());
}

#[test]
fn only_the_step_helper_moves_a_stage() {
    let found = stage_moves_outside_the_step(&backend());
    assert!(found.is_empty(), "stages moved outside step.rs:\n{}", found.join("\n"));
    let bad = vec![(
        "completion/publication.rs".to_owned(),
        ".col_expr(review::Column::Stage, Expr::value(Stage::Published.as_str()))".to_owned(),
    )];
    assert_eq!(stage_moves_outside_the_step(&bad).len(), 1, "the rule catches a breach");
}
