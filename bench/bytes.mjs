// Bytes of a first visit: index.html, boot.js, the app's main module (its JS glue, the chunk
// loader it imports, its wasm) and CSS; not the chunks loaded on first use nor the built-in
// demo's worker. Raw, gzip -9 and brotli 11. Shared by the byte-budget test and the benchmark.
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
    .filter((f) => f === 'index.html' || f === 'boot.js' || /^(agent-token-playground-[0-9a-f]+(_bg\.wasm|\.js)|__wasm_split-[0-9a-f]+\.js)$/.test(f) || /^main-[0-9a-f]+\.css$/.test(f))
    .map((f) => measure(dist, f));
}

/** The chunks loaded on first use: one per split point's group (`split_<name>`), and the
 *  chunks shared by several groups (`chunk_<n>`). */
export function chunks(dist) {
  return readdirSync(dist)
    .filter((f) => /^(split_[a-z_]+|chunk_\d+)-[0-9a-f]+\.wasm$/.test(f))
    .map((f) => ({ ...measure(dist, f), part: f.startsWith('split_') ? f.match(/^split_([a-z_]+)-/)[1] : 'shared' }));
}

/** Chunk bytes by part (`shared` for the chunks several parts use). */
export function byPart(dist) {
  const out = {};
  for (const c of chunks(dist)) {
    const t = (out[c.part] ??= { raw: 0, gzip: 0, brotli: 0, files: 0 });
    t.raw += c.raw; t.gzip += c.gzip; t.brotli += c.brotli; t.files += 1;
  }
  return out;
}

/** The built-in demo's worker files. */
export function worker(dist) {
  return ['sw.js', 'demo-worker.js', 'demo-worker_bg.wasm'].map((f) => measure(dist, f));
}


/** Every file of a dist/ (the hello world's). */
export function all(dist) {
  return readdirSync(dist).filter((f) => /\.(html|js|wasm|css)$/.test(f)).map((f) => measure(dist, f));
}

/** Totals of a list of files. */
export const total = (files) => files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
