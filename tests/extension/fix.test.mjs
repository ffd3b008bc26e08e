// Tell and fix: the popup shows the diagnosis with the shared views; each visitor fix works
// (retry, auto-retry on a short schedule, clear this site's cache, private window, "is it
// just me?"); auto-retry survives the worker being stopped; history and options.

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

/** Records what the popup puts on the clipboard (a headless page cannot read it back). */
async function recordClipboard(popup) {
  await popup.evaluate(() => {
    window.__copied = [];
    navigator.clipboard.writeText = async (text) => {
      window.__copied.push(text);
    };
  });
}
const copied = (popup) => popup.evaluate(() => window.__copied.at(-1) ?? '');

/** Opens a failing page and waits for its diagnosis; returns the page and its tab id. */
async function failingPage(path, id = 'cloudflare/502-nginx-behind-cloudflare') {
  server.fail(path, id);
  const page = await b.ctx.newPage();
  await page.goto(server.url(path));
  const tabId = await poll(() => b.tabId(server.url(path)), { message: 'no tab' });
  await poll(async () => (await b.state(tabId))?.diagnosis, { message: 'no diagnosis', timeout: 8_000 });
  return { page, tabId };
}

test('the popup shows the diagnosis with the shared views, and copies the report and IDs', async () => {
  const { page, tabId } = await failingPage('/popup');
  const st = await b.state(tabId);
  const popup = await b.popup(tabId);
  await popup.locator('#answer').waitFor({ timeout: 10_000 });
  await recordClipboard(popup);
  assert.equal(await popup.locator('#answer').getAttribute('data-source-id'), st.diagnosis.source.id);
  assert.equal(await popup.locator('#answer').getAttribute('data-status'), '502');
  assert.equal(await popup.locator('#summary').textContent(), st.diagnosis.summary);
  assert.equal(await popup.locator('ol.hops li.failing').count(), 1);
  assert.equal(await popup.locator('ol.hops li.failing').getAttribute('data-hop'), st.diagnosis.failing_hop.hop);
  assert.ok((await popup.locator('#evidence li').count()) >= 1, 'no evidence');
  assert.ok((await popup.locator('#panel-visitor li[data-fix]').count()) >= 1, 'no visitor fixes');
  for (const action of ['retry', 'auto-retry', 'clear-cache', 'private-window', 'down-checker']) {
    assert.equal(await popup.locator(`#actions [data-action="${action}"]`).count(), 1, `no ${action} button`);
  }
  // IDs with copy buttons: the Cloudflare Ray ID.
  const ray = st.diagnosis.ids.find((i) => i.kind === 'ray-id');
  assert.ok(ray, 'the fixture has a Ray ID');
  await popup.locator('#ids button.copy').first().click();
  await poll(async () => (await copied(popup)).includes(ray.value), { message: 'the ID was not copied' });
  // The owner's view and the Markdown report.
  await popup.locator('#tab-owner').click();
  assert.equal(await popup.locator('#panel-owner').isVisible(), true);
  await popup.locator('#copy-report').click();
  const report = await poll(async () => {
    const text = await copied(popup);
    return text.startsWith('## ') ? text : null;
  }, { message: 'the report was not copied' });
  assert.match(report, /502/);
  assert.ok(report.includes(st.diagnosis.source.name));
  await closePage(popup);
  await closePage(page);
});

test('the popup of a healthy tab says there is no failure', async () => {
  const page = await b.ctx.newPage();
  await page.goto(server.url('/fine'));
  const tabId = await poll(() => b.tabId(server.url('/fine')));
  const popup = await b.popup(tabId);
  await popup.locator('#no-failure').waitFor({ timeout: 10_000 });
  await closePage(popup);
  await closePage(page);
});

test('Retry now reloads the page bypassing the cache (seen by the server)', async () => {
  const { page, tabId } = await failingPage('/retry');
  const before = server.hits('/retry').length;
  const popup = await b.popup(tabId);
  await popup.locator('#actions [data-action="retry"]').click();
  await poll(() => server.hits('/retry').length === before + 1, { message: 'the server saw no retry' });
  const hit = server.hits('/retry').at(-1);
  assert.ok(/no-cache/.test(hit.cacheControl) || /no-cache/.test(hit.pragma), `not a cache-bypassing reload: ${JSON.stringify(hit)}`);
  await closePage(popup);
  await closePage(page);
});

test('the banner\'s Retry reloads too, and the banner can be switched off', async () => {
  const { page } = await failingPage('/banner-retry');
  const before = server.hits('/banner-retry').length;
  await page.locator('culprit-banner #culprit-retry').click();
  await poll(() => server.hits('/banner-retry').length === before + 1, { message: 'the banner retry reached no server' });
  await closePage(page);
  await b.evaluate(() => chrome.storage.local.set({ options: { banner: false } }));
  const second = await failingPage('/banner-off');
  await sleep(500);
  assert.equal(await second.page.locator('culprit-banner').count(), 0, 'the banner showed although switched off');
  await closePage(second.page);
});

