// Offline: after the first visit the service worker serves the site with no network.
//
// Playwright's `context.setOffline(true)` does not cut a service worker's own fetches
// (microsoft/playwright#2311), so a worker that quietly fetched from the network would pass.
// This file therefore reaches the site through a small loopback relay it starts itself
// (127.0.0.1, to the site's server only), and going offline means both setOffline(true) and
// shutting the relay: nothing at all answers on that origin any more.

import { before, after } from 'node:test';
import http from 'node:http';
import {
  test, assert, launch, newContext, noForeignRequestsTest, waitHydrated, waitForAnswer, within,
  fixture, assertMatchesSidecar, collectErrors, ORIGIN,
} from './lib.mjs';

let browser;
let context;
let page;
let relay;
let relayOrigin;
let errors;
const sockets = new Set();

function startRelay() {
  const target = new URL(ORIGIN);
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const up = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (upRes) => {
          res.writeHead(upRes.statusCode, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(up);
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function stopRelay() {
  return new Promise((resolve) => {
    if (!relay?.listening) return resolve();
    relay.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
}

before(async () => {
  relay = await startRelay();
  relayOrigin = `http://127.0.0.1:${relay.address().port}`;
  browser = await launch();
  context = await newContext(browser, {}, { allowedOrigins: [ORIGIN, relayOrigin] });
  page = await context.newPage();
  errors = collectErrors(page);
});
after(async () => {
  await browser?.close();
  await stopRelay();
});

const at = (path) => new URL(path, relayOrigin).href;

test('first visit installs a service worker that controls the page', { timeout: 60_000 }, async () => {
  await page.goto(at('/'), { waitUntil: 'load' });
  await waitHydrated(page);
  await within('navigator.serviceWorker.ready did not resolve within 20 s (no service worker?)', () =>
    page.waitForFunction(
      () => 'serviceWorker' in navigator && navigator.serviceWorker.ready.then(() => true),
      null,
      { timeout: 20_000 },
    ),
  );
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload({ waitUntil: 'load' });
  }
  await within('the service worker does not control the page after a reload', () =>
    page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10_000 }),
  );
  // The worker precaches what routes.txt lists; give it a moment to fill its caches (the
  // offline navigations below are the real check, so no failure here).
  await page
    .waitForFunction(
      async () => {
        const hit = async (p) => !!(await caches.match(p, { ignoreSearch: true }));
        return (await hit('/status/504/')) || (await hit('/status/504/index.html'));
      },
      null,
      { timeout: 15_000, polling: 250 },
    )
    .catch(() => {});
  await page.goto(at('/status/502/'), { waitUntil: 'load' });
  await waitHydrated(page);
});

test('offline, / reloads and still diagnoses; reference pages open', { timeout: 60_000 }, async () => {
  await context.setOffline(true);
  await stopRelay();
  // The relay is gone: prove nothing answers on the origin any more.
  const probe = await fetch(at('/')).then(() => 'answered', (e) => e.cause?.code ?? 'failed');
  assert.notEqual(probe, 'answered', 'the relay still answers after being shut');

  await page.goto(at('/'), { waitUntil: 'load', timeout: 15_000 });
  await waitHydrated(page);
  assert.ok((await page.textContent('h1'))?.trim(), 'offline / has no h1');
  const fx = fixture('nginx/live-upstream-timeout');
  await page.fill('#paste', fx.text);
  assertMatchesSidecar(await waitForAnswer(page, fx.text, { label: `${fx.id} offline` }), fx);

  for (const path of ['/status/504/', '/source/nginx/']) {
    const res = await page.goto(at(path), { waitUntil: 'load', timeout: 15_000 }).catch((e) => e);
    assert.ok(!(res instanceof Error), `offline ${path} did not load: ${res?.message?.split('\n')[0]}`);
    const h1 = (await page.textContent('h1'))?.trim();
    assert.ok(h1, `offline ${path} has no h1`);
    if (path === '/status/504/') assert.match(h1, /504/, `offline ${path} shows h1 ${h1}`);
    else assert.match(h1, /nginx/i, `offline ${path} shows h1 ${h1}`);
  }
});

test('no uncaught page errors while offline', () => {
  const uncaught = errors.filter((e) => e.startsWith('pageerror'));
  assert.deepEqual(uncaught, [], uncaught.join('\n'));
});

noForeignRequestsTest();
