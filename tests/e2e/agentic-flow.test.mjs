// The headline flow on the local demo tenant: sign-in pop-up, ID-JAG, JWT bearer, API,
// introspection and revocation; staleness; discovery; resource types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { curlFormPairs, openBrowser, param, revealedCurl, ROOT, screenshot, send, setConfig, shownCode, signIn, startTenant, step, stored, summary, tab, unexpected, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9432, appPort: 8132 }); });
after(async () => { await tenant?.stop(); });

test('every step succeeds, with decoded tokens, checks, the API answer, and revocation', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done', await summary(page, 'signin'));
    assert.match(await summary(page, 'signin'), /Signed in as 00u-alice/);
    assert.match(await (await tab(page, 'signin', 'Checks')).locator('.finding.pass').first().innerText(), /nonce matches[\s\S]*OpenID Connect Core/);
    assert.equal(new URL(page.url()).search, '', 'no code or state in the address bar');
    // After the sign-in, the request shows the authorize URL as sent, not its placeholders.
    assert.doesNotMatch(await (await tab(page, 'signin', 'Request')).innerText(), /random\+state|%7Brandom/);

    assert.equal(await send(page, 'exchange'), 'done', await summary(page, 'exchange'));
    assert.match(await summary(page, 'exchange'), /ID-JAG issued for http:\/\/127\.0\.0\.1:9432\/oauth2\/files with scope "files\.read", valid 300 s/);
    const jag = (await tab(page, 'exchange', 'Tokens')).locator('.token');
    assert.match(await jag.locator('summary').innerText(), /ID-JAG.*typ oauth-id-jag\+jwt/);
    const claims = JSON.parse(await jag.locator('pre.claims').innerText());
    assert.equal(claims.sub, '00u-alice');
    assert.equal(claims.aud, `${tenant.org}/oauth2/files`);
    assert.equal(claims.client_id, 'wlp-demo-ai-agent');
    assert.match(await jag.locator('.times').innerText(), /exp\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+in (4|5) min/);

    // The request the tenant received is the one the cURL shows.
    const curl = await revealedCurl(page, 'exchange');
    const received = (await tenant.recorded()).filter((r) => r.path === '/oauth2/v1/token').at(-1);
    assert.deepEqual(curlFormPairs(curl), received.form);
    assert.match(curl, /curl --request POST \\\n  --url 'http:\/\/127\.0\.0\.1:9432\/oauth2\/v1\/token'/);

    assert.equal(await send(page, 'bearer'), 'done', await summary(page, 'bearer'));
    const at = JSON.parse(await (await tab(page, 'bearer', 'Tokens')).locator('pre.claims').innerText());
    assert.deepEqual(at.act, { sub: 'wlp-demo-ai-agent' });
    assert.equal(at.sub, 'alice@example.com', 'Okta access tokens name the user by login');
    assert.equal(at.uid, '00u-alice');
    const bearerCurl = await revealedCurl(page, 'bearer');
    const bearerReceived = (await tenant.recorded()).filter((r) => r.path === '/oauth2/files/v1/token').at(-1);
    assert.deepEqual(curlFormPairs(bearerCurl), bearerReceived.form);

    assert.equal(await send(page, 'api'), 'done', await summary(page, 'api'));
    assert.match(await summary(page, 'api'), /wlp-demo-ai-agent is acting on behalf of Alice Example/);
    const body = JSON.parse(await (await tab(page, 'api', 'Result')).locator('.body pre').innerText());
    assert.equal(body.caller.uid, '00u-alice');
    assert.equal(body.caller.act.sub, 'wlp-demo-ai-agent');
    assert.equal(await page.locator('.finding.error').count(), 0, 'no failing checks');
    // Every JWT was verified against its issuer's keys, read from the configured server.
    assert.match(await (await tab(page, 'signin', 'Checks')).innerText(), /ID token: signature verified with key \S+ from http:\/\/127\.0\.0\.1:9432\/oauth2\/v1\/keys/);
    assert.match(await (await tab(page, 'exchange', 'Checks')).innerText(), /ID-JAG: signature verified with key \S+ from http:\/\/127\.0\.0\.1:9432\/oauth2\/v1\/keys/);
    assert.match(await (await tab(page, 'bearer', 'Checks')).innerText(), /signature verified with key \S+ from http:\/\/127\.0\.0\.1:9432\/oauth2\/files\/v1\/keys/);

    for (const id of ['introspect', 'revoke', 'introspect_after', 'api_after']) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.match(await summary(page, 'introspect'), /active: the server vouches for it \(sub alice@example\.com, scope files\.read\)/);
    assert.deepEqual(JSON.parse(await (await tab(page, 'introspect_after', 'Result')).locator('.body pre').innerText()), { active: false });
    assert.match(await summary(page, 'api_after'), /The API refused the revoked token \(HTTP 401\), as it must/);
    assert.match(await (await tab(page, 'api', 'Log')).innerText(), /GET http:\/\/127\.0\.0\.1:9432\/api\/files\/documents → HTTP 200/);
    assert.equal(await page.getByRole('button', { name: /Run next step/ }).count() + await page.getByRole('button', { name: 'All steps done' }).count(), 1);
    await screenshot(page, 'agentic-flow-done');

    // Secrets and tokens stay in memory: nothing in storage or the URL.
    const tokens = (await tenant.recorded()).flatMap((r) => r.form.filter(([k]) => ['subject_token', 'assertion', 'client_assertion', 'code_verifier', 'code'].includes(k)).map(([, v]) => v));
    assert.ok(tokens.length >= 5);
    const key = JSON.parse(readFileSync(join(ROOT, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8'));
    const kept = await stored(page);
    for (const secret of [...tokens, key.d]) {
      assert.ok(!kept.includes(secret), `storage or URL holds a secret: ${secret.slice(0, 12)}…`);
    }
    assert.deepEqual(unexpected(b.errors, ['status of 401 (Unauthorized)']), []);
  } finally {
    await b.close();
  }
});

test('staleness cascades: editing step 2 marks 2, 3 and 4 stale; re-running 2 leaves 3 and 4 stale', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    for (const id of ['exchange', 'bearer', 'api']) await send(page, id);
    const statuses = () => Promise.all(['signin', 'exchange', 'bearer', 'api'].map((id) => step(page, id).getAttribute('data-status')));
    assert.deepEqual(await statuses(), ['done', 'done', 'done', 'done']);
    await (await param(page, 'exchange', 'exchange_scope')).fill('files.read files.write');
    assert.deepEqual(await statuses(), ['done', 'stale', 'stale', 'stale']);
    assert.match(await step(page, 'api').locator('.step-status').innerText(), /step 3 is stale/);
    await send(page, 'exchange');
    assert.deepEqual(await statuses(), ['done', 'done', 'stale', 'stale']);
    assert.match(await step(page, 'bearer').locator('.step-status').innerText(), /ID-JAG \(step 2\) changed/);
    // "Load scopes" reads the resource server's metadata; unpublished scopes are not listed.
    await step(page, 'exchange').getByRole('button', { name: 'Load scopes' }).click();
    await step(page, 'exchange').locator('fieldset.chips').waitFor();
    assert.deepEqual(await step(page, 'exchange').locator('fieldset.chips label').allInnerTexts(), ['files.read', 'files.write']);
    assert.match(await step(page, 'exchange').locator('fieldset.chips').innerText(), /Only scopes published/);
    // "Reset steps" forgets every result.
    await page.getByRole('button', { name: 'Reset steps' }).click();
    assert.deepEqual(await statuses(), ['ready', 'blocked', 'blocked', 'blocked']);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('any server: endpoints found by discovery replace the layout paths, and an issuer change invalidates them', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await view(page, 'Configuration');
    for (const role of ['idp', 'resource_as']) {
      await page.locator(`[name="${role}-layout"]`).selectOption('discovery');
      await page.locator(`[name="${role}-discover"]`).click();
    }
    await page.getByText(`Read ${tenant.org}/.well-known/oauth-authorization-server/oauth2/files: token endpoint`).waitFor();
    await page.getByText(`Read ${tenant.org}/.well-known/oauth-authorization-server: token endpoint`).waitFor();
    assert.match(await page.locator('fieldset.server').first().innerText(), /Endpoints in use, from .*oauth-authorization-server/);
    // A wrong issuer is explained, not a panic.
    await page.locator('[name="idp"]').fill(`${tenant.org}/nope`);
    assert.match(await page.locator('fieldset.server').first().innerText(), /metadata was read for http:\/\/127\.0\.0\.1:9432, not for the issuer now configured/);
    await page.locator('[name="idp-discover"]').click();
    await page.getByText(/No usable metadata for http:\/\/127\.0\.0\.1:9432\/nope/).waitFor();
    await page.locator('[name="idp"]').fill(tenant.org);
    await view(page, 'Flow Steps');
    await signIn(page);
    for (const id of ['exchange', 'bearer', 'api']) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.deepEqual(unexpected(b.errors, ['status of 404']), []);
  } finally {
    await b.close();
  }
});

