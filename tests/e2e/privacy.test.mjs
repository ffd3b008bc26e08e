// Privacy: nothing leaves the site's origin. Every other file ends with the same guard
// (lib.mjs `noForeignRequestsTest`); this one proves the guard works (it sees page, worker
// and service-worker requests, and flags a foreign one), checks the CSP meta on every page,
// and that no page references a resource on another origin.

import { before, after } from 'node:test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  test, assert, launch, newContext, guardContext, noForeignRequestsTest, gotoHome, pasteAndWait,
  within, fixture, poll, waitHydrated, readRoutes, seenRequests, url, DIST, ORIGIN,
} from './lib.mjs';

let browser;
let context;

before(async () => {
  browser = await launch();
  context = await newContext(browser);
});
after(async () => {
  await browser?.close();
});

const pages = readRoutes().filter((r) => r.endsWith('/'));

test('control: the guard flags a request to another origin', async () => {
  const ctx = await browser.newContext();
  const log = [];
  guardContext(ctx, { log });
  const p = await ctx.newPage();
  await p.goto('about:blank');
  // 127.0.0.2 is another origin on loopback: refused at once, nothing leaves the machine.
  await p.evaluate(() => fetch('http://127.0.0.2:9/e2e-guard-control').catch(() => null));
  await ctx.close();
  assert.ok(log.some((l) => l.includes('127.0.0.2:9/e2e-guard-control')), `the guard missed it: ${JSON.stringify(log)}`);
});

test('the guard sees the service worker\'s own requests', { timeout: 60_000 }, async () => {
  const p = await context.newPage();
  const swRequests = [];
  context.on('request', (r) => {
    if (r.serviceWorker()) swRequests.push(r.url());
  });
  await gotoHome(p);
  await within('no service worker became ready within 20 s', () =>
    p.waitForFunction(() => navigator.serviceWorker.ready.then(() => true), null, { timeout: 20_000 }),
  );
  await poll(() => swRequests.length > 0, {
    timeout: 10_000,
    message: 'no request from the service worker was seen (the guard would miss its traffic)',
  });
  // And a diagnosis, so the wasm and everything it loads is part of the guarded run.
  const fx = fixture('cloudflare/522-connection-timed-out');
  await pasteAndWait(p, fx.text, { label: fx.id });
  for (const b of await p.$$('button.example')) await b.click();
  await p.close();
});

test('every page carries the CSP meta tag with script-src \'self\' \'wasm-unsafe-eval\'', async () => {
  const problems = [];
  for (const route of [...pages, '/404.html']) {
    const res = await fetch(url(route));
    const html = await res.text();
    const metas = [...html.matchAll(/<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi)].map((m) => m[0]);
    if (metas.length !== 1) {
      problems.push(`${route}: ${metas.length} CSP meta tags`);
      continue;
    }
    const content = /content\s*=\s*"([^"]*)"|content\s*=\s*'([^']*)'/i.exec(metas[0]);
    const csp = (content?.[1] ?? content?.[2] ?? '').replace(/&#39;|&#x27;/g, "'");
    const scriptSrc = /(?:^|;)\s*script-src\s+([^;]*)/i.exec(csp)?.[1]?.trim().split(/\s+/) ?? [];
    if (!(scriptSrc.includes("'self'") && scriptSrc.includes("'wasm-unsafe-eval'"))) {
      problems.push(`${route}: script-src is ${JSON.stringify(scriptSrc)} in ${csp}`);
    }
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'data:']) {
      if (scriptSrc.includes(bad)) problems.push(`${route}: script-src allows ${bad}`);
    }
    if (!/(?:^|;)\s*(connect-src|default-src)\s+[^;]*'self'/i.test(csp)) problems.push(`${route}: no connect-src/default-src 'self'`);
    // The CSP meta must come before any script, or it does not govern it.
    const scriptAt = html.search(/<script\b/i);
    if (scriptAt !== -1 && scriptAt < html.indexOf(metas[0])) problems.push(`${route}: a <script> precedes the CSP meta`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the CSP is in force in the browser (an inline script is refused)', async () => {
  const p = await context.newPage();
  const violations = [];
  p.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await gotoHome(p);
  const ran = await p.evaluate(async () => {
    window.__inlineRan = false;
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return window.__inlineRan;
  });
  await p.close();
  assert.equal(ran, false, 'an inline script ran: the CSP does not forbid it');
});

