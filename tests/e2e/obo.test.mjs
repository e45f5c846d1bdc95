// Okta On-Behalf-Of (seed 003) on the demo tenant: sign-in at a custom server, the service
// app's exchange (client_secret_basic), the trusted-server variant, API2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, send, setConfig, signIn, startTenant, step, summary, tab, unexpected, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9437, appPort: 8137 }); });
after(async () => { await tenant?.stop(); });

test('the user stays the subject; a trusted server narrows the scopes', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/obo`);
    await page.getByRole('heading', { level: 1, name: 'On-Behalf-Of Token Exchange' }).waitFor();
    await signIn(page);
    assert.equal(new URL(page.url()).hash, '#/obo');
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done', await summary(page, 'signin'));

    assert.match(await step(page, 'api').locator('.step-status').innerText(), /on-behalf-of token \(step 2\)/);
    const curl = await (await tab(page, 'exchange', 'Request')).locator('pre').last().innerText();
    assert.match(curl, /--url 'http:\/\/127\.0\.0\.1:9437\/oauth2\/default\/v1\/token' \\\n  --header 'Accept: application\/json' \\\n  --header 'Authorization: Basic ‹hidden/);
    assert.match(curl, /--data-urlencode 'scope=api:access:read api:access:write' \\\n  --data-urlencode 'audience=com\.api\.atko'/);
    assert.equal(await send(page, 'exchange'), 'done', await summary(page, 'exchange'));
    const claims = JSON.parse(await (await tab(page, 'exchange', 'Tokens')).locator('pre.claims').innerText());
    assert.equal(claims.uid, '00u-alice');
    assert.equal(claims.aud, 'com.api.atko');
    assert.equal(claims.cid, '0oa-demo-service-api1');
    assert.match(await (await tab(page, 'exchange', 'Checks')).innerText(), /subject is still the user/);
    assert.equal(await send(page, 'api'), 'done', await summary(page, 'api'));
    assert.match(await summary(page, 'api'), /0oa-demo-service-api1 is calling on behalf of Alice Example/);

    for (const id of ['introspect', 'revoke', 'introspect_after', 'api_after']) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.match(await summary(page, 'introspect'), /active: the server vouches for it \(sub alice@example\.com/);
    assert.deepEqual(JSON.parse(await (await tab(page, 'introspect_after', 'Result')).locator('.body pre').innerText()), { active: false });
    assert.match(await summary(page, 'api_after'), /refused the revoked token \(HTTP 401\)/);

    // Trusted servers: the second server accepts default's token, with its own narrower policy.
    await setConfig(page, 'exchange_as', `${tenant.org}/oauth2/aus-trusted-api2`);
    assert.equal(await step(page, 'exchange').getAttribute('data-status'), 'stale');
    assert.equal(await send(page, 'exchange'), 'done', await summary(page, 'exchange'));
    const checks = await (await tab(page, 'exchange', 'Checks')).innerText();
    assert.match(checks, /Policy narrowed the scopes: api:access:write not granted; api:access:read kept/);
    assert.match(checks, /Trusted servers: http:\/\/127\.0\.0\.1:9437\/oauth2\/aus-trusted-api2 accepted a token issued by http:\/\/127\.0\.0\.1:9437\/oauth2\/default/);
    assert.equal(JSON.parse(await (await tab(page, 'exchange', 'Tokens')).locator('pre.claims').innerText()).iss, `${tenant.org}/oauth2/aus-trusted-api2`);
    // The lineage: the user stays sub from the sign-in to the on-behalf-of token; scope narrowed.
    const rows = page.locator('section.lineage table.lineage-table tbody tr');
    const hop = await rows.last().innerText();
    assert.match(hop, /sub\s+alice@example\.com/);
    assert.match(hop, /client_id\s+0oa-demo-service-api1/);
    assert.match(hop, /narrowed\s+dropped .*api:access:write/);
    assert.equal(await page.locator('section.lineage g.hop').count(), await rows.count());
    assert.equal(await page.locator('.finding.error').count(), 0);
    await screenshot(page, 'obo-flow-done');
    assert.deepEqual(unexpected(b.errors, ['status of 401 (Unauthorized)']), []);
  } finally {
    await b.close();
  }
});

test('a wrong service secret is refused with invalid_client, explained', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/obo`);
    await signIn(page);
    await setConfig(page, 'service-secret', 'not-the-secret');
    assert.equal(await send(page, 'exchange'), 'failed');
    assert.match(await summary(page, 'exchange'), /HTTP 401 invalid_client\): The client secret is wrong/);
    assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
  } finally {
    await b.close();
  }
});

test('On-Behalf-Of against servers found by discovery, not Okta paths', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/obo`);
    await view(page, 'Configuration');
    for (const role of ['signin_as', 'exchange_as']) {
      await page.locator(`[name="${role}-layout"]`).selectOption('discovery');
      await page.locator(`[name="${role}-discover"]`).click();
    }
    // Both discoveries run at once: wait for each server's own result, not the first one's.
    for (const n of [0, 1]) await page.locator('fieldset.server').nth(n).getByText(/Endpoints in use, from .*well-known/).waitFor();
    assert.match(await page.locator('fieldset.server').nth(1).innerText(), /Read .*\/oauth2\/default.*token endpoint/);
    await view(page, 'Flow Steps');
    await signIn(page);
    for (const id of ['exchange', 'api', 'introspect', 'revoke', 'introspect_after', 'api_after']) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.deepEqual(unexpected(b.errors, ['status of 401', 'status of 404']), []);
  } finally {
    await b.close();
  }
});
