// Culprit's background: a module service worker in Chromium, a module event page in Firefox.
//
// It observes top-level navigations (webRequest, observe-only; webNavigation), reads the
// rendered text of error pages only, and hands everything to the core in the wasm module
// (`diagnose`), which decides who wrote the page and which hop failed: nothing here detects
// anything. Per-tab state lives in storage.session so a suspended worker picks up where it
// left off; options and history live in storage.local. The only requests it causes are the
// reloads the person asked for (Retry, Auto-retry).

import init, { diagnose, next_retry } from './pkg/culprit_extension.js';
import { showBanner } from './banner.js';

const wasmReady = init();
const FIREFOX = typeof globalThis.browser !== 'undefined'
  && typeof globalThis.browser?.runtime?.getBrowserInfo === 'function';
/** Edge is Chromium with its own error pages and names ("Edg/" in its user agent). */
const EDGE = !FIREFOX && /\bEdg\//.test(globalThis.navigator?.userAgent ?? '');
const BROWSER = FIREFOX ? 'firefox' : EDGE ? 'edge' : 'chrome';
/** The most of a page read for the diagnosis. */
const BODY_CAP = 576 * 1024;
const DEFAULT_OPTIONS = Object.freeze({
  banner: true,
  retry_initial: 10,
  retry_cap: 600,
  retry_give_up: 3600,
  history_size: 200,
  clear_cookies: false,
});
/** Network errors that are not failures: the navigation was replaced or stopped. */
const NOT_FAILURES = new Set(['net::ERR_ABORTED', 'NS_BINDING_ABORTED', 'NS_ERROR_ABORT', 'net::ERR_BLOCKED_BY_CLIENT']);
/**
 * Firefox's webNavigation reports `Error code <nsresult>`; the core reads the names. Firefox
 * also aborts a navigation's first channel when it moves the load to another process
 * (NS_BINDING_ABORTED, before the response arrives): that is no failure.
 */
const FIREFOX_ERRORS = new Map([
  [0x804b0002, 'NS_BINDING_ABORTED'],
  [0x80004004, 'NS_ERROR_ABORT'],
  [0x804b000d, 'NS_ERROR_CONNECTION_REFUSED'],
  [0x804b000e, 'NS_ERROR_NET_TIMEOUT'],
  [0x804b0010, 'NS_ERROR_OFFLINE'],
  [0x804b0014, 'NS_ERROR_NET_RESET'],
  [0x804b001e, 'NS_ERROR_UNKNOWN_HOST'],
  [0x804b001f, 'NS_ERROR_REDIRECT_LOOP'],
  [0x804b002a, 'NS_ERROR_UNKNOWN_PROXY_HOST'],
  [0x804b0047, 'NS_ERROR_NET_INTERRUPT'],
  [0x804b0048, 'NS_ERROR_PROXY_CONNECTION_REFUSED'],
]);

/** A navigation error by name: Firefox's numbers translated, else webRequest's name for it. */
function navigationError(error, tabId) {
  const code = /^Error code (\d+)$/.exec(error ?? '');
  if (!code) return error || lastNetError.get(tabId) || '';
  return FIREFOX_ERRORS.get(Number(code[1])) ?? lastNetError.get(tabId) ?? error;
}
const HISTORY_VERSION = 1;

// Measurements for the README and the tests (in this worker's lifetime).
const stats = { healthy: 0, healthy_ms: 0, healthy_max_ms: 0, wakes: 1, started: Date.now(), last_diagnosis_ms: null };
globalThis.__culprit = { stats, notifications: [] };

// ---------------------------------------------------------------------------------------
// Per-tab state: a Map mirrored to storage.session under `tab:<id>`.

/** @type {Map<number, any> | null} */
let tabs = null;
const loaded = chrome.storage.session.get(null).then((all) => {
  tabs = new Map();
  for (const [key, value] of Object.entries(all || {})) {
    if (key.startsWith('tab:') && value && typeof value === 'object') tabs.set(Number(key.slice(4)), value);
  }
  // Re-arm short waits that were pending when the worker was suspended.
  for (const [tabId, st] of tabs) if (st.retry?.state === 'waiting' && st.retry.next_at) armTimer(tabId, st.retry.next_at);
}).catch(() => { tabs = new Map(); });