test('auto-retry follows the schedule, shows a countdown, stops when the site is back and notifies', async (t) => {
  await b.evaluate(() => chrome.storage.local.set({ options: { retry_initial: 1, retry_cap: 2, retry_give_up: 60 } }));
  const { page, tabId } = await failingPage('/auto');
  const popup = await b.popup(tabId);
  const startHits = server.hits('/auto').length;
  await popup.locator('#actions [data-action="auto-retry"]').click();
  const started = Date.now();
  await popup.locator('#countdown').waitFor({ timeout: 5_000 });
  await page.locator('culprit-banner #culprit-countdown').waitFor({ timeout: 5_000 });
  // Three failing retries: waits of 1, 2, 2 s (each up to 20 % longer), then the site is back.
  await poll(() => server.hits('/auto').length >= startHits + 3, { timeout: 15_000, message: 'fewer than 3 retries' });
  server.heal('/auto');
  await poll(async () => (await b.state(tabId)) === null, { timeout: 10_000, message: 'auto-retry did not stop on recovery' });
  const times = [started, ...server.hits('/auto').slice(startHits).map((h) => h.at)];
  const gaps = times.slice(1).map((at, i) => (at - times[i]) / 1000);
  t.diagnostic(`gaps between requests: ${gaps.map((g) => g.toFixed(2)).join(', ')} s`);
  const expected = [1, 2, 2, 2];
  for (const [i, gap] of gaps.entries()) {
    assert.ok(gap >= expected[i] - 0.15, `request ${i + 1} came after ${gap} s, sooner than the ${expected[i]} s schedule`);
    assert.ok(gap <= expected[i] * 1.2 + 1.5, `request ${i + 1} came after ${gap} s, far later than the ${expected[i]} s schedule`);
  }
  assert.ok(gaps.length <= 4, `more requests than the schedule allows: ${gaps.length}`);
  const note = await poll(() => b.evaluate(async () => (await chrome.storage.session.get('last_notification')).last_notification), { message: 'no notification' });
  assert.match(note.title, /is back/);
  const after = server.hits('/auto').length;
  await sleep(2_500);
  assert.equal(server.hits('/auto').length, after, 'requests continued after the site was back');
  await closePage(popup);
  await closePage(page);
});

test('auto-retry is cancelled when the person navigates', async () => {
  await b.evaluate(() => chrome.storage.local.set({ options: { retry_initial: 2, retry_cap: 2, retry_give_up: 60 } }));
  const { page, tabId } = await failingPage('/cancel');
  await page.locator('culprit-banner #culprit-auto-retry').click();
  await poll(async () => (await b.state(tabId))?.retry?.state === 'waiting', { message: 'auto-retry did not start' });
  const hits = server.hits('/cancel').length;
  await page.goto(server.url('/somewhere-else'));
  await sleep(3_000);
  assert.equal(server.hits('/cancel').length, hits, 'a retry ran after the person navigated away');
  await closePage(page);
});

test('a worker stopped mid-schedule keeps the schedule (the alarm wakes it)', { timeout: 90_000 }, async (t) => {
  await b.evaluate(() => chrome.storage.local.set({ options: { retry_initial: 4, retry_cap: 4, retry_give_up: 60, banner: false } }));
  const { page, tabId } = await failingPage('/sleep');
  const before = server.hits('/sleep').length;
  const startedWorker = await b.evaluate(() => globalThis.__culprit.stats.started);
  const popup = await b.popup(tabId);
  await popup.locator('#actions [data-action="auto-retry"]').click();
  const clicked = Date.now();
  await closePage(popup);
  const st = await poll(async () => (await b.state(tabId))?.retry, { message: 'no schedule' });
  // Stop every service worker of the profile (the extension's included), through the error
  // page's own session: opening or closing a page would wake the worker with its events.
  // A DevTools call that stops the workers may itself never answer once they are gone (seen
  // once in a CI run, which then hung): give each call 5 s. What the test proves does not rest
  // on them: the retry must still come, and from a restarted worker (asserted below).
  const within5s = (p) => Promise.race([p, sleep(5_000)]);
  const cdp = await within5s(b.ctx.newCDPSession(page));
  if (cdp) {
    await within5s(cdp.send('ServiceWorker.enable'));
    await within5s(cdp.send('ServiceWorker.stopAllWorkers'));
    await within5s(cdp.detach());
  }
  await poll(() => server.hits('/sleep').length > before, { timeout: 20_000, message: 'the retry never came after the worker stopped' });
  const at = server.hits('/sleep').at(-1).at;
  t.diagnostic(`retry ${((at - clicked) / 1000).toFixed(2)} s after the click; scheduled for ${((st.next_at - clicked) / 1000).toFixed(2)} s`);
  assert.ok(at >= st.next_at - 150, 'the retry came before its time');
  assert.ok(at <= st.next_at + 3_000, 'the retry came far later than scheduled');
  const restarted = await b.evaluate(() => globalThis.__culprit.stats.started);
  assert.ok(restarted > startedWorker, 'the worker was not restarted (it was never stopped)');
  await closePage(page);
});

