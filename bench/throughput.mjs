// The demo tenant's token throughput (scripts/bench throughput): tokens per second for three
// grants under wrk with 50 keep-alive connections, beside what `openssl speed` signs with RSA
// 2048 on the same cores. Prints a Markdown section (bench/run.mjs puts it in
// bench/results.md). Alone: `node bench/throughput.mjs [tenant binary]` prints it only.
//
// Single-use inputs (client assertions, ID-JAGs) are made before each run, one per request,
// and each is sent once: the tenant's jti store is measured as it works. Its bound on used
// ids is raised (a --config with [limits]) so that every pre-made request fits.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, createHash, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TENANT_BIN = 'target/native/demo-tenant';

const DURATION = 10; // seconds per measured run
const WARM_UP = 3; // seconds of client credentials first (their CPU time sizes the single-use runs)
const CONNECTIONS = 50;
// Single-use requests made per run: MARGIN times DURATION times the most tokens per second the
// tenant could answer with every core to itself, from its CPU time per client-credentials token
// in the warm-up (the cheapest grant): the runs cannot outpace it, even if the machine gets quieter.
const MARGIN = 1.2;

const AGENT = 'wlp-demo-ai-agent';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const USED_IDS = 1_000_000;

// The tenant before the native profile and aws-lc-rs, measured once with this script:
// per grant [tokens/s, openssl signs/s beside it, tenant CPU ms per token].
const BEFORE = { commit: '71a4b38', date: '2026-12-06', load: 1.97, cc: [1169, 5292, 1.69], tx: [788, 6787, 2.52], bearer: [766, 6392, 2.59] };

const n = (x) => Math.round(x).toLocaleString('en');
const ms = (us) => `${(us / 1000).toFixed(1)} ms`;
const pct = (x) => `${(x * 100).toFixed(0)}%`;

