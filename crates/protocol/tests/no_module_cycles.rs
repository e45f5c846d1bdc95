//! The protocol's layers stay layers. Between crates Cargo refuses a cycle (each layer already
//! depends on those before it: wire, engine, catalogue, render, probe); what it does not refuse
//! is checked here: the demo tenant's core and the built-in demo's worker use the wire layer
//! alone, and no module imports one that imports it back, in every crate of the workspace and
//! in the app (`src/`): the top-level modules form a graph without cycles (edges are
//! `crate::x` paths outside tests).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The top-level module each file belongs to, and the top-level modules it names.
fn edges(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".rs") || name == "tests.rs" {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = first.trim_end_matches(".rs").to_string();
            if module == "lib" || module == "main" {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            // What follows `#[cfg(test)]` is test code.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for (i, _) in line.match_indices("crate::") {
                    let named: String = line[i + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !named.is_empty() && named != module {
                        out.entry(module.clone()).or_default().insert(named);
                    }
                }
            }
        }
    }
    out
}

/// A cycle among the modules, if any (as the path that closes it).
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut c = path[at..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut Vec::new(), &mut done))
}

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Where the module graph must have edges, or the parser no longer reads them: the app and
/// the two layers with many modules (the others are one or a few modules).
const READ: [&str; 3] = [
    "src",
    "crates/protocol-wire/src",
    "crates/protocol-engine/src",
];

#[test]
fn every_crate_and_the_app_have_no_module_cycle() {
    let mut roots = vec![workspace().join("src")];
    for entry in fs::read_dir(workspace().join("crates")).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            roots.push(src);
        }
    }
    assert!(roots.len() > 8, "the crates were not found");
    for root in roots {
        let e = edges(&root);
        if READ.iter().any(|r| root == workspace().join(r)) {
            assert!(!e.is_empty(), "{}: no imports read", root.display());
        }
        if let Some(c) = cycle(&e) {
            panic!("{}: module cycle {}", root.display(), c.join(" -> "));
        }
    }
}

#[test]
fn the_tenant_and_the_worker_use_the_wire_layer_alone() {
    for krate in ["tenant-core", "demo-worker"] {
        let manifest =
            fs::read_to_string(workspace().join("crates").join(krate).join("Cargo.toml")).unwrap();
        // Everything but the test-only dependencies.
        let built = manifest
            .split("[dev-dependencies]")
            .next()
            .unwrap_or_default();
        assert!(
            built.contains("protocol-wire"),
            "{krate} no longer names protocol-wire"
        );
        for line in built.lines().map(str::trim_start) {
            let named = line.split(['=', ' ', '.', ']']).next().unwrap_or_default();
            let named = named.trim_start_matches("[dependencies");
            assert!(
                !named.starts_with("protocol") || named == "protocol-wire",
                "{krate} depends on {named}: the tenant's logic needs the wire layer only"
            );
        }
    }
}
