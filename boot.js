// Loads the wasm app without an inline script, so the Content-Security-Policy needs no
// 'unsafe-inline'. The build (scripts/post-build.mjs) fills in the file names of the main
// module; they are relative, so the built app works under any path of any static host. The
// chunks loaded on first use are found by the main module's loader, next to it.
//
// In the sign-in pop-up, the page the authorization server redirects to is this one: it
// hands the answer to the page that opened it (same origin only) and closes, without
// loading the app.

const params = new URLSearchParams(location.search);
const answer = params.has('code') || params.has('error');
if (answer && window.opener && window.name === 'atp-signin') {
  window.opener.postMessage({ type: 'atp-signin', search: location.search }, location.origin);
  window.close();
} else {
  const meta = document.getElementById('split-app');
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
