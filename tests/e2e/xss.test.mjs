// XSS: payloads of the usual families, pasted alone and inside every input form (raw HTTP
// response: status line, header values, body; saved HTML; HAR JSON strings; log lines), shown
// in every view (summary, hops, evidence, #pasted, IDs, both fix tabs, copied report, share
// link). None may execute.
//
// The judge is a page-side trap, not the eye: every payload calls `top.xss(N)` and
// `alert(N)`; an init script defines `xss` to record N, and any dialog fails the test. The
// context bypasses the page's CSP, so what is tested is the site's escaping itself (the CSP is
// checked in privacy.test.mjs): markup that reached the DOM would run here. Control tests
// prove the trap fires when something does run. The DOM under #answer is also checked for
// elements and attributes that can run script.

import { before, after } from 'node:test';
import {
  test, assert, launch, newContext, noForeignRequestsTest, gotoHome, waitForAnswer, waitHydrated,
  within, fixture, url, ORIGIN,
} from './lib.mjs';

const code = (n) => `top.xss(${n});alert(${n})`;

/** [family, payload(n)] */
const FAMILIES = [
  ['script tag', (n) => `<script>${code(n)}</script>`],
  ['img onerror', (n) => `<img src=x onerror="${code(n)}">`],
  ['svg onload', (n) => `<svg onload="${code(n)}">`],
  ['svg script', (n) => `<svg><script>${code(n)}</script></svg>`],
  ['javascript: href', (n) => `<a href="javascript:${code(n)}">click me</a>`],
  ['javascript: iframe src', (n) => `<iframe src="javascript:${code(n)}"></iframe>`],
  ['iframe srcdoc', (n) => `<iframe srcdoc="<script>${code(n)}</script>"></iframe>`],
  ['body onload', (n) => `<body onload="${code(n)}">`],
  ['details ontoggle', (n) => `<details open ontoggle="${code(n)}"><summary>x</summary></details>`],
  ['input autofocus onfocus', (n) => `<input autofocus onfocus="${code(n)}">`],
  ['math/style mutation', (n) => `<math><mtext><table><mglyph><style><img src=x onerror="${code(n)}"></style></mglyph></table></mtext></math>`],
  ['style tag import', (n) => `<style>@import 'javascript:${code(n)}';</style><div style="background:url('javascript:${code(n)}')">x</div>`],
  ['broken markup', (n) => `<img src="x` + `"onerror="${code(n)}"`],
  ['unclosed attribute', (n) => `<img src=x onerror='${code(n)}' <b>`],
  ['entity-escaped script', (n) => `&lt;script&gt;${code(n)}&lt;/script&gt;`],
  ['hex entity script', (n) => `&#x3C;script&#x3E;${code(n)}&#x3C;/script&#x3E;`],
  ['numeric entities in attribute', (n) => `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${code(n)}">x</a><img src=x o&#110;error="${code(n)}">`],
  ['textarea break-out', (n) => `</textarea><script>${code(n)}</script><textarea>`],
  ['comment break', (n) => `--><script>${code(n)}</script><!-- <!--<img src="--><img src=x onerror=${code(n)}//">`],
  ['CSS expression', (n) => `<div style="width:expression(${code(n)})">x</div>`],
  ['meta refresh', (n) => `<meta http-equiv="refresh" content="0;url=javascript:${code(n)}">`],
  ['object data', (n) => `<object data="javascript:${code(n)}"></object><embed src="javascript:${code(n)}">`],
  ['base href', (n) => `<base href="javascript:${code(n)}//"><a href="x">x</a>`],
  ['template', (n) => `<template><img src=x onerror="${code(n)}"></template><template shadowrootmode="open"><img src=x onerror="${code(n)}"></template>`],
  ['noscript', (n) => `<noscript><p title="</noscript><img src=x onerror=${code(n)}>"></noscript>`],
  ['attribute break-out', (n) => `"><script>${code(n)}</script><x a="`],
  ['JS string break-out', (n) => `';${code(n)};//\\';${code(n)};//"`],
  ['nested script filter evasion', (n) => `<scr<script>ipt>${code(n)}</scr</script>ipt>`],
  ['mixed-case javascript:', (n) => `<IMG SRC=JaVaScRiPt:${code(n)}><a href=" &#14;  javascript:${code(n)}">x</a>`],
  ['svg animate', (n) => `<svg><animate onbegin="${code(n)}" attributeName=x dur=1s></svg>`],
  ['contenteditable autofocus', (n) => `<x contenteditable onfocus=${code(n)} autofocus>x</x>`],
  ['video source onerror', (n) => `<video><source onerror="${code(n)}"></video><audio src=x onerror="${code(n)}">`],
  ['form formaction', (n) => `<form><button formaction="javascript:${code(n)}">x</button></form>`],
  ['data: URL', (n) => `<a href="data:text/html,<script>${code(n)}</script>">x</a><iframe src="data:text/html,<script>${code(n)}</script>">`],
  ['URL-encoded', (n) => `%3Cscript%3E${code(n)}%3C/script%3E<img src=x onerror=%22${code(n)}%22>`],
];

