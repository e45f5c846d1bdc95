// The page shell: title, flows, tabs (ARIA, arrow keys), phases and cards drawn from the
// declaration, the main action in each card's header, dark theme, 360 px wide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, startTenant, step, stepAt, stepCount, tab, unexpected, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9431, appPort: 8131 }); });
after(async () => { await tenant?.stop(); });

test('the page has the shape of the Agentic Token Exchange Flow page', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await page.getByRole('heading', { level: 1, name: 'Agentic Token Exchange Flow' }).waitFor();
    assert.ok(await page.getByText('User to AI Agent Delegation using ID-JAG Tokens (client assertion)').isVisible());
    await stepCount(page);
    const phases = await page.locator('section.phase > h2').allInnerTexts();
    assert.deepEqual(phases, ['Phase 1 — User Authentication', 'Phase 2 — Agent Token Acquisition', 'Phase 3 — Use the Token', 'Phase 4 — Inspect and Revoke']);
    const titles = await page.locator('article.step h3').allTextContents();
    assert.deepEqual(titles.map((t) => t.replace(/^Step \d+: /, '')), [
      'Obtain Access Token - User Authentication (SSO)',
      'Token Exchange - Obtain ID-JAG Token',
      'JWT Bearer Grant - Obtain Access Token',
      'Test Token with API',
      'Introspect the Access Token',
      'Revoke the Access Token',
      'Introspect Again',
      'Call the API with the Revoked Token',
    ]);
    assert.equal(await step(page, 'signin').locator('.badge.client').innerText(), 'CLIENT APP');
    assert.equal(await step(page, 'exchange').locator('.badge.agent').innerText(), 'AI Agent');
    assert.equal(await step(page, 'api').locator('.badge.optional').innerText(), 'Optional');
    // The main action sits in the card header, visible on load at 1280×900.
    assert.ok(await step(page, 'signin').locator('header button.send').isVisible());
    const box = await step(page, 'signin').locator('button.send').boundingBox();
    assert.ok(box.y + box.height < 900, `step 1's action is in view (${box.y})`);
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'ready');
    for (const id of ['exchange', 'bearer', 'api', 'introspect', 'revoke', 'introspect_after', 'api_after']) {
      assert.equal(await step(page, id).getAttribute('data-status'), 'blocked');
      assert.ok(await step(page, id).locator('button.send').isDisabled());
    }
    assert.match(await step(page, 'bearer').locator('.step-status').innerText(), /Waiting for ID-JAG \(step 2\)/);
    // Step 1 shows the two requests of the source page; step 2 its exchange.
    const captions = await (await tab(page, 'signin', 'Request')).locator('figcaption > span:first-child').allInnerTexts();
    assert.match(captions[0], /^1\. Direct user to authorize endpoint for standard OAuth flow:$/);
    assert.match(captions[1], /^2\. Exchange authorization code for tokens:$/);
    assert.match(await (await tab(page, 'exchange', 'Request')).locator('pre').innerText(), /--data-urlencode 'requested_token_type=urn:ietf:params:oauth:token-type:id-jag'/);
    // Explain names each part and its spec.
    await (await tab(page, 'exchange', 'Request')).getByRole('button', { name: 'Explain' }).click();
    assert.match(await step(page, 'exchange').locator('dl.explain').innerText(), /requested_token_type\s+What to issue: ID-JAG\. \(RFC 8693 2\.1\)/);
    assert.match(await (await tab(page, 'exchange', 'Log')).innerText(), /Nothing sent yet/);

    // The page tabs follow the ARIA pattern: arrow keys move between them.
    await page.getByRole('tab', { name: 'Flow Steps' }).focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByRole('tab', { name: 'Configuration' }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('[name="idp"]').inputValue(), tenant.org);
    assert.match(await page.locator('.key-summary').first().innerText(), /ES256 private key, kid/);
    await screenshot(page, 'configuration');
    await page.keyboard.press('End');
    assert.equal(await page.getByRole('tab', { name: 'Probe', exact: true }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByRole('tab', { name: 'Flow Steps' }).getAttribute('aria-selected'), 'true');
    await page.locator('article.step').first().waitFor();
    await screenshot(page, 'page-shell', false);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('every flow is one URL, and each has its own steps', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    for (const [hash, title, first] of [
      ['#/agent-to-agent', 'Agent-to-Agent Token Exchange', 'Client Credentials - Obtain a Token for Agent 1'],
      ['#/obo', 'On-Behalf-Of Token Exchange', 'Sign In to the Client App (Authorization Code with PKCE)'],
      ['#/autonomous', 'Autonomous AI Agent Flow', "Obtain the Agent's Access Token (Client Credentials)"],
    ]) {
      await page.goto(`${tenant.app}${hash}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      // Whichever step opens the flow: the card numbered 1.
      assert.equal((await stepAt(page, 1).locator('h3').textContent()).replace(/^Step 1: /, ''), first);
    }
    await page.getByRole('link', { name: 'User → AI agent (ID-JAG)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agentic Token Exchange Flow' }).waitFor();
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('dark theme, a remembered theme switch, and a 360 px wide screen', async () => {
  const b = await openBrowser({ width: 360, height: 800, colorScheme: 'dark' });
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await page.locator('article.step').first().waitFor();
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.equal(await bg(), 'rgb(15, 19, 28)', 'dark background from prefers-color-scheme');
    for (const name of ['Flow Steps', 'Configuration']) {
      await view(page, name);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll at 360 px on ${name} (${overflow}px)`);
    }
    await screenshot(page, 'page-shell-360-dark');
    await page.locator('#theme').selectOption('light');
    assert.equal(await bg(), 'rgb(245, 247, 251)');
    await page.reload();
    await page.locator('article.step, form.config').first().waitFor();
    assert.equal(await bg(), 'rgb(245, 247, 251)', 'the chosen theme is remembered');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test("the first version's saved settings are carried over, and what was dropped is named", async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await step(page, 'signin').waitFor();
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('atp.flow.')) localStorage.removeItem(k);
      localStorage.setItem('atp.agentic.v2', JSON.stringify({
        org_url: 'https://acme.okta.com', app_client_id: '0oa-mine', agent_client_id: 'wlp-mine', agent_key: '',
        auth_server_id: 'aus9', exchange_scopes: 'files.read', subject: 'AccessToken', relay_org: true,
        relay_url: 'http://127.0.0.1:9600', idp: { token: 'https://acme.okta.com/oauth2/v1/token' },
      }));
    });
    await page.reload();
    await page.locator('.notice').waitFor();
    assert.match(await page.locator('.notice').innerText(), /Settings saved by the previous version were carried over[\s\S]*Not carried over \(no longer used, or found again by Discover\): idp\./);
    await view(page, 'Configuration');
    assert.equal(await page.locator('[name="idp"]').inputValue(), 'https://acme.okta.com');
    assert.equal(await page.locator('[name="resource_as"]').inputValue(), 'https://acme.okta.com/oauth2/aus9');
    assert.equal(await page.locator('[name="agent_idp"]').inputValue(), 'wlp-mine');
    assert.ok(await page.locator('[name="relay-idp"]').isChecked());
    assert.equal(await page.locator('[name="relay-url"]').inputValue(), 'http://127.0.0.1:9600');
    assert.equal(await page.evaluate(() => localStorage.getItem('atp.agentic.v2')), null, 'the old entry is forgotten');
    // An unreadable configuration is said, not silently replaced.
    await page.evaluate(() => localStorage.setItem('atp.flow.agentic.v3', '{"servers": 7}'));
    await page.reload();
    await page.locator('.notice').waitFor();
    const aside = (await page.locator('.notice').innerText()).match(/The configuration kept for this flow could not be read .* kept under “(atp\.flow\.agentic\.v3\.unreadable\.\d+)”/);
    assert.ok(aside, await page.locator('.notice').innerText());
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), aside[1]), '{"servers": 7}', 'what could not be read is kept aside');
    // If it cannot even be copied aside (storage full), it is left where it is until the user
    // changes the configuration, and the notice says so.
    await refuseStorage(page, 'atp.flow.agentic.v3.unreadable.', { atLoad: true });
    await page.evaluate(() => localStorage.setItem('atp.flow.agentic.v3', '{"servers": 8}'));
    await page.reload();
    await page.locator('.notice').waitFor();
    assert.match(await page.locator('.notice').innerText(), /could not be read .* It could not be copied aside \(QuotaExceededError: The quota has been exceeded\.\), so it stays under “atp\.flow\.agentic\.v3” in this site's localStorage until you change this configuration/);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => localStorage.getItem('atp.flow.agentic.v3')), '{"servers": 8}', 'not overwritten by the preset');
    await view(page, 'Configuration');
    await page.locator('[name="agent_idp"]').fill('wlp-changed');
    await page.waitForFunction(() => (localStorage.getItem('atp.flow.agentic.v3') || '').includes('wlp-changed'));
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('a share link round-trips a configuration, carries no secret, and asks before a new server is used', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/obo`);
    await view(page, 'Configuration');
    await page.locator('[name="service-secret"]').fill('secret-MARKER-91f2');
    await page.locator('[name="exchange_scope"]').first().fill('api:access:read');
    await page.getByRole('button', { name: 'Copy a link to this configuration' }).click();
    const link = await page.locator('[name="share-link"]').inputValue();
    assert.match(link, new RegExp(`^${tenant.app.replace(/[.]/g, '\\.')}#/obo\\?config=`));
    const payload = Buffer.from(new URL(link).hash.split('config=')[1], 'base64url').toString();
    assert.doesNotMatch(payload, /MARKER|secret-|redirect_uri/);

    // A fresh reader: known servers (the demo tenant), so it applies at once, and says so.
    // Reading it loads a part of the app first (held here for 500 ms): the page says so at once.
    const reader = await b.browser.newContext();
    await reader.route('**/split_later-*.wasm', async (route) => { await new Promise((r) => setTimeout(r, 500)); await route.continue(); });
    const other = await reader.newPage();
    await other.goto(link);
    await other.locator('.notice').waitFor();
    assert.match(await other.locator('.notice').innerText(), /Reading the configuration in this link…/);
    await other.locator('.notice').getByText(/Settings from the link were applied/).waitFor();
    assert.equal(new URL(other.url()).hash, '#/obo', 'the link is taken out of the address bar');
    await other.getByRole('tab', { name: 'Configuration', exact: true }).click();
    assert.equal(await other.locator('[name="exchange_scope"]').first().inputValue(), 'api:access:read');
    assert.notEqual(await other.locator('[name="service-secret"]').inputValue(), 'secret-MARKER-91f2');

    // A link naming a host the reader never used waits for consent, naming where secrets go.
    const json = JSON.parse(payload);
    json.servers.exchange_as.issuer = 'https://idp.other.example/oauth2/default';
    const foreign = `${tenant.app}#/obo?config=${Buffer.from(JSON.stringify(json)).toString('base64url')}`;
    await other.goto(foreign);
    const offer = other.locator('section.offer');
    await offer.waitFor();
    assert.match(await offer.innerText(), /Servers you have not used before: https:\/\/idp\.other\.example\/oauth2\/default\. Signed assertions and the secrets you enter for them would be sent there/);
    await offer.getByRole('button', { name: 'Keep my settings' }).click();
    await other.getByRole('tab', { name: 'Configuration', exact: true }).click();
    assert.notEqual(await other.locator('[name="exchange_as"]').inputValue(), 'https://idp.other.example/oauth2/default');
    await other.goto(`${tenant.app}#/agentic`);
    await other.goto(foreign);
    await other.locator('section.offer').getByRole('button', { name: 'Use these settings' }).click();
    await other.getByRole('tab', { name: 'Configuration', exact: true }).click();
    assert.equal(await other.locator('[name="exchange_as"]').inputValue(), 'https://idp.other.example/oauth2/default');

    // A link that names endpoints (here a foreign token endpoint) is refused before anything.
    json.servers.exchange_as.metadata = { token_endpoint: 'https://evil.example/token' };
    await other.goto(`${tenant.app}#/agentic`);
    await other.goto(`${tenant.app}#/obo?config=${Buffer.from(JSON.stringify(json)).toString('base64url')}`);
    await other.getByRole('tab', { name: 'Flow Steps', exact: true }).click();
    await other.locator('.notice').waitFor();
    assert.match(await other.locator('.notice').innerText(), /The configuration in this link was not applied: .*never carry endpoints, keys or secrets/);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

/** Makes the browser refuse (as when its storage is full) to store keys beginning with `prefix`:
 * in the page as it is, or (`atLoad`) from the start of every later load. */
async function refuseStorage(page, prefix, { atLoad = false } = {}) {
  const refuse = (p) => {
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (k.startsWith(p)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return set.call(this, k, v);
    };
  };
  await (atLoad ? page.addInitScript(refuse, prefix) : page.evaluate(refuse, prefix));
}

test('saved configurations that cannot be read are set aside, never overwritten; a refused write is said', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/obo`);
    await page.evaluate(() => localStorage.setItem('atp.saved.obo.v1', '[{"name": "from a later version", "config": 7'));
    await page.reload();
    await view(page, 'Configuration');
    assert.match(await page.locator('fieldset.saved [role="alert"]').innerText(), /The saved configurations of this flow cannot be read \(.+\)\. Saving one sets them aside/);
    await page.locator('[name="saved-name"]').fill('Fresh');
    await page.getByRole('button', { name: 'Save this configuration' }).click();
    const aside = (await page.locator('fieldset.saved [role="status"]').innerText()).match(/Saved “Fresh”.*kept under “(atp\.saved\.obo\.v1\.unreadable\.\d+)”.*a new one was started/);
    assert.ok(aside, await page.locator('fieldset.saved').innerText());
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), aside[1]), '[{"name": "from a later version", "config": 7');
    assert.deepEqual(await page.locator('[name="saved-list"] option').allTextContents(), ['Choose…', 'Fresh']);
    // The browser refuses to store (its storage is full): the message says so, not "Saved".
    await refuseStorage(page, 'atp.saved.');
    await page.locator('[name="saved-name"]').fill('Second');
    await page.getByRole('button', { name: 'Save this configuration' }).click();
    assert.match(await page.locator('fieldset.saved [role="alert"]').innerText(), /Not saved: the browser refused to store it \(.*quota.*\); this site's storage may be full\./i);
    assert.deepEqual(await page.locator('[name="saved-list"] option').allTextContents(), ['Choose…', 'Fresh']);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('a configuration the browser refuses to keep (storage full) is said, and stays in the page', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/obo`);
    await view(page, 'Configuration');
    await refuseStorage(page, 'atp.flow.');
    await page.locator('[name="exchange_scope"]').first().fill('api:access:read');
    await page.locator('.notice').waitFor();
    assert.match(await page.locator('.notice').innerText(), /This configuration is not kept on this device: the browser refused to store it \(.*quota.*\); this site's storage may be full\. It stays in this page/i);
    // Dismissed, it does not come back at the next keystroke.
    await page.locator('.notice').getByRole('button', { name: 'Dismiss' }).click();
    await page.locator('[name="exchange_scope"]').first().fill('api:access:read api:access:write');
    await page.waitForTimeout(200);
    assert.equal(await page.locator('.notice').count(), 0);
    await page.locator('[name="exchange_scope"]').first().fill('api:access:read');
    await view(page, 'Flow Steps');
    await view(page, 'Configuration');
    assert.equal(await page.locator('[name="exchange_scope"]').first().inputValue(), 'api:access:read');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('named configurations: save, load and delete, without secrets unless Remember', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/obo`);
    await view(page, 'Configuration');
    await page.locator('[name="service-secret"]').fill('saved-secret-MARKER');
    await page.locator('[name="exchange_scope"]').first().fill('api:access:read');
    await page.locator('[name="saved-name"]').fill('Read only');
    await page.getByRole('button', { name: 'Save this configuration' }).click();
    assert.match(await page.locator('fieldset.saved').innerText(), /Saved “Read only” without keys and secrets \(Remember is off\)/);
    assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes('saved-secret-MARKER'));
    await page.locator('[name="exchange_scope"]').first().fill('api:access:write');
    // Nothing chosen: said so, nothing changes.
    await page.locator('[name="saved-list"]').selectOption('');
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    assert.match(await page.locator('fieldset.saved [role="alert"]').innerText(), /Choose a saved configuration first\./);
    assert.equal(await page.locator('[name="exchange_scope"]').first().inputValue(), 'api:access:write');
    await page.locator('[name="saved-list"]').selectOption('Read only');
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    assert.equal(await page.locator('[name="exchange_scope"]').first().inputValue(), 'api:access:read');
    assert.equal(await page.locator('[name="service-secret"]').inputValue(), 'saved-secret-MARKER', 'the secret in memory stays');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    assert.equal(await page.locator('[name="saved-list"]').count(), 0);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});
