// Measures the release build: bytes (raw, gzip -9) per asset kind, time to interactive (median
// of fresh page loads), and each step's overhead in the page (click to result, minus the HTTP
// time the log reports), against a release demo tenant on loopback. Writes bench/results.md.
import { execSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const RUNS = 7;

const kinds = { wasm: /\.wasm$/, js: /\.js$/, css: /\.css$/, html: /\.html$/ };
const sizes = Object.entries(kinds).map(([kind, re]) => {
  const files = readdirSync(DIST).filter((f) => re.test(f));
  const raw = files.reduce((s, f) => s + statSync(join(DIST, f)).size, 0);
  const gz = files.reduce((s, f) => s + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0);
  return { kind, raw, gz };
});

const tenant = spawn(join(ROOT, 'target/release/demo-tenant'), ['--port', '9481', '--serve-app', DIST, '--app-port', '8181'], { stdio: 'ignore' });
for (let i = 0; i < 100; i++) {
  try { if ((await fetch('http://127.0.0.1:9481/.well-known/openid-configuration')).ok) break; } catch {}
  await new Promise((r) => setTimeout(r, 100));
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const tti = [];
for (let i = 0; i < RUNS; i++) {
  const page = await (await browser.newContext()).newPage();
  await page.goto('http://127.0.0.1:8181/');
  await page.waitForSelector('[data-step="1"] button.send:not([disabled])');
  tti.push(await page.evaluate(() => performance.now()));
  await page.context().close();
}

const steps = { 2: [], 3: [], 4: [] };
for (let i = 0; i < RUNS; i++) {
  const page = await (await browser.newContext()).newPage();
  await page.goto('http://127.0.0.1:8181/');
  await page.click('[data-step="1"] button.send');
  await page.click('text=Sign in as Alice Example');
  await page.waitForSelector('[data-step="1"][data-status="done"]');
  for (const n of [2, 3, 4]) {
    const total = await page.evaluate((n) => new Promise((res) => {
      const card = document.querySelector(`[data-step="${n}"]`);
      const before = card.dataset.runs;
      const t0 = performance.now();
      new MutationObserver((_, obs) => { if (card.dataset.runs !== before) { obs.disconnect(); res(performance.now() - t0); } })
        .observe(card, { attributes: true });
      card.querySelector('button.send').click();
    }), n);
    await page.click(`[data-step="${n}"] .log-toggle`);
    const http = Number((await page.locator(`[data-step="${n}"] .log .entry-line`).first().innerText()).match(/\((\d+) ms\)/)[1]);
    steps[n].push({ total, http });
  }
  await page.context().close();
}
await browser.close();
tenant.kill();

const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const label = { 2: 'Token exchange for an ID-JAG (sign ES256 + fetch + checks)', 3: 'JWT bearer grant (sign + fetch + checks)', 4: 'API call' };
const out = `# Benchmark results

Written by \`scripts/bench\` on ${new Date().toISOString().slice(0, 10)} at commit \`${commit}\`; release build
(\`opt-level = "z"\`, LTO, \`wasm-opt -Oz\` from binaryen 132), headless Chromium, demo tenant (release) on loopback,
a machine with ${(await import('node:os')).cpus().length} cores. Medians of ${RUNS} runs.

## Bundle

| asset | raw | gzip -9 |
|---|---:|---:|
${sizes.map((s) => `| ${s.kind} | ${s.raw.toLocaleString('en')} B (${kb(s.raw)}) | ${s.gz.toLocaleString('en')} B (${kb(s.gz)}) |`).join('\n')}
| **total** | ${sizes.reduce((a, s) => a + s.raw, 0).toLocaleString('en')} B | ${sizes.reduce((a, s) => a + s.gz, 0).toLocaleString('en')} B |

## Time to interactive

Navigation start to step 1's Send button enabled (wasm fetched, compiled, app mounted): **${median(tti).toFixed(0)} ms** (min ${Math.min(...tti).toFixed(0)}, max ${Math.max(...tti).toFixed(0)}).

## Per-step overhead

Click to result shown, and the part of it that is not the HTTP exchange (signing with WebCrypto, building the
request, interpreting and checking the answer, rendering).

| step | click to result | HTTP (from the log) | overhead |
|---|---:|---:|---:|
${[2, 3, 4].map((n) => `| ${n}. ${label[n]} | ${median(steps[n].map((s) => s.total)).toFixed(1)} ms | ${median(steps[n].map((s) => s.http)).toFixed(0)} ms | ${median(steps[n].map((s) => s.total - s.http)).toFixed(1)} ms |`).join('\n')}
`;
writeFileSync(join(ROOT, 'bench/results.md'), out);
console.log(out);
