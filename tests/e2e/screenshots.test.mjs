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

for (const scheme of ['light', 'dark']) {
  for (const [w, h] of [[390, 844], [1366, 900]]) {
    test(`screenshots ${w}x${h} ${scheme}`, { timeout: 90_000 }, async () => {
      const ctx = await newContext(browser, {
        viewport: { width: w, height: h },
        colorScheme: scheme,
        deviceScaleFactor: 1,
        isMobile: w < 500,
        hasTouch: w < 500,
      });
      const problems = [];
      try {
        const p = await ctx.newPage();
        let background;
        for (const [name, reach] of Object.entries(STATES)) {
          await reach(p);
          await p.evaluate(() => document.fonts.ready);
          const file = join(screenshotDir(), `${name}-${w}x${h}-${scheme}.png`);
          await p.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
          assert.ok(statSync(file).size > 1000, `${file} is (nearly) empty`);
          const o = await overflow(p);
          if (w <= 390 && o.scrollWidth > o.innerWidth) {
            problems.push(`${name} at ${w}px: scrollWidth ${o.scrollWidth} > ${o.innerWidth} (${o.wide.join(', ')})`);
          }
          background ??= await p.evaluate(() => {
            for (const el of [document.body, document.documentElement]) {
              const c = getComputedStyle(el).backgroundColor;
              if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) return c;
            }
            return 'rgb(255, 255, 255)';
          });
        }
        // Dark and light differ: the page follows prefers-color-scheme.
        const lum = (rgb) => {
          const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        if (scheme === 'dark') assert.ok(lum(background) < 128, `dark scheme, but the body background is ${background}`);
        else assert.ok(lum(background) >= 128, `light scheme, but the body background is ${background}`);
      } finally {
        await ctx.close();
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
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