function save(tabId, st) {
  tabs.set(tabId, st);
  return chrome.storage.session.set({ [`tab:${tabId}`]: st }).catch(() => {});
}

function forget(tabId) {
  tabs?.delete(tabId);
  clearTimeout(timers.get(tabId));
  timers.delete(tabId);
  chrome.alarms.clear(`retry:${tabId}`).catch(() => {});
  return chrome.storage.session.remove([`tab:${tabId}`, `sub:${tabId}`]).catch(() => {});
}

/** The last pages that loaded fine (this worker's lifetime): a ring of 16. */
const recentOk = new Array(16).fill(null);
let recentOkNext = 0;

/** Hosts that loaded fine lately, newest first. */
function recentHosts() {
  const seen = new Map();
  for (const r of recentOk) {
    if (!r) continue;
    const host = hostOf(r.url);
    if (host && !(seen.get(host) > r.at)) seen.set(host, r.at);
  }
  return [...seen].map(([host, at]) => ({ host, at })).sort((a, b) => b.at - a.at);
}

const sameDocument = (a, b) => {
  try {
    const x = new URL(a);
    const y = new URL(b);
    x.hash = '';
    y.hash = '';
    return x.href === y.href;
  } catch {
    return a === b;
  }
};
const hostOf = (url) => {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
};
const originOf = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

// ---------------------------------------------------------------------------------------
// Options and history (storage.local), validated: anything unreadable is reset with a notice.

async function getOptions() {
  const { options } = await chrome.storage.local.get('options');
  const out = { ...DEFAULT_OPTIONS };
  if (options && typeof options === 'object') {
    for (const [key, fallback] of Object.entries(DEFAULT_OPTIONS)) {
      if (typeof options[key] === typeof fallback && (typeof fallback !== 'number' || (Number.isFinite(options[key]) && options[key] > 0))) {
        out[key] = options[key];
      }
    }
  }
  return out;
}

async function readHistory() {
  const { history } = await chrome.storage.local.get('history');
  if (history === undefined) return [];
  const ok = history && typeof history === 'object' && history.version === HISTORY_VERSION && Array.isArray(history.entries)
    && history.entries.every((e) => e && typeof e === 'object' && typeof e.time === 'number' && typeof e.url === 'string' && typeof e.host === 'string');
  if (ok) return history.entries;
  await chrome.storage.local.set({
    history: { version: HISTORY_VERSION, entries: [] },
    history_notice: `The stored failure history could not be read (damaged, or from another version) and was reset on ${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC.`,
  });
  return [];
}

async function writeHistory(entries) {
  const { history_size } = await getOptions();
  await chrome.storage.local.set({ history: { version: HISTORY_VERSION, entries: entries.slice(-Math.max(1, Math.floor(history_size))) } });
}

async function recordFailure(st) {
  const entries = await readHistory();
  const d = st.diagnosis;
  const last = entries.findLast((e) => e.url === st.url && e.recovered == null);
  const entry = {
    time: Date.now(), url: st.url, host: hostOf(st.url), status: d.status ?? null, net_error: d.net_error ?? null,
    source: d.source?.name ?? '', summary: d.summary ?? '', recovered: null,
  };
  if (last && Date.now() - last.time < 3_600_000) {
    last.attempts = (last.attempts ?? 1) + 1;
    Object.assign(last, { status: entry.status, net_error: entry.net_error, source: entry.source, summary: entry.summary });
  } else {
    entries.push(entry);
  }
  await writeHistory(entries);
}

async function recordRecovery(url) {
  const entries = await readHistory();
  const last = entries.findLast((e) => e.url === url && e.recovered == null);
  if (last) {
    last.recovered = Date.now();
    await writeHistory(entries);
  }
}

// ---------------------------------------------------------------------------------------
// The badge.

