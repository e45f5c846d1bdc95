// The release dist/ copied under a subpath of a plain static file server, no other process:
// every flow runs on the built-in demo (the tenant core in a service worker), and the worker is
// stopped between every two steps, so whatever the tenant must remember is proven to persist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, param, runSteps as runAll, screenshot, send, startStatic, step, stepCount, stopServiceWorkers, summary, tab, unexpected, view } from './harness.mjs';

let site;
before(async () => { site = await startStatic({ port: 8139, path: 'docs/playground' }); });
after(async () => { await site?.stop(); });

const BASE = 'http://127.0.0.1:8139/docs/playground/demo-tenant';

/** Runs steps `from`..`to` (ids), stopping the worker after each. */
const runSteps = (page, from, to) => runAll(page, from, to, () => stopServiceWorkers(page));

test('the first load fetches neither the worker nor its wasm, and probes no loopback tenant; the worker is prefetched once idle, not registered', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(site.app);
    await page.getByRole('heading', { level: 1, name: 'Agentic Token Exchange Flow' }).waitFor();
    const first = await page.evaluate(() => {
      const t = performance.getEntriesByName('atp-interactive')[0].startTime;
      return performance.getEntriesByType('resource').filter((e) => e.startTime < t).map((e) => e.name);
    });
    assert.deepEqual(first.filter((u) => /sw\.js|demo-worker/.test(u)), [], 'not in the first load');
    // The built-in demo is the preset in use: its files are fetched once the page is idle.
    await page.waitForFunction(() => performance.getEntriesByName('atp-prefetched').length > 0);
    assert.deepEqual(requested.filter((u) => /sw\.js|demo-worker/.test(u)).map((u) => u.split('/').pop().split('?')[0]), ['sw.js', 'demo-worker.js', 'demo-worker_bg.wasm']);
    assert.deepEqual(requested.filter((u) => !u.startsWith('http://127.0.0.1:8139/docs/playground/')), [], 'every asset is relative to the page');
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
    // The built-in demo is the default preset here.
    await view(page, 'Configuration');
    assert.equal(await page.locator('[name="preset"]').first().inputValue(), 'builtin');
    assert.equal(await page.locator('[name="idp"]').inputValue(), BASE);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('the headline flow, resource types, introspection and revocation, with the worker stopped between steps', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(site.app);
    await runSteps(page, 'signin', 'api_after');
    assert.match(await summary(page, 'exchange'), new RegExp(`ID-JAG issued for ${BASE}/oauth2/files with scope "files\\.read"`));
    const at = JSON.parse(await (await tab(page, 'bearer', 'Tokens')).locator('pre.claims').innerText());
    assert.deepEqual(at.act, { sub: 'wlp-demo-ai-agent' });
    assert.match(await summary(page, 'api'), /wlp-demo-ai-agent is acting on behalf of Alice Example/);
    assert.match(await summary(page, 'introspect'), /active: the server vouches for it/);
    assert.deepEqual(JSON.parse(await (await tab(page, 'introspect_after', 'Result')).locator('.body pre').innerText()), { active: false });
    assert.match(await summary(page, 'api_after'), /The API refused the revoked token \(HTTP 401\)/);
    assert.equal(await page.locator('.finding.error').count(), 0);
    // The card says who answered, and how to run the request against ./run.
    const request = await tab(page, 'bearer', 'Request');
    assert.match(await step(page, 'bearer').locator('.endpoint').innerText(), /answered by the built-in demo, in this page/);
    await request.getByText(/This endpoint lives in this page/).click();
    assert.match(await request.locator('.twin pre').innerText(), /--url 'http:\/\/127\.0\.0\.1:9400\/oauth2\/files\/v1\/token'/);
    await screenshot(page, 'static-host-done');

    // A single-use code and a replayed assertion are still refused after the worker restarted:
    // re-running step 3 sends the same ID-JAG (one-time use, RFC 7523 jti).
    assert.equal(await send(page, 'bearer'), 'failed');
    assert.match(await summary(page, 'bearer'), /invalid_grant/);

    // Resource types on the same tenant.
    await (await param(page, 'exchange', 'resource_type')).selectOption('secret');
    assert.equal(await send(page, 'exchange_secret'), 'done', await summary(page, 'exchange_secret'));
    assert.match(await (await tab(page, 'exchange_secret', 'Result')).locator('.body pre').innerText(), /"api_key": "‹hidden \d+ chars›"/);
    assert.deepEqual(unexpected(b.errors, ['status of 401', 'status of 400']), []);
  } finally {
    await b.close();
  }
});

