// Interoperability: the headline flow against authorization servers this project did not write
// (oidc-provider from npm, started here on loopback; see tests/interop/servers.mjs), configured
// through the app as a user would: the Generic (discovery) preset, the API's RFC 9728 metadata
// leading to the resource server, assertion aud = the issuer at the identity provider,
// client_secret_basic at the resource server, introspection and revocation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, ROOT, runSteps, screenshot, send, startStatic, step, summary, tab, unexpected, view } from './harness.mjs';
import { CLIENTS, startInterop } from '../interop/servers.mjs';

let site, servers;
before(async () => {
  site = await startStatic({ port: 8144, path: 'playground' });
  servers = await startInterop({ idpPort: 9451, rsPort: 9452, apiPort: 9453, app: site.app, root: ROOT });
});
after(async () => { await servers?.stop(); await site?.stop(); });

const AGENT_KEY = readFileSync(join(ROOT, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8');

/** Fills the Configuration tab for the oidc-provider servers, as a user would. */
async function configure(page) {
  await view(page, 'Configuration');
  await page.locator('[name="preset"]').first().selectOption('generic');
  await page.getByRole('button', { name: 'Reset to preset' }).first().click();
  await page.locator('[name="idp"]').fill(servers.idp);
  await page.locator('[name="idp-discover"]').click();
  await page.getByText(/Read .*9451.*token endpoint/).waitFor();
  // The API's protected-resource metadata names its authorization server.
  await page.locator('[name="api"]').fill(`${servers.resource}/documents`);
  await page.locator('[name="api-discover"]').click();
  await page.getByText(/authorization server.*127\.0\.0\.1:9452/).first().waitFor();
  assert.equal(await page.locator('[name="resource_as"]').inputValue(), servers.rs);
  await page.locator('[name="app"]').fill(CLIENTS.app);
  await page.locator('[name="agent_idp"]').fill(CLIENTS.agentAtIdp);
  await page.locator('[name="agent_idp-auth"]').selectOption('private_key_jwt');
  await page.locator('[name="agent_idp-aud"]').selectOption('issuer');
  await page.getByText('Show / paste the private key').first().click();
  await page.locator('[name="agent_idp-key"]').fill(AGENT_KEY);
  await page.locator('[name="agent_as"]').fill(CLIENTS.agentAtRs);
  await page.locator('[name="agent_as-auth"]').selectOption('client_secret_basic');
  await page.locator('[name="agent_as-secret"]').fill(CLIENTS.agentAtRsSecret);
  await page.locator('[name="exchange_scope"]').first().fill('files.read');
  await view(page, 'Flow Steps');
}

/** oidc-provider's own sign-in and consent pages, in the pop-up. */
async function signInAtOidcProvider(page) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), step(page, 'signin').locator('button.send').click()]);
  await popup.waitForLoadState();
  if (!(await popup.locator('input[name="login"]').count())) throw new Error(`oidc-provider did not show its sign-in page: ${popup.url()} ${await popup.locator('body').innerText()}`);
  await popup.locator('input[name="login"]').fill('alice');
  await popup.locator('input[name="password"]').fill('any');
  await popup.getByRole('button', { name: 'Sign-in' }).click();
  await popup.getByRole('button', { name: 'Continue' }).click();
  await page.waitForFunction(() => Number(document.querySelector('article.step[data-step-id="signin"]').dataset.runs) > 0, null, { timeout: 20000 });
}

test('the headline flow against oidc-provider: discovery, RFC 9728, aud = issuer, client_secret_basic, revocation', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(site.app);
    await configure(page);
    await signInAtOidcProvider(page);
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done', await summary(page, 'signin'));
    assert.match(await summary(page, 'signin'), /Signed in as alice/);

    assert.equal(await send(page, 'exchange'), 'done', await summary(page, 'exchange'));
    const jag = JSON.parse(await (await tab(page, 'exchange', 'Tokens')).locator('pre.claims').innerText());
    assert.equal(jag.iss, servers.idp);
    assert.equal(jag.aud, servers.rs);
    assert.equal(jag.client_id, CLIENTS.agentAtRs);
    // Verified against the keys oidc-provider publishes at the jwks_uri discovery found.
    assert.match(await (await tab(page, 'exchange', 'Checks')).innerText(), /ID-JAG: signature verified with key interop-idp-1 from http:\/\/127\.0\.0\.1:9451\/jwks/);
    assert.match(await (await tab(page, 'signin', 'Checks')).innerText(), /ID token: signature verified with key interop-idp-1/);
    // The assertion named the issuer as its audience.
    const request = await (await tab(page, 'exchange', 'Request')).innerText();
    assert.match(request, /client_assertion=/);

    await runSteps(page, 'bearer', 'api_after');
    assert.match(await (await tab(page, 'bearer', 'Request')).locator('pre').last().innerText(), /Authorization: Basic/);
    const body = JSON.parse(await (await tab(page, 'api', 'Result')).locator('.body pre').innerText());
    assert.equal(body.caller.sub, 'alice');
    assert.equal(body.caller.client_id, CLIENTS.agentAtRs);
    assert.match(await summary(page, 'introspect'), /active/);
    assert.deepEqual(JSON.parse(await (await tab(page, 'introspect_after', 'Result')).locator('.body pre').innerText()), { active: false });
    assert.match(await summary(page, 'api_after'), /refused the revoked token \(HTTP 401\)/);
    await screenshot(page, 'interop-oidc-provider');

    // The token endpoint URL as aud is refused by this server's issuer-only rule; oidc-provider
    // does not say why (invalid_client only), so the card names what to check.
    await view(page, 'Configuration');
    await page.locator('[name="agent_idp-aud"]').selectOption('endpoint');
    await view(page, 'Flow Steps');
    assert.equal(await send(page, 'exchange'), 'failed');
    assert.match(await summary(page, 'exchange'), /invalid_client/);
    assert.match(await (await tab(page, 'exchange', 'Result')).innerText(), /the assertion audience the server expects \(token endpoint or issuer\)/);
    assert.deepEqual(unexpected(b.errors, ['status of 401', 'status of 400']), []);
  } finally {
    await b.close();
  }
});