test('no served page names a resource on another origin (every page\'s HTML)', async () => {
  const problems = [];
  for (const route of [...pages, '/404.html']) {
    const html = await (await fetch(url(route))).text();
    // Attributes that make the browser load something (links to other sites are fine).
    for (const m of html.matchAll(/<(\w+)\b[^>]*?\s(src|srcset|poster|data|action|formaction|href)\s*=\s*["']?([^"'\s>]+)[^>]*>/gi)) {
      const [tag, el, attr, value] = m;
      if (attr.toLowerCase() === 'href') {
        if (el.toLowerCase() === 'a') continue;
        const rel = /\srel\s*=\s*["']?([^"'>]+)/i.exec(tag)?.[1]?.toLowerCase() ?? '';
        if (el.toLowerCase() === 'link' && /^(canonical|alternate|author|license|help|me)$/.test(rel)) continue;
      }
      for (const v of attr.toLowerCase() === 'srcset' ? value.split(',').map((x) => x.trim().split(/\s+/)[0]) : [value]) {
        let u;
        try {
          u = new URL(v.replace(/&amp;/g, '&'), url(route));
        } catch {
          continue;
        }
        if (/^https?:$/.test(u.protocol) && u.origin !== ORIGIN) problems.push(`${route}: <${el} ${attr}=${v}>`);
      }
    }
    for (const m of html.matchAll(/@import\s+(?:url\()?["']?((?:https?:)?\/\/[^"')\s]+)|url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi)) {
      problems.push(`${route}: css ${m[1] ?? m[2]}`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('no live page (after hydration and a diagnosis) references a resource on another origin', async () => {
  const p = await context.newPage();
  const problems = [];
  const fx = fixture('cloudflare/502-nginx-behind-cloudflare');
  for (const route of ['/', '/status/502/', '/source/cloudflare/', '/compare/500-502-503-504/', '/faq/', '/privacy/']) {
    await p.goto(url(route), { waitUntil: 'load' });
    await waitHydrated(p);
    if (route === '/') await pasteAndWait(p, fx.text, { label: fx.id });
    const found = await p.evaluate((origin) => {
      const out = [];
      const foreign = (u) => {
        try {
          const x = new URL(u, location.href);
          return /^https?:$/.test(x.protocol) && x.origin !== origin;
        } catch {
          return false;
        }
      };
      for (const el of document.querySelectorAll('[src],[srcset],[poster],[data],[action],[formaction]')) {
        for (const a of ['src', 'poster', 'data', 'action', 'formaction']) {
          const v = el.getAttribute(a);
          if (v && foreign(v)) out.push(`<${el.localName} ${a}=${v}>`);
        }
        for (const part of (el.getAttribute('srcset') ?? '').split(',')) {
          const v = part.trim().split(/\s+/)[0];
          if (v && foreign(v)) out.push(`<${el.localName} srcset=${v}>`);
        }
      }
      for (const l of document.querySelectorAll('link[href]')) {
        const rel = (l.getAttribute('rel') ?? '').toLowerCase();
        if (/^(canonical|alternate|author|license|help|me)$/.test(rel)) continue;
        if (foreign(l.getAttribute('href'))) out.push(`<link rel=${rel} href=${l.getAttribute('href')}>`);
      }
      for (const css of document.styleSheets) {
        try {
          for (const r of css.cssRules) {
            const m = /url\(\s*["']?([^"')]+)/.exec(r.cssText);
            if (m && foreign(m[1])) out.push(`css url(${m[1]})`);
          }
        } catch {
          out.push(`unreadable stylesheet ${css.href}`);
        }
      }
      return out;
    }, ORIGIN);
    for (const f of found) problems.push(`${route}: ${f}`);
  }
  await p.close();
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('no shipped stylesheet, script or manifest names another origin to load from', () => {
  const problems = [];
  const walk = (dir) =>
    readdirSync(dir).flatMap((n) => {
      const f = join(dir, n);
      return statSync(f).isDirectory() ? walk(f) : [f];
    });
  for (const f of walk(DIST)) {
    const rel = relative(DIST, f);
    if (/\.(css)$/.test(f)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:@import\s+|url\(\s*)["']?(https?:)?\/\/[^"')\s]+/g)) problems.push(`${rel}: ${m[0]}`);
    }
    if (/(^|\/)sw\.js$|\.js$/.test(f)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:fetch|importScripts|import)\s*\(\s*["'`]https?:\/\/[^"'`]+/g)) problems.push(`${rel}: ${m[0]}`);
    }
    if (/\.webmanifest$/.test(f)) {
      const man = JSON.parse(readFileSync(f, 'utf8'));
      for (const icon of man.icons ?? []) if (/^(https?:)?\/\//.test(icon.src)) problems.push(`${rel}: icon ${icon.src}`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the guard saw this file\'s traffic', () => {
  assert.ok(seenRequests.some((u) => u.startsWith(`${ORIGIN}/pkg/`)), 'no request for /pkg/ (the app) was seen');
});

noForeignRequestsTest();
