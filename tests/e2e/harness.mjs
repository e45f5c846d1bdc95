// Test harness: starts demo tenants (the app is served by one of them, on another origin
// than the tenant, so CORS is real), a plain static file server, the relay, and drives
// Debian's Chromium with playwright-core. Each test file uses its own ports, so files can run
// in parallel.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const TENANT = join(ROOT, 'target/debug/demo-tenant');

async function waitFor(url, child, log) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch { /* not up yet */ }
    if (child && child.exitCode !== null) throw new Error(`exited: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up: ${log()}`);
}

function spawnLogged(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const stop = () => new Promise((r) => { if (child.exitCode !== null) return r(); child.once('exit', r); child.kill('SIGTERM'); });
  return { child, log: () => log, stop };
}

/** Starts a demo tenant; with `appPort` it also serves dist/. Resolves once it listens. */
export async function startTenant({ port, appPort, args = [] }) {
  const argv = ['--port', String(port), '--record-requests', ...args];
  if (appPort) argv.push('--serve-app', join(ROOT, 'dist'), '--app-port', String(appPort));
  const p = spawnLogged(TENANT, argv);
  await waitFor(`http://127.0.0.1:${port}/.well-known/openid-configuration`, p.child, p.log);
  return {
    org: `http://127.0.0.1:${port}`,
    app: appPort ? `http://127.0.0.1:${appPort}/` : undefined,
    log: p.log,
    recorded: async () => (await fetch(`http://127.0.0.1:${port}/_demo/requests`)).json(),
    stop: p.stop,
  };
}

/** A demo tenant configuration file: the built-in one (`--print-config`) without its
 *  address settings, passed through `edit` (TOML text in, TOML text out). */
export function tenantConfig(edit) {
  const toml = execFileSync(TENANT, ['--print-config'], { encoding: 'utf8' })
    .replace(/^base_url = .*\n/m, '')
    .replace(/^cors_origins = .*\n/m, '');
  const dir = mkdtempSync(join(tmpdir(), 'atp-tenant-'));
  const file = join(dir, 'tenant.toml');
  writeFileSync(file, edit(toml));
  return file;
}

/** Copies dist/ to a subfolder of a fresh site and serves it with Python's plain static
 *  file server: no other process, no special headers. */
export async function startStatic({ port, path = 'docs/playground' }) {
  const site = mkdtempSync(join(tmpdir(), 'atp-site-'));
  cpSync(join(ROOT, 'dist'), join(site, path), { recursive: true });
  const p = spawnLogged('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: site });
  await waitFor(`http://127.0.0.1:${port}/${path}/`, p.child, p.log);
  return {
    app: `http://127.0.0.1:${port}/${path}/`,
    dir: join(site, path),
    log: p.log,
    stop: async () => { await p.stop(); rmSync(site, { recursive: true, force: true }); },
  };
}

/** Runs `trunk serve` as a user would, building into a scratch folder so the release dist/
 *  of the other tests stays untouched. Resolves once the page is served (the first build
 *  takes a while). */
export async function startTrunkServe({ port }) {
  const dist = mkdtempSync(join(tmpdir(), 'atp-trunk-serve-'));
  const p = spawnLogged('trunk', ['serve', '--port', String(port), '--dist', dist, '--no-autoreload'], { cwd: ROOT, detached: true });
  const deadline = Date.now() + 600000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.status === 200 && (await r.text()).includes('split-app" data-js')) break;
    } catch { /* still building */ }
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`trunk serve did not come up: ${p.log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    app: `http://127.0.0.1:${port}/`,
    log: p.log,
    stop: async () => {
      try { process.kill(-p.child.pid, 'SIGTERM'); } catch { /* gone */ }
      await p.stop();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

/** Starts the relay binary; resolves with its URL, key and a log reader (stdout + stderr). */
export async function startRelay({ upstream, origin, port }) {
  const p = spawnLogged(join(ROOT, 'target/debug/relay'), ['--upstream', upstream, '--allow-origin', origin, '--port', String(port)]);
  const deadline = Date.now() + 20000;
  while (!/relay key: \S+/.test(p.log())) {
    if (Date.now() > deadline || p.child.exitCode !== null) throw new Error(`relay did not start: ${p.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}`, key: p.log().match(/relay key: (\S+)/)[1], log: p.log, stop: p.stop };
}

/** A fresh browser profile; console errors and page errors are collected. */
export async function openBrowser({ width = 1280, height = 900, colorScheme = 'light', args = [] } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', ...args],
  });
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { browser, context, page, errors, close: () => browser.close() };
}

