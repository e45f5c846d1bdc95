// "Open it with trunk serve": nothing else running, the headline flow runs on the built-in
// demo (the default preset where no demo tenant served the page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, send, signIn, startTrunkServe, step, summary, unexpected, view } from './harness.mjs';

let served;
before(async () => { served = await startTrunkServe({ port: 8140 }); }, { timeout: 600000 });
after(async () => { await served?.stop(); });

test('trunk serve alone: the headline flow end to end on the built-in demo', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(served.app);
    await page.getByRole('heading', { level: 1, name: 'Agentic Token Exchange Flow' }).waitFor();
    await view(page, 'Configuration');
    assert.equal(await page.locator('[name="preset"]').first().inputValue(), 'builtin');
    await view(page, 'Flow Steps');
    await signIn(page);
    assert.equal(await step(page, 'signin').getAttribute('data-status'), 'done', await summary(page, 'signin'));
    for (const id of ['exchange', 'bearer', 'api', 'introspect', 'revoke', 'introspect_after', 'api_after']) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.match(await summary(page, 'api'), /wlp-demo-ai-agent is acting on behalf of Alice Example/);
    assert.equal(await page.locator('.finding.error').count(), 0);
    assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
  } finally {
    await b.close();
  }
});
