// The headline flow from a clean profile: sign-in redirect and back, ID-JAG, JWT bearer, API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { curlFormPairs, openBrowser, revealedCurl, ROOT, screenshot, send, signIn, startTenant, step, unexpected } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9432, appPort: 8132 }); });
after(async () => { await tenant?.stop(); });

test('every step succeeds, with decoded tokens, checks, the API answer, and revocation', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    assert.equal(await step(page, 1).getAttribute('data-status'), 'done', await step(page, 1).locator('.outcome').innerText());
    assert.match(await step(page, 1).locator('.summary').innerText(), /Signed in as 00u-alice/);
    assert.match(await step(page, 1).locator('.finding.pass').first().innerText(), /nonce matches/);
    assert.equal(new URL(page.url()).search, '', 'code and state are removed from the address bar');

    assert.equal(await send(page, 2), 'done', await step(page, 2).locator('.outcome').innerText());
    const jag = step(page, 2).locator('.token');
    assert.match(await jag.locator('summary').innerText(), /ID-JAG.*typ oauth-id-jag\+jwt/);
    const claims = JSON.parse(await jag.locator('pre.claims').innerText());
    assert.equal(claims.sub, '00u-alice');
    assert.equal(claims.aud, `${tenant.org}/oauth2/files`);
    assert.equal(claims.client_id, 'wlp-demo-ai-agent');
    assert.match(await jag.locator('.times').innerText(), /exp\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+in 5 min/);

    // The request the tenant received is the one the cURL shows.
    const curl = await revealedCurl(page, 2);
    const received = (await tenant.recorded()).filter((r) => r.path === '/oauth2/v1/token').at(-1);
    assert.deepEqual(curlFormPairs(curl), received.form);
    assert.match(curl, /curl --request POST \\\n  --url 'http:\/\/127\.0\.0\.1:9432\/oauth2\/v1\/token'/);

    assert.equal(await send(page, 3), 'done', await step(page, 3).locator('.outcome').innerText());
    const at = JSON.parse(await step(page, 3).locator('pre.claims').innerText());
    assert.deepEqual(at.act, { sub: 'wlp-demo-ai-agent' });
    assert.equal(at.sub, '00u-alice');
    const bearerCurl = await revealedCurl(page, 3);
    const bearerReceived = (await tenant.recorded()).filter((r) => r.path === '/oauth2/files/v1/token').at(-1);
    assert.deepEqual(curlFormPairs(bearerCurl), bearerReceived.form);

    assert.equal(await send(page, 4), 'done', await step(page, 4).locator('.outcome').innerText());
    assert.match(await step(page, 4).locator('.summary').innerText(), /wlp-demo-ai-agent is acting on behalf of Alice Example/);
    const body = JSON.parse(await step(page, 4).locator('.body pre').innerText());
    assert.equal(body.caller.sub, '00u-alice');
    assert.equal(body.caller.act.sub, 'wlp-demo-ai-agent');

    assert.equal(await page.locator('.finding.error').count(), 0, 'no failing checks');

    // Phase 4: introspect, revoke, introspect again, and the API refuses the token.
    assert.equal(await send(page, 5), 'done', await step(page, 5).locator('.outcome').innerText());
    assert.match(await step(page, 5).locator('.summary').innerText(), /active: the server vouches for it \(sub 00u-alice, scope files\.read\)/);
    assert.equal(await send(page, 6), 'done', await step(page, 6).locator('.outcome').innerText());
    assert.equal(await send(page, 7), 'done', await step(page, 7).locator('.outcome').innerText());
    assert.deepEqual(JSON.parse(await step(page, 7).locator('.body pre').innerText()), { active: false });
    assert.equal(await send(page, 8), 'done', await step(page, 8).locator('.outcome').innerText());
    assert.match(await step(page, 8).locator('.summary').innerText(), /The API refused the revoked token \(HTTP 401\), as it must/);
    await step(page, 4).getByRole('button', { name: /view log/ }).click();
    assert.match(await step(page, 4).locator('.log').innerText(), /GET http:\/\/127\.0\.0\.1:9432\/api\/files\/documents → HTTP 200/);
    await screenshot(page, 'agentic-flow-done');

    // Secrets and tokens stay in memory: nothing in storage or the URL.
    const tokens = (await tenant.recorded()).flatMap((r) => r.form.filter(([k]) => ['subject_token', 'assertion', 'client_assertion', 'code_verifier'].includes(k)).map(([, v]) => v));
    assert.ok(tokens.length >= 4);
    const key = JSON.parse(readFileSync(join(ROOT, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8'));
    const stored = await page.evaluate(() => JSON.stringify({ l: { ...localStorage }, s: { ...sessionStorage }, u: location.href }));
    for (const secret of [...tokens, key.d]) {
      assert.ok(!stored.includes(secret), `storage or URL holds a secret: ${secret.slice(0, 12)}…`);
    }
    // Step 8's refused call is logged by the browser itself.
    assert.deepEqual(unexpected(b.errors, ['status of 401 (Unauthorized)']), []);
  } finally {
    await b.close();
  }
});

test('re-running step 2 marks step 3 stale; editing the scope marks step 2 stale', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await send(page, 2);
    await send(page, 3);
    assert.equal(await step(page, 3).getAttribute('data-status'), 'done');
    await send(page, 2);
    assert.equal(await step(page, 3).getAttribute('data-status'), 'stale');
    assert.match(await step(page, 3).locator('.step-status').innerText(), /ID-JAG \(step 2\) changed/);
    await step(page, 2).locator('[name="exchange-scope"]').fill('files.read files.write');
    assert.equal(await step(page, 2).getAttribute('data-status'), 'stale');
    // "Load scopes" reads the target server's metadata.
    await step(page, 2).getByRole('button', { name: 'Load scopes' }).click();
    await step(page, 2).locator('fieldset.scopes').waitFor();
    assert.deepEqual(await step(page, 2).locator('fieldset.scopes label').allInnerTexts(), ['files.read', 'files.write', 'files.delete']);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('generic preset: endpoints discovered from RFC 8414 metadata replace the Okta paths', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.locator('[name="discover-idp"]').fill(tenant.org);
    await page.locator('[name="discover-idp"]').locator('xpath=../..').getByRole('button', { name: 'Discover' }).click();
    await page.getByText(`Discovered ${tenant.org} at ${tenant.org}/.well-known/oauth-authorization-server`).waitFor();
    await page.locator('[name="discover-resource"]').fill(`${tenant.org}/oauth2/files`);
    await page.locator('[name="discover-resource"]').locator('xpath=../..').getByRole('button', { name: 'Discover' }).click();
    await page.getByText(`Discovered ${tenant.org}/oauth2/files`).waitFor();
    assert.match(await page.locator('ul.in-use').innerText(), /Identity provider: discovered: token http:\/\/127\.0\.0\.1:9432\/oauth2\/v1\/token/);
    // A wrong issuer is explained, not a panic.
    await page.locator('[name="discover-idp"]').fill(`${tenant.org}/nope`);
    await page.locator('[name="discover-idp"]').locator('xpath=../..').getByRole('button', { name: 'Discover' }).click();
    await page.getByText(/No usable metadata/).waitFor();
    // Break the Okta-derived URLs: the discovered endpoints are the ones used.
    await page.locator('[name="org-url"]').fill('http://127.0.0.1:9');
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    assert.match(await step(page, 3).locator('.endpoints').innerText(), /^http:\/\/127\.0\.0\.1:9432\/oauth2\/files\/v1\/token$/, 'cards name the discovered endpoint');
    await signIn(page);
    for (const n of [2, 3]) {
      assert.equal(await send(page, n), 'done', await step(page, n).locator('.outcome').innerText());
    }
    assert.deepEqual(unexpected(b.errors, ['Failed to load resource']), []);
  } finally {
    await b.close();
  }
});