// Carriers: how a payload P reaches the page, in each input form.
const CARRIERS = {
  text: (p) => `502 Bad Gateway\n${p}\nCloudflare Ray ID: ${p}\nError code 522 ${p}\nPerformance & security by Cloudflare`,
  'http-reason': (p) =>
    `HTTP/1.1 502 ${p}\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n<html><head><title>502 Bad Gateway</title></head>` +
    `<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\r\n`,
  'http-headers': (p) =>
    `HTTP/1.1 522 Connection Timed Out\r\nServer: cloudflare\r\nCF-RAY: ${p}\r\nX-Request-Id: ${p}\r\n` +
    `X-Amz-Cf-Id: ${p}\r\nVia: ${p}\r\nLocation: javascript:${code(0)}\r\nRetry-After: ${p}\r\n` +
    `Content-Type: text/html\r\n\r\n<title>${p}</title>error code: 522 ${p}`,
  'http-body': (p) =>
    `HTTP/1.1 503 Service Unavailable\r\nServer: Varnish\r\nX-Varnish: 12345\r\nContent-Type: text/html\r\n\r\n` +
    `<!DOCTYPE html><html><head><title>503 Backend fetch failed ${p}</title></head><body><h1>Error 503 Backend fetch failed</h1>` +
    `<p>${p}</p><h3>Guru Meditation:</h3><p>XID: ${p}</p><hr><p>Varnish cache server</p></body></html>`,
  html: (p) =>
    `<!DOCTYPE html><html><head><title>${p} | 521: Web server is down</title></head><body>${p}` +
    `<h1>Web server is down <span>Error code 521</span></h1><p>Cloudflare Ray ID: <strong>${p}</strong></p>` +
    `<p>Performance &amp; security by <a href="javascript:${code(0)}">Cloudflare</a></p></body></html>`,
  har: (p) =>
    JSON.stringify(
      {
        log: {
          version: '1.2',
          creator: { name: p, version: p },
          pages: [{ id: 'page_1', title: p, startedDateTime: '2024-05-01T10:00:00.000Z', pageTimings: {} }],
          entries: [
            {
              pageref: 'page_1',
              startedDateTime: '2024-05-01T10:00:00.000Z',
              time: 12,
              request: {
                method: 'GET', url: `https://example.invalid/${encodeURI(p)}`, httpVersion: 'HTTP/1.1',
                headers: [{ name: 'Referer', value: p }], queryString: [{ name: p, value: p }], cookies: [], headersSize: -1, bodySize: 0,
              },
              response: {
                status: 502, statusText: p, httpVersion: 'HTTP/1.1',
                headers: [{ name: 'server', value: 'cloudflare' }, { name: 'cf-ray', value: p }, { name: 'x-request-id', value: p }],
                cookies: [], content: { size: 100, mimeType: 'text/html', text: `<title>${p}</title>Error code 502 ${p}` },
                redirectURL: `javascript:${code(0)}`, headersSize: -1, bodySize: 100, _error: p,
              },
              cache: {}, timings: { send: 0, wait: 10, receive: 2 },
            },
          ],
        },
      },
      null,
      2,
    ),
  log: (p) =>
    `2024/05/01 10:00:00 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, ` +
    `client: 10.0.0.1, server: ${p}, request: "GET /${p} HTTP/1.1", upstream: "http://127.0.0.1:8080/${p}", host: "${p}"\n` +
    `10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET /${p} HTTP/1.1" 502 157 "${p}" "${p}"\n` +
    `May  1 10:00:00 lb haproxy[99]: 10.0.0.1:5000 [01/May/2024:10:00:00.000] fe be/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET /${p} HTTP/1.1"`,
};
const CARRIER_NAMES = Object.keys(CARRIERS);