async function applyBadge(tabId, badge) {
  try {
    await Promise.all([
      chrome.action.setBadgeText({ tabId, text: badge.text }),
      chrome.action.setBadgeBackgroundColor({ tabId, color: badge.color }),
      chrome.action.setTitle({ tabId, title: badge.title }),
      chrome.action.setBadgeTextColor?.({ tabId, color: '#ffffff' }),
    ]);
  } catch {
    // The tab is gone.
  }
}

async function clearBadge(tabId) {
  try {
    await Promise.all([
      chrome.action.setBadgeText({ tabId, text: '' }),
      chrome.action.setTitle({ tabId, title: 'Culprit' }),
    ]);
  } catch {
    // The tab is gone.
  }
}

// ---------------------------------------------------------------------------------------
// Diagnosis.

async function readPage(tabId) {
  try {
    const [res] = await chrome.scripting.executeScript({
      target: { tabId },
      func: (cap) => {
        const html = document.documentElement ? document.documentElement.outerHTML : '';
        return html.length > cap ? html.slice(0, cap) : html;
      },
      args: [BODY_CAP],
    });
    return typeof res?.result === 'string' ? res.result : null;
  } catch {
    return null;
  }
}

async function runDiagnosis(observation) {
  await wasmReady;
  const t0 = performance.now();
  const out = JSON.parse(diagnose(JSON.stringify({ ...observation, browser: BROWSER })));
  stats.last_diagnosis_ms = performance.now() - t0;
  return out.error ? null : out;
}

/** Diagnoses the failure recorded for `tabId` and tells the person. */
async function diagnoseTab(tabId, st, body) {
  const out = await runDiagnosis({
    url: st.url, status: st.status ?? null, status_text: st.status_text ?? null,
    headers: st.headers ?? [], body: body ?? null, net_error: st.net_error ?? null,
  });
  if (!out) return;
  // A newer navigation replaced this one meanwhile, or the tab recovered or closed.
  if (tabs.get(tabId) !== st) return;
  Object.assign(st, { phase: 'diagnosed', diagnosis: out.diagnosis, badge: out.badge, diagnosed_at: Date.now() });
  await save(tabId, st);
  await applyBadge(tabId, out.badge);
  stats.last_badge = { tab: tabId, url: st.url, at: Date.now() };
  recordFailure(st).catch(() => {});
  const retrying = st.retry && st.retry.state === 'retrying';
  const options = await getOptions();
  if (retrying) scheduleNext(tabId, st, options);
  if (options.banner && st.status) injectBanner(tabId, st);
}

async function injectBanner(tabId, st) {
  try {
    await chrome.scripting.executeScript({
      target: { tabId },
      func: showBanner,
      args: [{ summary: st.diagnosis.summary, color: st.badge.color, retry: st.retry ?? null }],
    });
  } catch {
    // Not scriptable (the browser's own pages).
  }
}

let seq = 0;

// ---------------------------------------------------------------------------------------
// Events. Every listener is registered synchronously at the top level.

chrome.webRequest.onHeadersReceived.addListener((details) => {
  const t0 = performance.now();
  const { tabId, statusCode } = details;
  if (tabId < 0 || (statusCode >= 300 && statusCode < 400)) return;
  if (statusCode < 400 && tabs !== null && !tabs.has(tabId)) {
    // The healthy path: no storage, no wasm, no script; only a note that the network works.
    recentOk[recentOkNext] = { url: details.url, at: details.timeStamp };
    recentOkNext = (recentOkNext + 1) % recentOk.length;
    const ms = performance.now() - t0;
    stats.healthy += 1;
    stats.healthy_ms += ms;
    stats.healthy_max_ms = Math.max(stats.healthy_max_ms, ms);
    return;
  }
  onResponse(details);
}, { urls: ['<all_urls>'], types: ['main_frame'] }, ['responseHeaders']);

