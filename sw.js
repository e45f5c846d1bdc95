// The built-in demo's service worker. It answers requests to the demo issuer below this
// page (./demo-tenant/...) with the demo tenant's core, compiled to wasm (demo-worker), and
// passes every other request through untouched. The page registers it at the first use of
// the built-in demo (never on load), as sw.js?v=<version of its files>.
//
// The browser stops an idle worker after about 30 s, so the tenant's state (its signing
// keys, codes, used jtis, revocations) lives in IndexedDB, read and written around each
// request; requests are answered one at a time so no update is lost.
const VERSION = new URL(self.location.href).searchParams.get('v') || 'dev';
const SCOPE = self.registration.scope; // this page's folder, ending with '/'
const BASE = new URL('demo-tenant', SCOPE).href;
const BASE_PATH = new URL(BASE).pathname;

// Handlers must be added during the script's first, synchronous run.
importScripts(`./demo-worker.js?v=${VERSION}`);
let ready = null;
const init = () => (ready ??= wasm_bindgen({ module_or_path: `./demo-worker_bg.wasm?v=${VERSION}` }));

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  if (event.data === 'atp-reset-demo') event.waitUntil(clearState());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const ours = url.origin === self.location.origin &&
    (url.pathname === BASE_PATH || url.pathname.startsWith(`${BASE_PATH}/`));
  if (!ours) return; // not the demo issuer: the network answers, as if there were no worker
  event.respondWith(enqueue(() => answer(event.request, url)));
});

let queue = Promise.resolve();
function enqueue(job) {
  const run = queue.then(job);
  queue = run.catch(() => {});
  return run;
}

async function answer(request, url) {
  try {
    await init();
    const body = new Uint8Array(await request.arrayBuffer());
    const record = await load();
    const out = wasm_bindgen.handle(BASE, SCOPE, request.method, url.pathname.slice(BASE_PATH.length) || '/',
      url.search.slice(1), [...request.headers], body, record.state || '', record.keys || '');
    if (out.state !== record.state || out.keys !== record.keys) await save({ state: out.state, keys: out.keys });
    const headers = new Headers(out.headers);
    if (out.status >= 300 && out.status < 400 && headers.has('location')) {
      return Response.redirect(headers.get('location'), out.status);
    }
    const empty = out.status === 204 || out.body.length === 0;
    return new Response(empty ? null : out.body, { status: out.status, headers });
  } catch (e) {
    return new Response(JSON.stringify({ error: 'server_error', error_description: `The built-in demo failed: ${e && e.message ? e.message : e}` }),
      { status: 500, headers: { 'content-type': 'application/json' } });
  }
}

function database() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('atp-built-in-demo', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('tenant');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function transact(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction('tenant', mode);
    const req = work(tx.objectStore('tenant'));
    tx.oncomplete = () => { db.close(); resolve(req.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}

const load = async () => (await transact('readonly', (s) => s.get('state'))) || {};
const save = (record) => transact('readwrite', (s) => s.put(record, 'state'));
const clearState = () => enqueue(() => transact('readwrite', (s) => s.clear()));
