// Starts the app. The pages are complete HTML: reading one needs no code. The wasm is
// fetched and compiled in the background at once (off the main thread), and started (the
// page hydrated) on the first sign that the person wants to act: a key, a tap, a click, a
// paste, a drag; or at once when the page was opened from a share link. A click or a drop
// that arrives while the app is starting is handed to it when it is ready.
const home = location.pathname === '/' || location.pathname === '/index.html';
const base = home ? '/pkg/home/' : '/pkg/';
const glue = import(`${base}culprit_site.js`);
const compiled = WebAssembly.compileStreaming
  ? WebAssembly.compileStreaming(fetch(`${base}culprit_site_bg.wasm`)).catch(() => null)
  : Promise.resolve(null);

let state = 'waiting';

// The app marks the page (html[data-hydrated]) once its listeners are in place; Yew
// finishes hydrating a little after the module's start function returns.
function whenHydrated(then) {
  const root = document.documentElement;
  if (root.hasAttribute('data-hydrated')) return then();
  const watch = new MutationObserver(() => {
    if (!root.hasAttribute('data-hydrated')) return;
    watch.disconnect();
    then();
  });
  watch.observe(root, { attributes: true, attributeFilter: ['data-hydrated'] });
}
const clicks = [];

function start() {
  if (state !== 'waiting') return;
  state = 'starting';
  Promise.all([glue, compiled])
    .then(([g, module]) => (module ? g.default({ module_or_path: module }) : g.default()))
    .then(() => whenHydrated(() => {
      state = 'ready';
      for (const el of clicks.splice(0)) if (el.isConnected) el.click();
      registerWorker();
    }))
    .catch(() => {
      state = 'waiting';
      registerWorker();
    });
}

for (const type of ['pointerdown', 'keydown', 'touchstart', 'paste', 'input', 'dragenter', 'drop']) {
  addEventListener(type, start, { capture: true, passive: true });
}
addEventListener('click', (e) => {
  if (state === 'ready') return;
  const button = e.target instanceof Element ? e.target.closest('button') : null;
  if (button && !clicks.includes(button)) clicks.push(button);
  start();
}, { capture: true });
// Until the app can take it, a file dropped on the paste area is kept for it (the browser
// would otherwise open the file in place of the page).
const onPanel = (e) => e.target instanceof Element && e.target.closest('#paste-panel');
addEventListener('dragover', (e) => {
  if (state !== 'ready' && onPanel(e)) e.preventDefault();
});
addEventListener('drop', (e) => {
  if (state === 'ready' || !onPanel(e)) return;
  e.preventDefault();
  const file = e.dataTransfer && e.dataTransfer.files[0];
  if (file) window.__culpritPendingFile = file;
  else window.__culpritPendingText = e.dataTransfer ? e.dataTransfer.getData('text/plain') : '';
}, { capture: true });
if (location.hash.startsWith('#d=')) start();

// The service worker's first install fetches every page of the site. It is registered once
// the page has loaded and the app is not starting, when the browser is idle: it never
// competes with the first answer.
let loaded = false;
let registered = false;
function registerWorker() {
  if (registered || !loaded || state === 'starting' || !('serviceWorker' in navigator)) return;
  registered = true;
  const register = () => navigator.serviceWorker.register('/sw.js').catch(() => {
    // Offline use is a bonus: the site works without it.
  });
  if ('requestIdleCallback' in window) requestIdleCallback(register, { timeout: 5000 });
  else setTimeout(register, 1000);
}
addEventListener('load', () => {
  loaded = true;
  registerWorker();
});
