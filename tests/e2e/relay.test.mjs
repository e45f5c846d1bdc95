// Against an Okta-strict tenant (browser token calls refused as Okta does), step 2 explains the
// refusal and how to start the relay; with the relay on, the whole flow completes; the relay
// log holds no token or secret; a wrong key, a target outside the allow-list and a relay that
// is not running are each named for what they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, revealedCurl, screenshot, send, setConfig, signIn, startRelay, startTenant, step, stepCount, stepIds, summary, tab, unexpected, view } from './harness.mjs';

let tenant, relay;
before(async () => {
  tenant = await startTenant({ port: 9435, appPort: 8135, args: ['--okta-strict'] });
  relay = await startRelay({ upstream: tenant.org, origin: 'http://127.0.0.1:8135', port: 9535 });
});
after(async () => { await relay?.stop(); await tenant?.stop(); });

const NOISE = ['Failed to load resource', 'net::ERR_'];

test('an Okta-strict server refuses step 2 from the browser; via the relay the flow completes', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done', 'code + PKCE is allowed from the browser');

    assert.equal(await send(page, 'exchange'), 'failed');
    const result = await tab(page, 'exchange', 'Result');
    assert.match(await result.innerText(), /HTTP 401 invalid_client\): Browser requests to the token endpoint must use Proof Key for Code Exchange/);
    assert.match(await result.locator('.relay-advice pre').first().innerText(),
      /^cargo run -p relay -- --upstream 'http:\/\/127\.0\.0\.1:9435' --allow-origin 'http:\/\/127\.0\.0\.1:8135'$/);
    await screenshot(page, 'relay-advice');

    // One switch covers both servers of the tenant (same origin) and opens Configuration.
    await result.getByRole('button', { name: 'Send requests to http://127.0.0.1:9435 via the relay' }).click();
    assert.ok(await page.locator('[name="relay-idp"]').isChecked());
    assert.ok(await page.locator('[name="relay-resource_as"]').isChecked());
    await page.locator('[name="relay-url"]').fill(relay.url);
    await page.locator('[name="relay-key"]').fill(relay.key);
    await view(page, 'Flow Steps');

    for (const id of ['exchange', 'bearer', 'api']) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.match(await summary(page, 'api'), /acting on behalf of Alice Example/);
    // The cURL stays the direct request; the log says it went via the relay.
    assert.match(await revealedCurl(page, 'bearer'), /--url 'http:\/\/127\.0\.0\.1:9435\/oauth2\/files\/v1\/token'/);
    assert.match(await (await tab(page, 'bearer', 'Log')).innerText(), /via the relay at http:\/\/127\.0\.0\.1:9535 \(sent without Origin\)/);
    assert.equal(await page.locator('.finding.error').count(), 0);
    assert.match(await (await tab(page, 'bearer', 'Checks')).innerText(), /signature verified with key \S+ from http:\/\/127\.0\.0\.1:9435\/oauth2\/files\/v1\/keys/, 'keys read through the relay');
    await screenshot(page, 'relay-flow-done');

    // The relay saw tokens and assertions pass by; its log holds none of them, nor its key.
    const secrets = (await tenant.recorded()).flatMap((r) => r.form.filter(([k]) => ['subject_token', 'assertion', 'client_assertion'].includes(k)).map(([, v]) => v));
    assert.ok(secrets.length >= 3);
    const log = relay.log();
    assert.match(log, /POST http:\/\/127\.0\.0\.1:9435\/oauth2\/files\/v1\/token -> 200/);
    const after = log.slice(log.indexOf('\n', log.indexOf('relay key:')));
    for (const s of [...secrets, relay.key]) assert.ok(!after.includes(s), `relay log leaks ${s.slice(0, 10)}…`);
    assert.deepEqual(unexpected(b.errors, [...NOISE, 'status of 401']), []);
  } finally {
    await b.close();
  }
});

test('the autonomous flow runs through the relay against an Okta-strict server', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/autonomous`);
    await page.getByRole('heading', { level: 1, name: /Autonomous/ }).waitFor();
    assert.equal(await send(page, 'credentials'), 'failed');
    const result = await tab(page, 'credentials', 'Result');
    assert.match(await result.innerText(), /Browser requests to the token endpoint must use Proof Key/);
    await result.getByRole('button', { name: /via the relay/ }).click();
    assert.ok(await page.locator('[name="relay-realm"]').isChecked());
    await page.locator('[name="relay-url"]').fill(relay.url);
    await page.locator('[name="relay-key"]').fill(relay.key);
    await view(page, 'Flow Steps');
    const count = await stepCount(page);
    assert.ok(count >= 4, `every step of the flow runs through the relay (${count})`);
    for (const id of await stepIds(page)) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.ok(!relay.log().includes('demo-agent-secret'), 'the client secret is not in the relay log');
    assert.deepEqual(unexpected(b.errors, [...NOISE, 'status of 401']), []);
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
    await view(page, 'Configuration');
    await page.locator('[name="relay-idp"]').check();
    await page.locator('[name="relay-url"]').fill(relay.url);
    await page.locator('[name="relay-key"]').fill('not-the-key');
    await view(page, 'Flow Steps');
    assert.equal(await send(page, 'exchange'), 'failed');
    assert.match(await (await tab(page, 'exchange', 'Result')).innerText(), /relay_key_invalid[\s\S]*(relay printed|printed at start)/);
    // A server the relay was not started for: refused, it is not an open proxy.
    await setConfig(page, 'relay-key', relay.key);
    await setConfig(page, 'idp', 'http://127.0.0.1:9');
    assert.equal(await send(page, 'exchange'), 'failed');
    assert.match(await (await tab(page, 'exchange', 'Result')).innerText(), /target_not_allowed\)[\s\S]*This relay forwards only to http:\/\/127\.0\.0\.1:9435; it is not an open proxy/);
    await setConfig(page, 'idp', tenant.org);
    await setConfig(page, 'relay-url', 'http://127.0.0.1:9');
    assert.equal(await send(page, 'exchange'), 'failed');
    const text = await (await tab(page, 'exchange', 'Result')).innerText();
    assert.match(text, /The local relay is not running at http:\/\/127\.0\.0\.1:9/);
    assert.match(text, /cargo run -p relay -- --upstream 'http:\/\/127\.0\.0\.1:9435'/, 'with the command that starts it');
    assert.deepEqual(unexpected(b.errors, [...NOISE, 'status of 401', 'status of 403']), []);
  } finally {
    await b.close();
  }
});
