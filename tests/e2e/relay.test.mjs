// Against an Okta-strict tenant (browser token calls refused as Okta does), step 2 explains the
// refusal and how to start the relay; with the relay on, the whole flow completes; the relay
// log holds no token or secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, revealedCurl, screenshot, send, signIn, startRelay, startTenant, step, unexpected } from './harness.mjs';

let tenant, relay;
before(async () => {
  tenant = await startTenant({ port: 9435, appPort: 8135, args: ['--okta-strict'] });
  relay = await startRelay({ upstream: tenant.org, origin: 'http://127.0.0.1:8135', port: 9535 });
});
after(async () => { await relay?.stop(); await tenant?.stop(); });

test('an Okta-strict server refuses step 2 from the browser; via the relay the flow completes', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    assert.equal(await step(page, 1).getAttribute('data-status'), 'done', 'code + PKCE is allowed from the browser');

    assert.equal(await send(page, 2), 'failed');
    const text = await step(page, 2).locator('.outcome').innerText();
    assert.match(text, /HTTP 401 invalid_client\): Browser requests to the token endpoint must use Proof Key for Code Exchange/);
    assert.match(text, /local relay/);
    assert.match(await step(page, 2).locator('.relay-advice pre').innerText(),
      /^cargo run -p relay -- --upstream 'http:\/\/127\.0\.0\.1:9435' --allow-origin 'http:\/\/127\.0\.0\.1:8135'$/);
    await screenshot(page, 'relay-advice');

    // "Send this server's requests via the relay" ticks both servers and opens Configuration.
    await step(page, 2).getByRole('button', { name: "Send this server's requests via the relay" }).click();
    assert.ok(await page.locator('[name="relay-org"]').isChecked());
    assert.ok(await page.locator('[name="relay-custom"]').isChecked());
    await page.locator('[name="relay-url"]').fill(relay.url);
    await page.locator('[name="relay-key"]').fill(relay.key);
    await page.getByRole('tab', { name: 'Flow Steps' }).click();

    for (const n of [2, 3, 4]) {
      assert.equal(await send(page, n), 'done', await step(page, n).locator('.outcome').innerText());
    }
    assert.match(await step(page, 4).locator('.summary').innerText(), /acting on behalf of Alice Example/);
    // The cURL stays the direct request; the log says it went via the relay.
    assert.match(await revealedCurl(page, 3), /--url 'http:\/\/127\.0\.0\.1:9435\/oauth2\/files\/v1\/token'/);
    await step(page, 3).locator('.log-toggle').click();
    assert.match(await step(page, 3).locator('.log .entry').first().innerText(), /via the relay at http:\/\/127\.0\.0\.1:9535 \(sent without Origin\)/);
    assert.equal(await page.locator('.finding.error').count(), 0);
    await screenshot(page, 'relay-flow-done');

    // The relay saw tokens and assertions pass by; its log holds none of them, nor its key.
    const secrets = (await tenant.recorded()).flatMap((r) => r.form.filter(([k]) => ['subject_token', 'assertion', 'client_assertion'].includes(k)).map(([, v]) => v));
    assert.ok(secrets.length >= 3);
    const log = relay.log();
    assert.match(log, /POST http:\/\/127\.0\.0\.1:9435\/oauth2\/files\/v1\/token -> 200/);
    for (const s of [...secrets, relay.key]) {
      assert.ok(!log.slice(log.indexOf('\n', log.indexOf('relay key:'))).includes(s), `relay log leaks ${s.slice(0, 10)}…`);
    }
    assert.deepEqual(unexpected(b.errors, ['Failed to load resource']), []);
  } finally {
    await b.close();
  }
});

test('the autonomous flow runs through the relay against an Okta-strict server', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/autonomous`);
    assert.equal(await send(page, 1), 'failed');
    assert.match(await step(page, 1).locator('.outcome').innerText(), /Browser requests to the token endpoint must use Proof Key/);
    await step(page, 1).getByRole('button', { name: "Send this server's requests via the relay" }).click();
    assert.ok(await page.locator('[name="relay-realm"]').isChecked());
    await page.locator('[name="relay-url"]').fill(relay.url);
    await page.locator('[name="relay-key"]').fill(relay.key);
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    for (const n of [1, 2, 3, 4]) {
      assert.equal(await send(page, n), 'done', await step(page, n).locator('.outcome').innerText());
    }
    assert.match(await step(page, 4).locator('.outcome').innerText(), /the agent acts for itself/);
    assert.ok(!relay.log().includes('demo-agent-secret'), 'the client secret is not in the relay log');
    assert.deepEqual(unexpected(b.errors, ['Failed to load resource']), []);
  } finally {
    await b.close();
  }
});

test('a wrong relay key, a target outside the allow-list and a relay that is not running are explained', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.locator('[name="relay-org"]').check();
    await page.locator('[name="relay-url"]').fill(relay.url);
    await page.locator('[name="relay-key"]').fill('not-the-key');
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.equal(await send(page, 2), 'failed');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /relay_key_required.*paste it in Configuration → Relay/s);
    // A server the relay was not started for: refused, it is not an open proxy.
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.locator('[name="relay-key"]').fill(relay.key);
    await page.locator('[name="org-url"]').fill('http://127.0.0.1:9');
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.equal(await send(page, 2), 'failed');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /target_not_allowed\): This relay forwards only to http:\/\/127\.0\.0\.1:9435; it is not an open proxy/);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.locator('[name="org-url"]').fill(tenant.org);
    await page.locator('[name="relay-url"]').fill('http://127.0.0.1:9');
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.equal(await send(page, 2), 'failed');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /Network failure: Nothing answered at 127\.0\.0\.1:9/);
    assert.deepEqual(unexpected(b.errors, ['Failed to load resource', 'net::ERR_']), []);
  } finally {
    await b.close();
  }
});
