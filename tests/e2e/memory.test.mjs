// A long session stays flat (a soak, not a timing): switching between the four flows 400 times,
// and running a flow's steps 60 times, grow neither the app's wasm memory (by less than 1 MB
// after the first 20 rounds) nor the page's DOM (within 10%), measured after a forced garbage
// collection with Chromium's own counters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, runSteps, startTenant, stepCount, stepIds } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9447, appPort: 8148 }); });
after(async () => { await tenant?.stop(); });

const FLOWS = ['agentic', 'agent-to-agent', 'obo', 'autonomous'];
const MB = 1024 * 1024;

async function counters(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { nodes } = await cdp.send('Memory.getDOMCounters');
  await cdp.detach();
  const wasm = await page.evaluate(() => globalThis.atpWasmMemoryBytes());
  return { nodes, wasm };
}

test('switching between the flows 400 times keeps memory and the DOM flat', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await stepCount(page);
    const show = async (i) => {
      await page.evaluate((f) => { location.hash = `#/${f}`; }, FLOWS[i % 4]);
      await page.locator('nav.rail li').first().waitFor();
    };
    for (let i = 1; i <= 20; i++) await show(i);
    await stepCount(page);
    const early = await counters(page);
    for (let i = 21; i <= 400; i++) await show(i);
    await stepCount(page);
    const late = await counters(page);
    assert.ok(late.wasm - early.wasm < MB, `wasm memory grew from ${early.wasm} to ${late.wasm} bytes`);
    assert.ok(Math.abs(late.nodes - early.nodes) <= early.nodes * 0.1, `DOM nodes: ${early.nodes} -> ${late.nodes}`);
  } finally {
    await b.close();
  }
});

test("running a flow's steps 60 times keeps memory and the DOM flat (the log keeps the last 10 requests of each step)", async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/autonomous`);
    const ids = await stepIds(page);
    for (let i = 1; i <= 20; i++) await runSteps(page, ids);
    const early = await counters(page);
    for (let i = 21; i <= 60; i++) await runSteps(page, ids);
    const late = await counters(page);
    assert.ok(late.wasm - early.wasm < MB, `wasm memory grew from ${early.wasm} to ${late.wasm} bytes`);
    assert.ok(Math.abs(late.nodes - early.nodes) <= early.nodes * 0.1, `DOM nodes: ${early.nodes} -> ${late.nodes}`);
    // The earlier requests are counted, not kept.
    assert.match(await page.locator('article.step').first().locator('.log-dropped').textContent(), /^50 earlier requests not kept: the log keeps the last 10 of each step\.$/);
  } finally {
    await b.close();
  }
});
