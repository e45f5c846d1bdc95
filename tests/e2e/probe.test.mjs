// The probe in the page, against the local demo tenant: "Probe this server" says where it
// sends wrong requests before it starts, runs the battery with its sign-ins in pop-ups, and
// the Probe tab shows one row per case (every MUST passes against the tenant), each with its
// requests in a masked log; the JSON report carries no secret; the tab is usable at 360 px,
// by keyboard, with no axe violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axe, openBrowser, startStatic, startTenant, unexpected } from './harness.mjs';

let tenant;
let site;
before(async () => {
  tenant = await startTenant({ port: 9449, appPort: 8151 });
  site = await startStatic({ port: 8152, path: 'tools/atp' });
});
after(async () => { await tenant?.stop(); await site?.stop(); });

/** Signs in as Alice in every sign-in window the probe opens (the tenant's page asks each
 *  time; a window with the tenant's error page is left alone). */
function signInWhenAsked(page) {
  page.on('popup', async (popup) => {
    try {
      await popup.getByRole('button', { name: 'Sign in as Alice Example' }).click({ timeout: 4000 });
    } catch { /* an error page, or a window that answered at once */ }
  });
}

test('probing the demo tenant: every MUST case passes, rows open their logs, the report downloads without secrets', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    signInWhenAsked(page);
    await page.goto(tenant.app);
    const button = page.getByRole('button', { name: 'Probe this server' });
    // Said before it starts: the servers it sends wrong requests to, and the sign-ins.
    const scope = page.locator('.probe-bar p');
    await scope.waitFor();
    assert.match(await scope.innerText(), new RegExp(`^Tries the refusals the specs require, with deliberately wrong requests, against: identity provider \\(${tenant.org}\\), resource authorization server \\(${tenant.org}/oauth2/files\\), resource API \\(${tenant.org}/api/files/documents\\)\\.`));
    assert.match(await scope.innerText(), /opens the sign-in page 7 times/);
    // Nothing was sent before the button was pressed.
    assert.equal((await tenant.recorded()).length, 0);
    await button.click();
    assert.equal(await page.getByRole('tab', { name: 'Probe', exact: true }).getAttribute('aria-selected'), 'true');
    const summary = page.locator('.probe-summary');
    await page.waitForFunction(() => /cases:/.test(document.querySelector('.probe-summary')?.textContent || ''), null, { timeout: 180000 });
    assert.match(await summary.innerText(), /^24 cases: 23 pass, 1 info\. Every MUST case passed \(19\)\.$/);
    const rows = page.locator('tr.probe-row');
    assert.equal(await rows.count(), 24);
    const verdicts = await rows.evaluateAll((trs) => trs.map((tr) => `${tr.dataset.caseId}=${tr.dataset.verdict}`));
    assert.deepEqual(verdicts.filter((v) => !/=(pass|info)$/.test(v)), []);
    assert.ok(verdicts.includes('jb.idjag_other_client=pass') && verdicts.includes('jb.idjag_other_audience=pass'), verdicts.join(' '));
    // A row: its section linked, what was expected and what came back; its log masked.
    const reuse = page.locator('tr[data-case-id="code.reuse"]');
    assert.equal(await reuse.getByRole('link', { name: 'RFC 6749 §4.1.2' }).getAttribute('href'), 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2');
    assert.match(await reuse.locator('td.got').innerText(), /^400 invalid_grant$/);
    const tampered = page.locator('tr[data-case-id="jb.idjag_tampered"]');
    assert.match(await tampered.innerText(), /sub claim changed, header and signature kept/);
    await tampered.locator('details.probe-log > summary').click();
    const log = await tampered.locator('.log').innerText();
    assert.match(log, /POST .*\/oauth2\/files\/v1\/token/);
    assert.doesNotMatch(log, /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/, 'a token shown whole in the log');
    // The report, as JSON: the contract's fields, no token with its signature, no key.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download report (JSON)' }).click(),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    const report = JSON.parse(text);
    assert.equal(report.flow, 'agentic');
    assert.equal(report.servers.idp, tenant.org);
    assert.ok(report.started);
    assert.equal(report.cases.length, 24);
    for (const c of report.cases) {
      for (const k of ['id', 'title', 'spec', 'level', 'expected', 'got', 'verdict', 'note']) assert.ok(k in c, `${c.id}: ${k}`);
      assert.ok('status' in c.got && 'error' in c.got);
    }
    assert.equal(report.cases.find((c) => c.id === 'te.subject_tampered').spec, 'RFC 8693 §2.1, RFC 8693 §2.2.2, ID-JAG draft -03 §4.3.4.3');
    assert.doesNotMatch(text, /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/, 'a usable token in the report');
    assert.doesNotMatch(text, /"d":\s*"/, 'a private key in the report');
    assert.deepEqual(unexpected(b.errors, ['status of 400', 'status of 401', 'status of 403', 'status of 405']), []);
  } finally {
    await b.close();
  }
});

