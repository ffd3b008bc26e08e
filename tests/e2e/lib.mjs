// Shared helpers for the site's end-to-end tests (node:test + playwright-core, headless
// Debian Chromium). Run by `cargo xtask test` as `node --test --test-concurrency=1 tests/e2e/`
// with CULPRIT_SITE_URL (the served target/dist/site on 127.0.0.1) and CULPRIT_DIST.
//
// Every test file runs in its own process, so the module-level request log below belongs to
// one file: `guardContext` records every request of every context the file opens, and
// `noForeignRequestsTest()` (the last test of every file) fails if any left the site origin.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { parse as parseToml } from 'smol-toml';

export { assert, test };

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TARGET_DIR = process.env.CARGO_TARGET_DIR
  ? resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
  : join(REPO_ROOT, 'target');
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

function siteUrl() {
  const raw = process.env.CULPRIT_SITE_URL;
  if (!raw) {
    throw new Error(
      'CULPRIT_SITE_URL is not set: run these tests through `cargo xtask test`, or serve ' +
        'target/dist/site on 127.0.0.1 and set CULPRIT_SITE_URL=http://127.0.0.1:PORT/',
    );
  }
  const url = new URL(raw);
  if (url.hostname !== '127.0.0.1') {
    throw new Error(`CULPRIT_SITE_URL must be served on 127.0.0.1, got ${raw}`);
  }
  return url;
}

/** The site's base URL, always ending in `/`. */
export const SITE = new URL('/', siteUrl()).href;
export const ORIGIN = new URL(SITE).origin;
export const DIST = process.env.CULPRIT_DIST
  ? resolve(process.env.CULPRIT_DIST)
  : join(TARGET_DIR, 'dist', 'site');

/** Absolute URL of a site path (`/status/502/`). */
export const url = (path) => new URL(path, SITE).href;

// ---------------------------------------------------------------------------------------
// Browser, contexts and the same-origin guard

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (cargo xtask test does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** Every request of this file's contexts whose origin was not allowed. */
export const foreignRequests = [];
/** Every request URL seen (for diagnostics and for tests that check the guard itself). */
export const seenRequests = [];

export function isAllowedUrl(u, allowedOrigins = [ORIGIN]) {
  if (/^(data|blob|about):/i.test(u)) return true;
  let parsed;
  try {
    parsed = new URL(u);
  } catch {
    return false;
  }
  return allowedOrigins.includes(parsed.origin);
}

/**
 * Records every request (pages, workers, service workers, websockets) of `context`;
 * requests to any origin outside `allowedOrigins` land in `log` (default: the file's
 * `foreignRequests`).
 */
export function guardContext(context, { allowedOrigins = [ORIGIN], log = foreignRequests } = {}) {
  const record = (u, what) => {
    seenRequests.push(u);
    if (!isAllowedUrl(u, allowedOrigins)) log.push(`${what} ${u}`);
  };
  context.on('request', (req) => record(req.url(), req.resourceType()));
  const watchPage = (page) => page.on('websocket', (ws) => record(ws.url(), 'websocket'));
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  return context;
}

/** A new guarded context; `options` go to `browser.newContext`. */
export async function newContext(browser, options = {}, guard = {}) {
  const context = await browser.newContext(options);
  guardContext(context, guard);
  return context;
}

/** The last test of every file: nothing this file's browsers did left the site origin. */
export function noForeignRequestsTest() {
  test('no request left the site origin during this file', () => {
    assert.ok(seenRequests.length > 0, 'the guard saw no request at all: it is not attached');
    assert.deepEqual(
      foreignRequests,
      [],
      `requests to other origins than ${ORIGIN}:\n  ${foreignRequests.join('\n  ')}`,
    );
  });
}

/** Collects console errors and uncaught page errors of `page`. */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location()?.url ?? ''})`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

// ---------------------------------------------------------------------------------------
// Waiting, with messages that say what was expected

/** Runs `fn`; on a Playwright timeout, fails with `message` (and what `detail()` returns). */
export async function within(message, fn, detail) {
  try {
    return await fn();
  } catch (err) {
    if (err?.name === 'TimeoutError' || /Timeout \d+ms exceeded/.test(String(err?.message))) {
      let extra = '';
      if (detail) {
        try {
          extra = `\n${await detail()}`;
        } catch (e) {
          extra = `\n(could not read the page state: ${e.message})`;
        }
      }
      throw new Error(`${message}${extra}`, { cause: err });
    }
    throw err;
  }
}

/**
 * A harmless interaction: a Shift key press (no text, no focus change, no click). The app is
 * started by the first interaction (crates/site/static/boot.js), so this is what a person's
 * first key or tap does. boot.js is a deferred script, listening by DOMContentLoaded.
 */
export async function interact(page) {
  await page.waitForLoadState('domcontentloaded');
  await page.keyboard.press('Shift');
}

/**
 * Makes the harmless first interaction (`interact`; skipped with `{ interact: false }`, e.g. for
 * a share link, which must start the app by itself) and waits until the app has hydrated the
 * page (html[data-hydrated], set from the app's first effect).
 */
export async function waitHydrated(page, timeout = 20_000, { interact: poke = true } = {}) {
  if (poke) await interact(page);
  await within(
    `${page.url()} did not hydrate: html[data-hydrated] not set within ${timeout} ms` +
      (poke ? ' of a first interaction (a Shift key press)' : ' without any interaction'),
    () => page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout }),
  );
}

/** Opens the home page and waits until it has hydrated. */
export async function gotoHome(page, path = '/') {
  const response = await page.goto(url(path), { waitUntil: 'load', timeout: 20_000 });
  await waitHydrated(page);
  return response;
}

/** Whitespace-insensitive form of a text, as the page shows it (CR LF as LF). */
export const norm = (s) => s.replace(/\r\n?/g, '\n').replace(/\s+/g, ' ').trim();

/** Attributes of `#answer` (null when there is none), the shown text and any input error. */
export async function answerState(page) {
  return page.evaluate(() => {
    const textOf = (root) => {
      let out = '';
      const walk = (n) => {
        for (const c of n.childNodes) {
          if (c.nodeType === 3) out += c.data;
          else if (c.nodeType === 1) {
            if (c.localName === 'sup') continue; // a mark's evidence number
            if (c.classList.contains('gap')) { out += '\u0000'; continue; } // between excerpts
            walk(c);
          }
        }
      };
      walk(root);
      return out;
    };
    const a = document.querySelector('#answer');
    const e = document.querySelector('#input-error');
    const visible = (el) => !!el && !el.hidden && el.getClientRects().length > 0;
    const pasted = document.querySelector('#answer #pasted');
    return {
      answer: a && {
        source: a.getAttribute('data-source-id'),
        status: a.getAttribute('data-status'),
        hop: a.getAttribute('data-failing-hop'),
        form: a.getAttribute('data-input-form'),
      },
      pasted: pasted ? textOf(pasted) : null,
      error: visible(e) ? e.textContent.trim() : null,
    };
  });
}

