// The diagnose page: every input form pasted, checked against the fixtures' sidecars; the
// debounce; focus on load; unreadable input; the gallery.

import { before, after } from 'node:test';
import {
  test, assert, launch, newContext, noForeignRequestsTest, gotoHome, pasteAndWait, waitForAnswer,
  fixture, assertMatchesSidecar, answerState, debounceMs, collectErrors, within, sleep, url,
  ORIGIN, norm,
} from './lib.mjs';

// At least one fixture per input form and per failing hop, across products. Each sidecar
// (`<name>.toml`) holds the expectations; the answer must match it.
const TABLE = [
  // raw HTTP responses and curl output
  'cloudflare/502-nginx-behind-cloudflare',
  'cloudflare/524-timeout-curl-v',
  'aws-elb/502-alb',
  'aws-elb/503-no-healthy-targets-curl-v',
  'haproxy/live-no-server',
  'haproxy/live-denied',
  'varnish/live-upstream-refused',
  'squid/live-upstream-timeout',
  'google/502-load-balancer',
  'apache/live-upstream-refused',
  'vercel/404-deployment-not-found',
  'tinyproxy/live-access-denied',
  'none/article-200',
  // saved HTML pages
  'cloudflare/521-web-server-down',
  'cloudfront/403-request-blocked',
  'custom/django-500',
  'chrome/error-page-saved',
  'openresty/413-too-large',
  // text copied off the screen
  'cloudflare/522-connection-timed-out',
  'chrome/dns-nxdomain',
  'firefox/dns-not-found',
  'nginx/gateway-timeout-copied',
  'custom/wordpress-critical-error-copied',
  'vercel/504-function-timeout',
  // HAR files
  'chrome/refused-document',
  'heroku/503-application-error-chrome',
  // log lines
  'nginx/live-upstream-refused-log',
  'haproxy/live-no-server-log',
  'envoy/access-log-uf',
  'iis/w3c-log-502-3',
  'heroku/h10-app-crashed',
  'squid/live-upstream-timeout-log',
].map(fixture);

let browser;
let context;
let page;
let errors;

