// Keyboard only: the headline flow completes without a mouse; after each Send, focus is on
// that step's result and the result is announced; the next step's action is a few Tab
// presses away; the page tabs follow the WAI-ARIA pattern (arrow keys, Home, End).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, startTenant, step, stepAt, unexpected } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9443, appPort: 8143 }); });
after(async () => { await tenant?.stop(); });

/** Presses Tab until `target` has focus; returns how many presses it took. */
async function tabTo(page, target, max = 40) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return i;
  }
  throw new Error(`not reached in ${max} Tab presses; focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`);
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id);

test('the headline flow with the keyboard alone', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    await step(page, 'signin').waitFor();
    // The skip link comes first.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the flow');
    // Page tabs: arrow keys move between them.
    const steps = page.getByRole('tab', { name: 'Flow Steps', exact: true });
    const config = page.getByRole('tab', { name: 'Configuration', exact: true });
    await tabTo(page, steps);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await config.getAttribute('aria-selected'), 'true');
    assert.ok(await config.evaluate((el) => el === document.activeElement));
    await page.keyboard.press('End');
    assert.equal(await page.getByRole('tab', { name: 'Probe', exact: true }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await steps.getAttribute('aria-selected'), 'true');

    // Step 1: sign in, in the pop-up, by keyboard.
    const presses = await tabTo(page, step(page, 'signin').locator('button.send'));
    assert.ok(presses <= 6, `step 1's action is ${presses} Tab presses from the tabs`);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('Enter')]);
    const alice = popup.getByRole('button', { name: 'Sign in as Alice Example' });
    await alice.waitFor();
    await popup.keyboard.press('Tab');
    while (!(await alice.evaluate((el) => el === document.activeElement))) await popup.keyboard.press('Tab');
    await popup.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('article.step[data-step-id="signin"]').dataset.runs === '1');
    const id1 = await step(page, 'signin').getAttribute('id');
    await page.waitForFunction((id) => document.activeElement?.id === `${id}-result`, id1);

    // From each step's result to the next card on the page, whichever step that is: by place.
    for (let n = 2; n <= 8; n++) {
      const presses = await tabTo(page, stepAt(page, n).locator('button.send'));
      assert.ok(presses <= 25, `step ${n}'s action is ${presses} Tab presses from step ${n - 1}'s result`);
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => document.querySelector(`article.step[data-step="${n}"]`).dataset.runs === '1', n);
      assert.equal(await stepAt(page, n).getAttribute('data-status'), 'done');
      const id = await stepAt(page, n).getAttribute('id');
      await page.waitForFunction((id) => document.activeElement?.id === `${id}-result`, id);
      assert.equal(await focusedId(page), `${id}-result`);
      // Announced in the live region.
      assert.match(await page.locator('[aria-live]').last().innerText(), new RegExp(`Step ${n}: `));
    }
    assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
  } finally {
    await b.close();
  }
});

test('a card\'s tab list moves from the focused tab, not from the selected one', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(tenant.app);
    const card = page.locator('article.step[data-step-id="signin"]');
    const tabNamed = (name) => card.getByRole('tab', { name, exact: true });
    assert.equal(await tabNamed('Request').getAttribute('aria-selected'), 'true');
    // A screen reader's cursor (or a script) can put focus on a tab that is not selected.
    await tabNamed('Tokens').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await tabNamed('Checks').getAttribute('aria-selected'), 'true');
    assert.ok(await tabNamed('Checks').evaluate((el) => el === document.activeElement));
    await tabNamed('Result').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await tabNamed('Request').getAttribute('aria-selected'), 'true');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});
