// Failure paths are explained on the card (what failed, why, the fix for the server
// configured), never a dead page or a panic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { finished, openBrowser, openCard, param, screenshot, send, setConfig, signIn, startTenant, step, summary, tab, unexpected, view } from './harness.mjs';

let tenant, noCors, tampering;
before(async () => {
  tenant = await startTenant({ port: 9433, appPort: 8133 });
  noCors = await startTenant({ port: 9434, args: ['--no-cors'] });
  tampering = await startTenant({ port: 9440, appPort: 8130, args: ['--tamper-id-jag-signatures'] });
});
after(async () => { await tenant?.stop(); await noCors?.stop(); await tampering?.stop(); });

test('an ID-JAG whose signature was tampered with is flagged as an error', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tampering.app);
    await signIn(page);
    assert.match(await (await tab(page, 'signin', 'Checks')).innerText(), /ID token: signature verified/);
    await send(page, 'exchange');
    const checks = await (await tab(page, 'exchange', 'Checks')).innerText();
    assert.match(checks, /ID-JAG: the signature does not match the issuer's key from http:\/\/127\.0\.0\.1:9440\/oauth2\/v1\/keys: the token was altered or not issued by this server/);
    assert.ok(await step(page, 'exchange').locator('.finding.error[data-check="signature"]').count() >= 1);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

// The browser logs failed fetches to the console by itself; those are expected here.
const FETCH_NOISE = ['Failed to load resource', 'blocked by CORS policy', 'net::ERR_'];

test('a key the server does not know gives invalid_client, explained on step 2', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await view(page, 'Configuration');
    const summaryLine = page.locator('.key-summary').first();
    const kid = await summaryLine.innerText();
    await page.getByRole('button', { name: 'Generate ES256 key' }).first().click();
    await page.waitForFunction((old) => document.querySelector('.key-summary').innerText !== old, kid);
    assert.match(await page.locator('figure.jwks pre').first().innerText(), /"kty": "EC"/, 'the public JWKS to register is shown');
    await view(page, 'Flow Steps');
    assert.equal(await send(page, 'exchange'), 'failed');
    const text = await (await tab(page, 'exchange', 'Result')).innerText();
    assert.match(text, /HTTP 401 invalid_client/);
    assert.match(text, /signature was not made by a key registered/);
    await screenshot(page, 'failure-invalid-client');
    assert.deepEqual(unexpected(b.errors, FETCH_NOISE), []);
  } finally {
    await b.close();
  }
});

test('a forged state in the pop-up is refused, and so is an answer nobody asked for', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    const [popup] = await Promise.all([page.waitForEvent('popup'), step(page, 'signin').locator('button.send').click()]);
    await popup.getByRole('button', { name: 'Sign in as Alice Example' }).waitFor();
    const before = (await tenant.recorded()).length;
    // An attacker's authorization response lands in the pop-up.
    // It hands the answer to this page and closes itself.
    await popup.goto(`${tenant.app}?code=stolen-code&state=forged-state`).catch(() => {});
    await finished(page, 'signin');
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'failed');
    assert.match(await summary(page, 'signin'), /Refused: the state returned .* does not match/);
    assert.equal((await tenant.recorded()).length, before, 'no token request was sent');

    // The same response opened directly in a tab where no sign-in is pending.
    await page.goto(`${tenant.app}?code=stolen-code&state=forged-state`);
    await finished(page, 'signin');
    assert.match(await summary(page, 'signin'), /Refused: this page got an authorization response it did not ask for/);
    assert.equal(new URL(page.url()).search, '', 'the code is removed from the address bar');
    assert.equal((await tenant.recorded()).length, before, 'still nothing exchanged');
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
    // The identity provider's issuer points at nothing: the exchange cannot reach a server.
    await setConfig(page, 'idp', 'http://127.0.0.1:9');
    assert.equal(await send(page, 'exchange'), 'failed');
    let text = await (await tab(page, 'exchange', 'Result')).innerText();
    assert.match(text, /Network failure: nothing answered at 127\.0\.0\.1:9/);
    assert.match(text, /Check the identity provider's URL in Configuration/);
    // A live server that sends no CORS headers.
    await setConfig(page, 'idp', noCors.org);
    assert.equal(await send(page, 'exchange'), 'failed');
    text = await (await tab(page, 'exchange', 'Result')).innerText();
    assert.match(text, /Blocked by CORS/);
    assert.match(text, /127\.0\.0\.1:8133/, 'names the origin to allow');
    assert.match(text, /relay/, 'offers the relay');
    assert.match(await (await tab(page, 'exchange', 'Log')).innerText(), /Blocked by CORS/);
    await screenshot(page, 'failure-cors');
    assert.deepEqual(unexpected(b.errors, FETCH_NOISE), []);
  } finally {
    await b.close();
  }
});

test('an invalid key, an invalid URL and pasted garbage are explained, not a panic', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await view(page, 'Configuration');
    await page.getByText('Show / paste the private key').first().click();
    await page.locator('[name="agent_idp-key"]').first().fill('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----');
    assert.match(await page.locator('.key-summary').first().innerText(), /not a private key/);
    await page.locator('[name="resource_as"]').fill('not a url');
    assert.match(await page.locator('.field-error').first().innerText(), /not an absolute http/i);
    await view(page, 'Flow Steps');
    assert.equal(await send(page, 'exchange'), 'failed');
    assert.match(await summary(page, 'exchange'), /private key|key/i);
    // "Use Existing" with something that is not a JWT.
    await openCard(page, 'signin');
    await step(page, 'signin').getByRole('button', { name: 'Use Existing' }).click();
    await step(page, 'signin').locator('textarea').first().fill('not-a-jwt');
    await step(page, 'signin').getByRole('button', { name: 'Use these tokens' }).click();
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'failed');
    assert.match(await (await tab(page, 'signin', 'Result')).innerText(), /ID token.*(JWT|segments|parts)/is);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});