before(async () => {
  browser = await launch();
  context = await newContext(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  page = await context.newPage();
  errors = collectErrors(page);
});
after(async () => {
  await browser?.close();
});

test('the fixture table covers every input form and at least 12 products', () => {
  const forms = new Set(TABLE.map((f) => f.sidecar.form));
  for (const form of ['http', 'html', 'text', 'har', 'log']) {
    assert.ok(forms.has(form), `no fixture of form ${form}`);
  }
  const products = new Set(TABLE.map((f) => f.id.split('/')[0]));
  assert.ok(products.size >= 12, `only ${products.size} products`);
});

test('the paste area is focused once the page has hydrated', async () => {
  await gotoHome(page);
  const active = await page.evaluate(() => document.activeElement?.id ?? null);
  assert.equal(active, 'paste', 'document.activeElement is not textarea#paste after hydration');
  assert.equal(await page.$('#answer'), null, 'an empty home page already shows an #answer');
});

for (const fx of TABLE) {
  test(`paste ${fx.id}.${fx.ext} (${fx.sidecar.form}) → ${fx.sidecar.source}`, async () => {
    if (!page.url().startsWith(ORIGIN)) await gotoHome(page);
    const got = await pasteAndWait(page, fx.text, { label: fx.id });
    assertMatchesSidecar(got, fx);
    // The hop diagram marks the failing hop, as the contract says.
    const hops = await page.$$eval('#answer ol.hops li[data-hop]', (lis) =>
      lis.map((li) => ({
        hop: li.getAttribute('data-hop'),
        failing: li.classList.contains('failing'),
        current: li.getAttribute('aria-current'),
      })),
    );
    assert.ok(hops.length > 0, `${fx.id}: no li[data-hop] in #answer ol.hops`);
    const failing = hops.filter((h) => h.failing);
    if (got.hop && got.hop !== 'unknown') {
      assert.equal(failing.length, 1, `${fx.id}: expected one li.failing, got ${JSON.stringify(hops)}`);
      assert.equal(failing[0].hop, got.hop, `${fx.id}: li.failing is not the data-failing-hop`);
      assert.equal(failing[0].current, 'step', `${fx.id}: the failing li lacks aria-current="step"`);
    }
    // IDs the sidecar says must be found are shown in #ids.
    if (fx.sidecar.ids?.length) {
      const ids = await page.textContent('#answer #ids');
      for (const id of fx.sidecar.ids) {
        assert.ok(ids?.includes(id), `${fx.id}: #ids does not show ${id}: ${JSON.stringify(ids)}`);
      }
    }
    const summary = await page.textContent('#answer #summary');
    assert.ok(summary && summary.trim().length > 10, `${fx.id}: #summary is empty`);
  });
}

test('a paste the moment html[data-hydrated] appears is diagnosed (hydration really is done)', async () => {
  const ctx = await newContext(browser);
  try {
    const text = fixture('nginx/live-upstream-refused').text;
    await ctx.addInitScript((text) => {
      new MutationObserver((_, o) => {
        if (!document.documentElement.hasAttribute('data-hydrated')) return;
        o.disconnect();
        const ta = document.querySelector('#paste');
        ta.value = text;
        ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
      }).observe(document.documentElement, { attributes: true });
    }, text);
    const p = await ctx.newPage();
    await p.goto(url('/'), { waitUntil: 'load' });
    const got = await waitForAnswer(p, text, { label: 'a paste made when data-hydrated was set', timeout: 5_000 }).catch((e) => e);
    assert.ok(
      !(got instanceof Error),
      'an input event dispatched when html[data-hydrated] was set was lost: the attribute is set ' +
        'before the page listens (docs/site.md: "set once the wasm has hydrated the page")',
    );
  } finally {
    await ctx.close();
  }
});

test('keyboard.insertText (an input event as a paste makes) diagnoses', async () => {
  const fx = fixture('cloudflare/523-origin-unreachable');
  await gotoHome(page);
  await page.focus('#paste');
  await page.keyboard.insertText(fx.text);
  assertMatchesSidecar(await waitForAnswer(page, fx.text, { label: fx.id }), fx);
});

test('a real Ctrl+V paste from the clipboard diagnoses', async () => {
  const fx = fixture('fastly/503-backend-unhealthy');
  await gotoHome(page);
  await page.evaluate((t) => navigator.clipboard.writeText(t), fx.text);
  await page.focus('#paste');
  await page.keyboard.press('ControlOrMeta+V');
  assertMatchesSidecar(await waitForAnswer(page, fx.text, { label: `${fx.id} (Ctrl+V)` }), fx);
});

test('a synthetic paste event carrying the text diagnoses', async () => {
  // A paste event the page did not get from the browser: a handler that reads
  // clipboardData, or the browser's own insertion, must both end in a diagnosis. Some
  // browsers ignore untrusted paste events; the page must then still diagnose the text the
  // event would have inserted, so we also insert it ourselves if the page did not.
  const fx = fixture('nginx/live-upstream-timeout');
  await gotoHome(page);
  const inserted = await page.evaluate((t) => {
    const ta = document.querySelector('#paste');
    ta.focus();
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
    const notCancelled = ta.dispatchEvent(ev);
    return { notCancelled, value: ta.value };
  }, fx.text);
  if (inserted.value === '' && inserted.notCancelled) {
    // The page left the event to the browser (which does not act on untrusted events):
    // insert the text as the browser would have.
    await page.keyboard.insertText(fx.text);
  }
  assertMatchesSidecar(await waitForAnswer(page, fx.text, { label: `${fx.id} (paste event)` }), fx);
});

test('button#paste-clipboard diagnoses what the clipboard holds', async () => {
  const fx = fixture('google/502-robot-copied');
  await gotoHome(page);
  await page.evaluate((t) => navigator.clipboard.writeText(t), fx.text);
  await page.click('button#paste-clipboard', { timeout: 5_000 });
  assertMatchesSidecar(await waitForAnswer(page, fx.text, { label: `${fx.id} (clipboard button)` }), fx);
});

test('typing is debounced: no answer sooner than the debounce after a key, and one comes without pressing anything', async () => {
  await gotoHome(page);
  const debounce = await debounceMs(page);
  assert.ok(debounce > 0 && debounce <= 1000, `data-debounce-ms=${debounce} is not a debounce`);
  // Record, in the page, when each key went in and when #answer first appeared.
  await page.evaluate(() => {
    window.__e2e = { keys: [], answerAt: null };
    document.querySelector('#paste').addEventListener('input', () => window.__e2e.keys.push(performance.now()));
    const seen = () => {
      if (window.__e2e.answerAt === null && document.querySelector('#answer')) {
        window.__e2e.answerAt = performance.now();
      }
    };
    new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  const typed = 'HTTP/1.1 502 Bad Gateway Server: nginx';
  await page.focus('#paste');
  // Keys come faster than the debounce, so no diagnosis may happen while typing.
  const delay = Math.max(5, Math.min(40, Math.floor(debounce / 4)));
  await page.keyboard.type(typed, { delay });
  await waitForAnswer(page, typed, { label: 'typed text', allowError: true });
  const t = await page.evaluate(() => window.__e2e);
  assert.equal(t.keys.length, typed.length, 'not every key made an input event');
  assert.ok(t.answerAt !== null, 'no #answer appeared after typing');
  // Whatever the pace of typing on a busy machine, the first answer comes no sooner than the
  // debounce after the key before it (a page diagnosing on every key answers within ms).
  const keyBefore = t.keys.filter((k) => k <= t.answerAt).at(-1);
  const gap = t.answerAt - keyBefore;
  assert.ok(
    gap >= debounce * 0.9,
    `#answer appeared ${gap.toFixed(0)} ms after a key, before the ${debounce} ms debounce ran out: ` +
      `typing is not debounced (keys at ${JSON.stringify(t.keys.map((k) => Math.round(k - t.keys[0])))} ms, ` +
      `answer at ${Math.round(t.answerAt - t.keys[0])} ms)`,
  );
});

test('an empty paste shows no answer', async () => {
  const fx = fixture('haproxy/live-upstream-timeout');
  await gotoHome(page);
  await pasteAndWait(page, fx.text, { label: fx.id });
  await page.fill('#paste', '');
  await within('after clearing the paste area the #answer stayed', () =>
    page.waitForFunction(() => !document.querySelector('#answer'), null, { timeout: 5_000 }),
  );
  const s = await answerState(page);
  assert.equal(s.answer, null);
});

test('unreadable input (a file of NUL bytes) shows #input-error or no answer', async () => {
  await gotoHome(page);
  const debounce = await debounceMs(page);
  await page.setInputFiles('input#file', {
    name: 'nul.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(4096),
  });
  await sleep(debounce + 700);
  const s = await answerState(page);
  assert.ok(!(s.answer && s.error), 'both #answer and #input-error are shown');
  if (s.answer) {
    assert.fail(`a file of NUL bytes was diagnosed: ${JSON.stringify(s.answer)}`);
  }
  if (s.error !== null) {
    const role = await page.getAttribute('#input-error', 'role');
    assert.equal(role, 'alert', '#input-error lacks role=alert');
    assert.ok(s.error.length > 0, '#input-error is empty');
  }
});

test('every gallery example produces a diagnosis with a source', async () => {
  await gotoHome(page);
  const names = await page.$$eval('button.example', (bs) => bs.map((b) => b.getAttribute('data-example')));
  assert.ok(names.length >= 3, `the gallery has ${names.length} button.example`);
  for (const name of names) {
    assert.ok(name, 'a button.example has no data-example');
    const res = await fetch(url(`/examples/${encodeURIComponent(name)}.txt`));
    assert.equal(res.status, 200, `/examples/${name}.txt answered ${res.status}`);
    const text = await res.text();
    await page.click(`button.example[data-example="${name}"]`, { timeout: 5_000 });
    const got = await waitForAnswer(page, text, { label: `example ${name}` });
    assert.equal(got.kind, 'answer');
    assert.ok(got.source && got.source !== 'none', `example ${name} gave source ${got.source}`);
    // The example's text lands in the paste area, so it can be edited.
    const value = await page.inputValue('#paste');
    assert.equal(norm(value), norm(text), `example ${name}: the paste area does not hold the example`);
  }
});

test('no console errors on the diagnose page', () => {
  assert.deepEqual(errors, [], errors.join('\n'));
});

noForeignRequestsTest();