async function onResponse(details) {
  await loaded;
  const { tabId, statusCode, url } = details;
  const prev = tabs.get(tabId);
  if (statusCode < 400) {
    if (!prev) return;
    if (sameDocument(prev.url, url)) await recovered(tabId, prev);
    else await leave(tabId);
    return;
  }
  const statusLine = typeof details.statusLine === 'string' ? details.statusLine : '';
  const statusText = statusLine.replace(/^\S+\s+\d{3}\s*/, '') || null;
  const headers = (details.responseHeaders ?? []).map((h) => ({ name: String(h.name), value: h.value ?? '' }));
  const keepRetry = prev?.retry && sameDocument(prev.url, url) ? prev.retry : null;
  const st = { seq: ++seq, phase: 'response', url, status: statusCode, status_text: statusText, headers, at: Date.now(), retry: keepRetry };
  await save(tabId, st);
  if (FIREFOX) catchUp(tabId, st);
}

/**
 * Firefox can deliver webRequest's event after webNavigation's onCompleted (seen for the first
 * page its background sees): when the page has loaded already, read it now.
 */
async function catchUp(tabId, st) {
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  if (tabs.get(tabId) !== st || st.phase !== 'response' || tab?.status !== 'complete' || !sameDocument(tab.url, st.url)) return;
  st.phase = 'reading';
  await applyBadge(tabId, { text: String(st.status), color: '#4b5563', title: `Culprit: HTTP ${st.status}, reading the page…` });
  const body = await readPage(tabId);
  await diagnoseTab(tabId, st, body);
}

chrome.webNavigation.onCommitted.addListener(async (details) => {
  if (details.frameId !== 0) return;
  await loaded;
  chrome.storage.session.remove(`sub:${details.tabId}`).catch(() => {});
  const st = tabs.get(details.tabId);
  if (!st) return;
  if (st.retry && ['waiting', 'retrying'].includes(st.retry.state)
      && (details.transitionType !== 'reload' || !sameDocument(st.url, details.url))) {
    // The person navigated: their navigation wins over the schedule.
    st.retry = null;
    chrome.alarms.clear(`retry:${details.tabId}`).catch(() => {});
    clearTimeout(timers.get(details.tabId));
    await save(details.tabId, st);
  }
  if (st.phase === 'response' && sameDocument(st.url, details.url)) {
    // The status is known already; the diagnosis follows when the page has loaded.
    await applyBadge(details.tabId, { text: String(st.status), color: '#4b5563', title: `Culprit: HTTP ${st.status}, reading the page…` });
  } else if (!sameDocument(st.url, details.url)) {
    await leave(details.tabId);
  } else if (st.badge) {
    await applyBadge(details.tabId, st.badge);
  }
});

chrome.webNavigation.onCompleted.addListener(async (details) => {
  if (details.frameId !== 0) return;
  if (tabs !== null && !tabs.has(details.tabId)) return;
  await loaded;
  const st = tabs.get(details.tabId);
  if (!st || st.phase !== 'response' || !sameDocument(st.url, details.url)) return;
  st.phase = 'reading';
  const body = await readPage(details.tabId);
  await diagnoseTab(details.tabId, st, body);
});

chrome.webNavigation.onErrorOccurred.addListener(async (details) => {
  if (details.frameId !== 0) return;
  const error = navigationError(details.error, details.tabId);
  if (!error || NOT_FAILURES.has(error)) return;
  await loaded;
  const prev = tabs.get(details.tabId);
  if (error === 'net::ERR_HTTP_RESPONSE_CODE_FAILURE' && prev?.phase === 'response' && sameDocument(prev.url, details.url)) {
    // An error status with an empty body: Chromium shows its own page, which no script may
    // read; the status and headers are all there is.
    prev.phase = 'reading';
    await diagnoseTab(details.tabId, prev, null);
    reapplyBadgeSoon(details.tabId, prev);
    return;
  }
  const keepRetry = prev?.retry && sameDocument(prev.url, details.url) ? prev.retry : null;
  const st = { seq: ++seq, phase: 'neterror', url: details.url, net_error: error, at: Date.now(), retry: keepRetry };
  await save(details.tabId, st);
  await diagnoseTab(details.tabId, st, null);
  reapplyBadgeSoon(details.tabId, st);
});

