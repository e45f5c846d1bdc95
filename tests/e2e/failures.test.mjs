// Failure paths are explained on the card, never a dead page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { finished, openBrowser, screenshot, send, setConfig, signIn, startTenant, step, unexpected } from './harness.mjs';

let tenant, noCors;
before(async () => {
  tenant = await startTenant({ port: 9433, appPort: 8133 });
  noCors = await startTenant({ port: 9434, args: ['--no-cors'] });
});
after(async () => { await tenant?.stop(); await noCors?.stop(); });

// The browser logs failed fetches to the console by itself; those are expected here.
const FETCH_NOISE = ['Failed to load resource', 'blocked by CORS policy', 'net::ERR_'];

test('a key the server does not know gives invalid_client, explained on step 2', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    const kid = await page.locator('.key-summary').innerText();
    await page.getByRole('button', { name: 'Generate ES256 key' }).click();
    await page.waitForFunction((old) => document.querySelector('.key-summary').innerText !== old, kid);
    assert.match(await page.locator('figure.curl pre').innerText(), /"kty": "EC"/, 'the public JWKS to register is shown');
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.equal(await send(page, 2), 'failed');
    const text = await step(page, 2).locator('.outcome').innerText();
    assert.match(text, /HTTP 401 invalid_client/);
    assert.match(text, /signature was not made by a key registered/);
    assert.match(text, /Client authentication failed/);
    await screenshot(page, 'failure-invalid-client');
    assert.deepEqual(unexpected(b.errors, FETCH_NOISE), []);
  } finally {
    await b.close();
  }
});

test('a tampered state on return is refused and nothing is exchanged', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await step(page, 1).locator('button.send').click();
    await page.getByRole('button', { name: 'Sign in as Alice Example' }).waitFor();
    const before = (await tenant.recorded()).length;
    await page.goto(`${tenant.app}?code=stolen-code&state=forged-state`);
    await finished(page, 1);
    assert.equal(await step(page, 1).getAttribute('data-status'), 'failed');
    assert.match(await step(page, 1).locator('.outcome').innerText(), /Refused: the state returned .* does not match/);
    assert.equal((await tenant.recorded()).length, before, 'no token request was sent');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('a stopped server is a network failure; a server without CORS is diagnosed as CORS', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    // Org URL pointing at nothing: the exchange cannot reach a server.
    await setConfig(page, 'org-url', 'http://127.0.0.1:9');
    assert.equal(await send(page, 2), 'failed');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /Network failure: Nothing answered at 127\.0\.0\.1:9/);
    // A live server that sends no CORS headers.
    await setConfig(page, 'org-url', noCors.org);
    assert.equal(await send(page, 2), 'failed');
    const text = await step(page, 2).locator('.outcome').innerText();
    assert.match(text, /Blocked by CORS/);
    assert.match(text, new RegExp(`Trusted Origin`));
    assert.match(text, /127\.0\.0\.1:8133/, 'names the origin to allow');
    await step(page, 2).getByRole('button', { name: /view log/ }).click();
    assert.match(await step(page, 2).locator('.log').innerText(), /Blocked by CORS/);
    await screenshot(page, 'failure-cors');
    assert.deepEqual(unexpected(b.errors, FETCH_NOISE), []);
  } finally {
    await b.close();
  }
});

test('an invalid key and an invalid URL are explained, not a panic', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.getByText('Show / paste private key').click();
    await page.locator('[name="agent-key"]').fill('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----');
    assert.match(await page.locator('.key-summary').innerText(), /not a private key/);
    await page.locator('[name="org-url"]').fill('not a url');
    assert.match(await page.locator('.field-error').first().innerText(), /not an absolute http/);
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.equal(await send(page, 2), 'failed');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /private key cannot sign: This is a public key/);
    assert.equal(await page.locator('.panic').count(), 0);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});
