# Sourced by the other scripts: puts the project's tools first on PATH.
# npm's binaryen 132 wasm-opt must come before Debian's 108 (which builds a crashing app).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
