// Share links (input in the fragment only) and copying: the Markdown report and each ID.

import { before, after } from 'node:test';
import { inflateRawSync, deflateRawSync } from 'node:zlib';
import {
  test, assert, launch, newContext, noForeignRequestsTest, gotoHome, pasteAndWait, waitForAnswer,
  waitHydrated, fixture, assertMatchesSidecar, collectErrors, within, ORIGIN, url,
} from './lib.mjs';

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

const lf = (s) => s.replace(/\r\n?/g, '\n');

async function clipboard(p = page) {
  return p.evaluate(() => navigator.clipboard.readText());
}

/** Clears the clipboard so a copy that silently does nothing cannot pass. */
async function clearClipboard(p = page) {
  await p.evaluate(() => navigator.clipboard.writeText('(nothing copied yet)'));
}

async function share(p, label) {
  await p.click('button#share', { timeout: 5_000 });
  await within(`${label}: input#share-link did not appear after clicking button#share`, () =>
    p.waitForFunction(() => document.querySelector('input#share-link')?.value, null, { timeout: 5_000 }),
  );
  return p.inputValue('input#share-link');
}

for (const id of ['cloudflare/502-nginx-behind-cloudflare', 'chrome/refused-document', 'squid/live-upstream-refused-log']) {
  test(`share-link round trip: ${id}`, async () => {
    const fx = fixture(id);
    await gotoHome(page);
    const got = await pasteAndWait(page, fx.text, { label: id });
    assertMatchesSidecar(got, fx);
    const link = await share(page, id);
    const u = new URL(link);
    assert.equal(u.origin, ORIGIN, `the share link ${link} is not same-origin`);
    assert.equal(u.pathname, '/', `the share link's path is ${u.pathname}, not /`);
    assert.equal(u.search, '', `the share link has a query (${u.search}): the input must stay in the fragment`);
    assert.ok(u.hash.startsWith('#d='), `the share link's fragment does not start with #d=: ${u.hash.slice(0, 40)}`);
    // The fragment is base64url of deflate-raw of the UTF-8 input (docs/site.md).
    const b64 = u.hash.slice(3);
    assert.match(b64, /^[A-Za-z0-9_-]+$/, 'the fragment is not base64url');
    const decoded = inflateRawSync(Buffer.from(b64, 'base64url')).toString('utf8');
    assert.equal(lf(decoded), lf(fx.text), 'the fragment does not decode to the pasted input');
    // Nothing of the input outside the fragment.
    const outside = link.slice(0, link.indexOf('#'));
    assert.equal(outside, url('/'), 'the share link carries more than the origin and / before the fragment');
    // The status message says what happened.
    const status = await page.textContent('#status-message');
    assert.ok(status && status.trim(), '#status-message is empty after sharing');

    // A fresh context (no storage, no cache) opening the link shows the same answer.
    const other = await newContext(browser);
    try {
      const p2 = await other.newPage();
      const errs2 = collectErrors(p2);
      await p2.goto(link, { waitUntil: 'load', timeout: 20_000 });
      // A share link starts the app by itself: no interaction here.
      await waitHydrated(p2, 20_000, { interact: false });
      const again = await waitForAnswer(p2, fx.text, { label: `${id} via share link` });
      assert.deepEqual(again, got, 'the shared link gives another answer');
      assert.equal(lf(await p2.inputValue('#paste')), lf(fx.text), 'the textarea does not hold the shared input');
      assert.deepEqual(errs2, [], errs2.join('\n'));
    } finally {
      await other.close();
    }
  });
}

test('a share link made outside the page restores and diagnoses with no interaction at all', async () => {
  const fx = fixture('haproxy/live-no-server');
  const link = url(`/#d=${deflateRawSync(Buffer.from(fx.text, 'utf8')).toString('base64url')}`);
  const other = await newContext(browser);
  try {
    const p = await other.newPage();
    const errs = collectErrors(p);
    await p.goto(link, { waitUntil: 'load', timeout: 20_000 });
    await waitHydrated(p, 20_000, { interact: false });
    assertMatchesSidecar(await waitForAnswer(p, fx.text, { label: `${fx.id} via a share link, no interaction` }), fx);
    assert.equal(lf(await p.inputValue('#paste')), lf(fx.text), 'the textarea does not hold the shared input');
    assert.deepEqual(errs, [], errs.join('\n'));
  } finally {
    await other.close();
  }
});