for (const [hash, title, count, from, to, last] of [
  ['agent-to-agent', 'Agent-to-Agent Token Exchange', 7, 'client_token', 'api', /wlp-demo-research-agent is acting for wlp-demo-ai-agent on behalf of 0oa-demo-orchestrator/],
  ['obo', 'On-Behalf-Of Token Exchange', 7, 'signin', 'api_after', /refused the revoked token \(HTTP 401\)/],
  ['autonomous', 'Autonomous AI Agent Flow', 4, 'credentials', 'info_after', /sub bot-traffic-analyzer/],
]) {
  test(`${title} on the built-in demo, the worker stopped between steps`, async () => {
    const b = await openBrowser();
    try {
      const { page } = b;
      await page.goto(`${site.app}#/${hash}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      assert.equal(await stepCount(page), count);
      await runSteps(page, from, to);
      assert.match(await summary(page, to), last);
      assert.equal(await page.locator('.finding.error').count(), 0);
      assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
    } finally {
      await b.close();
    }
  });
}

test('a failure demo runs too, and "Reset the built-in demo" forgets its state', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(site.app);
    await runSteps(page, 'signin', 'exchange');
    // An unknown key: invalid_client, explained.
    await view(page, 'Configuration');
    const before = await page.locator('.key-summary').first().innerText();
    await page.getByRole('button', { name: 'Generate ES256 key' }).first().click();
    await page.waitForFunction((old) => document.querySelector('.key-summary').innerText !== old, before);
    await view(page, 'Flow Steps');
    assert.equal(await send(page, 'exchange'), 'failed');
    assert.match(await summary(page, 'exchange'), /HTTP 401 invalid_client/);
    // Reset: the tenant's signing keys are new, so a fresh run works from the start, and the
    // new key id makes the page read the issuer's keys again, exactly once.
    const keyReads = [];
    page.on('request', (r) => { if (r.url().includes('/keys')) keyReads.push(r.url()); });
    await view(page, 'Configuration');
    await page.getByRole('button', { name: 'Reset to preset' }).first().click();
    await page.getByRole('button', { name: 'Reset the built-in demo' }).click();
    await page.locator('p.found').getByText(/The built-in demo was reset: it forgot its signing keys, codes and revocations. Steps cleared in: User → AI agent/).waitFor();
    await view(page, 'Flow Steps');
    await page.getByRole('button', { name: 'Reset steps' }).click();
    await runSteps(page, 'signin', 'api');
    // The org server's keys were read before the reset; its new key id costs exactly one read
    // (the files server's keys are read here for the first time).
    assert.deepEqual(keyReads.filter((u) => u === `${BASE}/oauth2/v1/keys`), [`${BASE}/oauth2/v1/keys`], 'one fresh read of the rotated keys');
    assert.match(await (await tab(page, 'exchange', 'Checks')).innerText(), /ID-JAG: signature verified/);
    assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
  } finally {
    await b.close();
  }
});

test('on plain http under a host name (no secure context) the page says why the built-in demo cannot run', async () => {
  // docs.example resolves to this machine; http on a name other than localhost is not secure.
  const b = await openBrowser({ args: ['--host-resolver-rules=MAP docs.example 127.0.0.1'] });
  try {
    const { page } = b;
    await page.goto('http://docs.example:8139/docs/playground/');
    await page.getByRole('heading', { level: 1, name: 'Agentic Token Exchange Flow' }).waitFor();
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    await step(page, 'signin').locator('button.send').click();
    await page.waitForFunction(() => Number(document.querySelector('article.step[data-step-id="signin"]').dataset.runs) > 0);
    assert.match(await summary(page, 'signin'), /service worker, which browsers allow only on https pages or on http:\/\/localhost/);
    await view(page, 'Configuration');
    assert.match(await page.locator('fieldset.presets').innerText(), /Open it over https \(or on localhost\), or start the local demo tenant/);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});
