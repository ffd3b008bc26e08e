// Shared helpers for the extension's end-to-end tests: a local server of error pages that
// can be switched between failing and healthy, and headless Chromium with the built
// extension loaded (a fresh profile per browser).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { parse as parseToml } from 'smol-toml';

export { assert, test };

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TARGET_DIR = process.env.CARGO_TARGET_DIR ? resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR) : join(REPO_ROOT, 'target');
export const EXTENSION = process.env.CULPRIT_EXTENSION || join(TARGET_DIR, 'dist', 'extension');
export const FIXTURES = join(REPO_ROOT, 'crates', 'core', 'tests', 'fixtures');
export const CHROMIUM = process.env.CULPRIT_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Closes a tab the test opened. Playwright's `page.close()` was seen never to answer for a
 * page the extension had just reloaded (its retry), which hung a whole CI run: closing is
 * not what any test proves, so after 5 s the test goes on (the context's close at the end
 * removes the tab).
 */
export async function closePage(page) {
  await Promise.race([page.close().catch(() => {}), sleep(5_000)]);
}

/** Polls `fn` until it returns a truthy value; returns it, or fails with `message`. */
export async function poll(fn, { timeout = 5_000, interval = 25, message = 'condition not met' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(`${message} (after ${timeout} ms; last value ${JSON.stringify(last)})`);
    await sleep(interval);
  }
}

/** A fixture's raw response (`<id>.http`) split into status, headers and body, and its sidecar. */
export function fixture(id) {
  const raw = readFileSync(join(FIXTURES, `${id}.http`));
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n') >= 0 ? text.indexOf('\r\n\r\n') : text.indexOf('\n\n');
  const sep = text.indexOf('\r\n\r\n') >= 0 ? 4 : 2;
  const head = text.slice(0, split).split(/\r?\n/);
  const [, code, ...reason] = head[0].split(' ');
  const headers = [];
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  const sidecar = parseToml(readFileSync(join(FIXTURES, `${id}.toml`), 'utf8'));
  return { id, status: Number(code), reason: reason.join(' '), headers, body: raw.subarray(Buffer.byteLength(text.slice(0, split + sep), 'latin1')), sidecar };
}

const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'content-encoding', 'keep-alive']);

/**
 * A server on 127.0.0.1 (a free port) in this process. Every path answers healthy unless
 * `fail(path, fixtureId)` made it fail; `requests` logs every request with its time.
 */
export async function startServer() {
  const failing = new Map();
  const requests = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    requests.push({ path, at: Date.now(), cacheControl: req.headers['cache-control'] ?? '', pragma: req.headers.pragma ?? '' });
    if (path === '/favicon.ico') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end();
      return;
    }
    const fx = failing.get(path);
    if (fx) {
      res.statusMessage = fx.reason || undefined;
      for (const [name, value] of fx.headers) if (!HOP_HEADERS.has(name.toLowerCase())) res.setHeader(name, value);
      for (const [name, value] of Object.entries(fx.extraHeaders ?? {})) res.setHeader(name, value);
      res.setHeader('content-length', fx.body.length);
      res.writeHead(fx.status);
      res.end(fx.body);
      return;
    }
    if (path === '/api-fails') {
      const body = '<!doctype html><title>App</title><p id="ok">The app shell loaded.</p><script>fetch("/api/data").catch(()=>{}); fetch("/api/data2").catch(()=>{});</script>';
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    if (path.startsWith('/api/')) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      return;
    }
    const body = `<!doctype html><html><head><title>Healthy ${path}</title></head><body><h1 id="healthy">All good at ${path}</h1></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests,
    hits: (path) => requests.filter((r) => r.path === path),
    fail(path, id, extraHeaders) {
      failing.set(path, { ...fixture(id), extraHeaders });
    },
    heal(path) {
      failing.delete(path);
    },
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then closed). */
export async function refusedPort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Headless Chromium with the unpacked extension loaded, in a fresh profile. */
export async function launch() {
  if (!existsSync(join(EXTENSION, 'manifest.json'))) {
    throw new Error(`${EXTENSION} has no built extension: run cargo xtask build (or cargo xtask test --only extension)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'culprit-ext-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`],
    timeout: 30_000,
  });
  let [sw] = ctx.serviceWorkers();
  if (!sw) sw = await ctx.waitForEvent('serviceworker', { timeout: 15_000 });
  const id = new URL(sw.url()).host;
  // Playwright reports the worker as soon as it starts; a freshly installed extension's
  // listeners exist only once its script has run (events before that are not queued for it,
  // as for any extension in the moments after its install): wait for that.
  await poll(() => sw.evaluate(() => typeof globalThis.__culprit === 'object').catch(() => false), {
    timeout: 15_000, message: 'the extension worker never finished starting',
  });
  const b = {
    ctx,
    id,
    get sw() {
      return ctx.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${id}/`)) ?? sw;
    },
    /**
     * Evaluates `fn(arg)` in the extension's worker, waking it if it was stopped. A worker the
     * browser has just stopped can stay in Playwright's list for a while, and an evaluation
     * sent to it never answers: after 10 s the call wakes a worker and tries again.
     */
    async evaluate(fn, arg) {
      let lastError;
      for (let attempt = 0; attempt < 3; attempt++) {
        const worker = await b.worker();
        let timer;
        const silent = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('the extension worker did not answer within 10 s')), 10_000);
        });
        try {
          return await Promise.race([worker.evaluate(fn, arg), silent]);
        } catch (e) {
          lastError = e;
          const page = await ctx.newPage();
          await page.goto(`chrome-extension://${id}/options.html`).catch(() => {});
          await closePage(page);
        } finally {
          clearTimeout(timer);
        }
      }
      throw lastError;
    },
    async worker() {
      // The newest first: a restarted worker is added after the one it replaces.
      const live = ctx.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${id}/`)).at(-1);
      if (live) return live;
      // Wake it: an extension page messages the worker.
      const page = await ctx.newPage();
      const waiting = ctx.waitForEvent('serviceworker', { timeout: 10_000 });
      await page.goto(`chrome-extension://${id}/options.html`);
      const woke = await waiting;
      await closePage(page);
      return woke;
    },
    async tabId(url) {
      return b.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u || t.pendingUrl === u)?.id ?? null, url);
    },
    async badge(tabId) {
      return b.evaluate(async (t) => ({
        text: await chrome.action.getBadgeText({ tabId: t }),
        color: await chrome.action.getBadgeBackgroundColor({ tabId: t }),
        title: await chrome.action.getTitle({ tabId: t }),
      }), tabId);
    },
    async state(tabId) {
      return b.evaluate(async (t) => (await chrome.storage.session.get(`tab:${t}`))[`tab:${t}`] ?? null, tabId);
    },
    /** Opens the popup as a page about `tabId`. */
    async popup(tabId) {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${id}/popup.html?tab=${tabId}`);
      return page;
    },
    async close() {
      await ctx.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return b;
}

/** `[r, g, b, a]` of a CSS hex colour. */
export function rgba(hex) {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)).concat(255);
}

/** The badge colour of each hop, as the extension sets it (crates/extension/src/badge.rs). */
export const HOP_COLORS = {
  browser: '#6b21a8',
  network: '#b45309',
  edge: '#1d4ed8',
  gateway: '#be123c',
  origin: '#b3261e',
  unknown: '#4b5563',
};
