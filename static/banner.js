// The in-page banner, injected by the background (scripting.executeScript with `func`) into
// error pages only. It must be self-contained: the browser serialises this one function.
// A shadow root holds its markup and styles, so the page's CSS cannot restyle it, and the
// host element resets every inherited property. Text is set with textContent only.

export function showBanner(data) {
  const TAG = 'culprit-banner';
  for (const old of document.querySelectorAll(TAG)) old.remove();
  if (globalThis.__culpritBannerTimer) clearInterval(globalThis.__culpritBannerTimer);
  const host = document.createElement(TAG);
  host.setAttribute('data-culprit', 'banner');
  host.style.cssText = 'all: initial !important; display: block !important; position: fixed !important;'
    + ' top: 0 !important; left: 0 !important; right: 0 !important; z-index: 2147483647 !important;';
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = `
    :host { all: initial; }
    .strip { box-sizing: border-box; display: flex; flex-wrap: wrap; align-items: center; gap: 8px;
      margin: 0; padding: 6px 12px; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
      color: #111; background: #fff8e1; border-bottom: 3px solid var(--hop, #b3261e);
      box-shadow: 0 2px 8px rgba(0,0,0,.25); }
    .brand { font-weight: 700; color: #fff; background: var(--hop, #b3261e); border-radius: 4px;
      padding: 1px 6px; letter-spacing: .02em; }
    .text { flex: 1 1 300px; min-width: 0; }
    .count { font-variant-numeric: tabular-nums; color: #5b4500; }
    button { font: inherit; padding: 2px 10px; border: 1px solid #555; border-radius: 4px;
      background: #fff; color: #111; cursor: pointer; }
    button:hover { background: #eee; }
    button:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 1px; }
    .close { border: none; background: transparent; font-size: 16px; padding: 0 6px; }`;
  const strip = document.createElement('div');
  strip.className = 'strip';
  strip.setAttribute('role', 'alert');
  strip.style.setProperty('--hop', /^#[0-9a-f]{3,8}$/i.test(data.color || '') ? data.color : '#b3261e');
  const brand = document.createElement('span');
  brand.className = 'brand';
  brand.textContent = 'Culprit';
  const text = document.createElement('span');
  text.className = 'text';
  text.id = 'culprit-summary';
  text.textContent = String(data.summary || '');
  const count = document.createElement('span');
  count.className = 'count';
  count.id = 'culprit-countdown';
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.id = 'culprit-retry';
  retry.textContent = 'Retry';
  const auto = document.createElement('button');
  auto.type = 'button';
  auto.id = 'culprit-auto-retry';
  auto.textContent = 'Auto-retry';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'close';
  close.title = 'Hide this banner';
  close.setAttribute('aria-label', 'Hide the Culprit banner');
  close.textContent = '×';
  strip.append(brand, text, count, retry, auto, close);
  root.append(style, strip);
  (document.body || document.documentElement).appendChild(host);

  let waiting = false;
  const send = (type) => chrome.runtime.sendMessage({ type }).catch(() => null);
  const render = (state) => {
    const r = state && state.retry;
    waiting = !!r && (r.state === 'waiting' || r.state === 'retrying');
    auto.textContent = waiting ? 'Stop auto-retry' : 'Auto-retry';
    if (waiting && r.next_at) {
      const secs = Math.max(0, Math.ceil((r.next_at - Date.now()) / 1000));
      count.textContent = `Retry ${r.attempt + 1} in ${secs} s`;
      count.dataset.seconds = String(secs);
    } else if (r && r.state === 'gave-up') {
      count.textContent = 'Auto-retry gave up';
    } else {
      count.textContent = waiting ? 'Retrying…' : '';
    }
  };
  const poll = async () => {
    try {
      render(await chrome.runtime.sendMessage({ type: 'banner-state' }));
    } catch {
      clearInterval(globalThis.__culpritBannerTimer);
    }
  };
  retry.addEventListener('click', () => send('retry'));
  auto.addEventListener('click', async () => {
    await send(waiting ? 'auto-retry-stop' : 'auto-retry-start');
    poll();
  });
  close.addEventListener('click', () => {
    clearInterval(globalThis.__culpritBannerTimer);
    host.remove();
  });
  render(data);
  globalThis.__culpritBannerTimer = setInterval(poll, 1000);
}
