// No secret in clear with Reveal off: every flow (the headline flow with each resource type) is
// run on the local demo tenant while the test watches the wire; every secret value sent or
// received (tokens, assertions, codes, verifiers, client secrets, private keys, every member of
// a released vaulted secret or service account) is then searched for on every surface: each
// card's every tab, the log, the request as cURL and as code in every language, Explain, the
// Configuration tab, the run export (JSON and Markdown) and the share link. A whole value must
// never appear; of an opaque value or a JWT's signature, not even a 16-character slice (a JWT's
// header and claims are shown on purpose).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, param, ROOT, runSteps, startTenant, stepIds, unexpected, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9444, appPort: 8145 }); });
after(async () => { await tenant?.stop(); });

// Names whose values are credentials on the wire (requests and answers), independent of the
// app's own rules; containers whose every value is released as a credential.
const SECRET_NAMES = ['access_token', 'id_token', 'refresh_token', 'client_secret', 'client_assertion', 'assertion',
  'subject_token', 'actor_token', 'token', 'code', 'code_verifier', 'api_key', 'password'];
const CONTAINERS = ['vaulted_secret', 'service_account'];

function leaves(v, out) {
  if (typeof v === 'string' || typeof v === 'number') out.add(String(v));
  else if (Array.isArray(v)) v.forEach((i) => leaves(i, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((i) => leaves(i, out));
}

function fromJson(v, out) {
  if (Array.isArray(v)) return v.forEach((i) => fromJson(i, out));
  if (!v || typeof v !== 'object') return;
  for (const [k, val] of Object.entries(v)) {
    if (CONTAINERS.includes(k)) leaves(val, out);
    else if (SECRET_NAMES.includes(k) && typeof val === 'string') out.add(val);
    else fromJson(val, out);
  }
}

/** Records every secret value crossing the wire between the page (and its sign-in pop-up)
 *  and the tenant. */
function watch(context) {
  const seen = new Set();
  context.on('request', (req) => {
    if (!req.url().startsWith(tenant.org)) return;
    const auth = req.headers().authorization;
    if (auth) seen.add(auth.split(' ').slice(1).join(' '));
    for (const [k, v] of new URL(req.url()).searchParams) if (SECRET_NAMES.includes(k)) seen.add(v);
    const body = req.postData();
    if (body && !body.startsWith('{')) {
      for (const [k, v] of new URLSearchParams(body)) if (SECRET_NAMES.includes(k)) seen.add(v);
    }
  });
  context.on('response', async (res) => {
    if (!res.url().startsWith(tenant.org)) return;
    try { fromJson(JSON.parse(await res.text()), seen); } catch { /* not JSON */ }
  });
  // The code comes back to the page's own URL in the pop-up.
  context.on('page', (p) => p.on('framenavigated', (f) => {
    const code = new URL(f.url()).searchParams.get('code');
    if (code) seen.add(code);
  }));
  return seen;
}

/** Public identifiers of the demo (client IDs, ORNs, paths): a slice shared with one of them
 *  (`demo-orchestrato` of the secret `demo-orchestrator-secret` and of the client ID
 *  `0oa-demo-orchestrator`) is no evidence of a leak. */
function publicTexts() {
  const rust = readFileSync(join(ROOT, 'crates/protocol-wire/src/demo.rs'), 'utf8');
  return [...rust.matchAll(/pub const (\w+): &str = "([^"]+)"/g)].filter((m) => !m[1].endsWith('_SECRET')).map((m) => m[2]);
}

/** The configuration's own secrets: the demo agents' private keys and client secrets. */
function configSecrets() {
  const out = new Set();
  for (const f of ['agent-private-key.DEMO-ONLY.jwk.json', 'agent2-private-key.DEMO-ONLY.jwk.json']) {
    const jwk = JSON.parse(readFileSync(join(ROOT, 'demo', f), 'utf8'));
    out.add(jwk.d);
  }
  const rust = readFileSync(join(ROOT, 'crates/protocol-wire/src/demo.rs'), 'utf8');
  for (const m of rust.matchAll(/_SECRET: &str = "([^"]+)"/g)) out.add(m[1]);
  return out;
}

const isJwt = (s) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(s);

/** Every place a secret must not be: the whole value; for an opaque value or a JWT's
 *  signature, any 16-character slice. Returns the leaks found, named by surface. */
function leaks(secrets, surfaces) {
  const found = [];
  const public_ = publicTexts();
  for (const [surface, text] of Object.entries(surfaces)) {
    const grams = new Set();
    for (let i = 0; i + 16 <= text.length; i++) grams.add(text.slice(i, i + 16));
    for (const s of secrets) {
      if (s.length < 6) continue;
      if (text.includes(s)) { found.push(`${surface}: the whole value ${s.slice(0, 6)}… (${s.length} chars)`); continue; }
      const opaque = isJwt(s) ? s.split('.')[2] : s;
      for (let i = 0; i + 16 <= opaque.length; i++) {
        const slice = opaque.slice(i, i + 16);
        if (grams.has(slice) && !public_.some((p) => p.includes(slice))) { found.push(`${surface}: a slice of ${s.slice(0, 6)}… at ${i}`); break; }
      }
    }
  }
  return found;
}

/** Every text the page shows (hidden tab panels and closed details included) and the values of
 *  its text fields (not password fields, which the browser masks). */
const pageText = (page) => page.evaluate(() => document.body.textContent + '\n' +
  [...document.querySelectorAll('input:not([type=password]), textarea')].map((e) => e.value).join('\n'));

async function allCodeArrived(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('pre')].some((p) => /^Loading the .* code…$/.test(p.textContent)), null, { timeout: 20000 });
}