/** Chromium resets a tab's badge when its error page commits, which may come after the
 * error event: set it once more a moment later. */
function reapplyBadgeSoon(tabId, st) {
  setTimeout(() => {
    if (tabs.get(tabId) === st && st.badge) applyBadge(tabId, st.badge);
  }, 200);
}

const lastNetError = new Map();
chrome.webRequest.onErrorOccurred.addListener((details) => {
  if (details.tabId >= 0) lastNetError.set(details.tabId, details.error);
}, { urls: ['<all_urls>'], types: ['main_frame'] });

// The page's own requests (fetch / XHR) answered with a server error: counted, not diagnosed.
// One count at a time: two calls failing together must not both read the same old count.
let counting = Promise.resolve();
chrome.webRequest.onCompleted.addListener((details) => {
  if (details.tabId < 0 || details.statusCode < 500) return;
  const key = `sub:${details.tabId}`;
  counting = counting.then(async () => {
    const got = await chrome.storage.session.get(key);
    await chrome.storage.session.set({ [key]: (Number(got[key]) || 0) + 1 });
  }).catch(() => {});
}, { urls: ['<all_urls>'], types: ['xmlhttprequest'] });

chrome.tabs.onRemoved.addListener((tabId) => {
  loaded.then(() => forget(tabId));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name.startsWith('retry:')) retryStep(Number(alarm.name.slice(6)));
});

chrome.notifications?.onClicked.addListener((id) => {
  const tabId = Number(id.split(':')[1]);
  if (Number.isInteger(tabId)) chrome.tabs.update(tabId, { active: true }).catch(() => {});
});

/** The tab recovered: clear everything and tell the person if they were waiting. */
async function recovered(tabId, st) {
  const wasRetrying = st.retry && ['waiting', 'retrying'].includes(st.retry.state);
  await forget(tabId);
  await clearBadge(tabId);
  await recordRecovery(st.url).catch(() => {});
  if (wasRetrying) {
    notify(`back:${tabId}`, `${hostOf(st.url)} is back`, `The page loaded again after ${st.retry.attempt} automatic ${st.retry.attempt === 1 ? 'retry' : 'retries'}.`);
  }
}

/** The person navigated elsewhere. */
async function leave(tabId) {
  await forget(tabId);
  await clearBadge(tabId);
}

function notify(id, title, message) {
  globalThis.__culprit.notifications.push({ id, title, message, at: Date.now() });
  chrome.storage.session.set({ last_notification: { id, title, message, at: Date.now() } }).catch(() => {});
  try {
    chrome.notifications?.create(id, { type: 'basic', iconUrl: chrome.runtime.getURL('icons/icon-128.png'), title, message })?.catch?.(() => {});
  } catch {
    // Notifications unavailable: the badge and popup still say it.
  }
}

// ---------------------------------------------------------------------------------------
// Auto-retry: chrome.alarms survive suspension (Chrome fires them no sooner than 30 s in a
// packed extension); a timer in the living worker covers shorter waits.

const timers = new Map();

function armTimer(tabId, at) {
  clearTimeout(timers.get(tabId));
  const ms = at - Date.now();
  if (ms < 30_000) timers.set(tabId, setTimeout(() => retryStep(tabId), Math.max(0, ms)));
}

function retryAfterSeconds(st) {
  const r = st.diagnosis?.retry;
  return r && r.from_header && Number.isFinite(r.after_seconds) ? r.after_seconds : NaN;
}

async function scheduleNext(tabId, st, options) {
  const r = st.retry;
  const delay = next_retry(r.attempt, options.retry_initial, options.retry_cap, options.retry_give_up,
    (Date.now() - r.started_at) / 1000, retryAfterSeconds(st), Math.random());
  if (delay < 0) {
    Object.assign(r, { state: 'gave-up', next_at: null });
    await save(tabId, st);
    notify(`gaveup:${tabId}`, `${hostOf(st.url)} is still down`, `Culprit stopped retrying after ${r.attempt} ${r.attempt === 1 ? 'try' : 'tries'}.`);
    return;
  }
  Object.assign(r, { state: 'waiting', next_at: Date.now() + delay * 1000 });
  await save(tabId, st);
  chrome.alarms.create(`retry:${tabId}`, { when: r.next_at });
  armTimer(tabId, r.next_at);
}