// Each payload alone (read as copied text); then all payloads at once, each with its own
// number, inside every carrier (and reopened from a share link).
const CASES = [];
FAMILIES.forEach(([family, make], i) => {
  CASES.push({ name: `#${i + 1} ${family}, alone`, input: make(i + 1) });
});
for (const carrier of CARRIER_NAMES) {
  const all = FAMILIES.map(([, make], i) => make(100 + i)).join(carrier === 'log' ? ' ' : '\n');
  CASES.push({ name: `all payloads (xss(100..${99 + FAMILIES.length})) in ${carrier}`, input: CARRIERS[carrier](all), share: true });
}
// One payload per carrier on its own too, so a carrier that only breaks with one payload shows.
FAMILIES.forEach(([family, make], i) => {
  if (i % 5 !== 1) return;
  const carrier = CARRIER_NAMES[Math.floor(i / 5) % CARRIER_NAMES.length];
  CASES.push({ name: `#${i + 1} ${family}, in ${carrier}`, input: CARRIERS[carrier](make(i + 1)) });
});

let browser;
let context;
let page;
const dialogs = [];

function watch(p) {
  p.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()} (${p.url()})`);
    d.dismiss().catch(() => {});
  });
}

before(async () => {
  browser = await launch();
  context = await newContext(browser, { bypassCSP: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  await context.addInitScript(() => {
    window.__xss = [];
    window.xss = (n) => window.__xss.push(n);
  });
  context.on('page', watch);
  page = await context.newPage();
});
after(async () => {
  await browser?.close();
});

const trapped = (p = page) => p.evaluate(() => [...(window.__xss ?? [])]);

test(`there are at least 25 payload families (${FAMILIES.length}) and ${CASES.length} cases`, () => {
  assert.ok(FAMILIES.length >= 25);
});

test('control: the trap sees script that runs, and dialogs are caught', async () => {
  await gotoHome(page);
  await page.evaluate(() => xss(0));
  assert.deepEqual(await trapped(), [0], 'xss(0) evaluated in the page was not recorded');
  // Markup that reaches the DOM runs here (CSP bypassed), so an unescaped payload would show.
  await page.evaluate(() => {
    const d = document.createElement('div');
    d.id = 'e2e-control';
    d.innerHTML = '<img src="data:," onerror="top.xss(-1)">';
    document.body.append(d);
  });
  await within('the control payload inserted as HTML did not reach the trap', () =>
    page.waitForFunction(() => window.__xss.includes(-1), null, { timeout: 5_000 }),
  );
  const before = dialogs.length;
  const seen = page.waitForEvent('dialog', { timeout: 3_000 }).catch(() => null);
  await page.evaluate(() => setTimeout(() => alert('control'), 0));
  assert.ok(await seen, 'the control alert() was not seen as a dialog');
  assert.ok(dialogs.length > before, 'the dialog watcher did not record the control alert()');
  dialogs.length = 0;
  await page.reload();
  await waitHydrated(page);
  assert.deepEqual(await trapped(), [], 'the trap is not reset by a reload');
});

/** Elements and attributes under #answer that could run script. */
async function dangerousDom(p = page) {
  return p.evaluate(() => {
    const found = [];
    const BANNED = 'script,iframe,frame,frameset,img,svg,math,object,embed,base,meta,link,style,form,video,audio,source,template,noscript,portal';
    for (const root of document.querySelectorAll('#answer, #pasted, #input-error')) {
      for (const el of root.querySelectorAll(BANNED)) found.push(`<${el.localName}> in #${root.id}`);
      for (const el of [root, ...root.querySelectorAll('*')]) {
        for (const a of el.attributes) {
          const name = a.name.toLowerCase();
          if (name.startsWith('on')) found.push(`${name}= on <${el.localName}> in #${root.id}`);
          if (name === 'srcdoc' || name === 'formaction') found.push(`${name}= on <${el.localName}>`);
          if (/^(href|src|action|data|xlink:href|poster|background)$/.test(name) &&
            /^[\s\0-\x1f]*(javascript|data|vbscript):/i.test(a.value)) {
            found.push(`${name}="${a.value.slice(0, 40)}" on <${el.localName}>`);
          }
          if (name === 'style' && /expression\s*\(|javascript:/i.test(a.value)) found.push(`style="${a.value.slice(0, 40)}"`);
        }
      }
    }
    // Outside the answer too: no element anywhere carries an inline handler.
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) if (a.name.toLowerCase().startsWith('on')) found.push(`${a.name}= on <${el.localName}> (page)`);
    }
    return [...new Set(found)];
  });
}