test('the Probe tab at 360 px: no sideways scroll, rows reachable by keyboard, no axe violation', async () => {
  const b = await openBrowser({ width: 360, height: 800 });
  try {
    const { page } = b;
    signInWhenAsked(page);
    await page.goto(`${tenant.app}#/obo`);
    await page.getByRole('heading', { level: 1, name: /On-Behalf-Of/ }).waitFor();
    // Before a probe: the tab says what it will try and what does not apply.
    await page.getByRole('tab', { name: 'Probe', exact: true }).click();
    await page.getByText('No probe has run for this flow yet').waitFor();
    assert.match(await page.locator('.probe-na summary').innerText(), /do not apply/);
    await page.getByRole('button', { name: 'Probe this server' }).click();
    await page.waitForFunction(() => /cases:/.test(document.querySelector('.probe-summary')?.textContent || ''), null, { timeout: 180000 });
    assert.match(await page.locator('.probe-summary').innerText(), /Every MUST case passed/);
    await page.locator('tr[data-case-id="api.insufficient_scope"] details.probe-log > summary').click();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
    assert.deepEqual(await axe(page), []);
    // Every row's log is reachable with Tab.
    const summaries = page.locator('tr.probe-row details.probe-log > summary');
    await summaries.first().focus();
    let reached = 1;
    for (let i = 0; i < 400 && reached < await summaries.count(); i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.matches('tr.probe-row details.probe-log > summary'))) reached++;
    }
    assert.equal(reached, await summaries.count());
  } finally {
    await b.close();
  }
});

test('probing the built-in demo (the tenant in a service worker): every MUST case passes there too', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    signInWhenAsked(page);
    await page.goto(`${site.app}#/agent-to-agent`);
    await page.getByRole('heading', { level: 1, name: 'Agent-to-Agent Token Exchange' }).waitFor();
    const scope = page.locator('.probe-bar p');
    await scope.waitFor();
    assert.match(await scope.innerText(), new RegExp(`against: .*\\(${site.app}demo-tenant/oauth2/agents\\)`));
    await page.getByRole('button', { name: 'Probe this server' }).click();
    await page.waitForFunction(() => /cases:/.test(document.querySelector('.probe-summary')?.textContent || ''), null, { timeout: 180000 });
    assert.match(await page.locator('.probe-summary').innerText(), /Every MUST case passed/);
    const verdicts = await page.locator('tr.probe-row').evaluateAll((trs) => trs.map((tr) => `${tr.dataset.caseId}=${tr.dataset.verdict}`));
    assert.deepEqual(verdicts.filter((v) => !/=(pass|info)$/.test(v)), []);
    assert.ok(verdicts.includes('api.insufficient_scope=pass'), verdicts.join(' '));
    assert.deepEqual(unexpected(b.errors, ['status of 400', 'status of 401', 'status of 403', 'status of 405']), []);
  } finally {
    await b.close();
  }
});
