// The diagnose page: every input form pasted, checked against the fixtures' sidecars; the
// debounce; focus on load; unreadable input; the gallery.

import { before, after } from 'node:test';
import {
  test, assert, launch, newContext, noForeignRequestsTest, gotoHome, pasteAndWait, waitForAnswer,
  fixture, assertMatchesSidecar, answerState, debounceMs, collectErrors, within, sleep, url,
  interact, ORIGIN, norm,
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
  'django/500-handwritten',
  'chrome/error-page-saved',
  'openresty/413-too-large',
  // text copied off the screen
  'cloudflare/522-connection-timed-out',
  'chrome/dns-nxdomain',
  'firefox/dns-not-found',
  'nginx/gateway-timeout-copied',
  'wordpress/critical-error-copied',
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
    // document.documentElement does not exist yet when an init script runs: watch the document.
    await ctx.addInitScript((text) => {
      new MutationObserver((_, o) => {
        if (!document.documentElement.hasAttribute('data-hydrated')) return;
        o.disconnect();
        const ta = document.querySelector('#paste');
        ta.value = text;
        ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
        window.__e2ePastedAtHydration = true;
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
    }, text);
    const p = await ctx.newPage();
    await p.goto(url('/'), { waitUntil: 'load' });
    await interact(p); // the app starts on the first interaction
    const got = await waitForAnswer(p, text, { label: 'a paste made when data-hydrated was set', timeout: 5_000 }).catch((e) => e);
    assert.equal(await p.evaluate(() => window.__e2ePastedAtHydration), true, 'the test did not paste when data-hydrated was set');
    assert.ok(
      !(got instanceof Error),
      'an input event dispatched when html[data-hydrated] was set was lost: the attribute is set ' +
        'before the page listens (docs/site.md: "set once the wasm has hydrated the page")',
    );
  } finally {
    await ctx.close();
  }
});

// The app starts on the first interaction (crates/site/static/boot.js): reading a page starts
// nothing, and whatever a person does before the app is ready is not lost.

/** A fresh context and page that records, in the page, when the app hydrated and answered. */
async function freshPage(t) {
  const ctx = await newContext(browser);
  t.after(() => ctx.close());
  await ctx.addInitScript(() => {
    const T = (window.__e2eStart = { hydrated: null, answer: null, clicks: [], drops: [] });
    const mark = () => {
      if (T.hydrated === null && document.documentElement.hasAttribute('data-hydrated')) T.hydrated = performance.now();
      if (T.answer === null && document.querySelector('#answer[data-source-id]')) T.answer = performance.now();
    };
    new MutationObserver(mark).observe(document, { subtree: true, childList: true, attributes: true });
    // Whether the page had hydrated when a click or a drop arrived (capture, before boot.js).
    const hydrated = () => document.documentElement.hasAttribute('data-hydrated');
    addEventListener('click', (e) => T.clicks.push({ hydrated: hydrated(), trusted: e.isTrusted }), true);
    addEventListener('drop', () => T.drops.push({ hydrated: hydrated() }), true);
  });
  const p = await ctx.newPage();
  const errs = collectErrors(p);
  return { ctx, p, errs };
}

const isHydrated = (p) => p.evaluate(() => document.documentElement.hasAttribute('data-hydrated'));

test('reading starts nothing: 1.5 s after load with no interaction the page is not hydrated, yet complete', async (t) => {
  const { p, errs } = await freshPage(t);
  const pkg = [];
  p.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/pkg/')) pkg.push(path);
  });
  await p.goto(url('/'), { waitUntil: 'load' });
  await sleep(1500);
  assert.equal(await isHydrated(p), false, 'html[data-hydrated] is set 1.5 s after load with no interaction: the app was started by reading');
  const h1 = (await p.textContent('h1'))?.trim();
  assert.ok(h1, 'the unhydrated home page has no h1 text');
  const examples = await p.$$eval('button.example', (bs) => bs.map((b) => b.getAttribute('data-example')));
  assert.ok(examples.length >= 3 && examples.every(Boolean), `the unhydrated page's gallery has ${examples.length} button.example: ${JSON.stringify(examples)}`);
  assert.ok(await p.$('textarea#paste'), 'the unhydrated page has no textarea#paste');
  assert.equal(await p.$('#answer'), null, 'the unhydrated page shows an #answer');
  // Fetched in the background (so the first interaction does not wait for the network): the
  // home page's own build, not the full one.
  assert.ok(pkg.includes('/pkg/home/culprit_site_bg.wasm'), `the home build's wasm was not fetched in the background (/pkg/ requests: ${JSON.stringify(pkg)})`);
  assert.ok(!pkg.includes('/pkg/culprit_site_bg.wasm'), `the home page fetched the full build: ${JSON.stringify(pkg)}`);
  assert.deepEqual(errs, [], errs.join('\n'));
});

