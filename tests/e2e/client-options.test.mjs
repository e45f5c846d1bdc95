// Per-server client options on the demo tenant: the agent registered with the issuer as its
// assertion audience (RFC 7523bis) and with client_secret_basic at the resource server. The
// app's defaults are refused with an explanation; set to match, the headline flow completes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, runSteps, send, startTenant, step, summary, tab, tenantConfig, unexpected, view } from './harness.mjs';

const SECRET = 'agent-at-resource-secret-e2e';
let tenant;
before(async () => {
  const config = tenantConfig((toml) => toml.replace(
    /(\[\[clients\]\]\nid = "wlp-demo-ai-agent"\n[\s\S]*?)assertion_audience = "endpoint"/,
    `$1assertion_audience = "issuer"\ncustom_server_auth = "client_secret_basic"\nsecret = "${SECRET}"`,
  ));
  tenant = await startTenant({ port: 9439, appPort: 8134, args: ['--config', config] });
});
after(async () => { await tenant?.stop(); });

test('assertion aud = issuer and client_secret_basic at the resource server, set per server', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await runSteps(page, ['signin']);
    // The token endpoint URL as aud is refused, and the card says what the server wants.
    assert.equal(await send(page, 'exchange'), 'failed');
    assert.match(await (await tab(page, 'exchange', 'Result')).innerText(), /aud must be this server's issuer, http:\/\/127\.0\.0\.1:9439/);
    await view(page, 'Configuration');
    await page.locator('[name="agent_idp-aud"]').selectOption('issuer');
    await page.locator('[name="agent_as-auth"]').selectOption('client_secret_basic');
    await page.locator('[name="agent_as-secret"]').fill(SECRET);
    await view(page, 'Flow Steps');
    await runSteps(page, 'exchange', 'api');
    const request = await (await tab(page, 'bearer', 'Request')).locator('pre').last().innerText();
    assert.match(request, /--header 'Authorization: Basic ‹hidden/);
    assert.doesNotMatch(request, /client_assertion/);
    const sent = (await tenant.recorded()).filter((r) => r.path === '/oauth2/v1/token').at(-1);
    const assertion = sent.form.find(([k]) => k === 'client_assertion')[1];
    assert.equal(JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url')).aud, tenant.org);
    assert.match(await summary(page, 'api'), /acting on behalf of Alice Example/);
    assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
  } finally {
    await b.close();
  }
});
