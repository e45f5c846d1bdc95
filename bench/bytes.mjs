// Bytes of a first visit: index.html, boot.js and the app's JS, wasm and CSS (not the built-in
// demo's worker nor the extras module, which load at their first use), raw, gzip -9 and
// brotli 11. Shared by the
// byte-budget test and the benchmark.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const measure = (dir, f) => {
  const data = readFileSync(join(dir, f));
  return {
    file: f,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};

/** The first-load files of the app's dist/. */
export function firstLoad(dist) {
  return readdirSync(dist)
    .filter((f) => f === 'index.html' || f === 'boot.js' || /^agent-token-playground-[0-9a-f]+(_bg\.wasm|\.js)$/.test(f) || /^main-[0-9a-f]+\.css$/.test(f))
    .map((f) => measure(dist, f));
}

/** The built-in demo's worker files. */
export function worker(dist) {
  return ['sw.js', 'demo-worker.js', 'demo-worker_bg.wasm'].map((f) => measure(dist, f));
}

/** The extras module (code in other languages, the report, run import, share links). */
export function extras(dist) {
  return ['extras.js', 'extras_bg.wasm'].map((f) => measure(dist, f));
}

/** Every file of a dist/ (the hello world's). */
export function all(dist) {
  return readdirSync(dist).filter((f) => /\.(html|js|wasm|css)$/.test(f)).map((f) => measure(dist, f));
}

/** Totals of a list of files. */
export const total = (files) => files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