test('a broken share fragment does not break the page', async () => {
  const p = await context.newPage();
  try {
    const errs = collectErrors(p);
    await p.goto(url('/#d=%%%not-base64!!'), { waitUntil: 'load' });
    await waitHydrated(p);
    assert.equal(await p.$('#answer'), null, 'a garbage fragment produced an #answer');
    await p.fill('#paste', 'HTTP/1.1 503 Service Unavailable\r\nServer: Varnish\r\n\r\n');
    await waitForAnswer(p, 'HTTP/1.1 503 Service Unavailable\nServer: Varnish\n', { label: 'paste after garbage fragment' });
    assert.deepEqual(errs.filter((e) => e.startsWith('pageerror')), [], errs.join('\n'));
  } finally {
    await p.close();
  }
});

test('copy report: Markdown with status, source, failing hop, every ID and a time', async () => {
  const fx = fixture('cloudflare/502-nginx-behind-cloudflare');
  await gotoHome(page);
  const got = await pasteAndWait(page, fx.text, { label: fx.id });
  const ids = await copiedIds();
  assert.ok(ids.length >= 2, `expected the Ray ID and the POP in #ids, got ${JSON.stringify(ids)}`);
  await clearClipboard();
  await page.click('button#copy-report', { timeout: 5_000 });
  const report = await within('the clipboard did not change after button#copy-report', () =>
    page.waitForFunction(
      async () => {
        const t = await navigator.clipboard.readText();
        return t !== '(nothing copied yet)' && t;
      },
      null,
      { timeout: 5_000 },
    ),
  ).then((h) => h.jsonValue());
  const sourceName = fx.snapshot.source.name;
  // Markdown escapes (`\_`, `\*`, ...) aside, the report says what the page says.
  const plain = report.replace(/\\(.)/g, '$1');
  const hopSentence = fx.snapshot.failing_hop.explanation;
  const problems = [];
  if (!/^#{1,3} |\n#{1,3} |\*\*[^*]+\*\*|\n[-*] |\n\d+\. |\|.*\|/.test(report)) problems.push('no Markdown (heading, bold, list or table)');
  if (!report.includes(got.status)) problems.push(`no status ${got.status}`);
  if (!plain.includes(sourceName)) problems.push(`no source name ${sourceName}`);
  if (!/failing hop/i.test(plain)) problems.push('no "failing hop" line');
  if (!plain.includes(hopSentence)) problems.push(`no failing-hop explanation ${JSON.stringify(hopSentence)}`);
  const shownHop = (await page.textContent('#answer')) ?? '';
  if (!shownHop.includes(hopSentence)) problems.push('the page itself does not show the failing-hop explanation');
  for (const id of ids) if (!report.includes(id)) problems.push(`no ID ${id}`);
  if (!/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\b\d{1,2}:\d{2}(:\d{2})?\b/.test(report)) problems.push('no time');
  assert.deepEqual(problems, [], `the copied report lacks: ${problems.join('; ')}\n---\n${report}\n---`);
  const status = await page.textContent('#status-message');
  assert.ok(status && status.trim(), '#status-message says nothing after copying the report');
});

/** Clicks each `#ids button.copy` and returns what each put on the clipboard. */
async function copiedIds() {
  const buttons = await page.$$('#answer #ids button.copy');
  const idsText = await page.textContent('#answer #ids');
  const values = [];
  for (const b of buttons) {
    await clearClipboard();
    await b.click({ timeout: 5_000 });
    const v = await within('a copy button in #ids put nothing on the clipboard', () =>
      page.waitForFunction(
        async () => {
          const t = await navigator.clipboard.readText();
          return t !== '(nothing copied yet)' && t;
        },
        null,
        { timeout: 5_000 },
      ),
    ).then((h) => h.jsonValue());
    assert.equal(v, v.trim(), `a copied ID has surrounding whitespace: ${JSON.stringify(v)}`);
    assert.ok(idsText.includes(v), `copied ${JSON.stringify(v)}, which #ids does not show`);
    values.push(v);
  }
  return values;
}

test('each ID copy button copies the exact value', async () => {
  for (const id of ['cloudflare/502-nginx-behind-cloudflare', 'akamai/403-access-denied', 'vercel/504-function-timeout']) {
    const fx = fixture(id);
    await gotoHome(page);
    await pasteAndWait(page, fx.text, { label: id });
    const copied = await copiedIds();
    const expected = fx.snapshot.ids.map((i) => i.value);
    assert.deepEqual([...copied].sort(), [...expected].sort(), `${id}: copied IDs differ from the diagnosis's IDs`);
    for (const must of fx.sidecar.ids ?? []) assert.ok(copied.includes(must), `${id}: ${must} was not copyable`);
  }
});

test('no console errors while sharing and copying', () => {
  assert.deepEqual(errors, [], errors.join('\n'));
});

noForeignRequestsTest();