test('clearing this site\'s cache calls the browser with this origin only, then reloads', async () => {
  const { page, tabId } = await failingPage('/cache');
  await b.evaluate(() => {
    globalThis.__calls = [];
    const original = chrome.browsingData.remove.bind(chrome.browsingData);
    chrome.browsingData.remove = (options, types) => {
      globalThis.__calls.push({ options, types });
      return original(options, types);
    };
  });
  const before = server.hits('/cache').length;
  const popup = await b.popup(tabId);
  await popup.locator('#actions details.more summary').first().click();
  await popup.locator('#actions [data-action="clear-cache"]').click();
  await popup.locator('#action-result').waitFor();
  const calls = await b.evaluate(() => globalThis.__calls);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].options, { origins: [server.origin] });
  assert.equal(calls[0].types.cache, true);
  assert.equal(calls[0].types.cookies, false, 'cookies cleared without being asked');
  assert.match(await popup.locator('#action-result').textContent(), new RegExp(server.origin.replace(/[.]/g, '\\.')));
  await poll(() => server.hits('/cache').length === before + 1, { message: 'no reload after clearing' });
  // With the box ticked, cookies too. The reload re-renders the popup, which may fold the
  // "More fixes" section again: open it before reaching for the box.
  await poll(async () => {
    await popup.evaluate(() => {
      for (const d of document.querySelectorAll('#actions details.more')) d.open = true;
    });
    return (await popup.locator('#clear-cookies').isVisible()) || null;
  }, { message: 'the cookie box never showed' });
  await popup.locator('#clear-cookies').check();
  await popup.locator('#actions [data-action="clear-cache"]').click();
  await poll(async () => (await b.evaluate(() => globalThis.__calls)).length === 2);
  assert.equal((await b.evaluate(() => globalThis.__calls))[1].types.cookies, true);
  await closePage(popup);
  await closePage(page);
});

test('open in a private window: opened when the browser allows, explained with the address to copy when refused', async () => {
  const { page, tabId } = await failingPage('/private');
  await b.evaluate(() => {
    globalThis.__windows = [];
    chrome.windows.create = async (options) => {
      globalThis.__windows.push(options);
      return { id: 1 };
    };
  });
  const popup = await b.popup(tabId);
  await recordClipboard(popup);
  await popup.locator('#actions details.more summary').first().click();
  await popup.locator('#actions [data-action="private-window"]').click();
  await poll(async () => /private window/.test((await popup.locator('#action-result').textContent().catch(() => '')) ?? ''));
  assert.deepEqual(await b.evaluate(() => globalThis.__windows), [{ url: server.url('/private'), incognito: true }]);
  await b.evaluate(() => {
    chrome.windows.create = async () => {
      throw new Error('Incognito mode is disabled.');
    };
  });
  await popup.locator('#actions [data-action="private-window"]').click();
  await popup.locator('#copy-url').waitFor();
  assert.match(await popup.locator('#action-result').textContent(), /Allow in Incognito/);
  await popup.locator('#copy-url').click();
  await poll(async () => (await copied(popup)) === server.url('/private'), { message: 'the address was not copied' });
  await closePage(popup);
  await closePage(page);
});

test('"is it just me?" opens a down-checker for this host only on a click', async () => {
  const { page, tabId } = await failingPage('/down');
  await b.evaluate(() => {
    globalThis.__opened = [];
    chrome.tabs.create = async (options) => {
      globalThis.__opened.push(options.url);
      return { id: 1 };
    };
  });
  const popup = await b.popup(tabId);
  await sleep(300);
  assert.deepEqual(await b.evaluate(() => globalThis.__opened), [], 'opened without a click');
  await popup.locator('#actions details.more summary').first().click();
  await popup.locator('#actions [data-action="down-checker"]').click();
  const opened = await poll(async () => (await b.evaluate(() => globalThis.__opened))[0]);
  assert.equal(opened, `https://downforeveryoneorjustme.com/${encodeURIComponent(new URL(server.origin).host)}`);
  await closePage(popup);
  await closePage(page);
});

test('history: failures are recorded, exported, cleared; corrupt data is reset with a notice', async () => {
  const { page } = await failingPage('/history');
  const options = await b.ctx.newPage();
  await options.goto(`chrome-extension://${b.id}/options.html`);
  await poll(async () => (await options.locator('#history-table tbody tr').count()) >= 1, { message: 'no history rows' });
  assert.ok((await options.locator('#history-table tbody').textContent()).includes(server.url('/history')));
  const [download] = await Promise.all([options.waitForEvent('download'), options.locator('#export').click()]);
  assert.equal(download.suggestedFilename(), 'culprit-history.json');
  await options.locator('#clear-history').click();
  await poll(async () => (await options.locator('#history-table tbody tr').count()) === 0, { message: 'history not cleared' });
  await b.evaluate(() => chrome.storage.local.set({ history: 'garbage' }));
  await options.reload();
  await options.locator('#notice').waitFor({ state: 'visible' });
  assert.match(await options.locator('#notice').textContent(), /reset/);
  assert.equal(await options.locator('#history-empty').isVisible(), true);
  await closePage(options);
  await closePage(page);
});
