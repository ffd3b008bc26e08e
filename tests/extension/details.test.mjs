// The rest of the end-to-end checks in Chromium: auto-retry waits for the server's
// Retry-After; the "Switch network" panel; the options form itself; a TLS failure's badge;
// the page's own failing requests counted in the popup.

import { before, after, beforeEach } from 'node:test';
import { test, assert, launch, startServer, poll, sleep, closePage } from './lib.mjs';

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
beforeEach(async () => {
  await b.evaluate(() => chrome.storage.local.remove('options'));
});

/** Opens a failing page and waits for its diagnosis; returns the page and its tab id. */
async function failingPage(path, id = 'haproxy/live-no-server', headers = undefined) {
  server.fail(path, id, headers);
  const page = await b.ctx.newPage();
  await page.goto(server.url(path));
  const tabId = await poll(() => b.tabId(server.url(path)), { message: 'no tab' });
  await poll(async () => (await b.state(tabId))?.diagnosis, { message: 'no diagnosis', timeout: 8_000 });
  return { page, tabId };
}

test('auto-retry waits as long as the server\'s Retry-After asks, even when the schedule is shorter', async (t) => {
  await b.evaluate(() => chrome.storage.local.set({ options: { retry_initial: 1, retry_cap: 1, retry_give_up: 60 } }));
  const { page, tabId } = await failingPage('/retry-after', 'haproxy/live-no-server', { 'retry-after': '3' });
  const st = await b.state(tabId);
  assert.equal(st.diagnosis.retry.after_seconds, 3, `the core read no Retry-After: ${JSON.stringify(st.diagnosis.retry)}`);
  const startHits = server.hits('/retry-after').length;
  const popup = await b.popup(tabId);
  await popup.locator('#actions [data-action="auto-retry"]').click();
  const started = Date.now();
  // Two retries, each answered 503 with Retry-After: 3 again.
  await poll(() => server.hits('/retry-after').length >= startHits + 2, { timeout: 15_000, message: 'fewer than 2 retries' });
  server.heal('/retry-after');
  await poll(async () => (await b.state(tabId)) === null, { timeout: 10_000, message: 'auto-retry did not stop on recovery' });
  const times = [started, ...server.hits('/retry-after').slice(startHits, startHits + 2).map((h) => h.at)];
  const gaps = times.slice(1).map((at, i) => (at - times[i]) / 1000);
  t.diagnostic(`gaps between requests: ${gaps.map((g) => g.toFixed(2)).join(', ')} s (schedule 1 s, Retry-After 3 s)`);
  for (const [i, gap] of gaps.entries()) {
    assert.ok(gap >= 3 - 0.15, `request ${i + 1} came after ${gap} s, sooner than Retry-After's 3 s`);
    assert.ok(gap <= 3 * 1.2 + 1.5, `request ${i + 1} came after ${gap} s, far later than Retry-After's 3 s`);
  }
  await closePage(popup);
  await closePage(page);
});

test('"Switch network" shows the flush-DNS command with a copy button, that the browser is online, and other sites that loaded', async () => {
  // A page that loads fine on another host name (the same server, reached as localhost).
  const port = new URL(server.origin).port;
  const elsewhere = `http://localhost:${port}/works`;
  const ok = await b.ctx.newPage();
  await ok.goto(elsewhere);
  await ok.locator('#healthy').waitFor();
  await closePage(ok);
  const { page, tabId } = await failingPage('/switch-network');
  const popup = await b.popup(tabId);
  await popup.locator('#answer').waitFor({ timeout: 10_000 });
  await popup.evaluate(() => {
    window.__copied = [];
    navigator.clipboard.writeText = async (text) => {
      window.__copied.push(text);
    };
  });
  const panel = popup.locator('#network-help');
  assert.equal(await panel.locator('#online').isVisible(), false, 'the panel is open before a click');
  await panel.locator('summary').click();
  assert.equal(await panel.locator('#online').textContent(), 'The browser says it is online.');
  const others = await panel.locator('#other-sites').textContent();
  assert.match(others, new RegExp(`^Other sites loaded lately: localhost:${port} \\(`), others);
  assert.ok(!others.includes(`127.0.0.1:${port}`), `the failing site itself is listed: ${others}`);
  // This machine is Linux.
  assert.equal(await panel.locator('code.cmd').textContent(), 'resolvectl flush-caches');
  await panel.locator('button.copy').click();
  await poll(() => popup.evaluate(() => window.__copied.at(-1) === 'resolvectl flush-caches'), { message: 'the command was not copied' });
  assert.match(await panel.textContent(), /mobile data/);
  assert.match(await panel.textContent(), /router/);
  await closePage(popup);
  await closePage(page);
});

