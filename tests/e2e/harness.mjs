// Test harness: starts demo-tenant processes (the app is served by one of them, on another
// origin than the tenant, so CORS is real) and drives Debian's Chromium with playwright-core.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const TENANT = join(ROOT, 'target/debug/demo-tenant');

/** Starts a demo tenant; with `appPort` it also serves dist/. Resolves once it listens. */
export async function startTenant({ port, appPort, args = [] }) {
  const argv = ['--port', String(port), '--record-requests', ...args];
  if (appPort) argv.push('--serve-app', join(ROOT, 'dist'), '--app-port', String(appPort));
  const child = spawn(TENANT, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`demo-tenant exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    org: `http://127.0.0.1:${port}`,
    app: appPort ? `http://127.0.0.1:${appPort}/` : undefined,
    log: () => log,
    recorded: async () => (await fetch(`http://127.0.0.1:${port}/_demo/requests`)).json(),
    stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }),
  };
}

/** Starts the relay binary; resolves with its URL, key and a log reader (stdout + stderr). */
export async function startRelay({ upstream, origin, port }) {
  const child = spawn(join(ROOT, 'target/debug/relay'), ['--upstream', upstream, '--allow-origin', origin, '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 20000;
  while (!/relay key: \S+/.test(log)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`relay did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    key: log.match(/relay key: (\S+)/)[1],
    log: () => log,
    stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }),
  };
}

/** A fresh browser profile; console errors and page errors are collected. */
export async function openBrowser({ width = 1200, height = 900, colorScheme = 'light' } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
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

export async function screenshot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

export const step = (page, n) => page.locator(`[data-step="${n}"]`);

/** Clicks a step's Send and waits until it is done or failed; returns the status. */
export async function send(page, n) {
  const before = Number(await step(page, n).getAttribute('data-runs'));
  await step(page, n).locator('button.send').click();
  await finished(page, n, before);
  return step(page, n).getAttribute('data-status');
}

/** Waits until step `n` has finished more than `before` runs. */
export async function finished(page, n, before = 0) {
  await page.waitForFunction(([n, before]) => Number(document.querySelector(`[data-step="${n}"]`)?.dataset.runs) > before,
    [n, before], { timeout: 20000 });
}

/** Step 1 through the tenant's sign-in page, as a user would. */
export async function signIn(page, user = 'Alice Example') {
  await step(page, 1).locator('button.send').click();
  await page.getByRole('button', { name: `Sign in as ${user}` }).click();
  await finished(page, 1);
}

/** Sets a Configuration-tab text field by its name attribute. */
export async function setConfig(page, name, value) {
  await page.getByRole('tab', { name: 'Configuration' }).click();
  await page.locator(`[name="${name}"]`).fill(value);
  await page.getByRole('tab', { name: 'Flow Steps' }).click();
}

/** The cURL text of a step with secrets revealed. */
export async function revealedCurl(page, n) {
  const card = step(page, n);
  await card.locator('.step-curl input[type=checkbox]').check();
  const text = await card.locator('.step-curl pre').last().innerText();
  await card.locator('.step-curl input[type=checkbox]').uncheck();
  return text;
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