/** Errors that are expected in a test (a deliberately failed fetch logs one). */
export function unexpected(errors, allowed = []) {
  return errors.filter((e) => !allowed.some((a) => e.includes(a)));
}

export async function screenshot(page, name, fullPage = true) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`screenshot: ${path}`);
  return path;
}

// Step cards are found by their step id: the stable id of the step in its flow's declaration
// (crates/protocol-catalogue/src/flows/*.rs, `id: "..."`), which every card carries as
// `article.step[data-step-id]`, e.g. 'signin', 'exchange', 'bearer', 'api', 'introspect',
// 'revoke', 'introspect_after', 'api_after' in the headline (agentic) flow. A card's number
// (`data-step`, the "Step N" of its title) changes when a step is added, dropped or moved; its
// id does not. Every helper below takes an id and throws if given a number; only `stepAt` finds
// a card by its place, for the tests that really mean "the Nth step on the page" (the keyboard's
// way from one card to the next, the step that opens each flow). `stepIds` gives the ids in the
// page's order, for a test that walks every step whatever they are.

/** Checks that `id` is a step id ('exchange'), not a number: a number-based lookup must say
 *  so with `stepAt`. */
function stepId(id) {
  if (typeof id !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(id)) {
    throw new TypeError(`a step is found by its id, such as 'exchange', not by ${JSON.stringify(id)}; `
      + 'for the Nth card on the page use stepAt(page, n)');
  }
  return id;
}

/** The CSS selector of the card of step `id`. */
const cardOf = (id) => `article.step[data-step-id="${stepId(id)}"]`;

/** The card of step `id` (e.g. 'exchange'); throws if given anything but an id. */
export const step = (page, id) => page.locator(cardOf(id));

/** The card numbered `n` on the page ("Step n"), whichever step that is. Only for tests about
 *  the page's order; any other test names the step by its id with `step`. */
export function stepAt(page, n) {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`stepAt takes a step number from 1, not ${JSON.stringify(n)}`);
  return page.locator(`article.step[data-step="${n}"]`);
}

/** The number of steps on the Flow Steps tab, once every card is built: the first phase is
 *  built at once, the rest (and the progress rail, one entry per step) right after the first
 *  paint, so a count taken earlier would miss steps. */
export async function stepCount(page) {
  await page.locator('nav.rail li').first().waitFor();
  const n = await page.locator('nav.rail li').count();
  await page.waitForFunction((n) => document.querySelectorAll('article.step').length === n, n);
  return n;
}

/** The ids of the steps on the Flow Steps tab, in the page's order, once every card is built
 *  (as `stepCount`): the steps that apply to the configuration in use. */
export async function stepIds(page) {
  await stepCount(page);
  return page.locator('article.step').evaluateAll((cards) => cards.map((c) => c.dataset.stepId));
}

/** Unfolds the card of step `id` (finished cards fold once a later step runs). */
export async function openCard(page, id) {
  const fold = step(page, id).locator('button.fold');
  if ((await fold.count()) && (await fold.getAttribute('aria-expanded')) === 'false') await fold.click();
}

/** A parameter's control on the card of step `id`, the card unfolded and its parameters
 *  shown. */
export async function param(page, id, name) {
  await openCard(page, id);
  const details = step(page, id).locator('details.params');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  return step(page, id).locator(`[name="${name}"]`);
}

/** Opens a tab (Request, Result, Tokens, Checks, Log) of the card of step `id` and returns its
 *  panel. */
export async function tab(page, id, name) {
  await openCard(page, id);
  const card = step(page, id);
  await card.getByRole('tab', { name, exact: true }).click();
  return card.getByRole('tabpanel');
}

/** The summary line of the last result of step `id`. */
export async function summary(page, id) {
  return (await tab(page, id, 'Result')).locator('.summary').innerText();
}

/** Clicks the action of step `id` and waits until it finished; returns the status. */
export async function send(page, id) {
  const before = Number(await step(page, id).getAttribute('data-runs'));
  await step(page, id).locator('button.send').click();
  await finished(page, id, before);
  return step(page, id).getAttribute('data-status');
}

