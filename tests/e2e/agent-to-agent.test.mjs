// Agent-to-agent (seed 001): the agent's own client-credentials token (resource = the invoked
// agent), or the user's ID token, exchanged for an ID-JAG for the second agent's server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { finished, openBrowser, screenshot, send, signIn, startTenant, step, unexpected } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9438, appPort: 8138 }); });
after(async () => { await tenant?.stop(); });

test("with the agent's own token: client credentials, ID-JAG, JWT bearer, the research agent's API", async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/agent-to-agent`);
    await page.getByRole('heading', { level: 1, name: 'Agent-to-Agent Token Exchange' }).waitFor();
    await page.locator('button[name="agent-credentials"]').click();
    await finished(page, 1);
    assert.equal(await step(page, 1).getAttribute('data-status'), 'done', await step(page, 1).locator('.outcome').innerText());
    assert.match(await step(page, 1).locator('.summary').innerText(), /own token for http:\/\/127\.0\.0\.1:9438\/api\/agents\/research/);
    assert.match(await step(page, 2).locator('pre').innerText(), /subject_token_type=urn:ietf:params:oauth:token-type:access_token/);

    assert.equal(await send(page, 2), 'done', await step(page, 2).locator('.outcome').innerText());
    const jag = JSON.parse(await step(page, 2).locator('pre.claims').innerText());
    assert.equal(jag.sub, 'wlp-demo-ai-agent');
    assert.equal(jag.aud, `${tenant.org}/oauth2/agent2`);
    assert.equal(await send(page, 3), 'done', await step(page, 3).locator('.outcome').innerText());
    assert.equal(await send(page, 4), 'done', await step(page, 4).locator('.outcome').innerText());
    const body = JSON.parse(await step(page, 4).locator('.body pre').innerText());
    assert.equal(body.resource, '/api/agents/research/tasks');
    assert.equal(body.caller.act.sub, 'wlp-demo-ai-agent');
    assert.equal(await page.locator('.finding.error').count(), 0);
    await screenshot(page, 'agent-to-agent-done');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test("with the user's ID token; a scope outside the policy is refused", async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/agent-to-agent`);
    await step(page, 2).locator('select').first().selectOption('id');
    await signIn(page);
    assert.equal(new URL(page.url()).hash, '#/agent-to-agent');
    assert.equal(await send(page, 2), 'done', await step(page, 2).locator('.outcome').innerText());
    assert.equal(JSON.parse(await step(page, 2).locator('pre.claims').innerText()).sub, '00u-alice');
    await step(page, 2).locator('[name="exchange-scope"]').fill('research.write');
    assert.equal(await send(page, 2), 'failed');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /HTTP 400 invalid_scope\): None of the requested scopes are allowed for wlp-demo-ai-agent/);
    assert.deepEqual(unexpected(b.errors, ['status of 400']), []);
  } finally {
    await b.close();
  }
});
