// The headline flow's page against its source page, word for word: under the Okta preset every
// text of seed 002 is on the page, except those docs/seed-002-differences.md lists, each absent
// and replaced by the sentence the list quotes. Under another preset the page names that
// server instead of Okta.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, ROOT, startTenant, unexpected, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9445, appPort: 8146 }); });
after(async () => { await tenant?.stop(); });

// A verbatim copy of ../shared/seeds/002_f7c0a15075ebaf11.txt, so that a clone alone runs the test.
const SEED = join(ROOT, 'tests/e2e/fixtures/seed-002.txt');
const ORIGINAL = join(ROOT, '../shared/seeds/002_f7c0a15075ebaf11.txt');

test('the fixture is the seed page verbatim', { skip: existsSync(ORIGINAL) ? false : 'no ../shared/seeds beside this clone' }, () => {
  assert.equal(readFileSync(SEED, 'utf8'), readFileSync(ORIGINAL, 'utf8'));
});

const seedTexts = () => readFileSync(SEED, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

/** The table of intended differences: seed text, ours, why. */
function differences() {
  const rows = readFileSync(join(ROOT, 'docs/seed-002-differences.md'), 'utf8').split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| seed text') && !l.startsWith('|---'));
  return rows.map((r) => {
    const [seed, ours, why] = r.slice(2, -2).split(' | ').map((c) => c.trim());
    return { seed, ours, why };
  });
}

/** Every text of the page, hidden panels included, one space between elements. */
const pageText = (page) => page.evaluate(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) out.push(walker.currentNode.nodeValue);
  return out.join(' ').replace(/\s+/g, ' ');
});

async function okta(page) {
  await page.goto(`${tenant.app}#/agentic`);
  await view(page, 'Configuration');
  await page.locator('select[name="preset"]').selectOption('okta');
  await page.getByRole('button', { name: 'Reset to preset' }).click();
  // What a user fills in before the cards can show their requests.
  const jwk = readFileSync(join(ROOT, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8');
  await page.locator('[name="app"]').fill('0oa-my-spa');
  for (const reg of ['agent_idp', 'agent_as']) {
    await page.locator(`[name="${reg}"]`).fill('wlp-my-agent');
    const fieldset = page.locator('fieldset').filter({ has: page.locator(`[name="${reg}"]`) });
    await fieldset.getByText('Show / paste the private key').click();
    await page.locator(`[name="${reg}-key"]`).fill(jwk);
  }
  await page.locator('[name="api"]').fill('https://api.example/documents');
  await view(page, 'Flow Steps');
  await page.locator('article.step[data-step-id="bearer"] figcaption').first().waitFor();
}

test('under the Okta preset, every text of seed 002 is shown verbatim or listed with its replacement', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await okta(page);
    const text = await pageText(page);
    const diffs = differences();
    assert.ok(diffs.length > 0 && diffs.every((d) => d.seed && d.ours && d.why), 'every entry quotes both texts and says why');
    // The texts the issue names may not be intended differences.
    for (const must of ['Use Existing', '1. Direct user to authorize endpoint for standard OAuth flow:',
      '2. Exchange authorization code for tokens:', 'Configure Audience (Target Auth Server) to load scopes']) {
      assert.ok(!diffs.some((d) => d.seed.includes(must)), `${must} is not an intended difference`);
      assert.ok(text.includes(must), `shown verbatim: ${must}`);
    }
    assert.ok(text.includes('redirect the user to Okta for authentication'));
    const missing = [];
    for (const seed of seedTexts()) {
      const d = diffs.find((x) => x.seed === seed);
      if (!d) {
        if (!text.includes(seed)) missing.push(seed);
        continue;
      }
      assert.ok(!text.includes(seed), `listed as a difference but shown verbatim: ${seed}`);
      assert.ok(text.includes(d.ours), `the replacement of "${seed.slice(0, 40)}…" is shown: ${d.ours}`);
    }
    assert.deepEqual(missing, [], 'seed texts neither shown nor listed in docs/seed-002-differences.md');
    // Each entry is a text of the seed (the list cannot drift from it).
    for (const d of diffs) assert.ok(seedTexts().includes(d.seed), `not a text of the seed: ${d.seed}`);
    // The scope picker of step 2 waits for the audience, as on the source page.
    const exchange = page.locator('article.step[data-step-id="exchange"]');
    assert.equal(await exchange.getByRole('button', { name: 'Load scopes' }).count(), 0);
    await exchange.locator('[name="audience"]').fill('https://your-org.okta.com/oauth2/default');
    await exchange.getByRole('button', { name: 'Load scopes' }).waitFor();
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test('under another preset the page names that server, not Okta', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/agentic`);
    const signin = page.locator('article.step[data-step-id="signin"] .step-desc');
    assert.match(await signin.innerText(), /redirect the user to the local demo tenant for authentication/);
    await view(page, 'Configuration');
    await page.locator('select[name="preset"]').selectOption('generic');
    await page.getByRole('button', { name: 'Reset to preset' }).click();
    await page.locator('[name="idp"]').fill('https://idp.example');
    await view(page, 'Flow Steps');
    assert.match(await signin.innerText(), /redirect the user to your identity provider for authentication/);
    assert.match(await page.locator('section.phase p.phase-desc').first().innerText(), /^The user authenticates with your identity provider via/);
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});