async function retryStep(tabId) {
  await loaded;
  const st = tabs.get(tabId);
  const r = st?.retry;
  if (!r || r.state !== 'waiting') return;
  if (r.next_at && Date.now() < r.next_at - 100) {
    armTimer(tabId, r.next_at);
    return;
  }
  Object.assign(r, { state: 'retrying', attempt: r.attempt + 1, next_at: null });
  r.tries = [...(r.tries ?? []), Date.now()].slice(-50);
  await save(tabId, st);
  chrome.alarms.clear(`retry:${tabId}`).catch(() => {});
  clearTimeout(timers.get(tabId));
  try {
    await chrome.tabs.reload(tabId, { bypassCache: true });
  } catch {
    await forget(tabId);
  }
}

async function startAutoRetry(tabId) {
  const st = tabs.get(tabId);
  if (!st?.diagnosis) return { ok: false, message: 'There is no failure on this tab to retry.' };
  if (st.retry && ['waiting', 'retrying'].includes(st.retry.state)) return { ok: true, message: 'Auto-retry is already on.' };
  const options = await getOptions();
  st.retry = { attempt: 0, started_at: Date.now(), state: 'waiting', next_at: null, tries: [] };
  await scheduleNext(tabId, st, options);
  const wait = Math.round((st.retry.next_at - Date.now()) / 1000);
  return st.retry.state === 'gave-up'
    ? { ok: false, message: 'The server asks to wait longer than the auto-retry schedule allows.' }
    : { ok: true, message: `Auto-retry on: first try in ${wait} s, then waits double up to ${options.retry_cap} s; stops after ${options.retry_give_up} s or when the page is back.` };
}

async function stopAutoRetry(tabId) {
  const st = tabs.get(tabId);
  if (st?.retry) {
    st.retry = null;
    await save(tabId, st);
  }
  chrome.alarms.clear(`retry:${tabId}`).catch(() => {});
  clearTimeout(timers.get(tabId));
  return { ok: true, message: 'Auto-retry stopped.' };
}

// ---------------------------------------------------------------------------------------
// The other fixes.

async function retryNow(tabId) {
  await chrome.tabs.reload(tabId, { bypassCache: true });
  return { ok: true, message: 'Reloaded, bypassing the cache.' };
}

async function clearSiteCache(tabId, url, cookies) {
  const origin = originOf(url);
  if (!origin || !/^https?:/.test(origin)) return { ok: false, message: 'This page has no web origin to clear.' };
  const host = new URL(url).hostname;
  let message;
  if (FIREFOX) {
    // Firefox scopes cookies and storage by host name, but not the HTTP cache.
    await chrome.browsingData.remove({ hostnames: [host] }, { localStorage: true, cookies: !!cookies });
    await chrome.browsingData.removeCache({});
    message = `Cleared Firefox's whole HTTP cache (Firefox cannot clear one site's cache) and ${host}'s local storage${cookies ? ` and cookies (you are signed out of ${host})` : ''}, then reloaded.`;
  } else {
    await chrome.browsingData.remove({ origins: [origin] }, { cache: true, cacheStorage: true, serviceWorkers: true, cookies: !!cookies });
    message = `Cleared the cache, Cache Storage and service workers of ${origin} only${cookies ? `, and its cookies (Chrome clears them for all of ${host}: you are signed out)` : ''}, then reloaded.`;
  }
  await chrome.tabs.reload(tabId, { bypassCache: true });
  return { ok: true, message };
}

async function privateWindow(url) {
  try {
    await chrome.windows.create({ url, incognito: true });
    return { ok: true, message: 'Opened in a private window.' };
  } catch (e) {
    const how = FIREFOX
      ? 'Firefox lets an extension open private windows only when you allow it: about:addons → Culprit → "Run in Private Windows" → Allow.'
      : 'Chrome refused (private windows may be turned off by a policy, or the extension is not allowed in Incognito: chrome://extensions → Culprit → Details → "Allow in Incognito").';
    return { ok: false, message: `${how} Or copy the address and open it in a private window yourself (Ctrl+Shift+${FIREFOX ? 'P' : 'N'}).`, copy_url: url, error: String(e?.message ?? e) };
  }
}

