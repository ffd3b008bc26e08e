// Files: chosen with input#file, or dropped onto #paste-panel.

import { before, after } from 'node:test';
import { basename } from 'node:path';
import {
  test, assert, launch, newContext, noForeignRequestsTest, gotoHome, waitForAnswer, fixture,
  assertMatchesSidecar, collectErrors, within, url,
} from './lib.mjs';

let browser;
let context;
let page;
let errors;

before(async () => {
  browser = await launch();
  context = await newContext(browser);
  page = await context.newPage();
  errors = collectErrors(page);
});
after(async () => {
  await browser?.close();
});

const CHOSEN = ['chrome/refused-document', 'cloudflare/530-1016-origin-dns', 'varnish/live-upstream-timeout-log'];
const DROPPED = ['heroku/503-application-error-chrome', 'fastly/503-first-byte-timeout', 'caddy/live-upstream-refused-error-log'];

for (const id of CHOSEN) {
  test(`choose ${id} with input#file`, async () => {
    const fx = fixture(id);
    await gotoHome(page);
    const type = await page.getAttribute('input#file', 'type');
    assert.equal(type, 'file', 'input#file is not type=file');
    await page.setInputFiles('input#file', fx.path);
    assertMatchesSidecar(await waitForAnswer(page, fx.text, { label: `${id} (chosen file)` }), fx);
  });
}

/** Dispatches dragenter, dragover and drop of a File holding `bytes` onto `selector`. */
async function dropFile(selector, name, bytes, mime) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, b64, mime }) => {
      const raw = atob(b64);
      const buf = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([buf], name, { type: mime }));
      return dt;
    },
    { name, b64: Buffer.from(bytes).toString('base64'), mime },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(selector, type, { dataTransfer }, { timeout: 5_000 });
  }
  await dataTransfer.dispose();
}

const MIME = { har: 'application/json', html: 'text/html', log: 'text/plain', txt: 'text/plain', http: 'message/http' };

for (const id of DROPPED) {
  test(`drop ${id} onto #paste-panel`, async () => {
    const fx = fixture(id);
    await gotoHome(page);
    await within('#paste-panel is missing', () => page.waitForSelector('#paste-panel', { timeout: 5_000 }));
    await dropFile('#paste-panel', basename(fx.path), fx.bytes, MIME[fx.ext]);
    assertMatchesSidecar(await waitForAnswer(page, fx.text, { label: `${id} (dropped file)` }), fx);
  });
}

test('a file dropped on #paste-panel before the app has started is opened once it starts; the page stays', async (t) => {
  const fx = fixture('nginx/live-upstream-timeout-log');
  const ctx = await newContext(browser);
  t.after(() => ctx.close());
  await ctx.addInitScript(() => {
    window.__e2eDrops = [];
    addEventListener('drop', () => window.__e2eDrops.push(document.documentElement.hasAttribute('data-hydrated')), true);
  });
  const p = await ctx.newPage();
  const errs = collectErrors(p);
  const navigations = [];
  await p.goto(url('/'), { waitUntil: 'domcontentloaded' });
  p.on('framenavigated', (f) => navigations.push(f.url()));
  assert.equal(
    await p.evaluate(() => document.documentElement.hasAttribute('data-hydrated')),
    false,
    'the page hydrated before any interaction',
  );
  // dragenter, dragover and drop in one task, so the app (started by the dragenter) cannot be
  // ready before the drop: boot.js must keep the file for it.
  const notCancelled = await p.evaluate(
    ({ name, b64, mime }) => {
      const raw = atob(b64);
      const buf = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(new File([buf], name, { type: mime }));
      const panel = document.querySelector('#paste-panel');
      return ['dragenter', 'dragover', 'drop'].map((type) =>
        panel.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer })),
      );
    },
    { name: basename(fx.path), b64: Buffer.from(fx.bytes).toString('base64'), mime: MIME[fx.ext] },
  );
  // The browser opens a dropped file in place of the page unless dragover and drop are cancelled.
  assert.deepEqual(notCancelled.slice(1), [false, false], `dragover / drop on #paste-panel were not cancelled before the app started (${JSON.stringify(notCancelled)}): the browser would open the file instead of the page`);
  assertMatchesSidecar(await waitForAnswer(p, fx.text, { label: `${fx.id} dropped before the app started` }), fx);
  const drops = await p.evaluate(() => window.__e2eDrops);
  t.diagnostic(`drop arrived ${drops[0] ? 'after' : 'before'} hydration`);
  assert.deepEqual(drops, [false], `expected one drop, before hydration: ${JSON.stringify(drops)}`);
  assert.equal(p.url(), url('/'), 'the page navigated away on the drop');
  assert.deepEqual(navigations, [], `the frame navigated after the drop: ${navigations.join(', ')}`);
  assert.deepEqual(errs, [], errs.join('\n'));
});

test('dropping a second file replaces the first diagnosis', async () => {
  const first = fixture('haproxy/live-upstream-garbage');
  const second = fixture('cloudflare/1020-access-denied');
  await gotoHome(page);
  await dropFile('#paste-panel', basename(first.path), first.bytes, 'text/plain');
  assertMatchesSidecar(await waitForAnswer(page, first.text, { label: first.id }), first);
  await dropFile('#paste-panel', basename(second.path), second.bytes, 'text/html');
  assertMatchesSidecar(await waitForAnswer(page, second.text, { label: second.id }), second);
});

test('no console errors while reading files', () => {
  assert.deepEqual(errors, [], errors.join('\n'));
});

noForeignRequestsTest();
