// Okta On-Behalf-Of (seed 003) on the demo tenant: sign-in at a custom server, the service
// app's exchange (client_secret_basic), the trusted-server variant, API2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, send, startTenant, step, unexpected } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9437, appPort: 8137 }); });
after(async () => { await tenant?.stop(); });

async function signInObo(page) {
  const before = Number(await step(page, 1).getAttribute('data-runs'));
  await step(page, 1).locator('button.send').click();
  await page.getByRole('button', { name: 'Sign in as Alice Example' }).click();
  await page.waitForFunction((b) => Number(document.querySelector('[data-step="1"]')?.dataset.runs) > b, before);
}

test('the user stays the subject; the trusted server narrows the scopes', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/obo`);
    await page.getByRole('heading', { level: 1, name: 'On-Behalf-Of Token Exchange' }).waitFor();
    await signInObo(page);
    assert.equal(new URL(page.url()).hash, '#/obo', 'the redirect comes back to the flow that started it');
    assert.equal(await step(page, 1).getAttribute('data-status'), 'done', await step(page, 1).locator('.outcome').innerText());

    assert.equal(await step(page, 3).locator('.step-status').innerText(), 'Waiting for obo token (step 2)');
    const curl = await step(page, 2).locator('pre').innerText();
    assert.match(curl, /--url 'http:\/\/127\.0\.0\.1:9437\/oauth2\/default\/v1\/token' \\\n  --header 'Accept: application\/json' \\\n  --header 'Authorization: Basic ‹hidden/);
    assert.match(curl, /--data-urlencode 'scope=api:access:read api:access:write' \\\n  --data-urlencode 'audience=com\.api\.atko'$/);
    assert.equal(await send(page, 2), 'done', await step(page, 2).locator('.outcome').innerText());
    const claims = JSON.parse(await step(page, 2).locator('pre.claims').innerText());
    assert.equal(claims.sub, '00u-alice');
    assert.equal(claims.aud, 'com.api.atko');
    assert.equal(claims.cid, '0oa-demo-service-api1');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /sub is still the user \(00u-alice\)/);
    assert.equal(await send(page, 3), 'done', await step(page, 3).locator('.outcome').innerText());
    assert.match(await step(page, 3).locator('.summary').innerText(), /0oa-demo-service-api1 is calling on behalf of Alice Example/);

    // Introspect, revoke, introspect again; API2 refuses the revoked token.
    for (const n of [4, 5, 6, 7]) {
      assert.equal(await send(page, n), 'done', await step(page, n).locator('.outcome').innerText());
    }
    assert.match(await step(page, 4).locator('.summary').innerText(), /active: the server vouches for it \(sub 00u-alice/);
    assert.deepEqual(JSON.parse(await step(page, 6).locator('.body pre').innerText()), { active: false });
    assert.match(await step(page, 7).locator('.summary').innerText(), /refused the revoked token \(HTTP 401\)/);

    // Trusted servers: the second server accepts default's token, with its own narrower policy.
    await step(page, 2).locator('[name="exchange-server"]').selectOption('aus-trusted-api2');
    assert.equal(await step(page, 2).getAttribute('data-status'), 'stale');
    assert.equal(await send(page, 2), 'done', await step(page, 2).locator('.outcome').innerText());
    const text = await step(page, 2).locator('.outcome').innerText();
    assert.match(text, /Policy narrowed the scopes: api:access:write not granted; api:access:read kept/);
    assert.match(text, /Trusted servers: aus-trusted-api2 accepted a token issued by default/);
    assert.equal(JSON.parse(await step(page, 2).locator('pre.claims').innerText()).iss, `${tenant.org}/oauth2/aus-trusted-api2`);
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
    await signInObo(page);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.locator('[name="obo-service-secret"]').fill('not-the-secret');
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.equal(await send(page, 2), 'failed');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /HTTP 401 invalid_client\): The client secret is wrong/);
    assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
  } finally {
    await b.close();
  }
});