/** Waits until step `id` has finished more than `before` runs. */
export async function finished(page, id, before = 0) {
  await page.waitForFunction(([selector, before]) => Number(document.querySelector(selector)?.dataset.runs) > before,
    [cardOf(id), before], { timeout: 20000 });
}

/** The sign-in of step `id` ('signin', the user's sign-in in every flow that has one) in its
 *  pop-up window, as a user would. */
export async function signIn(page, user = 'Alice Example', id = 'signin') {
  const before = Number(await step(page, id).getAttribute('data-runs'));
  const [popup] = await Promise.all([page.waitForEvent('popup'), step(page, id).locator('button.send').click()]);
  await popup.getByRole('button', { name: `Sign in as ${user}` }).click();
  await finished(page, id, before);
}

/** Runs steps, signing in where a step is a sign-in, and throws at the first that does not
 *  succeed; `between` runs after each. Either `runSteps(page, from, to, between)`: the steps
 *  from id `from` to id `to`, both included, in the page's order (`runSteps(page, 'signin',
 *  'api')`); or `runSteps(page, ids, between)`: the steps of the list `ids`, in its order
 *  (`runSteps(page, await stepIds(page))` runs every step on the page). */
export async function runSteps(page, from, to, between = async () => {}) {
  let ids;
  if (Array.isArray(from)) {
    ids = from.map(stepId);
    if (to !== undefined) between = to;
  } else {
    const all = await stepIds(page);
    const [first, last] = [all.indexOf(stepId(from)), all.indexOf(stepId(to))];
    if (first < 0 || last < first) throw new Error(`no steps from ${from} to ${to} on this page: ${all.join(', ')}`);
    ids = all.slice(first, last + 1);
  }
  for (const id of ids) {
    if ((await step(page, id).locator('button.send').innerText()) === 'Sign in') await signIn(page, 'Alice Example', id);
    else await send(page, id);
    if ((await step(page, id).getAttribute('data-status')) !== 'done') {
      throw new Error(`step ${id} did not succeed: ${await summary(page, id)}`);
    }
    await between();
  }
}

/** Runs axe-core (from npm) in the page through the driver's own evaluation, so the page's
 *  CSP is untouched; returns the violations, each with the elements concerned. */
export async function axe(page) {
  const source = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Switches to a page tab. */
export async function view(page, name) {
  await page.getByRole('tab', { name, exact: true }).click();
}

/** Sets a Configuration-tab control by its name attribute, then returns to the steps. */
export async function setConfig(page, name, value) {
  await view(page, 'Configuration');
  const el = page.locator(`[name="${name}"]`).first();
  if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
  else await el.fill(value);
  await view(page, 'Flow Steps');
}

/** The command(s) of the Request tab of step `id`, secrets revealed. */
export async function revealedCurl(page, id) {
  await page.locator('[name="reveal"]').check();
  const panel = await tab(page, id, 'Request');
  const text = await panel.locator('pre').last().innerText();
  await page.locator('[name="reveal"]').uncheck();
  return text;
}

/** The command a Request tab's panel shows, once code from the extras module has arrived. */
export async function shownCode(panel) {
  const pre = panel.locator('pre').last();
  for (let i = 0; i < 200; i++) {
    const text = await pre.innerText();
    if (!/^Loading the .* code…$/.test(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the code never arrived from the extras module');
}

/** Reads `--data-urlencode 'name=value'` pairs out of a cURL command (single-quoted). */
export function curlFormPairs(curl) {
  const pairs = [];
  const re = /--data-urlencode '((?:[^']|'\\'')*)'/g;
  for (const m of curl.matchAll(re)) {
    const arg = m[1].replaceAll("'\\''", "'");
    const i = arg.indexOf('=');
    pairs.push([arg.slice(0, i), arg.slice(i + 1)]);
  }
  return pairs;
}

/** Every value the page could have written anywhere: storage, IndexedDB names, the URL. */
export async function stored(page) {
  return page.evaluate(async () => JSON.stringify({
    local: { ...localStorage },
    session: { ...sessionStorage },
    url: location.href,
    cookies: document.cookie,
  }));
}

/** Stops every service worker (DevTools protocol), as the browser does with idle ones. */
export async function stopServiceWorkers(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}