test('text filled in before the app has started is diagnosed at once when it starts', async (t) => {
  const fx = fixture('aws-elb/502-alb');
  const { p, errs } = await freshPage(t);
  await p.goto(url('/'), { waitUntil: 'domcontentloaded' });
  assert.equal(await isHydrated(p), false, 'the page hydrated before any interaction');
  await p.fill('#paste', fx.text, { timeout: 10_000 });
  assertMatchesSidecar(await waitForAnswer(p, fx.text, { label: `${fx.id} filled before the app started` }), fx);
  const debounce = await debounceMs(p);
  const T = await p.evaluate(() => window.__e2eStart);
  // The page's own measure of its last diagnosis (start of diagnosis to rendered answer; the
  // first one includes building the core's matcher): when the diagnosis started.
  const took = await p.evaluate(() => window.__culpritLastDiagnoseMs);
  assert.ok(T.hydrated !== null && T.answer !== null, `marks missing: ${JSON.stringify(T)}`);
  assert.equal(typeof took, 'number', 'window.__culpritLastDiagnoseMs is not set after the diagnosis');
  const startedAfterHydration = T.answer - took - T.hydrated;
  t.diagnostic(`hydrated at ${T.hydrated.toFixed(0)} ms, answer at ${T.answer.toFixed(0)} ms, diagnosis + render ${took.toFixed(1)} ms, so the diagnosis started ${startedAfterHydration.toFixed(0)} ms after hydration; debounce ${debounce} ms`);
  assert.ok(
    startedAfterHydration < debounce * 0.9,
    `the text that was there when the app started was diagnosed ${startedAfterHydration.toFixed(0)} ms after ` +
      `hydration: it waited for the ${debounce} ms debounce instead of being diagnosed at once`,
  );
  assert.deepEqual(errs, [], errs.join('\n'));
});

for (const how of ['mouse', 'keyboard']) {
  test(`a gallery example activated by ${how} before the app has started is shown once it starts (the click is replayed)`, async (t) => {
    const { p, errs } = await freshPage(t);
    // Hold the app's wasm back for a moment, so the click surely arrives while the app is
    // still starting and must be replayed (on a fast run the app could otherwise be ready
    // between the key's down and its click).
    await p.route('**/pkg/home/culprit_site_bg.wasm', async (route) => {
      await sleep(3_000);
      await route.continue();
    });
    await p.goto(url('/'), { waitUntil: 'domcontentloaded' });
    assert.equal(await isHydrated(p), false, 'the page hydrated before any interaction');
    const name = await p.getAttribute('button.example', 'data-example');
    assert.ok(name, 'the first button.example has no data-example');
    const text = await (await fetch(url(`/examples/${encodeURIComponent(name)}.txt`))).text();
    const sel = `button.example[data-example="${name}"]`;
    if (how === 'mouse') {
      await p.click(sel, { timeout: 5_000 });
    } else {
      // Enter on a focused button: its keydown starts the app and the click follows at
      // once, so the click always arrives while the app is starting.
      await p.focus(sel);
      await p.keyboard.press('Enter');
    }
    const got = await waitForAnswer(p, text, { label: `example ${name} activated by ${how} before the app started` });
    assert.ok(got.source && got.source !== 'none', `example ${name} gave source ${got.source}`);
    assert.equal(norm(await p.inputValue('#paste')), norm(text), `example ${name}: the paste area does not hold the example`);
    const T = await p.evaluate(() => window.__e2eStart);
    t.diagnostic(`the ${how} click arrived ${T.clicks[0]?.hydrated ? 'after' : 'before'} html[data-hydrated]; clicks seen: ${JSON.stringify(T.clicks)}`);
    assert.ok(T.clicks.length >= 1, 'no click event was seen');
    assert.equal(T.clicks[0].hydrated, false, `the click did not arrive before hydration, so nothing was replayed: ${JSON.stringify(T.clicks)}`);
    assert.deepEqual(errs, [], errs.join('\n'));
  });
}

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
