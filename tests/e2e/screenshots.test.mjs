// Screenshots at 390x844 and 1366x900, light and dark, full page, saved to
// <target>/screenshots/<name>-<w>x<h>-<scheme>.png; and no horizontal overflow at 390 and 320 px.

import { before, after } from 'node:test';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import {
  test, assert, launch, newContext, noForeignRequestsTest, gotoHome, pasteAndWait, waitHydrated,
  fixture, screenshotDir, url,
} from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const fx = fixture('cloudflare/522-connection-timed-out');

/** The states to capture: name → how to reach it on a fresh page. */
const STATES = {
  'home-empty': async (p) => {
    await gotoHome(p);
  },
  'home-cloudflare-522': async (p) => {
    await gotoHome(p);
    await pasteAndWait(p, fx.text, { label: fx.id });
    await p.click('#tab-visitor');
  },
  'home-cloudflare-522-owner': async (p) => {
    await gotoHome(p);
    await pasteAndWait(p, fx.text, { label: fx.id });
    await p.click('#tab-owner');
    const selected = await p.getAttribute('#tab-owner', 'aria-selected');
    assert.equal(selected, 'true', '#tab-owner is not aria-selected after a click');
    assert.ok(await p.isVisible('#panel-owner'), '#panel-owner is not visible after clicking its tab');
    assert.ok(!(await p.isVisible('#panel-visitor')), '#panel-visitor stays visible beside the owner panel');
  },
  'status-502': async (p) => {
    await p.goto(url('/status/502/'), { waitUntil: 'load' });
    await waitHydrated(p);
  },
  'source-cloudflare': async (p) => {
    await p.goto(url('/source/cloudflare/'), { waitUntil: 'load' });
    await waitHydrated(p);
  },
};

const overflow = (p) =>
  p.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.localName}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`),
  }));

const lum = (rgb) => {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const pageBackground = (p) =>
  p.evaluate(() => {
    for (const el of [document.body, document.documentElement]) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) return c;
    }
    return 'rgb(255, 255, 255)';
  });

for (const [w, h] of [[390, 844], [1366, 900]]) {
  test(`screenshots ${w}x${h}, light and dark`, { timeout: 90_000 }, async () => {
    const ctx = await newContext(browser, {
      viewport: { width: w, height: h },
      deviceScaleFactor: 1,
      isMobile: w < 500,
      hasTouch: w < 500,
    });
    const problems = [];
    try {
      const p = await ctx.newPage();
      for (const [name, reach] of Object.entries(STATES)) {
        await p.emulateMedia({ colorScheme: 'light' });
        await reach(p);
        await p.evaluate(() => document.fonts.ready);
        for (const scheme of ['light', 'dark']) {
          await p.emulateMedia({ colorScheme: scheme });
          const file = join(screenshotDir(), `${name}-${w}x${h}-${scheme}.png`);
          await p.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
          assert.ok(statSync(file).size > 1000, `${file} is (nearly) empty`);
          // The page follows prefers-color-scheme.
          const bg = await pageBackground(p);
          if (scheme === 'dark' && lum(bg) >= 128) problems.push(`${name}: dark scheme, but the background is ${bg}`);
          if (scheme === 'light' && lum(bg) < 128) problems.push(`${name}: light scheme, but the background is ${bg}`);
        }
        const o = await overflow(p);
        if (w <= 390 && o.scrollWidth > o.innerWidth) {
          problems.push(`${name} at ${w}px: scrollWidth ${o.scrollWidth} > ${o.innerWidth} (${o.wide.join(', ')})`);
        }
      }
    } finally {
      await ctx.close();
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}

test('no horizontal overflow at 320 px', { timeout: 60_000 }, async () => {
  const ctx = await newContext(browser, { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
  const problems = [];
  try {
    const p = await ctx.newPage();
    for (const [name, reach] of Object.entries(STATES)) {
      await reach(p);
      const o = await overflow(p);
      if (o.scrollWidth > o.innerWidth) problems.push(`${name}: scrollWidth ${o.scrollWidth} > ${o.innerWidth} (${o.wide.join(', ')})`);
    }
  } finally {
    await ctx.close();
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

noForeignRequestsTest();
