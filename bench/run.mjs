// scripts/bench: the app beside a Leptos hello world (bytes, time to interactive, step
// overhead), the demo tenant under load and its token throughput; writes bench/results.md
// with the byte budget's history from bench/budget.json. `throughput` alone rewrites only
// its own section and leaves the rest of the file as it is.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchApp } from './app.mjs';
import { benchTenant } from './tenant.mjs';
import { benchThroughput } from './throughput.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const budget = JSON.parse(readFileSync(join(ROOT, 'bench/budget.json'), 'utf8'));
const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
const only = process.argv[2];

// A partial run keeps the other part's section from the last results.
const previous = (() => { try { return readFileSync(join(ROOT, 'bench/results.md'), 'utf8'); } catch { return ''; } })();
const kept = (from, to) => {
  const start = previous.indexOf(from);
  if (start < 0) return '';
  const end = to ? previous.indexOf(to, start) : previous.length;
  return previous.slice(start, end < 0 ? previous.length : end);
};
const THROUGHPUT = '## Demo tenant: token throughput';
if (only === 'throughput') {
  // Only this section changes; a file without it gets it at the end.
  const section = await benchThroughput(ROOT);
  const start = previous.indexOf(THROUGHPUT);
  const next = start < 0 ? -1 : previous.indexOf('\n## ', start + THROUGHPUT.length);
  const out = start < 0
    ? `${previous.trimEnd()}\n\n${section}`
    : `${previous.slice(0, start)}${section}${next < 0 ? '' : `\n${previous.slice(next + 1)}`}`;
  writeFileSync(join(ROOT, 'bench/results.md'), out);
  console.log(section);
  process.exit(0);
}
const app = only === 'tenant' ? kept('## Bundle', '## Byte budget') : await benchApp(ROOT);
const tenant = only === 'app' ? kept('## Demo tenant: bounded', THROUGHPUT) : await benchTenant(ROOT);
const throughput = only ? kept(THROUGHPUT, null) : await benchThroughput(ROOT);
const b = (n) => `${n.toLocaleString('en')} B`;
const out = `# Benchmark results

Written by \`scripts/bench\` on ${new Date().toISOString().slice(0, 10)} at commit \`${commit}\`: release builds (\`opt-level = "z"\`,
LTO, \`wasm-opt -Oz\` from binaryen 132), headless Chromium, served by the demo tenant (native profile: opt-level 3,
thin LTO) on loopback with precompressed assets, a machine with ${cpus().length} cores. Timings are from this machine and
vary between runs; the ratios to the hello world built and measured in the same run are what compares.

${app}
## Byte budget

\`bench/budget.json\`, checked by \`tests/e2e/bundle-budget.test.mjs\` in \`./test\`: first load at most
**${b(budget.first_load_gzip)} gzip** and **${b(budget.first_load_brotli)} brotli**; the built-in demo's worker at most
**${b(budget.worker_gzip)} gzip**; all the app's wasm together (main module and chunks) at most **${b(budget.all_wasm_gzip)} gzip**; each group of chunks at most: ${Object.entries(budget.chunks_gzip).map(([k, v]) => `${k} **${b(v)}**`).join(', ')} (gzip). Every change of the budget, with its reason:

| date | first load (gzip) | reason |
|---|---:|---|
${budget.history.map((h) => `| ${h.date} | ${b(h.first_load_gzip)} | ${h.reason} |`).join('\n')}

${tenant.trimEnd()}
${throughput ? `\n${throughput.trimEnd()}\n` : ''}`;
writeFileSync(join(ROOT, 'bench/results.md'), out);
console.log(out);
