// The autonomous agent flow (PingOne AIC realm paths on the demo tenant), linked by URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, param, screenshot, send, setConfig, startTenant, step, stepCount, stepIds, summary, tab, unexpected, view } from './harness.mjs';

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
    const curl = await (await tab(page, 'credentials', 'Request')).locator('pre').last().innerText();
    assert.match(curl, /--url 'http:\/\/127\.0\.0\.1:9436\/am\/oauth2\/realms\/root\/realms\/alpha\/access_token'/);
    assert.match(curl, /client_secret=‹hidden/);
    assert.match(await step(page, 'exchange').locator('.step-status').innerText(), /agent's own token \(step 1\)/);

    for (const id of ['credentials', 'info', 'exchange', 'info_after']) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.match(await summary(page, 'info'), /sub bot-traffic-analyzer, aud bot-traffic-analyzer, scope monitor-system/);
    assert.match(await summary(page, 'exchange'), /Token for access-log-api issued, scope "logs-read logs-search"/);
    const info = JSON.parse(await (await tab(page, 'info_after', 'Result')).locator('.body pre').innerText());
    assert.equal(info.sub, 'bot-traffic-analyzer');
    assert.deepEqual(info.act, { sub: 'bot-traffic-analyzer' });
    assert.deepEqual(info.aud, ['bot-traffic-analyzer', 'access-log-api']);
    assert.match(await (await tab(page, 'info_after', 'Checks')).innerText(), /the agent acts for itself/);
    assert.equal(await page.locator('.finding.error').count(), 0);
    await screenshot(page, 'autonomous-flow-done');

    // The picker switches back to the headline flow, which keeps its own state.
    await page.getByRole('link', { name: 'User → AI agent (ID-JAG)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agentic Token Exchange Flow' }).waitFor();
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'ready');
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
    await setConfig(page, 'agent-secret', 'wrong-secret');
    assert.equal(await send(page, 'credentials'), 'failed');
    assert.match(await summary(page, 'credentials'), /HTTP 401 invalid_client\): The client secret is wrong/);

    await setConfig(page, 'agent-secret', 'demo-agent-secret');
    assert.equal(await send(page, 'credentials'), 'done', await summary(page, 'credentials'));
    await (await param(page, 'exchange', 'audience')).fill('no-such-app');
    assert.equal(await send(page, 'exchange'), 'failed');
    assert.match(await summary(page, 'exchange'), /HTTP 400 invalid_target\): audience no-such-app is not an application/);
    assert.deepEqual(unexpected(b.errors, ['status of 40']), []);
  } finally {
    await b.close();
  }
});

test('the autonomous flow against a server found by discovery, not PingOne paths', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/autonomous`);
    await view(page, 'Configuration');
    await page.locator('[name="realm-layout"]').selectOption('discovery');
    await page.locator('[name="realm-discover"]').click();
    await page.getByText(/Read .*realms\/alpha.*token endpoint/).waitFor();
    await view(page, 'Flow Steps');
    const count = await stepCount(page);
    assert.equal(count, 4, 'credentials, introspection, exchange, introspection');
    for (const id of await stepIds(page)) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.deepEqual(unexpected(b.errors, ['status of 404']), []);
  } finally {
    await b.close();
  }
});
