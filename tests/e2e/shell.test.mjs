// The page shell: title, tabs, phases, the four step cards, view log, light/dark, 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, startTenant, step, unexpected } from './harness.mjs';

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
    const phases = await page.locator('h2').allInnerTexts();
    assert.deepEqual(phases, ['Phase 1 — User Authentication', 'Phase 2 — Agent Token Acquisition', 'Phase 3 — Use the Token', 'Phase 4 — Inspect and Revoke']);
    const titles = await page.locator('article.step h3').allInnerTexts();
    assert.deepEqual(titles, [
      'Obtain Access Token - User Authentication (SSO)',
      'Token Exchange - Obtain ID-JAG Token',
      'JWT Bearer Grant - Obtain Access Token',
      'Test Token with API',
      'Introspect the Access Token',
      'Revoke the Access Token',
      'Introspect Again',
      'Call the API with the Revoked Token',
    ]);
    assert.equal(await step(page, 1).locator('.badge.client').innerText(), 'CLIENT APP');
    assert.equal(await step(page, 2).locator('.badge.agent').innerText(), 'AI Agent');
    assert.equal(await step(page, 4).locator('.badge.optional').innerText(), 'Optional');
    // Steps 2-4 wait for earlier outputs; their Send buttons are disabled.
    assert.equal(await step(page, 1).getAttribute('data-status'), 'ready');
    for (const n of [2, 3, 4, 5, 6, 7, 8]) {
      assert.equal(await step(page, n).getAttribute('data-status'), 'blocked');
      assert.ok(await step(page, n).locator('button.send').isDisabled());
    }
    // Step 1 shows the two commands of the source page.
    const captions = await step(page, 1).locator('figcaption span').allInnerTexts();
    assert.match(captions[0], /Direct user to authorize endpoint/);
    assert.match(captions[1], /Exchange authorization code for tokens/);
    assert.match(await step(page, 2).locator('pre').innerText(), /--data-urlencode 'requested_token_type=urn:ietf:params:oauth:token-type:id-jag'/);

    // view log toggles.
    const toggle = step(page, 2).locator('button.log-toggle');
    assert.equal(await toggle.innerText(), 'view log');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await step(page, 2).getByText('Nothing sent yet.').isVisible());
    assert.equal(await toggle.innerText(), 'hide log');
    await toggle.click();
    assert.ok(await step(page, 2).getByText('Nothing sent yet.').isHidden());

    // Tabs switch.
    await page.getByRole('tab', { name: 'Configuration' }).click();
    assert.equal(await page.getByRole('tab', { name: 'Configuration' }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('[name="org-url"]').inputValue(), tenant.org);
    assert.match(await page.locator('.key-summary').innerText(), /ES256 private key, kid/);
    await screenshot(page, 'configuration');
    await page.getByRole('tab', { name: 'Flow Steps' }).click();
    await page.locator('article.step').first().waitFor();
    await screenshot(page, 'page-shell');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('dark theme and a 360 px wide screen', async () => {
  const b = await openBrowser({ width: 360, height: 800, colorScheme: 'dark' });
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await page.locator('article.step').first().waitFor();
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.equal(bg, 'rgb(15, 19, 28)', 'dark background from prefers-color-scheme');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal page scroll at 360 px (overflow ${overflow}px)`);
    await screenshot(page, 'page-shell-360-dark');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});