/**
 * Waits until the page shows the diagnosis of `input`: `#answer` with its data attributes and
 * `#pasted` holding the same text (whitespace aside; a long input may be shown as excerpts,
 * each of which must then be part of it), so a stale answer of an earlier paste never counts.
 * Returns `{ kind: 'answer', ...attributes }`, or `{ kind: 'error', text }` when `allowError`
 * and `#input-error` is shown instead.
 */
export async function waitForAnswer(page, input, { timeout = 10_000, allowError = false, label = '' } = {}) {
  const expected = norm(input);
  const handle = await within(
    `no #answer for ${label || 'the input'} within ${timeout} ms (expected #answer with ` +
      `data-source-id and #pasted holding the input)`,
    () =>
      page.waitForFunction(
        ({ expected, allowError }) => {
          const norm = (s) => s.replace(/\r\n?/g, '\n').replace(/\s+/g, ' ').trim();
          const err = document.querySelector('#input-error');
          if (allowError && err && !err.hidden && err.getClientRects().length > 0) {
            return { kind: 'error', text: err.textContent.trim() };
          }
          const a = document.querySelector('#answer');
          if (!a || !a.hasAttribute('data-source-id')) return false;
          const pasted = a.querySelector('#pasted');
          if (!pasted) return false;
          const textOf = (root) => {
              let out = '';
              const walk = (n) => {
                for (const c of n.childNodes) {
                  if (c.nodeType === 3) out += c.data;
                  else if (c.nodeType === 1) {
                    if (c.localName === 'sup') continue; // a mark's evidence number
                    if (c.classList.contains('gap')) { out += '\u0000'; continue; } // between excerpts
                    walk(c);
                  }
                }
              };
              walk(root);
              return out;
            };
          const shown = textOf(pasted);
          if (shown.includes('\u0000')) {
            const parts = shown.split('\u0000').map(norm).filter(Boolean);
            if (!parts.length || !parts.every((p) => expected.includes(p))) return false;
          } else if (norm(shown) !== expected) {
            return false;
          }
          return {
            kind: 'answer',
            source: a.getAttribute('data-source-id'),
            status: a.getAttribute('data-status'),
            hop: a.getAttribute('data-failing-hop'),
            form: a.getAttribute('data-input-form'),
          };
        },
        { expected, allowError },
        { timeout, polling: expected.length > 100_000 ? 250 : 50 },
      ),
    async () => {
      const s = await answerState(page);
      return (
        `  page state: answer=${JSON.stringify(s.answer)} input-error=${JSON.stringify(s.error)}\n` +
        `  #pasted shows: ${JSON.stringify(s.pasted === null ? null : norm(s.pasted).slice(0, 300))}\n` +
        `  expected:      ${JSON.stringify(expected.slice(0, 300))}`
      );
    },
  );
  return handle.jsonValue();
}

