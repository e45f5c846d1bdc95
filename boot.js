// Loads the wasm app without an inline script, so the Content-Security-Policy needs no
// 'unsafe-inline'. Trunk fills in the file names (Trunk.toml: pattern_script); they are
// relative, so the built app works under any path of any static host.
//
// In the sign-in pop-up, the page the authorization server redirects to is this one: it
// hands the answer to the page that opened it (same origin only) and closes, without
// loading the app.

// The app's rarely used parts (code in other languages, Explain, the Markdown report, run
// import, share links) are a second wasm module, extras (crates/extras), loaded here at their
// first use so the first load stays small; the app calls `atpExtras(name, args)`. Its glue is
// a classic script that defines the global `wasm_bindgen`. A failed load is retried at the next
// use.
let loading = null;
const version = () => document.querySelector('meta[name="atp-extras-version"]')?.content || 'dev';
const glue = () => typeof wasm_bindgen !== 'undefined' ? Promise.resolve() : new Promise((resolve, reject) => {
  const script = document.createElement('script');
  script.src = new URL(`extras.js?v=${version()}`, document.baseURI).href;
  script.onload = resolve;
  script.onerror = () => { script.remove(); reject(new Error(`${script.src} could not be loaded`)); };
  document.head.append(script);
});
function extras(name, args) {
  loading ??= glue()
    .then(() => wasm_bindgen({ module_or_path: new URL(`extras_bg.wasm?v=${version()}`, document.baseURI) }))
    .then(() => wasm_bindgen)
    .catch((e) => {
      loading = null;
      // A reason, as a string: the shape of the module's own refusals.
      throw `the part of the app that does this could not be loaded (${e && e.message ? e.message : e}); ` +
        'serve the whole dist/ folder, then try again';
    });
  return loading.then((module) => module[name](...args));
}

const params = new URLSearchParams(location.search);
const answer = params.has('code') || params.has('error');
if (answer && window.opener && window.name === 'atp-signin') {
  window.opener.postMessage({ type: 'atp-signin', search: location.search }, location.origin);
  window.close();
} else {
  globalThis.atpExtras = extras;
  const meta = document.getElementById('trunk-app');
  try {
    const { default: init } = await import(new URL(meta.dataset.js, document.baseURI).href);
    const wasm = await init({ module_or_path: new URL(meta.dataset.wasm, document.baseURI) });
    // For the soak test (and anyone curious): the size of the app's wasm memory, which only
    // grows, so a leak shows as growth.
    globalThis.atpWasmMemoryBytes = () => wasm.memory.buffer.byteLength;
  } catch (e) {
    document.documentElement.classList.add('boot-failed');
    const p = document.createElement('p');
    p.className = 'boot-error';
    p.setAttribute('role', 'alert');
    p.textContent = `Agent Token Playground could not start: ${e && e.message ? e.message : e}. ` +
      'Its files must be served next to index.html (copy the whole dist/ folder, under any path), ' +
      'and this browser must run WebAssembly.';
    document.body.prepend(p);
  }
}
