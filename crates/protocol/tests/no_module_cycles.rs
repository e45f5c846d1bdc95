//! The protocol's layers stay layers: each protocol crate depends only on the crates before it
//! (wire, engine, catalogue, render, probe), and no module imports one that imports it back:
//! in every crate of the workspace and in the app (`src/`), the top-level modules form a graph
//! without cycles (edges are `crate::x` paths outside tests).

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

/// The protocol's crates, each allowed to depend on those before it only.
const LAYERS: [&str; 5] = [
    "protocol-wire",
    "protocol-engine",
    "protocol-catalogue",
    "protocol-render",
    "protocol-probe",
];

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

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
        if let Some(c) = cycle(&e) {
            panic!("{}: module cycle {}", root.display(), c.join(" -> "));
        }
    }
}

#[test]
fn each_protocol_layer_depends_only_on_the_layers_before_it() {
    for (i, name) in LAYERS.iter().enumerate() {
        let manifest =
            fs::read_to_string(workspace().join("crates").join(name).join("Cargo.toml")).unwrap();
        // The normal dependencies: the `[dependencies]` table.
        let deps = manifest
            .split("[dependencies]")
            .nth(1)
            .unwrap_or_default()
            .split("\n[")
            .next()
            .unwrap_or_default();
        for (j, other) in LAYERS.iter().enumerate() {
            let named = deps.lines().any(|l| {
                l.trim_start().starts_with(&format!("{other}."))
                    || l.trim_start().starts_with(&format!("{other} "))
            });
            assert!(
                !named || j < i,
                "{name} depends on {other}, a layer at or above it"
            );
        }
        if i > 0 {
            assert!(
                deps.contains(LAYERS[0]),
                "{name} does not read its dependencies as expected"
            );
        }
    }
}
