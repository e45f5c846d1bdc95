// The app's wasm is split (scripts/post-build.mjs): the first load is the main module, and the
// parts used later are chunks fetched on first use, prefetched once the page is idle. Here: the
// first load leaves every chunk out and no click waits on one after the prefetch; a chunk that
// cannot be fetched is said in the page, and Retry (or the action again) works once the network
// is back, with nothing lost; a chunk gone from the server (a new deploy) offers a Reload that
// brings the new version and keeps the run; and an old page never mixes in a new build's chunk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, send, signIn, startStatic, startTenant, step, summary, tab, unexpected, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9448, appPort: 8149 }); });
after(async () => { await tenant?.stop(); });

const isChunk = (url) => /\/(split_[a-z_]+|chunk_\d+)-[0-9a-f]{16}\.wasm$/.test(new URL(url).pathname);
const splitName = (url) => new URL(url).pathname.match(/\/split_([a-z_]+)-/)?.[1];
const mark = (page, name) => page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: 30000 });

test('the first load leaves every chunk out; once the page is idle they are fetched, and then no click waits on one', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    const requested = [];
    page.on('request', (r) => requested.push({ url: r.url(), at: Date.now() }));
    await page.goto(tenant.app);
    await mark(page, 'atp-interactive');
    const early = await page.evaluate(() => {
      const t = performance.getEntriesByName('atp-interactive')[0].startTime;
      return performance.getEntriesByType('resource').filter((e) => e.startTime < t).map((e) => e.name);
    });
    assert.ok(early.some((u) => u.endsWith('_bg.wasm')), 'the main module is in the first load');
    assert.deepEqual(early.filter(isChunk), [], 'no chunk before step 1 is usable');
    await mark(page, 'atp-prefetched');
    const prefetched = new Set(requested.filter((r) => isChunk(r.url)).map((r) => splitName(r.url)).filter(Boolean));
    for (const part of ['run', 'configuration', 'later']) {
      assert.ok(prefetched.has(part), `${part} is prefetched (${[...prefetched]})`);
    }
    const after = requested.length;
    // A whole run, every tab, the Configuration, code, Explain, a report and a share link.
    await signIn(page);
    for (const id of ['exchange', 'bearer', 'api']) assert.equal(await send(page, id), 'done', await summary(page, id));
    for (const name of ['Result', 'Tokens', 'Checks', 'Log', 'Request']) await tab(page, 'bearer', name);
    const request = step(page, 'bearer');
    await request.locator('select[aria-label="Show the request as"]').first().selectOption('python');
    await request.getByRole('button', { name: 'Explain' }).first().click();
    await request.locator('dl.explain dt').first().waitFor();
    await page.getByText('Export or open a run').click();
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as Markdown' }).click()]);
    await view(page, 'Configuration');
    await page.getByRole('button', { name: 'Copy a link to this configuration' }).click();
    await page.locator('[name="share-link"]').waitFor();
    const late = requested.slice(after).filter((r) => isChunk(r.url) || r.url.endsWith('_bg.wasm'));
    assert.deepEqual(late.map((r) => r.url), [], 'no click fetched a chunk');
    assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
  } finally {
    await b.close();
  }
});

/** Blocks the chunk `part` (and the chunks only it uses are fetched with it) until `open()`. */
async function blockPart(page, part, { status } = {}) {
  let blocked = true;
  await page.route(`**/split_${part}-*.wasm`, (route) => {
    if (!blocked) return route.continue();
    return status ? route.fulfill({ status, body: 'gone' }) : route.abort('internetdisconnected');
  });
  return { open: () => { blocked = false; } };
}

const networkFailure = /could not be loaded \(.+\); check the connection, then try again/;

test('a chunk that cannot be fetched is said in the page; Retry works once the network is back, and nothing is lost', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    // Running a step: Sign in fails with the reason; pressing it again once the network is
    // back runs it.
    let net = await blockPart(page, 'run');
    await page.goto(tenant.app);
    await step(page, 'signin').locator('button.send').click();
    await page.waitForFunction(() => document.querySelector('article.step[data-step-id="signin"]').dataset.runs === '1', null, { timeout: 30000 });
    // Said aloud, and in the Result tab (itself part of that chunk: it says so, with Retry).
    assert.match(await page.locator('p[role="status"][aria-live="polite"]').innerText(), /^Step 1: This step could not start: .*could not be loaded/);
    assert.match(await (await tab(page, 'signin', 'Result')).locator('.chunk-failure').innerText(), networkFailure);
    net.open();
    await signIn(page);
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done');

    // The Configuration tab (not prefetched either: blocked from the load): why, then Retry;
    // the run is kept.
    net = await blockPart(page, 'configuration');
    await page.reload();
    await signIn(page);
    await view(page, 'Configuration');
    const alert = page.locator('.chunk-failure[role="alert"]').first();
    await alert.waitFor({ timeout: 30000 });
    assert.match(await alert.innerText(), new RegExp(`^Could not show the configuration: .*${networkFailure.source}`));
    net.open();
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('button', { name: 'Copy a link to this configuration' }).waitFor();
    await view(page, 'Flow Steps');
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done', 'the run is kept');

    // The parts used later (lineage, run files, code), on a fresh page.
    net = await blockPart(page, 'later');
    await page.reload();
    const lineage = page.locator('.chunk-failure[role="alert"]').filter({ hasText: 'the token lineage' });
    await lineage.waitFor({ timeout: 30000 });
    assert.match(await lineage.innerText(), networkFailure);
    const request = await tab(page, 'signin', 'Request');
    await request.locator('select[aria-label="Show the request as"]').last().selectOption('python');
    await request.getByText(/^The Python \(requests\) code could not be made: .*could not be loaded/).waitFor({ timeout: 30000 });
    net.open();
    await request.getByRole('button', { name: 'Retry' }).click();
    await request.getByText(/import requests/).waitFor();
    await request.locator('select[aria-label="Show the request as"]').last().selectOption('');
    for (const what of ['the token lineage', 'the run files menu']) {
      const failed = page.locator('.chunk-failure[role="alert"]').filter({ hasText: what });
      await failed.getByRole('button', { name: 'Retry' }).click();
      await failed.waitFor({ state: 'detached' });
    }
    await page.getByText('Export or open a run').click();
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as Markdown' }).click()]);

    // A share link, on another page whose chunk is blocked from the start.
    const other = await b.context.newPage();
    other.on('console', (m) => { if (m.type() === 'error') b.errors.push(m.text()); });
    net = await blockPart(other, 'later');
    await other.goto(tenant.app);
    await view(other, 'Configuration');
    const copy = other.getByRole('button', { name: 'Copy a link to this configuration' });
    await copy.click();
    await other.locator('.share [role="alert"]').getByText(/^No link was made: .*could not be loaded/).waitFor({ timeout: 30000 });
    net.open();
    await copy.click();
    assert.match(await other.locator('[name="share-link"]').inputValue(), /#\/agentic\?config=/);
    assert.deepEqual(unexpected(b.errors, ['net::ERR_INTERNET_DISCONNECTED', 'failed to load split module', 'TypeError: Failed to fetch', 'status of 401']), []);
  } finally {
    await b.close();
  }
});

