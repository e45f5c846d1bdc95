// Trunk post-build hook (runs in the staging directory before it becomes dist/):
// - release builds drop the dev-only allowances from index.html's CSP (the live-reload
//   script's hash and its websocket);
// - the built-in demo's service worker gets a version (a hash of its files) that the page
//   registers it with, so a new deploy replaces an old worker; the extras module gets one
//   too, which boot.js loads it with;
// - release builds write precompressed .br and .gz next to every text and wasm asset.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR;
const release = process.env.TRUNK_PROFILE === 'release';
if (!dir) throw new Error('post-build: TRUNK_STAGING_DIR is not set (run through trunk)');
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
  'atp-extras-version': ['extras.js', 'extras_bg.wasm'],
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
