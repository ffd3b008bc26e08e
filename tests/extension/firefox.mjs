// Firefox ESR driven over its own WebDriver BiDi server (`--remote-debugging-port`) from
// Node, with nothing else: the built extension installed as a temporary add-on, headless, in
// a fresh profile. Playwright cannot drive Debian's Firefox (it needs its own patched build),
// and WebDriver will not open `moz-extension://` pages, so the extension's state is read the
// way Firefox's own toolbar reads it: from the browser's chrome (system access, allowed by
// `--remote-allow-system-access`), asking Firefox's action API what the badge of a tab is.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EXTENSION } from './lib.mjs';

export const FIREFOX = process.env.CULPRIT_FIREFOX || '/usr/bin/firefox-esr';
/** The store package for addons.mozilla.org, beside the unpacked folder. */
export const FIREFOX_ZIP = join(dirname(EXTENSION), 'culprit-extension-firefox.zip');
const ADDON_ID = 'culprit@culprit-extension.org';

// Node 22 has a WebSocket of its own; Node 20 has it behind a flag, so take `ws` (already in
// package-lock.json through web-ext and lighthouse) there.
const WebSocketImpl = globalThis.WebSocket ?? (await import('ws')).default;

/** Preferences that keep a test browser from reaching out on its own. */
const PREFS = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.newtabpage.enabled': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
};

/**
 * Starts headless Firefox ESR with a fresh profile and the extension's Firefox zip installed
 * as a temporary add-on. `close()` stops that process (by its handle) and removes the profile.
 */
export async function launchFirefox() {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: install Debian's firefox-esr (cargo xtask test installs it)`);
  if (!existsSync(FIREFOX_ZIP)) throw new Error(`${FIREFOX_ZIP} is missing: run cargo xtask build-extension`);
  const profile = mkdtempSync(join(tmpdir(), 'culprit-firefox-'));
  writeFileSync(join(profile, 'user.js'), Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
  const child = spawn(FIREFOX, [
    '--headless', '--no-remote', '--profile', profile,
    '--remote-debugging-port=0', '--remote-allow-system-access', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
  let stderr = '';
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(late);
    }
    rmSync(profile, { recursive: true, force: true });
  };
  // A test process that dies must not leave its browser behind.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);

  let ws;
  try {
    const endpoint = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Firefox did not start its BiDi server in 60 s:\n${stderr}`)), 60_000);
      child.stderr.on('data', (d) => {
        stderr = (stderr + d).slice(-20_000);
        const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`Firefox exited (${code}) before its BiDi server started:\n${stderr}`)));
    });
    ws = new WebSocketImpl(`${endpoint}/session`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = (e) => reject(new Error(`could not connect to ${endpoint}: ${e.message ?? e}`));
    });
  } catch (e) {
    process.off('exit', onExit);
    await stop();
    throw e;
  }

  let next = 0;
  const pending = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(typeof m.data === 'string' ? m.data : m.data.toString());
    const waiter = msg.id != null && pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id);
    if (msg.type === 'error') waiter.reject(new Error(`${msg.error}: ${msg.message}`));
    else waiter.resolve(msg.result);
  };
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++next;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
  /** Evaluates `expression` in `context`; returns its value (a string, number, boolean or null). */
  const evaluate = async (context, expression) => {
    const out = await send('script.evaluate', { expression, target: { context }, awaitPromise: true });
    if (out.type === 'exception') throw new Error(`${expression.slice(0, 80)}…: ${out.exceptionDetails?.text}`);
    return out.result?.value ?? null;
  };

  const ff = {
    stderr: () => stderr,
    send,
    evaluate,
    async close() {
      process.off('exit', onExit);
      for (const { reject } of pending.values()) reject(new Error('closed'));
      await send('session.end').catch(() => {});
      ws.close();
      await stop();
    },
  };
  try {
    await send('session.new', { capabilities: { alwaysMatch: {} } });
    const { extension } = await send('webExtension.install', { extensionData: { type: 'archivePath', path: FIREFOX_ZIP } });
    if (extension !== ADDON_ID) throw new Error(`installed ${extension}, expected ${ADDON_ID}`);
    const chrome = await send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    ff.chrome = chrome.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml')?.context;
    if (!ff.chrome) throw new Error(`no browser window among ${JSON.stringify(chrome.contexts)}`);
  } catch (e) {
    await ff.close();
    throw e;
  }

  /** A new tab (Firefox's first tab reports tabId -1 to webRequest for its first load). */
  ff.newTab = async () => (await send('browsingContext.create', { type: 'tab' })).context;
  /** Navigates `context` to `url` and waits for its load event (an error page loads too). */
  ff.goto = (context, url) => send('browsingContext.navigate', { context, url, wait: 'complete' }).catch((e) => {
    // Firefox's own network-error page ends the navigation with an error.
    if (!/neterror|NS_ERROR|unknown error/i.test(e.message)) throw e;
  });
  /**
   * The badge of the tab showing `url`, as Firefox's toolbar has it: text, colour, title.
   * Null when no tab shows that address.
   */
  ff.badge = async (url) => JSON.parse(await evaluate(ff.chrome, `(() => {
    const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
    const ext = WebExtensionPolicy.getByID(${JSON.stringify(ADDON_ID)})?.extension;
    const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === ${JSON.stringify(url)});
    if (!ext || !tab) return 'null';
    const d = ExtensionParent.apiManager.global.browserActionFor(ext).action.getContextData(tab);
    return JSON.stringify({ text: d.badgeText ?? '', color: d.badgeBackgroundColor ?? null, title: d.title ?? '' });
  })()`));
  /** The banner's one-line diagnosis in `context`'s page, or null when there is no banner. */
  ff.banner = (context) => evaluate(context, `(() => {
    const host = document.querySelector('culprit-banner');
    if (!host) return null;
    return host.shadowRoot?.querySelector('#culprit-summary')?.textContent ?? '';
  })()`);
  return ff;
}