async function downChecker(url) {
  const host = hostOf(url);
  if (!host) return { ok: false, message: 'This page has no host name to check.' };
  await chrome.tabs.create({ url: `https://downforeveryoneorjustme.com/${encodeURIComponent(host)}` });
  return { ok: true, message: `Opened a down-checker for ${host} in a new tab.` };
}

// ---------------------------------------------------------------------------------------
// Messages from the popup, the banner and the options page.

async function activeTab() {
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  return tab?.id ?? null;
}

async function popupState(tabId) {
  const st = tabId == null ? null : tabs.get(tabId);
  let url = st?.url ?? null;
  if (!url && tabId != null) url = (await chrome.tabs.get(tabId).catch(() => null))?.url ?? null;
  const host = url ? hostOf(url) : null;
  const sub = tabId == null ? {} : await chrome.storage.session.get(`sub:${tabId}`);
  const history = (await readHistory()).filter((e) => host && e.host === host);
  const { history_notice } = await chrome.storage.local.get('history_notice');
  const platform = await chrome.runtime.getPlatformInfo().catch(() => ({ os: '' }));
  return {
    tab_id: tabId, url, host, diagnosis: st?.diagnosis ?? null, diagnosed_at: st?.diagnosed_at ?? 0,
    badge: st?.badge ?? null, retry: st?.retry ?? null, browser: BROWSER, os: platform.os,
    online: navigator.onLine, recent_ok: recentHosts(), subresource_failures: Number(sub[`sub:${tabId}`]) || 0,
    history, history_notice: history_notice ?? null,
  };
}

async function handle(msg, sender) {
  await loaded;
  const type = msg?.type;
  if (type === 'get-options') return { options: await getOptions(), defaults: DEFAULT_OPTIONS, browser: BROWSER };
  if (type === 'set-options') {
    const merged = { ...(await getOptions()), ...(msg.options ?? {}) };
    await chrome.storage.local.set({ options: merged });
    return { ok: true, options: await getOptions() };
  }
  if (type === 'history-all') {
    const entries = await readHistory();
    const { history_notice } = await chrome.storage.local.get('history_notice');
    return { entries, notice: history_notice ?? null };
  }
  if (type === 'history-clear') {
    await chrome.storage.local.set({ history: { version: HISTORY_VERSION, entries: [] } });
    await chrome.storage.local.remove('history_notice');
    return { ok: true, message: 'History cleared.' };
  }
  if (type === 'stats') return { ...stats, tabs: tabs.size };

  const tabId = Number.isInteger(msg?.tab_id) ? msg.tab_id : (sender?.tab?.id ?? await activeTab());
  if (type === 'popup-state') return popupState(tabId);
  if (type === 'banner-state') return { retry: tabs.get(tabId)?.retry ?? null };
  if (tabId == null) return { ok: false, message: 'No tab.' };
  const st = tabs.get(tabId);
  const url = st?.url ?? (await chrome.tabs.get(tabId).catch(() => null))?.url ?? '';
  switch (type) {
    case 'retry': return retryNow(tabId);
    case 'auto-retry-start': return startAutoRetry(tabId);
    case 'auto-retry-stop': return stopAutoRetry(tabId);
    case 'clear-cache': return clearSiteCache(tabId, url, !!msg.cookies);
    case 'private-window': return privateWindow(url);
    case 'down-checker': return downChecker(url);
    default: return { ok: false, message: `Unknown request ${String(type)}.` };
  }
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  // Only the extension's own pages and the banner it injected talk to it.
  if (sender.id !== chrome.runtime.id) return false;
  handle(msg, sender).then(sendResponse, (e) => sendResponse({ ok: false, message: String(e?.message ?? e) }));
  return true;
});