test('resource types: a vaulted secret and a service account, masked until revealed', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await step(page, 2).locator('[name="resource-type"]').selectOption('secret');
    assert.match(await step(page, 2).locator('[name="orn"]').inputValue(), /^orn:okta:pam:00o-demo:secrets:/);
    const curl = await step(page, 2).locator('pre').first().innerText();
    assert.match(curl, /requested_token_type=urn:okta:params:oauth:token-type:vaulted-secret/);
    assert.doesNotMatch(curl, /audience=|scope=/);
    assert.equal(await send(page, 2), 'done', await step(page, 2).locator('.outcome').innerText());
    const body = step(page, 2).locator('.body pre');
    assert.doesNotMatch(await body.innerText(), /demo-not-a-real-key/, 'masked by default');
    assert.match(await body.innerText(), /"api_key": "‹hidden \d+ chars›"/);
    await step(page, 2).locator('.step-curl input[type=checkbox]').check();
    assert.match(await body.innerText(), /"api_key": "demo-not-a-real-key-7f3a"/);
    assert.match(await step(page, 2).locator('.outcome').innerText(), /no access_token member.*no ID-JAG, no JWT bearer step/s);
    assert.equal(await step(page, 3).getAttribute('data-status'), 'blocked', 'no ID-JAG to redeem');

    await step(page, 2).locator('[name="resource-type"]').selectOption('service-account');
    assert.equal(await step(page, 2).getAttribute('data-status'), 'stale');
    assert.equal(await send(page, 2), 'done', await step(page, 2).locator('.outcome').innerText());
    assert.match(await step(page, 2).locator('.body pre').innerText(), /"username": "svc-reporting@demo\.example"/);

    await step(page, 2).locator('[name="orn"]').fill('orn:okta:pam:00o-demo:secrets:unknown');
    assert.equal(await send(page, 2), 'failed');
    assert.match(await step(page, 2).locator('.outcome').innerText(), /HTTP 400 invalid_target\): No service account with ORN/);
    assert.deepEqual(unexpected(b.errors, ['status of 400']), []);
  } finally {
    await b.close();
  }
});
