// Reference pages: every route in routes.txt reachable by deep link, with JavaScript off
// (server-rendered HTML: h1, title, description, canonical) and on (hydrates cleanly);
// sitemap.xml and routes.txt agree; internal links resolve; a path without its slash works.

import { before, after } from 'node:test';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  test, assert, launch, newContext, noForeignRequestsTest, waitHydrated, collectErrors, readRoutes, mapLimit,
  url, DIST, ORIGIN,
} from './lib.mjs';

let browser;
let noJs;
let withJs;

before(async () => {
  browser = await launch();
  noJs = await newContext(browser, { javaScriptEnabled: false });
  withJs = await newContext(browser);
});
after(async () => {
  await browser?.close();
});

const routes = readRoutes();
/** Routes that are pages (as opposed to files the service worker also caches). */
const pages = routes.filter((r) => r.endsWith('/') || r.endsWith('.html'));
const isPage = (r) => r.endsWith('/');

test('routes.txt lists the home page, status pages and source pages', () => {
  assert.ok(pages.includes('/'), 'routes.txt lacks /');
  for (const r of ['/status/', '/status/502/', '/status/504/', '/source/', '/source/cloudflare/', '/source/nginx/',
    '/compare/500-502-503-504/', '/faq/', '/privacy/']) {
    assert.ok(pages.includes(r), `routes.txt lacks ${r}`);
  }
  assert.ok(pages.filter((r) => r.startsWith('/status/')).length >= 10, 'fewer than 10 status pages');
  assert.ok(pages.filter((r) => r.startsWith('/source/')).length >= 20, 'fewer than 20 source pages');
});

test('sitemap.xml and routes.txt list the same pages', () => {
  const file = join(DIST, 'sitemap.xml');
  assert.ok(existsSync(file), `${file} is missing`);
  const xml = readFileSync(file, 'utf8');
  const locs = [...xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  assert.ok(locs.length > 0, 'sitemap.xml has no <loc>');
  assert.equal(new Set(locs).size, locs.length, 'sitemap.xml lists a page twice');
  const inSitemapNotRoutes = locs.filter((p) => !routes.includes(p));
  const inRoutesNotSitemap = routes.filter(isPage).filter((p) => !locs.includes(p));
  assert.deepEqual(inSitemapNotRoutes, [], 'sitemap.xml URLs missing from routes.txt');
  assert.deepEqual(inRoutesNotSitemap, [], 'routes.txt pages missing from sitemap.xml');
});

test('with JavaScript off, every page has status 200, one h1, title, description and canonical', { timeout: 120_000 }, async () => {
  const problems = [];
  const titles = new Map();
  const descriptions = new Map();
  const tabs = await Promise.all([1, 2, 3, 4].map(() => noJs.newPage()));
  await mapLimit(pages.filter(isPage), tabs.length, async (route, _i, w) => {
    const page = tabs[w];
    const res = await page.goto(url(route), { waitUntil: 'domcontentloaded', timeout: 15_000 });
    if (res?.status() !== 200) {
      problems.push(`${route}: status ${res?.status()}`);
      return;
    }
    const facts = await page.evaluate(() => ({
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
      title: document.title.trim(),
      description: document.querySelector('meta[name="description"]')?.getAttribute('content')?.trim() ?? null,
      canonical: document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null,
      lang: document.documentElement.getAttribute('lang'),
    }));
    if (facts.h1.length !== 1 || !facts.h1[0]) problems.push(`${route}: h1 ${JSON.stringify(facts.h1)}`);
    if (!facts.title) problems.push(`${route}: no <title>`);
    if (!facts.description) problems.push(`${route}: no meta description`);
    if (!facts.lang) problems.push(`${route}: no html[lang]`);
    if (!facts.canonical) problems.push(`${route}: no link rel=canonical`);
    else if (new URL(facts.canonical, url(route)).pathname !== route) {
      problems.push(`${route}: canonical ${facts.canonical}`);
    }
    titles.set(facts.title, [...(titles.get(facts.title) ?? []), route]);
    descriptions.set(facts.description, [...(descriptions.get(facts.description) ?? []), route]);
  });
  // Each page is its own: no two share a title or a description.
  for (const [what, map] of [['title', titles], ['description', descriptions]]) {
    for (const [text, rs] of map) if (rs.length > 1) problems.push(`${rs.join(', ')} share the ${what} ${JSON.stringify(text)}`);
  }
  await Promise.all(tabs.map((t) => t.close()));
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('with JavaScript on, every page hydrates without console errors', { timeout: 180_000 }, async () => {
  const problems = [];
  const tabs = await Promise.all([1, 2, 3].map(async () => {
    const page = await withJs.newPage();
    return { page, errors: collectErrors(page) };
  }));
  await mapLimit(pages.filter(isPage), tabs.length, async (route, _i, w) => {
    const { page, errors } = tabs[w];
    errors.length = 0;
    const res = await page.goto(url(route), { waitUntil: 'load', timeout: 20_000 });
    if (res?.status() !== 200) problems.push(`${route}: status ${res?.status()}`);
    try {
      await waitHydrated(page, 15_000);
    } catch (e) {
      problems.push(`${route}: ${e.message}`);
    }
    const h1 = (await page.textContent('h1').catch(() => null))?.trim();
    if (!h1) problems.push(`${route}: no h1 after hydration`);
    if (errors.length) problems.push(`${route}: ${errors.join(' | ')}`);
  });
  await Promise.all(tabs.map((t) => t.page.close()));
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the 404 page is served for an unknown path and says so', async () => {
  const page = await noJs.newPage();
  const res = await page.goto(url('/no/such/page/'), { waitUntil: 'domcontentloaded' });
  assert.equal(res.status(), 404, 'an unknown path is not answered with 404');
  const h1 = (await page.textContent('h1'))?.trim();
  assert.ok(h1, 'the 404 page has no h1');
  await page.close();
});

async function internalLinks(route) {
  const page = await noJs.newPage();
  await page.goto(url(route), { waitUntil: 'domcontentloaded' });
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  await page.close();
  return [...new Set(hrefs.filter((h) => new URL(h).origin === ORIGIN).map((h) => new URL(h).pathname))];
}

for (const route of ['/', '/status/502/', '/source/cloudflare/']) {
  test(`internal links on ${route} resolve`, async () => {
    const links = await internalLinks(route);
    assert.ok(links.length >= 3, `${route} has only ${links.length} internal links`);
    const broken = [];
    for (const path of links) {
      const res = await fetch(url(path), { redirect: 'follow' });
      if (res.status !== 200) broken.push(`${path}: ${res.status}`);
      await res.arrayBuffer();
      if (path.endsWith('/') && path !== '/' && !routes.includes(path)) broken.push(`${path}: not in routes.txt`);
    }
    assert.deepEqual(broken, [], `broken links on ${route}:\n${broken.join('\n')}`);
  });
}

test('a deep link without its trailing slash (/status/502) reaches the page', async () => {
  for (const ctx of [noJs, withJs]) {
    const page = await ctx.newPage();
    const res = await page.goto(url('/status/502'), { waitUntil: 'load' });
    assert.equal(res.status(), 200, `/status/502 ended with ${res.status()}`);
    const h1 = (await page.textContent('h1'))?.trim();
    assert.ok(h1 && /502/.test(h1), `/status/502 shows h1 ${JSON.stringify(h1)}`);
    await page.close();
  }
});

noForeignRequestsTest();
