// The app in the browser, beside a Leptos CSR hello world built in the same run: bytes, and
// time to interactive read inside the page (the app's `atp-interactive` mark, and the paint
// after it), cold loads with the cache disabled, interleaved, on loopback and throttled
// through the DevTools protocol; then each step's overhead. Returns a Markdown section.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { all, chunks, firstLoad, total, worker } from './bytes.mjs';

const RUNS = 11;
const CONDITIONS = [
  { name: 'loopback', net: null },
  { name: '10 Mbit/s, 40 ms', net: { latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 } },
  { name: '1.6 Mbit/s, 150 ms', net: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 } },
];

/** Precompresses a dist/ as the app's post-build hook does, so both are served alike. */
function precompress(dir) {
  for (const f of readdirSync(dir).filter((f) => /\.(html|js|wasm|css)$/.test(f))) {
    const data = readFileSync(join(dir, f));
    writeFileSync(join(dir, `${f}.gz`), gzipSync(data, { level: 9 }));
    writeFileSync(join(dir, `${f}.br`), brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

async function serve(ROOT, dist, port, appPort) {
  const p = spawn(join(ROOT, 'target/native/demo-tenant'), ['--port', String(port), '--serve-app', dist, '--app-port', String(appPort)], { stdio: 'ignore' });
  process.on('exit', () => p.kill());
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`http://127.0.0.1:${appPort}/`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return p;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchApp(ROOT) {
  const dist = join(ROOT, 'dist');
  const hello = join(ROOT, 'target/bench-hello-dist');
  precompress(hello);
  const servers = [await serve(ROOT, dist, 9481, 8181), await serve(ROOT, hello, 9482, 8182)];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });

  // In the page: when the app marks itself interactive, the frame after the next one starts
  // (so the next one, with step 1, has been painted, and the app's first task after it has
  // run). The frames are requested at the mark itself: a PerformanceObserver is told of marks
  // in a low-priority task, which here came 60-120 ms after the first paint and would have
  // been counted as the app's time.
  const observer = () => {
    const mark = performance.mark.bind(performance);
    performance.mark = (name, options) => {
      const entry = mark(name, options);
      if (name === 'atp-interactive') requestAnimationFrame(() => requestAnimationFrame(() => { window.__painted = performance.now(); }));
      return entry;
    };
  };
  async function load(url, net) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(observer);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (net) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...net });
    await page.goto(url);
    await page.waitForFunction(() => window.__painted, null, { timeout: 60000 });
    const r = await page.evaluate(() => {
      const m = (n) => performance.getEntriesByName(n)[0].startTime;
      return { painted: window.__painted, interactive: m('atp-interactive'), mount: m('atp-interactive') - m('atp-start') };
    });
    await context.close();
    return r;
  }

  const timing = [];
  for (const c of CONDITIONS) {
    const app = [];
    const hw = [];
    for (let i = 0; i < RUNS; i++) {
      app.push(await load('http://127.0.0.1:8181/', c.net));
      hw.push(await load('http://127.0.0.1:8182/', c.net));
    }
    timing.push({ c, app, hw });
  }

  // Per-step overhead on loopback: click to result, minus the HTTP time the log shows.
  const steps = { 2: [], 3: [], 4: [] };
  for (let i = 0; i < 7; i++) {
    const page = await (await browser.newContext()).newPage();
    await page.goto('http://127.0.0.1:8181/');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('[data-step="1"] button.send')]);
    await popup.click('text=Sign in as Alice Example');
    await page.waitForSelector('[data-step="1"][data-status="done"]');
    for (const n of [2, 3, 4]) {
      const clicked = await page.evaluate((n) => new Promise((res) => {
        const card = document.querySelector(`[data-step="${n}"]`);
        const before = card.dataset.runs;
        const t0 = performance.now();
        new MutationObserver((_, obs) => { if (card.dataset.runs !== before) { obs.disconnect(); res(performance.now() - t0); } })
          .observe(card, { attributes: true });
        card.querySelector('button.send').click();
      }), n);
      await page.locator(`[data-step="${n}"]`).getByRole('tab', { name: 'Log', exact: true }).click();
      const line = await page.locator(`[data-step="${n}"] .log .entry-line`).first().innerText();
      steps[n].push({ total: clicked, http: Number(/\((\d+) ms\)/.exec(line)[1]) });
    }
    await page.context().close();
  }
  await browser.close();
  servers.forEach((s) => s.kill());

  const first = total(firstLoad(dist));
  const w = total(worker(dist));
  const h = total(all(hello));
  const b = (n) => `${n.toLocaleString('en')} B`;
  const row = (name, t) => `| ${name} | ${b(t.raw)} | ${b(t.gzip)} | ${b(t.brotli)} |`;
  const ms = (n) => `${n.toFixed(0)} ms`;
  const label = { 2: 'Token exchange for an ID-JAG (sign ES256, send, verify the signature, checks)', 3: 'JWT bearer grant (sign, send, verify, checks)', 4: 'API call' };
  return `## Bundle

| what | raw | gzip -9 | brotli 11 |
|---|---:|---:|---:|
${row('app, first load (HTML, boot.js, JS, wasm, CSS)', first)}
${firstLoad(dist).map((f) => `| &nbsp;&nbsp;${f.file} | ${b(f.raw)} | ${b(f.gzip)} | ${b(f.brotli)} |`).join('\n')}
${row('chunks loaded on first use (prefetched once the page is idle), all', total(chunks(dist)))}
${chunks(dist).map((f) => `| &nbsp;&nbsp;${f.file} (${f.part === 'shared' ? 'shared by several groups' : `group ${f.part}`}) | ${b(f.raw)} | ${b(f.gzip)} | ${b(f.brotli)} |`).join('\n')}
${row('built-in demo worker (sw.js, its JS and wasm; at first use only)', w)}
${row('Leptos CSR hello world (same build settings)', h)}

Where these bytes go, what moving parts out would save, and the floor: \`bench/floor.md\`.

## Time to interactive

Medians of ${RUNS} cold loads each (cache disabled), app and hello world interleaved, read in the page: navigation
start to the start of the second frame requested at the \`atp-interactive\` mark (step 1's action usable), that is
after the frame with step 1 was painted and the app's first task after it ran. "Mount" is from the wasm's start
to that mark. Since 2026-11-25 (second session) the frames are requested at the mark itself; before, a
PerformanceObserver requested them when it was told of the mark, 60-120 ms after the first paint here, and
that delay was counted for both apps.

| network | app | hello world | app ÷ hello | app mount | hello mount |
|---|---:|---:|---:|---:|---:|
${timing.map(({ c, app, hw }) => `| ${c.name} | ${ms(median(app.map((r) => r.painted)))} | ${ms(median(hw.map((r) => r.painted)))} | ${(median(app.map((r) => r.painted)) / median(hw.map((r) => r.painted))).toFixed(2)}× | ${median(app.map((r) => r.mount)).toFixed(1)} ms | ${median(hw.map((r) => r.mount)).toFixed(1)} ms |`).join('\n')}

## Per-step overhead

Loopback, demo tenant: click to result shown, and the part of it that is not the HTTP exchange (signing with
WebCrypto, building the request, reading the issuer's keys once and verifying signatures, checks, rendering).
Medians of 7 runs.

| step | click to result | HTTP (from the log) | overhead |
|---|---:|---:|---:|
${[2, 3, 4].map((n) => `| ${n}. ${label[n]} | ${median(steps[n].map((s) => s.total)).toFixed(1)} ms | ${median(steps[n].map((s) => s.http)).toFixed(0)} ms | ${median(steps[n].map((s) => s.total - s.http)).toFixed(1)} ms |`).join('\n')}
`;
}
