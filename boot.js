// Loads the wasm app without an inline script, so the Content-Security-Policy needs no
// 'unsafe-inline'. Trunk fills in the hashed file names (Trunk.toml: pattern_script).
const meta = document.getElementById("trunk-app");
const { default: init } = await import(meta.dataset.js);
await init({ module_or_path: meta.dataset.wasm });
