// The first diagnosis in a fresh wasm instance (issue #7's "instant first answer"): the
// extension's release build is instantiated in a new page, nine times, and the time of its
// first diagnosis of a 7.5 KB Cloudflare page is reported against the 20 ms budget, with the
// instantiation and a second, warm diagnosis beside it. The answer itself is checked. The
// test fails when the median passes 30 ms: the build before the suffix matcher (an automaton
// built on first use, and the core's stages inlined into one 35 KB function that V8
// compiled lazily) measured a median of 32 ms here, while a shared machine's noise around
// the budget does not fail every run.

import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { chromium } from 'playwright-core';
import { test, assert, EXTENSION, CHROMIUM, CHROMIUM_ARGS, fixture } from './lib.mjs';

test('first diagnosis in a fresh wasm instance (release build): budget 20 ms, fails past 30 ms', async (t) => {
  const pkg = join(EXTENSION, 'pkg');
  const fx = fixture('cloudflare/520-unknown-error');
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>first answer</title>');
      return;
    }
    const file = join(pkg, path);
    if (!file.startsWith(pkg) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const types = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const runs = [];
    for (let i = 0; i < 9; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(url);
      runs.push(await page.evaluate(async ({ url, status, headers, body }) => {
        const m = await import(`${url}culprit_extension.js`);
        const t0 = performance.now();
        await m.default();
        const t1 = performance.now();
        const observation = JSON.stringify({
          url: 'https://example.com/', status, status_text: null,
          headers: headers.map(([name, value]) => ({ name, value })), body, net_error: null, browser: 'chrome',
        });
        const a = performance.now();
        const first = m.diagnose(observation);
        const b = performance.now();
        m.diagnose(observation);
        const c = performance.now();
        return { instantiate: t1 - t0, first: b - a, second: c - b, source: JSON.parse(first).diagnosis?.source?.id ?? null };
      }, { url, status: fx.status, headers: fx.headers, body: fx.body.toString('latin1') }));
      await ctx.close();
    }
    for (const r of runs) assert.equal(r.source, fx.sidecar.source, 'the fresh instance names the page as its sidecar says');
    const median = (k) => runs.map((r) => r[k]).sort((x, y) => x - y)[Math.floor(runs.length / 2)];
    const list = (k) => runs.map((r) => r[k].toFixed(1)).join(', ');
    t.diagnostic(`fresh instance, 7.5 KB page: first diagnosis (the extension's diagnose: the core, JSON in and out) ${list('first')} ms (median ${median('first').toFixed(1)}, budget 20 ms); `
      + `instantiation ${list('instantiate')} ms; the same page again ${list('second')} ms`);
    const m = median('first');
    t.diagnostic(`budget 20 ms: ${m <= 20 ? 'met' : 'NOT met'} (median ${m.toFixed(1)} ms)`);
    assert.ok(m <= 30, `the first diagnosis in a fresh instance took a median ${m.toFixed(1)} ms, far over its 20 ms budget`);
  } finally {
    await browser.close();
    await new Promise((r) => { server.closeAllConnections?.(); server.close(r); });
  }
});