/** Touches every view of the answer: both tabs, everything expandable, copy buttons, report. */
async function exerciseViews(p = page) {
  if (!(await p.$('#answer'))) return;
  for (const tab of ['#tab-visitor', '#tab-owner', '#tab-visitor']) {
    const el = await p.$(tab);
    assert.ok(el, `${tab} is missing`);
    await el.click({ timeout: 3_000 });
  }
  await p.evaluate(() => document.querySelectorAll('#answer details').forEach((d) => { d.open = true; }));
  for (const b of await p.$$('#answer [aria-expanded="false"]')) await b.click({ timeout: 3_000 }).catch(() => {});
  for (const b of await p.$$('#answer #ids button.copy')) await b.click({ timeout: 3_000 });
  await p.click('button#copy-report', { timeout: 3_000 });
  await p.evaluate(() => navigator.clipboard.readText());
  // Let any deferred handler (autofocus, animation begin, image error) fire.
  await p.waitForTimeout(60);
}

async function verdict(p, label) {
  const fired = await trapped(p);
  const dom = await dangerousDom(p);
  const problems = [];
  if (fired.length) problems.push(`payloads executed: xss(${fired.join('), xss(')})`);
  if (dialogs.length) problems.push(`dialogs opened: ${dialogs.join('; ')}`);
  if (dom.length) problems.push(`dangerous DOM: ${dom.join('; ')}`);
  assert.deepEqual(problems, [], `${label}:\n  ${problems.join('\n  ')}`);
}

for (const c of CASES) {
  test(`xss: ${c.name}`, async () => {
    // Each case starts clean: a fresh page if anything ran or is left over from the last one.
    if (!page.url().startsWith(ORIGIN) || dialogs.length || (await trapped()).length || (await page.$('#e2e-control'))) {
      await gotoHome(page);
    }
    dialogs.length = 0;
    await page.fill('#paste', c.input);
    // Judge execution first: a page that renders the payload as markup also fails to show it
    // as text, and the report should say the payload ran, not only that the answer is wrong.
    const shown = await waitForAnswer(page, c.input, { allowError: true, label: c.name }).catch((e) => e);
    if (!(shown instanceof Error)) await exerciseViews(page);
    await verdict(page, c.name);
    if (shown instanceof Error) throw shown;
    if (c.share && (await page.$('button#share'))) {
      await page.click('button#share');
      const link = await within(`${c.name}: no share link`, () =>
        page.waitForFunction(() => document.querySelector('input#share-link')?.value, null, { timeout: 5_000 }),
      ).then((h) => h.jsonValue());
      const p2 = await context.newPage();
      try {
        await p2.goto(link, { waitUntil: 'load' });
        await waitHydrated(p2);
        await waitForAnswer(p2, c.input, { allowError: true, label: `${c.name} via share link` });
        await exerciseViews(p2);
        await verdict(p2, `${c.name} via share link`);
      } finally {
        await p2.close();
      }
    }
  });
}

test('xss: payloads in the address (query, fragment, path) of every kind of page', async () => {
  const p = await context.newPage();
  try {
    const payload = encodeURIComponent(`<img src=x onerror="${code(900)}"><script>${code(901)}</script>`);
    for (const path of [`/?q=${payload}`, `/#${payload}`, `/#d=${payload}`, `/status/502/?x=${payload}#${payload}`,
      `/source/cloudflare/#${payload}`, `/${payload}/`]) {
      await p.goto(url(path), { waitUntil: 'load' });
      if (await p.$('#paste')) await waitHydrated(p);
      else await p.waitForTimeout(300);
      await verdict(p, path);
    }
  } finally {
    await p.close();
  }
});

test('xss: a fixture still diagnoses normally in this context (the checks are not vacuous)', async () => {
  const fx = fixture('cloudflare/502-nginx-behind-cloudflare');
  await gotoHome(page);
  await page.fill('#paste', fx.text);
  const got = await waitForAnswer(page, fx.text, { label: fx.id });
  assert.equal(got.source, 'nginx');
  await exerciseViews(page);
  await verdict(page, fx.id);
});

noForeignRequestsTest();
