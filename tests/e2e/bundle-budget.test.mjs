// The byte ratchet: what a first visit downloads (index.html, boot.js, the main module's JS,
// loader and wasm, CSS; not the chunks loaded on first use nor the built-in demo's worker) must
// stay within the budget recorded in bench/budget.json, and so must each group of chunks, all
// the app's wasm together, and the worker. Raising a budget is a decision recorded, with its reason, in bench/results.md.
// Runs against the release build that ./test makes (skipped on a debug build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { byPart, chunks, firstLoad, total, worker } from '../../bench/bytes.mjs';
import { ROOT } from './harness.mjs';

const DIST = join(ROOT, 'dist');
const budget = JSON.parse(readFileSync(join(ROOT, 'bench/budget.json'), 'utf8'));
const release = existsSync(DIST) && readdirSync(DIST).some((f) => f.endsWith('.wasm.br'));

test('the first load, each group of chunks and the built-in demo stay within their byte budgets', { skip: release ? false : 'dist/ is not a release build (trunk build --release)' }, () => {
  const files = firstLoad(DIST);
  assert.equal(files.filter((f) => f.file.endsWith('.wasm')).length, 1, 'one main wasm in dist/');
  const t = total(files);
  const report = files.map((f) => `${f.file}: ${f.gzip} B gzip`).join(', ');
  assert.ok(t.gzip <= budget.first_load_gzip, `first load ${t.gzip} B gzip > budget ${budget.first_load_gzip} B (${report})`);
  assert.ok(t.brotli <= budget.first_load_brotli, `first load ${t.brotli} B brotli > budget ${budget.first_load_brotli} B`);
  const w = total(worker(DIST));
  assert.ok(w.gzip <= budget.worker_gzip, `built-in demo worker ${w.gzip} B gzip > budget ${budget.worker_gzip} B`);
  const wasm = total([...files.filter((f) => f.file.endsWith('.wasm')), ...chunks(DIST)]);
  assert.ok(wasm.gzip <= budget.all_wasm_gzip, `all the app's wasm ${wasm.gzip} B gzip > budget ${budget.all_wasm_gzip} B (main module and chunks)`);
  const parts = byPart(DIST);
  assert.deepEqual(Object.keys(parts).sort(), Object.keys(budget.chunks_gzip).sort(), 'every group of chunks has a budget');
  for (const [part, bytes] of Object.entries(parts)) {
    assert.ok(bytes.gzip <= budget.chunks_gzip[part], `chunks "${part}" ${bytes.gzip} B gzip > budget ${budget.chunks_gzip[part]} B`);
  }
});

// What only runs in a chunk must not be kept in the main module: a function pointer in static
// data that the main module reads (a reader in a flow's declaration, once) keeps its target
// there, with every text it uses. One text of each kind, found in the chunks and not in the
// main module.
const CHUNK_ONLY = [
  ['a step reader (crates/protocol-catalogue/src/flows/agentic.rs)', 'The response carries no ID-JAG in access_token.'],
  ['the code generators (crates/protocol-render/src/codegen.rs)', 'allow_redirects=False'],
  ['the probe\'s cases (crates/protocol-probe/src/probe/cases.rs)', 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1'],
];

test('what only the chunks run stays out of the main module', { skip: release ? false : 'dist/ is not a release build (trunk build --release)' }, () => {
  const main = firstLoad(DIST).find((f) => f.file.endsWith('.wasm')).file;
  const mainBytes = readFileSync(join(DIST, main));
  const chunkBytes = chunks(DIST).map((c) => readFileSync(join(DIST, c.file)));
  for (const [what, text] of CHUNK_ONLY) {
    const needle = Buffer.from(text);
    assert.ok(chunkBytes.some((b) => b.includes(needle)), `${what}: "${text}" is in no chunk (reworded? update this test)`);
    assert.ok(!mainBytes.includes(needle), `${what}: "${text}" is in the main module ${main}: something the first load reads now points at it`);
  }
});