test('resource types: their own steps and labels; only credentials are masked', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await (await param(page, 'exchange', 'resource_type')).selectOption('secret');
    assert.equal(await page.locator('article.step').count(), 2, 'steps 3 to 8 apply to ID-JAGs only');
    assert.match(await step(page, 'exchange_secret').locator('h3').innerText(), /Obtain a Vaulted Secret/);
    assert.equal(await step(page, 'exchange_secret').locator('button.send').innerText(), 'Exchange for the secret');
    assert.equal(await step(page, 'exchange_secret').locator('[name="secret_orn"]').inputValue(), 'orn:okta:pam:00o-demo:secrets:3ad38bbd-c057-4a69-9d8d-06b8ca86f411', 'the demo preset names the demo secret');
    const curl = await (await tab(page, 'exchange_secret', 'Request')).locator('pre').innerText();
    assert.match(curl, /requested_token_type=urn:okta:params:oauth:token-type:vaulted-secret/);
    assert.doesNotMatch(curl, /audience=|scope=/);
    assert.equal(await send(page, 'exchange_secret'), 'done', await summary(page, 'exchange_secret'));
    const body = (await tab(page, 'exchange_secret', 'Result')).locator('.body pre');
    assert.doesNotMatch(await body.innerText(), /demo-not-a-real-key/, 'masked by default');
    assert.match(await body.innerText(), /"api_key": "‹hidden \d+ chars›"/);
    assert.match(await body.innerText(), /"expires_in": 300/, 'non-secret members stay readable');
    await page.locator('[name="reveal"]').check();
    assert.match(await body.innerText(), /"api_key": "demo-not-a-real-key-7f3a"/);
    await page.locator('[name="reveal"]').uncheck();

    await (await param(page, 'exchange_secret', 'resource_type')).selectOption('service_account');
    assert.match(await step(page, 'exchange_service_account').locator('h3').innerText(), /Service Account Credentials/);
    await step(page, 'exchange_service_account').locator('[name="account_orn"]').fill('orn:okta:pam:00o-demo:secrets:unknown');
    assert.equal(await send(page, 'exchange_service_account'), 'failed');
    assert.match(await summary(page, 'exchange_service_account'), /HTTP 400 invalid_target\): No service account with ORN/);
    assert.deepEqual(unexpected(b.errors, ['status of 400']), []);
  } finally {
    await b.close();
  }
});

