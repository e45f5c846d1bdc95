// The byte ratchet: what a first visit downloads (index.html, boot.js, the app's JS, wasm and
// CSS; not the built-in demo's worker nor the extras module, which load at their first use)
// must stay within the budget recorded in bench/budget.json, and so must the worker and the
// extras module. Raising a budget is a
// decision recorded, with its reason, in bench/results.md. Runs against the release build
// that ./test makes (skipped on a debug build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extras, firstLoad, total, worker } from '../../bench/bytes.mjs';
import { ROOT } from './harness.mjs';

const DIST = join(ROOT, 'dist');
const budget = JSON.parse(readFileSync(join(ROOT, 'bench/budget.json'), 'utf8'));
const release = existsSync(DIST) && readdirSync(DIST).some((f) => f.endsWith('.wasm.br'));

test('the first load, the built-in demo and the extras module stay within their byte budgets', { skip: release ? false : 'dist/ is not a release build (trunk build --release)' }, () => {
  const files = firstLoad(DIST);
  assert.equal(files.filter((f) => f.file.endsWith('.wasm')).length, 1, 'one app wasm in dist/');
  const t = total(files);
  const report = files.map((f) => `${f.file}: ${f.gzip} B gzip`).join(', ');
  assert.ok(t.gzip <= budget.first_load_gzip, `first load ${t.gzip} B gzip > budget ${budget.first_load_gzip} B (${report})`);
  assert.ok(t.brotli <= budget.first_load_brotli, `first load ${t.brotli} B brotli > budget ${budget.first_load_brotli} B`);
  const w = total(worker(DIST));
  assert.ok(w.gzip <= budget.worker_gzip, `built-in demo worker ${w.gzip} B gzip > budget ${budget.worker_gzip} B`);
  const x = total(extras(DIST));
  assert.ok(x.gzip <= budget.extras_gzip, `extras module ${x.gzip} B gzip > budget ${budget.extras_gzip} B`);
});
