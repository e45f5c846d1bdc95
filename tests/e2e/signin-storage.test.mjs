// Secrets never touch storage unless "Remember" is on: not while the sign-in pop-up is open,
// not across a same-tab redirect (only the PKCE verifier, state, nonce and non-secret settings
// cross it, and only until it returns), not after an abandoned sign-in. Every storage the
// page can write is scanned at every point: localStorage, sessionStorage, cookies, IndexedDB
// names, and the address bar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, setConfig, signIn, startTenant, step, summary, unexpected, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9441, appPort: 8141 }); });
after(async () => { await tenant?.stop(); });

const APP_ORIGIN = 'http://127.0.0.1:8141';
const RELAY_KEY = 'relay-key-MARKER-5f1c2a';

/** Everything the app's origin has stored, read in the app's page: localStorage,
 *  sessionStorage, cookies, IndexedDB database names, and the address bar. */
async function scan(page) {
  const found = await page.evaluate(async () => ({
    session: Object.entries(sessionStorage),
    local: Object.entries(localStorage),
    cookies: document.cookie,
    idb: (await indexedDB.databases()).map((d) => d.name),
    url: location.href,
  }));
  return { text: JSON.stringify(found), session: found.session };
}

/** Generates a fresh agent key (a secret the demo does not know) and returns its private part. */
async function newAgentKey(page) {
  await view(page, 'Configuration');
  const summaryLine = page.locator('.key-summary').first();
  const old = await summaryLine.innerText();
  await page.getByRole('button', { name: 'Generate ES256 key' }).first().click();
  await page.waitForFunction((o) => document.querySelector('.key-summary').innerText !== o, old);
  await page.getByText('Show / paste the private key').first().click();
  const jwk = JSON.parse(await page.locator('[name="agent_idp-key"]').inputValue());
  await page.locator('[name="relay-key"]').fill(RELAY_KEY);
  await view(page, 'Flow Steps');
  return jwk.d;
}

function assertClean(scanned, secrets, when) {
  for (const s of secrets) assert.ok(!scanned.text.includes(s), `${when}: storage holds a secret (${s.slice(0, 8)}…): ${scanned.text.slice(0, 400)}`);
}

test('pop-up sign-in: nothing secret is stored while it is open or after it returns', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    const d = await newAgentKey(page);
    assertClean(await scan(page), [d, RELAY_KEY], 'before');
    const [popup] = await Promise.all([page.waitForEvent('popup'), step(page, 'signin').locator('button.send').click()]);
    await popup.getByRole('button', { name: 'Sign in as Alice Example' }).waitFor();
    assertClean(await scan(page), [d, RELAY_KEY], 'pop-up open');
    await popup.getByRole('button', { name: 'Sign in as Alice Example' }).click();
    await page.waitForFunction(() => Number(document.querySelector('article.step[data-step-id="signin"]').dataset.runs) > 0);
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done', await summary(page, 'signin'));
    const tokens = (await tenant.recorded()).flatMap((r) => r.form.filter(([k]) => ['code', 'code_verifier'].includes(k)).map(([, v]) => v));
    assertClean(await scan(page), [d, RELAY_KEY, ...tokens], 'after');
    // The key is still in memory: the page never unloaded.
    await view(page, 'Configuration');
    assert.match(await page.locator('.key-summary').first().innerText(), /ES256 private key/);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

/** Starts step 1's sign-in in this tab and holds it with the pending sign-in written: the
 *  navigation to the server is answered 204 once (the browser stays on the app's page).
 *  Returns the authorize URL, to be opened as the browser would have. */
async function holdRedirectSignIn(page) {
  await view(page, 'Configuration');
  await page.locator('[name="signin-mode"]').nth(1).check();
  await view(page, 'Flow Steps');
  let authorize;
  await page.route(`${tenant.org}/oauth2/v1/authorize**`, async (route) => {
    authorize = route.request().url();
    await route.fulfill({ status: 204 });
  });
  await step(page, 'signin').locator('button.send').click();
  await page.waitForFunction(() => Object.keys(sessionStorage).some((k) => k.startsWith('atp.pending-signin')));
  await page.unrouteAll();
  return authorize;
}

test('same-tab redirect: only verifier, state, nonce and settings cross it; secrets are asked for again', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    const d = await newAgentKey(page);
    // The app's storage is read while the sign-in is pending, then the server is opened.
    const authorize = await holdRedirectSignIn(page);
    const during = await scan(page);
    await page.goto(authorize);
    assertClean(during, [d, RELAY_KEY], 'during the redirect');
    const pending = during.session.find(([k]) => k.startsWith('atp.pending-signin'));
    assert.ok(pending, `the pending sign-in is in sessionStorage: ${during.text.slice(0, 300)}`);
    const value = JSON.parse(pending[1]);
    assert.ok(value.verifier && value.state && value.nonce);
    await page.getByRole('button', { name: 'Sign in as Alice Example' }).click();
    await page.waitForFunction(() => Number(document.querySelector('article.step[data-step-id="signin"]')?.dataset.runs) > 0);
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done', await summary(page, 'signin'));
    assert.equal(new URL(page.url()).search, '', 'code and state are removed from the address bar');
    const afterwards = await scan(page);
    assert.ok(!afterwards.session.some(([k]) => k.startsWith('atp.pending-signin')), 'the pending sign-in is removed on return');
    assertClean(afterwards, [d, RELAY_KEY, value.verifier], 'after the redirect');
    // The key was not remembered, so the page asks for it again, and says the demo's is used.
    const notice = await page.locator('.notice').innerText();
    assert.match(notice, /Secrets are not kept across the sign-in redirect \(Remember is off\): enter again the AI agent \(at the identity provider\)'s private key/);
    assert.match(notice, /Until then the demo's own is used/);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('a same-tab sign-in started by another version of the page is refused with the reason', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    const authorize = await holdRedirectSignIn(page);
    // The page is updated while the user signs in: its flow is gone from the new version.
    await page.evaluate(() => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('atp.pending-signin'));
      sessionStorage.setItem(key, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(key)), flow: 'retired-flow' }));
    });
    await page.goto(authorize);
    await page.getByRole('button', { name: 'Sign in as Alice Example' }).click();
    await page.locator('.notice').waitFor();
    assert.match(await page.locator('.notice').innerText(), /came back from a sign-in started for step “signin” of flow “retired-flow”, which this version of the page does not have .*Start the sign-in again\./);
    assert.equal(new URL(page.url()).search, '', 'code and state are removed from the address bar');
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'ready');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('an abandoned redirect sign-in leaves nothing behind', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    const d = await newAgentKey(page);
    await setConfig(page, 'signin-mode', 'redirect').catch(async () => {
      await view(page, 'Configuration');
      await page.locator('[name="signin-mode"]').nth(1).check();
      await view(page, 'Flow Steps');
    });
    await step(page, 'signin').locator('button.send').click();
    await page.getByRole('button', { name: 'Sign in as Alice Example' }).waitFor();
    // The user gives up and opens the app again.
    await page.goto(tenant.app);
    await step(page, 'signin').waitFor();
    const scanned = await scan(page);
    assert.ok(!scanned.session.some(([k]) => k.startsWith('atp.pending-signin')), 'the abandoned sign-in is forgotten');
    assertClean(scanned, [d, RELAY_KEY], 'after giving up');
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'ready');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});