/** What every surface of the current flow shows, secrets not revealed. */
async function surfaces(page) {
  const out = {};
  await view(page, 'Flow Steps');
  // Open every card, every Log entry's request.
  for (const fold of await page.locator('article.step button.fold[aria-expanded="false"]').all()) await fold.click();
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  out.steps = await pageText(page);
  // The request as code in every language (the choice applies to every card), with Explain.
  const select = page.locator('select[aria-label="Show the request as"]').first();
  for (const value of await select.locator('option').evaluateAll((os) => os.map((o) => o.value))) {
    await select.selectOption(value);
    await allCodeArrived(page);
    out[`code ${value || 'curl'}`] = await pageText(page);
  }
  await select.selectOption('');
  for (const b of await page.getByRole('button', { name: 'Explain' }).all()) await b.click();
  await page.waitForFunction(() => !document.body.textContent.includes('Loading the explanation…'), null, { timeout: 20000 });
  out.explain = await pageText(page);
  // The run export, JSON and Markdown, secrets not included.
  await page.evaluate(() => { document.querySelector('details.run-files').open = true; });
  for (const name of ['Export as JSON', 'Export as Markdown']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
    out[name] = readFileSync(await download.path(), 'utf8');
  }
  // The Configuration tab, and the share link made there.
  await view(page, 'Configuration');
  await page.getByRole('button', { name: 'Copy a link to this configuration' }).click();
  await page.locator('[name="share-link"]').waitFor();
  out.configuration = await pageText(page);
  out['share link'] = decodeURIComponent(await page.locator('[name="share-link"]').inputValue());
  await view(page, 'Flow Steps');
  return out;
}

const runs = [
  { flow: 'agentic', label: 'headline flow, ID-JAG' },
  { flow: 'agentic', label: 'headline flow, vaulted secret', resourceType: 'secret' },
  { flow: 'agentic', label: 'headline flow, service account', resourceType: 'service_account' },
  { flow: 'agent-to-agent', label: 'agent to agent' },
  { flow: 'obo', label: 'On-Behalf-Of' },
  { flow: 'autonomous', label: 'autonomous agent' },
];

for (const run of runs) {
  test(`${run.label}: with Reveal off no secret the run saw is shown or exported`, async () => {
    const b = await openBrowser();
    try {
      const { page, context } = b;
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const seen = watch(context);
      await page.goto(`${tenant.app}#/${run.flow}`);
      if (run.resourceType) await (await param(page, 'exchange', 'resource_type')).selectOption(run.resourceType);
      await runSteps(page, await stepIds(page));
      const secrets = new Set([...seen, ...configSecrets()]);
      if (run.resourceType === 'secret') assert.ok(secrets.has('demo-not-a-real-key-7f3a'), 'the vaulted api_key was seen on the wire');
      assert.ok(secrets.size > 5, `secrets seen: ${secrets.size}`);
      const shown = await surfaces(page);
      assert.deepEqual(leaks(secrets, shown), []);
      // Revealed, they are there (the scan can find what it looks for).
      await page.locator('[name="reveal"]').check();
      await page.locator('article.step details').first().waitFor();
      const revealed = await pageText(page);
      assert.ok([...seen].some((s) => s.length >= 16 && revealed.includes(s)), 'revealed secrets are shown');
      await page.locator('[name="reveal"]').uncheck();
      assert.deepEqual(unexpected(b.errors, ['status of 401 (Unauthorized)']), []);
    } finally {
      await b.close();
    }
  });
}