test('the options form: settings changed with its controls are saved, shown again, and take effect', async () => {
  const options = await b.ctx.newPage();
  await options.goto(`chrome-extension://${b.id}/options.html`);
  // The form shows the defaults first.
  await poll(async () => (await options.locator('#retry_initial').inputValue()) === '10', { message: 'the form did not show the defaults' });
  assert.equal(await options.locator('#banner').isChecked(), true);
  await options.locator('#banner').uncheck();
  await options.locator('#retry_initial').fill('7');
  await options.locator('#retry_cap').fill('20');
  await options.locator('#history_size').fill('5');
  await options.locator('#save').click();
  await poll(async () => (await options.locator('#saved').textContent()) === 'Saved.', { message: 'no "Saved."' });
  const stored = await b.evaluate(async () => (await chrome.storage.local.get('options')).options);
  assert.equal(stored.banner, false);
  assert.equal(stored.retry_initial, 7);
  assert.equal(stored.retry_cap, 20);
  assert.equal(stored.history_size, 5);
  await options.reload();
  await poll(async () => (await options.locator('#retry_initial').inputValue()) === '7', { message: 'the saved value was not shown again' });
  assert.equal(await options.locator('#banner').isChecked(), false);
  await closePage(options);

  // Effect: no banner on an error page, and auto-retry's first wait is 7 s.
  const { page, tabId } = await failingPage('/options-effect');
  await sleep(500);
  assert.equal(await page.locator('culprit-banner').count(), 0, 'the banner showed although switched off in the form');
  const popup = await b.popup(tabId);
  await popup.locator('#actions [data-action="auto-retry"]').click();
  const clicked = Date.now();
  const retry = await poll(async () => (await b.state(tabId))?.retry?.next_at ? (await b.state(tabId)).retry : null, { message: 'auto-retry did not start' });
  const wait = (retry.next_at - clicked) / 1000;
  assert.ok(wait >= 7 - 0.5 && wait <= 7 * 1.2 + 0.5, `first wait ${wait} s, not the form's 7 s`);
  await closePage(popup);
  // Closing the tab cancels its schedule.
  await closePage(page);
});

test('a TLS failure (HTTPS to a server that does not speak it) gives TLS', async () => {
  const url = `https://127.0.0.1:${new URL(server.origin).port}/tls`;
  const page = await b.ctx.newPage();
  await page.goto(url).catch(() => {});
  const tabId = await poll(() => b.tabId(url), { message: `no tab for ${url}` });
  const st = await poll(async () => {
    const s = await b.state(tabId);
    return s?.diagnosis ? s : null;
  }, { message: 'no diagnosis' });
  await sleep(400);
  const badge = await b.badge(tabId);
  assert.equal(badge.text, 'TLS', `badge ${JSON.stringify(badge)}; net_error ${st.net_error}`);
  assert.match(st.net_error, /SSL|TLS|CERT/);
  assert.match(badge.title, /^Culprit: /);
  await closePage(page);
});

test('the page\'s own failing API calls are counted in the popup', async () => {
  const page = await b.ctx.newPage();
  await page.goto(server.url('/api-fails'));
  const tabId = await poll(() => b.tabId(server.url('/api-fails')));
  // The page makes two calls, both answered 503.
  await poll(async () => server.hits('/api/data').length === 1 && server.hits('/api/data2').length === 1, { message: 'the page made no API calls' });
  await poll(() => b.evaluate(async (t) => (await chrome.storage.session.get(`sub:${t}`))[`sub:${t}`] === 2, tabId), { message: 'API failures not counted' });
  const popup = await b.popup(tabId);
  await popup.locator('#no-failure').waitFor({ timeout: 10_000 });
  assert.equal(await popup.locator('#subresources').textContent(), 'The page loaded, but its own requests (API calls) failed 2 time(s) with a server error.');
  await closePage(popup);
  await closePage(page);
});
