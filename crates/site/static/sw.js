// Culprit's service worker: the whole site works offline after the first visit.
// This file is a template: `cargo xtask build` replaces the version with a hash of every
// built file and the precache list with every page (routes.txt), the app and the shell.
'use strict';

const VERSION = '__VERSION__';
const CACHE = `culprit-${VERSION}`;
const PRECACHE = __PRECACHE__;

// Install: fetch everything, bypassing the HTTP cache so a new version never stores an old
// file; take over at once (each version is complete in its own cache).
self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

// Activate: drop the caches of earlier versions, then control the open pages.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith('culprit-') && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

// Fetch: same-origin GETs only; pages network-first, everything else cache-first.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request, url));
  } else {
    event.respondWith(asset(request));
  }
});

async function page(request, url) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cache = await caches.open(CACHE);
    const path = url.pathname;
    const candidates = path.endsWith('/')
      ? [path, `${path}index.html`]
      : [path, `${path}/`, `${path}/index.html`];
    for (const candidate of candidates) {
      const hit = await cache.match(candidate, { ignoreSearch: true });
      if (hit) return hit;
    }
    const notFound = await cache.match('/404.html');
    if (notFound) return notFound;
    throw offline;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  return hit || fetch(request);
}
