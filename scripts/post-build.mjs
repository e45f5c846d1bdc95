// Trunk post-build hook (runs in the staging directory before it becomes dist/):
// - builds the app itself and splits it (Trunk 0.21 cannot, trunk issue 1022; Trunk runs the
//   hooks of one stage at the same time, so this is the one hook): cargo links the wasm with
//   relocations (build.rs), wasm-split-cli cuts it into a main module and chunks loaded on
//   first use, wasm-bindgen binds the main module, wasm-opt optimizes every part (release);
//   every file is named by its content, the loader fetches chunks with integrity and retries,
//   and index.html's meta#split-app names the main module for boot.js;
// - release builds drop the dev-only allowances from index.html's CSP (the live-reload
//   script's hash and its websocket);
// - the built-in demo's service worker gets a version (a hash of its files) that the page
//   registers it with, so a new deploy replaces an old worker;
// - release builds write precompressed .br and .gz next to every text and wasm asset.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR;
const release = process.env.TRUNK_PROFILE === 'release';
if (!dir) throw new Error('post-build: TRUNK_STAGING_DIR is not set (run through trunk)');

split();

/** Builds the app, splits it, and writes the parts into the staging dir. */
function split() {
  const BIN = 'agent-token-playground';
  const NAME = 'agent-token-playground';
  const work = join('target', 'wasm-split', release ? 'release' : 'debug');
  const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
  const hash = (b) => createHash('sha256').update(b).digest('hex').slice(0, 16);
  const sri = (b) => 'sha384-' + createHash('sha384').update(b).digest('base64');

  run('cargo', ['build', '--locked', '--target=wasm32-unknown-unknown', '--bin', BIN, ...(release ? ['--release'] : [])]);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  run('wasm-split-cli', ['--out-name', NAME, `target/wasm32-unknown-unknown/${release ? 'release' : 'debug'}/${BIN}.wasm`, work]);
  // Split, then bind (the other order breaks the relocations); the chunks call into the main
  // module's exports, which --keep-lld-exports keeps.
  run('wasm-bindgen', ['--target=web', '--keep-lld-exports', '--no-demangle', '--no-typescript',
    `--out-dir=${work}`, `--out-name=${NAME}`, join(work, `${NAME}.wasm`)]);
  rmSync(join(work, `${NAME}.wasm`));
  const wasms = readdirSync(work).filter((f) => f.endsWith('.wasm'));
  if (release) for (const f of wasms) run('wasm-opt', ['-Oz', join(work, f), '-o', join(work, f)]);

  // The loader: every chunk fetched with its integrity, three tries; a failure is recorded
  // for the app (a 404: the chunk of an older build is gone; else: the network) before the
  // loader reports it.
  let loader = readFileSync(join(work, '__wasm_split.js'), 'utf8');
  const chunks = wasms.filter((f) => f !== `${NAME}_bg.wasm`);
  if (chunks.length && !loader.includes('fetch(new URL(')) throw new Error('post-build: no chunk fetch in __wasm_split.js (wasm-split-cli changed?)');
  loader = loader.replaceAll('fetch(new URL(', 'fetchChunk(new URL(') + `
const INTEGRITY = __INTEGRITY__;
async function fetchChunk(url) {
    const file = url.pathname.split('/').pop();
    const integrity = INTEGRITY[file];
    for (let attempt = 1; ; attempt++) {
        try {
            const response = await fetch(url, { integrity });
            if (response.ok) return response;
            if (attempt === 3) {
                globalThis.atpChunkFailure = { file, status: response.status };
                return response;
            }
        } catch (e) {
            if (attempt === 3) {
                // A response that fails its integrity check is not readable: ask again
                // without it, to tell a file gone from the server (a new deploy) from the
                // network failing.
                let status = 0;
                try { status = (await fetch(url, { method: 'HEAD', cache: 'no-store' })).status; } catch { /* the network */ }
                globalThis.atpChunkFailure = status >= 400
                    ? { file, status }
                    : { file, status: 0, reason: String(e && e.message || e) };
                throw e;
            }
        }
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
    }
}
`;
  const out = {};
  for (const f of chunks) {
    const bytes = readFileSync(join(work, f));
    const named = f.replace(/\.wasm$/, `-${hash(bytes)}.wasm`);
    if (!loader.includes(`"./${f}"`)) throw new Error(`post-build: ${f} is not named in the loader`);
    loader = loader.replaceAll(`"./${f}"`, `"./${named}"`);
    out[named] = bytes;
  }
  loader = loader.replace('__INTEGRITY__', JSON.stringify(Object.fromEntries(Object.entries(out).map(([f, b]) => [f, sri(b)]))));
  // The glue and the loader import each other: one hash over everything names both (and the
  // main wasm). Only the import statements change; the import object's key stays
  // "./__wasm_split.js" (the module name inside the wasm).
  let glue = readFileSync(join(work, `${NAME}.js`), 'utf8');
  const mainWasm = readFileSync(join(work, `${NAME}_bg.wasm`));
  const h = hash(Buffer.concat([Buffer.from(loader + glue), mainWasm, ...Object.values(out)]));
  const js = `${NAME}-${h}.js`, link = `__wasm_split-${h}.js`, wasm = `${NAME}-${h}_bg.wasm`;
  loader = loader.replaceAll(`from "./${NAME}.js"`, `from "./${js}"`);
  glue = glue.replaceAll('from "./__wasm_split.js"', `from "./${link}"`);
  if (loader.includes(`"./${NAME}.js"`) || glue.includes('from "./__wasm_split.js"')) throw new Error('post-build: the imports between the glue and the loader were not rewritten');
  Object.assign(out, { [js]: Buffer.from(glue), [link]: Buffer.from(loader), [wasm]: mainWasm });
  for (const [f, b] of Object.entries(out)) writeFileSync(join(dir, f), b);
  const index = join(dir, 'index.html');
  const before = readFileSync(index, 'utf8');
  const after = before
    .replace(/<meta id="?split-app"?[^>]*>/,
      `<meta id="split-app" data-js="${js}" data-wasm="${wasm}">` +
      `<link rel="modulepreload" href="${js}" integrity="${sri(out[js])}">` +
      `<link rel="modulepreload" href="${link}" integrity="${sri(out[link])}">` +
      `<link rel="preload" href="${wasm}" as="fetch" type="application/wasm" crossorigin>`)
    // Trunk leaves the skipped link in the page.
    .replace(/<link[^>]*data-trunk-skip[^>]*>\s*/, '');
  if (after === before) throw new Error('post-build: index.html has no <meta id="split-app">');
  writeFileSync(index, after);
}

const index = join(dir, 'index.html');
let html = readFileSync(index, 'utf8');

if (release) {
  html = html
    .replace(/ 'sha256-[A-Za-z0-9+/=]+'/g, '')
    .replace(/ ws:\/\/localhost:\* ws:\/\/127\.0\.0\.1:\*/g, '');
}

// A version for each group of unhashed files, so a new deploy is never mixed with an old one.
const versioned = {
  'atp-worker-version': ['sw.js', 'demo-worker.js', 'demo-worker_bg.wasm'],
};
for (const [name, files] of Object.entries(versioned)) {
  const present = files.filter((f) => existsSync(join(dir, f)));
  if (!present.length) continue;
  const h = createHash('sha256');
  for (const f of present) h.update(readFileSync(join(dir, f)));
  const version = h.digest('hex').slice(0, 16);
  html = html.replace('<head>', `<head>\n  <meta name="${name}" content="${version}">`);
}
writeFileSync(index, html);

if (release) {
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    if (!/\.(js|wasm|css|html|json|svg|txt)$/.test(f) || !statSync(path).isFile()) continue;
    const data = readFileSync(path);
    writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
    writeFileSync(`${path}.br`, brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }));
  }
}