test('a chunk gone from the server (a new deploy) offers a Reload that brings the new version and keeps the run', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    const gone = await blockPart(page, 'later', { status: 404 });
    await page.goto(tenant.app);
    await signIn(page);
    const alert = page.locator('.chunk-failure[role="alert"]').first();
    await alert.waitFor({ timeout: 30000 });
    assert.match(await alert.innerText(), /older than the version now deployed .* reload to use the new version/);
    gone.open();
    await Promise.all([page.waitForEvent('load'), alert.getByRole('button', { name: /^Reload/ }).click()]);
    const imported = page.locator('section.imported');
    await imported.getByRole('heading', { name: /^Imported run \(read-only\): Agentic Token Exchange Flow/ }).waitFor();
    assert.match(await imported.locator('.notice').innerText(), /reloaded for the version now deployed/);
    assert.match(await imported.innerText(), /Signed in as/);
    assert.deepEqual(unexpected(b.errors, ['status of 404', 'failed to load split module', 'integrity', 'Failed to fetch']), []);
  } finally {
    await b.close();
  }
});

/** A second build: every content-named file of `dist` renamed (a deploy whose files all
 *  differ), references rewritten, the old files gone. */
function redeploy(site) {
  const files = readdirSync(site);
  const renames = new Map();
  for (const f of files) {
    const m = f.match(/^(.*)-([0-9a-f]{16})((?:_bg)?\.(?:wasm|js))$/);
    if (m) renames.set(f, `${m[1]}-${m[2].split('').reverse().join('')}${m[3]}`);
  }
  for (const f of files.filter((f) => /\.(html|js)$/.test(f) && !f.endsWith('.gz') && !f.endsWith('.br'))) {
    let text = readFileSync(join(site, f), 'utf8');
    for (const [from, to] of renames) text = text.replaceAll(from, to);
    writeFileSync(join(site, f), text);
  }
  for (const [from, to] of renames) renameSync(join(site, from), join(site, to));
  // The JS files changed (they name each other): their integrity in index.html too.
  const index = join(site, 'index.html');
  const html = readFileSync(index, 'utf8').replace(/<link rel="modulepreload" href="([^"]+)" integrity="[^"]+">/g, (_, href) =>
    `<link rel="modulepreload" href="${href}" integrity="sha384-${createHash('sha384').update(readFileSync(join(site, href))).digest('base64')}">`);
  writeFileSync(index, html);
  return renames;
}

test('redeploy: a page of the old build never loads a chunk of the new one, and reloads into the new build', async () => {
  const host = await startStatic({ port: 8150 });
  const b = await openBrowser();
  try {
    const { page } = b;
    const dir = host.dir;
    // Hold every chunk of the old page until the new files are on disk.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route((url) => isChunk(url.href), async (route) => { await held; await route.continue(); });
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(host.app);
    await mark(page, 'atp-interactive');
    const oldMain = requested.find((u) => u.endsWith('_bg.wasm'));
    const renames = redeploy(dir);
    const newNames = new Set(renames.values());
    release();
    await page.unroute((url) => isChunk(url.href));
    await view(page, 'Configuration');
    const alert = page.locator('.chunk-failure[role="alert"]').first();
    await alert.waitFor({ timeout: 30000 });
    assert.match(await alert.innerText(), /older than the version now deployed/);
    const before = requested.length;
    assert.ok(!requested.some((u) => newNames.has(u.split('/').pop())), 'the old page asked for no file of the new build');
    await Promise.all([page.waitForEvent('load'), alert.getByRole('button', { name: /^Reload/ }).click()]);
    await view(page, 'Configuration');
    await page.getByRole('button', { name: 'Copy a link to this configuration' }).waitFor();
    // What the reloaded document fetched (the old one's late retries excluded).
    const after = (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))).map((u) => u.split('/').pop());
    assert.ok(requested.length >= before);
    assert.ok(after.some((f) => newNames.has(f) && f.endsWith('_bg.wasm')), 'the reload loads the new main module');
    assert.ok(!after.includes(oldMain.split('/').pop()), 'and not the old one');
    assert.ok(after.filter((f) => /^(split_|chunk_)/.test(f)).every((f) => newNames.has(f)), `only chunks of the new build: ${after}`);
  } finally {
    await b.close();
    await host.stop();
  }
});
