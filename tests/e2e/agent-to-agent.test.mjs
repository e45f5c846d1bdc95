// Agent-to-agent (seed 001): the client's own token for agent 1 (or the user's ID token),
// agent 1's ID-JAG and token for agent 2, agent 2's ID-JAG and token for the API; every hop
// named in the act chain. Plus the key mix-up regression: a key pasted for one agent is the
// key that flow's summary, JWKS and signed request use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, param, screenshot, send, setConfig, signIn, startTenant, step, summary, tab, unexpected, view } from './harness.mjs';

let tenant;
before(async () => { tenant = await startTenant({ port: 9438, appPort: 8138 }); });
after(async () => { await tenant?.stop(); });

/** The flow's steps, the subject token being the client's own (the default). */
const A2A = ['client_token', 'agent1_exchange', 'agent1_bearer', 'invoke_agent2', 'agent2_exchange', 'agent2_bearer', 'api'];

test("the documented chain: the client's token, two ID-JAGs, and the whole act chain at the API", async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/agent-to-agent`);
    await page.getByRole('heading', { level: 1, name: 'Agent-to-Agent Token Exchange' }).waitFor();
    for (const id of A2A) assert.equal(await send(page, id), 'done', await summary(page, id));
    assert.match(await summary(page, 'client_token'), /own token for http:\/\/127\.0\.0\.1:9438\/agents\/agent1/);
    assert.match(await (await tab(page, 'agent1_exchange', 'Request')).locator('pre').last().innerText(), /subject_token_type=urn:ietf:params:oauth:token-type:access_token/);
    const jag = JSON.parse(await (await tab(page, 'agent1_exchange', 'Tokens')).locator('pre.claims').innerText());
    assert.equal(jag.sub, '0oa-demo-orchestrator');
    assert.equal(jag.aud, `${tenant.org}/oauth2/agents`);
    assert.match(await summary(page, 'invoke_agent2'), /wlp-demo-ai-agent is acting on behalf of 0oa-demo-orchestrator/);
    assert.match(await summary(page, 'api'), /wlp-demo-research-agent is acting for wlp-demo-ai-agent on behalf of 0oa-demo-orchestrator/);
    const t5 = JSON.parse(await (await tab(page, 'agent2_bearer', 'Tokens')).locator('pre.claims').innerText());
    assert.equal(t5.sub, '0oa-demo-orchestrator', 'the subject stays the initiating client');
    assert.equal(t5.act.sub, 'wlp-demo-research-agent');
    assert.equal(t5.act.act.sub, 'wlp-demo-ai-agent', 'every hop is in the act chain');
    assert.equal(await page.locator('.finding.error').count(), 0);
    await screenshot(page, 'agent-to-agent-done');
    assert.deepEqual(unexpected(b.errors), []);
  } finally {
    await b.close();
  }
});

test("with the user's ID token instead; a scope outside the policy is refused", async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/agent-to-agent`);
    await page.getByRole('heading', { level: 1, name: 'Agent-to-Agent Token Exchange' }).waitFor();
    await (await param(page, 'agent1_exchange', 'origin')).selectOption('user');
    assert.equal(await step(page, 'signin').locator('button.send').innerText(), 'Sign in');
    await signIn(page);
    assert.equal(new URL(page.url()).hash, '#/agent-to-agent');
    assert.equal(await send(page, 'agent1_exchange'), 'done', await summary(page, 'agent1_exchange'));
    assert.equal(JSON.parse(await (await tab(page, 'agent1_exchange', 'Tokens')).locator('pre.claims').innerText()).sub, '00u-alice');
    await (await param(page, 'agent1_exchange', 'a1_scope')).fill('chat.admin');
    assert.equal(await send(page, 'agent1_exchange'), 'failed');
    assert.match(await summary(page, 'agent1_exchange'), /HTTP 400 invalid_scope\)/);
    assert.deepEqual(unexpected(b.errors, ['status of 400']), []);
  } finally {
    await b.close();
  }
});

