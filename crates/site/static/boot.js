// Starts the app: loads the wasm, which hydrates the page the server sent, and registers
// the service worker that keeps the site usable offline.
import init from '/pkg/culprit_site.js';

init();

if ('serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Offline use is a bonus: the site works without it.
    });
  });
}