test('every request can be shown as code in six languages, from the same request value', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    assert.equal(await send(page, 'exchange'), 'done', await summary(page, 'exchange'));
    const panel = await tab(page, 'exchange', 'Request');
    const menu = panel.getByRole('combobox', { name: 'Show the request as' }).last();
    const expected = {
      curl: /curl --request POST[\s\S]*"client_assertion=\$CLIENT_ASSERTION"/,
      httpie: /http --form POST 'http:\/\/127\.0\.0\.1:9432\/oauth2\/v1\/token'/,
      fetch: /await fetch\("http:\/\/127\.0\.0\.1:9432\/oauth2\/v1\/token"[\s\S]*process\.env\.CLIENT_ASSERTION/,
      python: /import requests[\s\S]*os\.environ\["CLIENT_ASSERTION"\]/,
      go: /package main[\s\S]*os\.Getenv\("CLIENT_ASSERTION"\)/,
      rust: /let client_assertion = std::env::var\("CLIENT_ASSERTION"\)\?;[\s\S]*reqwest::blocking::Client::builder\(\)[\s\S]*client_assertion\.as_str\(\)/,
    };
    for (const [id, pattern] of Object.entries(expected)) {
      await menu.selectOption(id);
      const code = await shownCode(panel);
      assert.match(code, pattern, id);
      assert.match(code, /subject_token.*‹hidden/, `${id}: the subject token stays masked`);
    }
    // The choice applies everywhere and is remembered; "as sent" is back with one choice.
    assert.match(await shownCode(await tab(page, 'bearer', 'Request')), /reqwest/);
    await page.reload();
    await signIn(page);
    assert.match(await shownCode(await tab(page, 'signin', 'Request')), /reqwest/);
    await (await tab(page, 'exchange', 'Request')).getByRole('combobox', { name: 'Show the request as' }).last().selectOption('');
    assert.match(await (await tab(page, 'exchange', 'Request')).locator('pre').last().innerText(), /^curl --request POST/);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('a run exports as JSON and Markdown without secrets, and re-imports read-only', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    for (const id of ['exchange', 'bearer', 'api', 'introspect']) assert.equal(await send(page, id), 'done', await summary(page, id));
    const secrets = (await tenant.recorded()).flatMap((r) => r.form.filter(([k]) => ['subject_token', 'assertion', 'client_assertion', 'code', 'code_verifier', 'token'].includes(k)).map(([, v]) => v));
    const key = JSON.parse(readFileSync(join(ROOT, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8'));
    await page.getByText('Export or open a run').click();
    const save = async (name) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
      return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
    };
    const json = await save('Export as JSON');
    const md = await save('Export as Markdown');
    assert.equal(await page.locator('.run-files [role="status"], .run-files [role="alert"]').count(), 0, 'nothing left to say once the files are made');
    assert.match(json.name, /^agentic-run-.*\.json$/);
    assert.match(md.name, /^agentic-run-.*\.md$/);
    for (const { text } of [json, md]) {
      for (const s of [...secrets, key.d]) assert.ok(!text.includes(s), `the export holds a secret (${s.slice(0, 10)}…)`);
    }
    const run = JSON.parse(json.text);
    assert.equal(run.format, 'agent-token-playground/run@1');
    assert.match(run.removed.join(' '), /token signatures/);
    assert.equal(run.steps[1].tokens[0].claims.client_id, 'wlp-demo-ai-agent', 'claims stay readable');
    assert.match(md.text, /^# Agentic Token Exchange Flow/);
    assert.match(md.text, /## Step 2: Token Exchange - Obtain ID-JAG Token/);

    // Re-import: read-only, redacted values stay redacted; a wrong file is refused clearly.
    await page.locator('[name="open-run"]').setInputFiles({ name: json.name, mimeType: 'application/json', buffer: Buffer.from(json.text) });
    const imported = page.locator('section.imported');
    await imported.getByRole('heading', { name: 'Imported run (read-only): Agentic Token Exchange Flow' }).waitFor();
    assert.equal(await imported.locator('article.imported-step').count(), 8);
    assert.equal(await imported.locator('button.send').count(), 0, 'nothing can be sent from an imported run');
    assert.match(await imported.innerText(), /‹signature removed›/);
    assert.ok(await imported.locator('li.finding.pass').count() > 0, 'the checks are shown');
    assert.match(await imported.locator('article.imported-step').nth(1).locator('pre.claims').first().innerText(), /"client_id": "wlp-demo-ai-agent"/);
    await imported.getByRole('button', { name: 'Close the imported run' }).click();
    // Whatever a file holds is shown as text, never as markup.
    const evil = '<img src=x onerror="window.__opened=1">';
    const crafted = { ...run, title: evil, steps: run.steps.map((s) => ({ ...s, summary: evil })) };
    await page.getByText('Export or open a run').click();
    await page.locator('[name="open-run"]').setInputFiles({ name: 'crafted.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(crafted)) });
    await imported.getByRole('heading', { name: `Imported run (read-only): ${evil}` }).waitFor();
    assert.equal(await imported.locator('img').count(), 0);
    assert.equal(await imported.locator('p.summary').first().innerText(), evil);
    assert.equal(await page.evaluate(() => window.__opened), undefined);
    await imported.getByRole('button', { name: 'Close the imported run' }).click();
    await page.getByText('Export or open a run').click();
    await page.locator('[name="open-run"]').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
    assert.match(await page.locator('section.imported').innerText(), /The file is not a run exported by this app/);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('the token lineage shows each hop, the act chain and the narrowed scope; its table matches the picture', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    await (await param(page, 'exchange', 'exchange_scope')).fill('files.read files.write');
    assert.equal(await send(page, 'exchange'), 'done', await summary(page, 'exchange'));
    await (await param(page, 'bearer', 'bearer_scope')).fill('files.read');
    assert.equal(await send(page, 'bearer'), 'done', await summary(page, 'bearer'));
    await page.getByRole('button', { name: 'Token lineage', exact: true }).click();
    const section = page.locator('section.lineage');
    const rows = section.locator('table.lineage-table tbody tr');
    assert.equal(await rows.count(), 4, 'ID token, user access token, ID-JAG, agent access token');
    const last = await rows.last().innerText();
    assert.match(last, /act\s+wlp-demo-ai-agent/);
    assert.match(last, /narrowed\s+dropped files\.write/);
    assert.match(last, /client_id\s+wlp-demo-ai-agent/);
    // The picture holds the same hops; a hop opens its step.
    const svg = section.locator('.lineage-picture svg');
    assert.equal(await svg.locator('g.hop').count(), 4);
    assert.match(await svg.locator('g.hop').last().textContent(), /dropped files\.write/);
    await svg.locator('g.hop').nth(2).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'agentic-exchange-title');
    // So does the progress rail.
    await page.getByRole('navigation', { name: 'Progress' }).getByRole('button', { name: /JWT Bearer Grant/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'agentic-bearer-title');
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Save as SVG' }).click()]);
    assert.match(readFileSync(await download.path(), 'utf8'), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('the API asks a scope per method: DELETE with a files.read token is refused, naming files.write', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await signIn(page);
    for (const id of ['exchange', 'bearer']) assert.equal(await send(page, id), 'done', await summary(page, id));
    await (await param(page, 'api', 'api_method')).selectOption('DELETE');
    assert.equal(await send(page, 'api'), 'failed');
    assert.match(await summary(page, 'api'), /^HTTP 403 insufficient_scope: DELETE on this API needs the scope files\.write, which the token does not carry\.$/);
    assert.match(await (await tab(page, 'api', 'Result')).locator('.diagnosis').innerText(), /Ask for files\.write/);
    // The challenge reached the page (the tenant exposes WWW-Authenticate to it).
    assert.match(await (await tab(page, 'api', 'Log')).innerText(), /www-authenticate: Bearer realm="demo-tenant", error="insufficient_scope".*scope="files\.write"/i);
    assert.deepEqual(unexpected(b.errors, ['status of 403']), []);
  } finally {
    await b.close();
  }
});