/** `openssl speed -multi <cores> rsa2048`: RSA 2048 signs per second, all cores. */
function opensslSigns(cores) {
  const out = execFileSync('openssl', ['speed', '-multi', String(cores), 'rsa2048'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = /^rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)\s*$/m.exec(out);
  if (!m) throw new Error(`cannot read openssl speed's output:\n${out}`);
  return Number(m[1]);
}

export async function benchThroughput(ROOT, { bin = join(ROOT, TENANT_BIN) } = {}) {
  const cores = cpus().length;
  const threads = Math.min(cores, 2);
  const load = loadavg()[0];
  const PORT = 9484;
  const BASE = `http://127.0.0.1:${PORT}`;
  const dir = mkdtempSync(join(tmpdir(), 'atp-throughput-'));
  const lua = join(ROOT, 'bench/wrk-bodies.lua');
  const version = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  const wrkVersion = /^wrk \S+/m.exec(`${version.stdout}${version.stderr}`)?.[0] ?? 'wrk';
  const openssl = execFileSync('openssl', ['version'], { encoding: 'utf8' }).split(' ').slice(0, 2).join(' ');

  writeFileSync(join(dir, 'limits.toml'), `[limits]\ncodes = 10000\nused_ids = ${USED_IDS}\nrevoked = 50000\nrefresh_tokens = 10000\n`);
  const tenant = spawn(bin, ['--port', String(PORT), '--config', join(dir, 'limits.toml')], { stdio: 'ignore' });
  const stop = () => tenant.kill();
  process.on('exit', stop);
  try {
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${BASE}/.well-known/openid-configuration`)).ok) break; } catch { /* starting */ }
      if (i > 600) throw new Error(`${bin} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const form = (o) => new URLSearchParams(o).toString();
    const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });

    // The tenant's CPU time (user + system), in seconds.
    const tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    const cpu = () => {
      const f = readFileSync(`/proc/${tenant.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / tick;
    };

    /** Writes request bodies to a file, one per line, for wrk. */
    let files = 0;
    const bodies = (list) => {
      const file = join(dir, `bodies-${++files}.txt`);
      writeFileSync(file, `${list.join('\n')}\n`);
      return file;
    };

    /** One wrk run against `url` with the bodies of `file`; `once`: never a body twice. */
    const wrk = (url, file, mode, seconds = DURATION) => {
      const args = ['-t', String(threads), '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--timeout', '10s', '-s', lua, url, '--', file, String(threads), mode];
      const cpu0 = cpu();
      const out = execFileSync('wrk', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
      const cpuUsed = cpu() - cpu0;
      const line = /^WRK_RESULT (.*)$/m.exec(out);
      if (!line) throw new Error(`no WRK_RESULT in wrk's output:\n${out}`);
      const r = JSON.parse(line[1]);
      r.rps = r.requests / (r.duration_us / 1e6);
      r.cpu_ms = (cpuUsed * 1000) / r.requests;
      r.failed = r.non200 + r.exhausted + r.connect + r.read + r.write + r.timeout;
      console.error(`[throughput] ${url}: ${JSON.stringify(r)}`);
      return r;
    };

    // The agent's client assertions (ES256, as the app signs them), each with its own jti.
    const jwk = JSON.parse(readFileSync(join(ROOT, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8'));
    const key = createPrivateKey({ key: jwk, format: 'jwk' });
    const b64 = (x) => Buffer.from(x).toString('base64url');
    const head = b64(JSON.stringify({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' }));
    let serial = 0;
    const assertion = (aud) => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: AGENT, sub: AGENT, aud, iat: now, exp: now + 900, jti: `tp-${++serial}-${b64(randomBytes(6))}` };
      const input = `${head}.${b64(JSON.stringify(claims))}`;
      return `${input}.${b64(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`;
    };

    // Alice's ID token (the subject of the ID-JAG exchange; it may be presented many times).
    const verifier = b64(randomBytes(32));
    const q = form({ client_id: '0oa-demo-agentic-app', response_type: 'code', scope: 'openid profile', redirect_uri: 'http://127.0.0.1:8080/', state: 's', nonce: 'n', code_challenge: b64(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256' });
    const auth = await post(`${BASE}/oauth2/v1/authorize?${q}`, `${q}&user=00u-alice`);
    const code = new URL(auth.headers.get('location') || 'x:/').searchParams.get('code');
    const signedIn = await (await post(`${BASE}/oauth2/v1/token`, form({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:8080/', code_verifier: verifier, client_id: '0oa-demo-agentic-app' }))).json();
    if (!signedIn.id_token) throw new Error(`no ID token: ${JSON.stringify(signedIn)}`);

    // Client credentials: the PingOne realm's autonomous agent, client_secret_post (reusable).
    const ccUrl = `${BASE}/am/oauth2/realms/root/realms/alpha/access_token`;
    const ccFile = bodies([form({ grant_type: 'client_credentials', scope: 'monitor-system', client_id: 'bot-traffic-analyzer', client_secret: 'demo-agent-secret' })]);
    const warm = wrk(ccUrl, ccFile, 'cycle', WARM_UP);
    const count = Math.ceil(Math.max(warm.rps, (cores * 1000) / warm.cpu_ms) * DURATION * MARGIN);

    // Token exchange for an ID-JAG at the org server: the agent's assertion (ES256, once)
    // and Alice's ID token (RS256), verified; an ID-JAG signed (RS256).
    const orgToken = `${BASE}/oauth2/v1/token`;
    const exchange = () => form({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token', subject_token: signedIn.id_token,
      audience: `${BASE}/oauth2/files`, scope: 'files.read', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion(orgToken),
    });
    const txFile = bodies(Array.from({ length: count }, exchange));

    // JWT bearer at the files server: a fresh ID-JAG for each request (obtained now, with Node
    // at concurrency 50; they live 300 s) and the agent's assertion; both verified, used once.
    const idJags = [];
    let next = 0;
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (next < count) {
        next++;
        // A pooled connection that the tenant closed while it sat idle is retried once.
        const r = await post(orgToken, exchange()).catch(() => post(orgToken, exchange()));
        if (r.status !== 200) throw new Error(`ID-JAG exchange answered ${r.status}: ${await r.text()}`);
        idJags.push((await r.json()).access_token);
      }
    }));
    const filesToken = `${BASE}/oauth2/files/v1/token`;
    const bearerFile = bodies(idJags.map((jag) => form({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jag,
      client_assertion_type: ASSERTION_TYPE, client_assertion: assertion(filesToken),
    })));
    idJags.length = 0;

    // openssl before and after each run: each ratio is to the runs beside it.
    const signs = [opensslSigns(cores)];
    const cc = wrk(ccUrl, ccFile, 'cycle');
    signs.push(opensslSigns(cores));
    const tx = wrk(orgToken, txFile, 'once');
    signs.push(opensslSigns(cores));
    const bearer = wrk(filesToken, bearerFile, 'once');
    signs.push(opensslSigns(cores));
    stop();
    cc.signs = (signs[0] + signs[1]) / 2;
    tx.signs = (signs[1] + signs[2]) / 2;
    bearer.signs = (signs[2] + signs[3]) / 2;

    const failed = [['client credentials', cc], ['token exchange', tx], ['JWT bearer', bearer]].filter(([, r]) => r.failed);
    if (failed.length) {
      throw new Error(`not every request got 200: ${failed.map(([name, r]) => `${name}: ${JSON.stringify(r)}`).join('; ')}`);
    }
    const row = (name, path, r, target) => `| ${name} | \`${path}\` | ${n(r.requests)} | ${ms(r.p50_us)} | ${ms(r.p99_us)} | ${r.non200} | **${n(r.rps)}/s** | ${n(r.signs)}/s | **${pct(r.rps / r.signs)}** (target ${pct(target)}) | ${r.cpu_ms.toFixed(2)} ms |`;
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const b = BEFORE;
    return `## Demo tenant: token throughput

Written by \`scripts/bench throughput\` (also run by \`scripts/bench\`) on ${new Date().toISOString().slice(0, 10)} at commit \`${commit}\`: the demo tenant
built with \`cargo build --profile native -p demo-tenant\` (opt-level 3, thin LTO; aws-lc-rs signs and verifies) on
loopback, ${cores} cores shared with the load tool (load average ${load.toFixed(2)} when the phase started). Load: ${wrkVersion},
\`wrk -t${threads} -c${CONNECTIONS} -d${DURATION}s --timeout 10s -s bench/wrk-bodies.lua <token endpoint> -- <bodies file> ${threads} <cycle|once>\`:
${CONNECTIONS} keep-alive connections, ${DURATION} s per grant, after a ${WARM_UP} s warm-up with client credentials. Each single-use request
(client assertion, ID-JAG) was made before the runs and sent once (${n(count)} made per grant); the tenant's bound on used
ids was raised to ${n(USED_IDS)} (\`--config\` with \`[limits]\`) so that they all fit, and each id was still recorded
and checked. Every request counted answered 200: wrk's socket errors, any other status and running out of pre-made
requests all fail the phase. \`openssl speed -multi ${cores} rsa2048\` (${openssl}) ran before, between and after the runs
(${signs.map(n).join(', ')} RSA 2048 signs/s); each grant is compared with the mean of the two beside it.

| grant | endpoint | requests | p50 | p99 | not 200 | tokens/s | openssl signs/s | ratio | tenant CPU per token |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
${row('client credentials (PingOne realm, client_secret_post; RS256 token signed)', '/am/oauth2/realms/root/realms/alpha/access_token', cc, 0.5)}
${row('token exchange for an ID-JAG (ES256 client assertion and RS256 ID token verified; ID-JAG signed)', '/oauth2/v1/token', tx, 0.4)}
${row('JWT bearer with the ID-JAG (ES256 client assertion and RS256 ID-JAG verified, both used once; token signed)', '/oauth2/files/v1/token', bearer, 0.4)}

The machine is shared with other work, so every figure moves between runs and minutes (openssl's too: it divides by
its processes' CPU time, wrk by the wall clock). The tenant's CPU time per token (user + system, from /proc) moves
least, and is what compares one build of the tenant with another.

Before (commit \`${b.commit}\`: the release profile's opt-level "z" and RustCrypto's \`rsa\` and \`p256\`), measured with this
script on ${b.date} (load average ${b.load.toFixed(2)}):

| grant | tokens/s | openssl signs/s | ratio | tenant CPU per token |
|---|---:|---:|---:|---:|
${[['client credentials', b.cc], ['token exchange for an ID-JAG', b.tx], ['JWT bearer with the ID-JAG', b.bearer]]
  .map(([name, [rps, signs, cpuMs]]) => `| ${name} | ${n(rps)}/s | ${n(signs)}/s | ${pct(rps / signs)} | ${cpuMs.toFixed(2)} ms |`).join('\n')}

The issue reported 1,075 client-credentials tokens/s beside 7,800 openssl signs/s (14%).
`;
  } finally {
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: print the section.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  console.log(await benchThroughput(ROOT, process.argv[2] ? { bin: resolve(process.argv[2]) } : {}));
}