/**
 * Puts `text` in the paste area as one paste does: the value changes at once and one
 * `input` event (inputType insertFromPaste) fires. Used for large inputs, which
 * `page.fill` types in line by line (seconds for thousands of lines).
 */
export async function pasteAtOnce(page, text) {
  await page.evaluate((t) => {
    const ta = document.querySelector('#paste');
    ta.focus();
    ta.value = t;
    ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste', data: null }));
  }, text);
}

/** Fills the paste area with `input` (page.fill; at once when large) and waits for its diagnosis. */
export async function pasteAndWait(page, input, opts = {}) {
  if (input.length > 50_000) await pasteAtOnce(page, input);
  else await page.fill('#paste', input, { timeout: 20_000 });
  return waitForAnswer(page, input, opts);
}

/** Waits `ms` milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The debounce the page declares on `#paste` (`data-debounce-ms`). */
export async function debounceMs(page) {
  const raw = await page.getAttribute('#paste', 'data-debounce-ms');
  assert.ok(raw !== null && /^\d+(\.\d+)?$/.test(raw), `#paste has no numeric data-debounce-ms (got ${raw})`);
  return Number(raw);
}

// ---------------------------------------------------------------------------------------
// Fixtures

/** A fixture `crates/core/tests/fixtures/<dir>/<name>.<ext>` with its sidecar and snapshot. */
export function fixture(id) {
  const [dir, name] = id.split('/');
  const folder = join(FIXTURES, dir);
  const ext = ['http', 'html', 'txt', 'har', 'log', 'json'].find((e) =>
    existsSync(join(folder, `${name}.${e}`)),
  );
  if (!ext) throw new Error(`fixture ${id} not found under ${folder}`);
  const path = join(folder, `${name}.${ext}`);
  const bytes = readFileSync(path);
  const sidecar = parseToml(readFileSync(join(folder, `${name}.toml`), 'utf8'));
  const snapPath = join(folder, `${name}.diagnosis.json`);
  const snapshot = existsSync(snapPath) ? JSON.parse(readFileSync(snapPath, 'utf8')) : null;
  return { id, path, ext, bytes, text: bytes.toString('utf8'), sidecar, snapshot };
}

/**
 * Checks the answer's attributes against the sidecar's written expectations: `source` always;
 * `status` when written (0 = none, shown as an empty `data-status`); `hop`; `form`.
 */
export function assertMatchesSidecar(got, fx) {
  const s = fx.sidecar;
  assert.equal(got.kind, 'answer', `${fx.id}: expected an answer, got ${JSON.stringify(got)}`);
  const want = { source: s.source };
  const have = { source: got.source };
  if (s.status !== undefined) {
    want.status = s.status === 0 ? '' : String(s.status);
    have.status = got.status;
  }
  if (s.hop !== undefined) {
    want.hop = s.hop;
    have.hop = got.hop;
  }
  if (s.form !== undefined) {
    want.form = s.form;
    have.form = got.form;
  }
  assert.deepEqual(have, want, `${fx.id}: #answer attributes differ from ${fx.id}.toml`);
}

/** The folder screenshots go to (`<target>/screenshots`), created. */
export function screenshotDir() {
  const dir = join(TARGET_DIR, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Page routes listed in `<dist>/routes.txt` (paths ending in `/`, plus `/404.html` if any). */
export function readRoutes() {
  const file = join(DIST, 'routes.txt');
  assert.ok(existsSync(file), `${file} is missing (CULPRIT_DIST=${DIST})`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Polls `fn` (in node) until it returns a truthy value; fails with `message` after `timeout`. */
export async function poll(fn, { timeout = 5_000, interval = 50, message = 'condition not met' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${message} (waited ${timeout} ms)`);
    await sleep(interval);
  }
}

/**
 * Runs `fn(item, index, worker)` over `items` with at most `limit` at a time (`worker` is
 * 0..limit-1 and never runs two items at once); results in order.
 */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async (w) => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i, w);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, (_, w) => worker(w)));
  return out;
}
