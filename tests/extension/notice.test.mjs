// Notice and tell: error pages of several products give a badge (status, hop colour, the
// one-line diagnosis naming the product) within the budget; healthy pages give none and no
// banner; recovery clears the badge; network errors give NET / DNS.

import { before, after } from 'node:test';
import { test, assert, launch, startServer, refusedPort, poll, sleep, rgba, HOP_COLORS, fixture, closePage } from './lib.mjs';

let b;
let server;
before(async () => {
  server = await startServer();
  b = await launch();
});
after(async () => {
  await b?.close();
  await server?.close();
});

const PRODUCTS = [
  'haproxy/live-no-server',
  'cloudflare/502-nginx-behind-cloudflare',
  'nginx/live-upstream-refused',
  'caddy/live-upstream-refused',
  'varnish/live-upstream-refused',
  'apache/live-upstream-refused',
  'google/502-load-balancer',
];

for (const id of PRODUCTS) {
  test(`an error page written by ${id.split('/')[0]} gets the badge, colour and title (${id})`, async (t) => {
    const fx = fixture(id);
    const path = `/product/${id.replace('/', '-')}`;
    server.fail(path, id);
    const page = await b.ctx.newPage();
    // An error status with an empty body makes Chromium show its own error page (goto rejects).
    const empty = fx.body.length === 0;
    await page.goto(server.url(path)).catch((e) => {
      if (!empty) throw e;
    });
    const loadedAt = Date.now();
    const tabId = await poll(() => b.tabId(server.url(path)), { message: 'no tab for the page' });
    const st = await poll(async () => {
      const s = await b.state(tabId);
      return s?.diagnosis ? s : null;
    }, { message: 'no diagnosis stored' });
    const badge = await poll(async () => {
      const got = await b.badge(tabId);
      return got.title.includes(st.diagnosis.summary.slice(0, 20)) ? got : null;
    }, { message: 'the badge never showed the diagnosis' });
    t.diagnostic(`badge with the diagnosis ${Date.now() - loadedAt} ms after the page loaded (upper bound, includes polling)`);
    assert.equal(badge.text, String(fx.sidecar.status ?? fx.status));
    assert.equal(st.diagnosis.source.id, fx.sidecar.source);
    if (fx.sidecar.hop) assert.equal(st.diagnosis.failing_hop.hop, fx.sidecar.hop);
    assert.deepEqual(badge.color, rgba(HOP_COLORS[st.diagnosis.failing_hop.hop]));
    assert.match(badge.title, /^Culprit: /);
    assert.ok(badge.title.includes(st.diagnosis.source.name), `the title ${badge.title} names ${st.diagnosis.source.name}`);
    if (empty) {
      await closePage(page);
      return;
    }
    // The banner is on the error page.
    const banner = page.locator('culprit-banner');
    await banner.waitFor({ state: 'attached', timeout: 5_000 });
    assert.equal(await page.locator('culprit-banner #culprit-summary').textContent(), st.diagnosis.summary);
    await closePage(page);
  });
}

test('a healthy page gets no badge, no banner, and no stored state', async () => {
  const page = await b.ctx.newPage();
  await page.goto(server.url('/healthy'));
  const tabId = await poll(() => b.tabId(server.url('/healthy')));
  await sleep(500);
  assert.equal((await b.badge(tabId)).text, '');
  assert.equal(await b.state(tabId), null);
  assert.equal(await page.locator('culprit-banner').count(), 0);
  await closePage(page);
});

test('the badge clears when the page recovers, and when the tab navigates away', async () => {
  server.fail('/recover', 'haproxy/live-no-server');
  const page = await b.ctx.newPage();
  await page.goto(server.url('/recover'));
  const tabId = await poll(() => b.tabId(server.url('/recover')));
  await poll(async () => (await b.state(tabId))?.diagnosis, { message: 'no diagnosis' });
  assert.equal((await b.badge(tabId)).text, '503');
  server.heal('/recover');
  await page.reload();
  await poll(async () => (await b.badge(tabId)).text === '', { message: 'the badge stayed after recovery' });
  assert.equal(await b.state(tabId), null);

  server.fail('/leave', 'haproxy/live-no-server');
  await page.goto(server.url('/leave'));
  await poll(async () => (await b.badge(tabId)).text === '503', { message: 'no 503 badge' });
  await page.goto(server.url('/elsewhere'));
  await poll(async () => (await b.badge(tabId)).text === '', { message: 'the badge stayed after navigating away' });
  await closePage(page);
});

test('a refused port gives NET, a name that does not resolve gives DNS', async () => {
  const port = await refusedPort();
  for (const [url, text, hop] of [
    [`http://127.0.0.1:${port}/`, 'NET', null],
    ['http://culprit-test.invalid/', 'DNS', 'network'],
  ]) {
    const page = await b.ctx.newPage();
    await page.goto(url).catch(() => {});
    const tabId = await poll(() => b.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u || t.pendingUrl === u)?.id ?? null, url), { message: `no tab for ${url}` });
    const st = await poll(async () => {
      const s = await b.state(tabId);
      return s?.diagnosis ? s : null;
    }, { message: `no diagnosis for ${url}` });
    await sleep(400);
    const badge = await b.badge(tabId);
    assert.equal(badge.text, text, `${url}: badge ${JSON.stringify(badge)}; net_error ${st.net_error}`);
    if (hop) assert.equal(st.diagnosis.failing_hop.hop, hop);
    assert.match(badge.title, /^Culprit: /);
    await closePage(page);
  }
});

test('the page\'s own failing API calls are counted, the page itself is not flagged', async () => {
  const page = await b.ctx.newPage();
  await page.goto(server.url('/api-fails'));
  const tabId = await poll(() => b.tabId(server.url('/api-fails')));
  const count = await poll(() => b.evaluate(async (t) => (await chrome.storage.session.get(`sub:${t}`))[`sub:${t}`] ?? 0, tabId), { message: 'API failures not counted' });
  assert.ok(count >= 1);
  assert.equal((await b.badge(tabId)).text, '');
  await closePage(page);
});
