// Accessibility and layout: axe-core finds no violation of any impact on any page (each flow's
// Configuration, Probe before a probe (tests/e2e/probe.test.mjs checks a report) and Flow Steps,
// before and after a run, a failure's diagnosis, the demo tenant's sign-in page), in light and
// dark, at 1280 and 360 px, every tab of every card after a run; nothing scrolls sideways at
// 360 px; screenshots of each flow, desktop and mobile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, openBrowser, openCard, runSteps, screenshot, send, setConfig, startTenant, step, stepCount, stepIds, tab, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9442, appPort: 8142 }); });
after(async () => { await tenant?.stop(); });

const FLOWS = [['agentic', 8], ['agent-to-agent', 7], ['obo', 7], ['autonomous', 4]];
const CARD_TABS = ['Request', 'Result', 'Tokens', 'Checks', 'Log'];

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1280, 360]) {
    test(`axe-core: no violation on any page, ${colorScheme}, ${width} px`, async () => {
      const b = await openBrowser({ width, height: 900, colorScheme });
      try {
        const { page } = b;
        const found = [];
        const check = async (where) => { for (const v of await axe(page)) found.push(`${where}: ${v}`); };
        for (const [flow, count] of FLOWS) {
          await page.goto(`${tenant.app}#/${flow}`);
          await page.reload();
          assert.equal(await stepCount(page), count, `${flow}: every card is built before axe runs`);
          await check(`${flow} steps, before a run`);
          await view(page, 'Configuration');
          await check(`${flow} configuration`);
          await view(page, 'Probe');
          await page.getByText('No probe has run for this flow yet').waitFor();
          await check(`${flow} probe, before a probe`);
          await view(page, 'Flow Steps');
          const ids = await stepIds(page);
          await runSteps(page, ids);
          // Every card shows the same tab, so one run of axe covers that tab of every card.
          for (const name of CARD_TABS) {
            for (const id of ids) await tab(page, id, name);
            await check(`${flow} steps, after a run, every card's ${name} tab`);
          }
          await screenshot(page, `${flow}-${colorScheme}-${width}`, false);
        }
        // A share link naming a new server: its consent panel; the share field once used.
        const shared = Buffer.from(JSON.stringify({ v: 1, servers: { idp: { issuer: 'https://idp.other.example', layout: 'discovery' } } })).toString('base64url');
        await page.goto(`${tenant.app}#/agentic?config=${shared}`);
        await page.locator('section.offer').waitFor();
        await check('a share link offer');
        await page.locator('section.offer').getByRole('button', { name: 'Keep my settings' }).click();
        await view(page, 'Configuration');
        await page.getByRole('button', { name: 'Copy a link to this configuration' }).click();
        await check('the share link field');
        await view(page, 'Flow Steps');
        // The export menu, and a run opened read-only.
        await page.getByText('Export or open a run').click();
        await check('the export menu');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as JSON' }).click()]);
        await page.locator('[name="open-run"]').setInputFiles(await download.path());
        await page.locator('section.imported').waitFor();
        await check('an imported run');
        await page.getByRole('button', { name: 'Close the imported run' }).click();
        // The demo tenant's sign-in page.
        await page.goto(`${tenant.app}`);
        await page.reload();
        const [popup] = await Promise.all([page.waitForEvent('popup'), step(page, 'signin').locator('button.send').click()]);
        await popup.getByRole('button', { name: 'Sign in as Alice Example' }).waitFor();
        for (const v of await axe(popup)) found.push(`tenant sign-in page: ${v}`);
        await popup.close();
        // A failure's diagnosis with the relay advice.
        await page.goto(tenant.app);
        await page.reload();
        await runSteps(page, ['signin']);
        await setConfig(page, 'idp', 'http://127.0.0.1:9');
        await send(page, 'exchange');
        await check('a failure diagnosis');
        assert.deepEqual(found, []);
      } finally {
        await b.close();
      }
    });
  }
}

test('nothing scrolls sideways at 360 px, on any page and card tab', async () => {
  const b = await openBrowser({ width: 360, height: 780 });
  try {
    const { page } = b;
    const wide = [];
    const measure = async (where) => {
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
      if (scroll > inner) wide.push(`${where}: ${scroll} px wide`);
    };
    for (const [flow, count] of FLOWS) {
      await page.goto(`${tenant.app}#/${flow}`);
      await page.reload();
      assert.equal(await stepCount(page), count);
      await measure(`${flow} steps`);
      await view(page, 'Configuration');
      // Flows with a private_key_jwt client: the pasted-key field open too.
      const pasteKey = page.getByText('Show / paste the private key').first();
      if (await pasteKey.count()) await pasteKey.click();
      await measure(`${flow} configuration`);
      await view(page, 'Flow Steps');
      const ids = await stepIds(page);
      await runSteps(page, ids);
      for (const id of ids) {
        await openCard(page, id);
        for (const name of CARD_TABS) {
          await tab(page, id, name);
          await measure(`${flow} step ${id} ${name}`);
        }
      }
    }
    assert.deepEqual(wide, []);
  } finally {
    await b.close();
  }
});
