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