test("a key generated for agent 2 is the one its summary, JWKS and assertion use, not agent 1's", async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/agent-to-agent`);
    await view(page, 'Configuration');
    const agent1 = page.locator('[id$="-agent1_idp-key-summary"]');
    const agent2 = page.locator('[id$="-agent2_idp-key-summary"]');
    const kid1 = await agent1.innerText();
    assert.notEqual(kid1, await agent2.innerText(), 'the two agents have their own demo keys');
    const fieldset = page.locator('fieldset.client', { has: agent2 });
    const old = [await agent2.getAttribute('id'), await agent2.innerText()];
    await fieldset.getByRole('button', { name: 'Generate ES256 key' }).click();
    await page.waitForFunction(([id, before]) => document.getElementById(id)?.innerText !== before, old);
    const kid2 = (await agent2.innerText()).match(/kid (\S+)/)[1];
    assert.equal(await agent1.innerText(), kid1, "agent 1's key is untouched");
    assert.match(await fieldset.locator('figure.jwks pre').innerText(), new RegExp(`"kid": "${kid2}"`));
    await view(page, 'Flow Steps');
    for (const id of ['client_token', 'agent1_exchange', 'agent1_bearer', 'invoke_agent2']) await send(page, id);
    // Agent 2's exchange is signed with the new key, which the tenant does not know.
    assert.equal(await send(page, 'agent2_exchange'), 'failed');
    assert.match(await summary(page, 'agent2_exchange'), /invalid_client/);
    const sent = (await tenant.recorded()).filter((r) => r.path === '/oauth2/v1/token').at(-1);
    const assertion = sent.form.find(([k]) => k === 'client_assertion')[1];
    const header = JSON.parse(Buffer.from(assertion.split('.')[0], 'base64url').toString());
    assert.equal(header.kid, kid2);
    // The headline flow's agent keeps its own key.
    await page.goto(`${tenant.app}#/agentic`);
    await view(page, 'Configuration');
    assert.doesNotMatch(await page.locator('[id$="-agent_idp-key-summary"]').innerText(), new RegExp(kid2));
    assert.deepEqual(unexpected(b.errors, ['status of 401']), []);
  } finally {
    await b.close();
  }
});

test('the API step: an MCP POST answered as an event stream, a method the API does not offer, an answer it cannot read', async () => {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${tenant.app}#/agent-to-agent`);
    await page.getByRole('heading', { level: 1, name: 'Agent-to-Agent Token Exchange' }).waitFor();
    for (const id of A2A.filter((id) => id !== 'api')) assert.equal(await send(page, id), 'done', await summary(page, id));
    await (await param(page, 'api', 'api_method')).selectOption('POST');
    await (await param(page, 'api', 'api_body')).fill('{"jsonrpc":"2.0","method":"initialize","id":1}');
    // A JSON POST asks for JSON or an event stream, as MCP servers expect; the cURL says so.
    assert.match(await (await tab(page, 'api', 'Request')).locator('pre').last().innerText(), /--header 'Accept: application\/json, text\/event-stream'/);
    assert.equal(await send(page, 'api'), 'done', await summary(page, 'api'));
    assert.match(await summary(page, 'api'), /event stream \(text\/event-stream\): 1 event\./);
    const events = JSON.parse(await (await tab(page, 'api', 'Result')).locator('.body pre').innerText());
    assert.equal(events.events[0].data.jsonrpc, '2.0');
    assert.equal(events.events[0].data.result.method, 'POST');
    // A method the chat API does not offer: 405, and the methods it does.
    await (await param(page, 'api', 'api_method')).selectOption('PUT');
    await (await param(page, 'api', 'api_body')).fill('');
    assert.equal(await send(page, 'api'), 'failed');
    assert.equal(await summary(page, 'api'), 'HTTP 405: the API does not answer PUT; it answers GET, POST, DELETE.');
    // Accept: text/plain typed by the user replaces the default; the tenant still answers
    // JSON, and an answer that is not JSON is shown as it came (here: an HTML page).
    await (await param(page, 'api', 'api_method')).selectOption('GET');
    await (await param(page, 'api', 'api_headers')).fill('Accept: text/html');
    const curl = await (await tab(page, 'api', 'Request')).locator('pre').last().innerText();
    assert.equal((curl.match(/Accept:/g) || []).length, 1, curl);
    assert.match(curl, /--header 'Accept: text\/html'/);
    // An answer that is neither JSON nor an event stream (here the app's own boot.js) is
    // shown as it came, with its content type and what was received.
    await setConfig(page, 'api', `${tenant.app}boot.js`);
    assert.equal(await send(page, 'api'), 'done', await summary(page, 'api'));
    assert.match(await summary(page, 'api'), /^The API answered HTTP 200 with text\/javascript.* \(\d+ bytes\), shown as it came\.$/);
    const result = await tab(page, 'api', 'Result');
    assert.match(await result.locator('.body.raw pre').innerText(), /wasm_bindgen|import/);
    assert.match(await result.locator('.diagnosis').innerText(), /the API sent text\/javascript/);
    assert.deepEqual(unexpected(b.errors, ['status of 405']), []);
  } finally {
    await b.close();
  }
});
