// The autonomous agent flow (PingOne AIC realm paths on the demo tenant), linked by URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, send, startTenant, step, unexpected } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9436, appPort: 8136 }); });
after(async () => { await tenant?.stop(); });

test('client credentials, tokeninfo, exchange, tokeninfo: the agent is sub and act', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/autonomous`);
    await page.getByRole('heading', { level: 1, name: 'Autonomous AI Agent Flow' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Autonomous agent (PingOne AIC)' }).getAttribute('aria-current'), 'page');
    assert.match(await step(page, 1).locator('pre').innerText(), /--url 'http:\/\/127\.0\.0\.1:9436\/am\/oauth2\/realms\/root\/realms\/alpha\/access_token'/);
    assert.match(await step(page, 1).locator('pre').innerText(), /--data-urlencode 'client_secret=‹hidden/);

    assert.equal(await step(page, 3).locator('.step-status').innerText(), 'Waiting for agent token (step 1)');
    for (const n of [1, 2, 3, 4]) {
      assert.equal(await send(page, n), 'done', await step(page, n).locator('.outcome').innerText());
    }
    assert.match(await step(page, 2).locator('.summary').innerText(), /sub bot-traffic-analyzer, aud bot-traffic-analyzer, scope monitor-system/);
    assert.match(await step(page, 3).locator('.summary').innerText(), /Token for access-log-api issued, scope "logs-read logs-search"/);
    assert.match(await step(page, 3).locator('.outcome').innerText(), /refresh_token is null/);
    const info = JSON.parse(await step(page, 4).locator('.body pre').innerText());
    assert.equal(info.sub, 'bot-traffic-analyzer');
    assert.deepEqual(info.act, { sub: 'bot-traffic-analyzer' });
    assert.deepEqual(info.aud, ['bot-traffic-analyzer', 'access-log-api']);
    assert.match(await step(page, 4).locator('.outcome').innerText(), /sub and act\.sub are both bot-traffic-analyzer: the agent acts for itself \(autonomous\)/);
    assert.equal(await page.locator('.finding.error').count(), 0);
    await screenshot(page, 'autonomous-flow-done');

    // The picker switches back to the headline flow, which keeps its own state.
    await page.getByRole('link', { name: 'User → AI agent (ID-JAG)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agentic Token Exchange Flow' }).waitFor();
    assert.equal(await step(page, 1).getAttribute('data-status'), 'ready');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('a wrong secret and an application outside the policy are refused, explained on the card', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/autonomous`);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.locator('[name="autonomous-agent-secret"]').fill('wrong-secret');
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.equal(await send(page, 1), 'failed');
    assert.match(await step(page, 1).locator('.outcome').innerText(), /HTTP 401 invalid_client\): The client secret is wrong/);

    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.getByRole('button', { name: 'PingOne AIC preset (demo tenant realm)' }).click();
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.equal(await send(page, 1), 'done');
    await step(page, 3).locator('[name="autonomous-audience"]').fill('no-such-app');
    assert.equal(await send(page, 3), 'failed');
    assert.match(await step(page, 3).locator('.outcome').innerText(), /HTTP 400 invalid_target\): audience no-such-app is not an application/);
    assert.deepEqual(unexpected(b.errors, ['Failed to load resource']), []);
  } finally {
    await b.close();
  }
});
