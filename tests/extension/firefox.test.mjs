// The smoke test in Firefox ESR (Debian's firefox-esr, headless, fresh profile, the built
// extension's Firefox zip installed as a temporary add-on over WebDriver BiDi): an error page
// on a local server gets the badge, its title and colour, and the banner; a healthy page gets
// none of them; a refused port gives NET and an unresolvable name DNS.

import { before, after } from 'node:test';
import { test, assert, startServer, refusedPort, poll, sleep, rgba, HOP_COLORS, fixture } from './lib.mjs';
import { launchFirefox } from './firefox.mjs';

let ff;
let server;
before(async () => {
  server = await startServer();
  ff = await launchFirefox();
});
after(async () => {
  await ff?.close();
  await server?.close();
});

test('Firefox: an error page gets the badge, its colour and title, and the banner', async () => {
  const id = 'haproxy/live-no-server';
  const fx = fixture(id);
  server.fail('/ff-fail', id);
  const url = server.url('/ff-fail');
  const tab = await ff.newTab();
  await ff.goto(tab, url);
  const badge = await poll(async () => {
    const got = await ff.badge(url);
    return got?.title.startsWith('Culprit: ') && got.title.includes('HAProxy') ? got : null;
  }, { timeout: 10_000, message: 'the badge never showed the diagnosis' });
  assert.equal(badge.text, String(fx.sidecar.status ?? fx.status));
  assert.deepEqual(badge.color, rgba(HOP_COLORS[fx.sidecar.hop ?? 'origin']));
  const banner = await poll(() => ff.banner(tab), { message: 'no banner on the error page' });
  assert.equal(`Culprit: ${banner}`, badge.title);
  assert.ok(server.hits('/ff-fail').length >= 1);
});

test('Firefox: a healthy page gets no badge and no banner', async () => {
  const url = server.url('/ff-healthy');
  const tab = await ff.newTab();
  await ff.goto(tab, url);
  assert.equal(await ff.evaluate(tab, 'document.getElementById("healthy")?.textContent ?? null'), 'All good at /ff-healthy');
  await sleep(800);
  const badge = await ff.badge(url);
  assert.ok(badge, 'no tab shows the healthy page');
  assert.equal(badge.text, '');
  assert.equal(badge.title, 'Culprit');
  assert.equal(await ff.banner(tab), null);
});

test('Firefox: a refused port gives NET, a name that does not resolve gives DNS', async () => {
  for (const [url, text] of [[`http://127.0.0.1:${await refusedPort()}/`, 'NET'], ['http://culprit-test.invalid/', 'DNS']]) {
    const tab = await ff.newTab();
    await ff.goto(tab, url);
    const badge = await poll(async () => {
      const got = await ff.badge(url);
      return got?.text ? got : null;
    }, { timeout: 10_000, message: `no badge for ${url}` });
    assert.equal(badge.text, text, `${url}: ${JSON.stringify(badge)}`);
    assert.match(badge.title, /^Culprit: /);
  }
});
