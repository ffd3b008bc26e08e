// `web-ext lint` (Mozilla's linter for addons.mozilla.org) over the built extension: no errors;
// the only warnings allowed are the one the dual Chrome/Firefox manifest causes by design
// (Firefox ignores `background.service_worker` and uses `background.scripts`) and the
// `innerHTML` setter that wasm-bindgen's glue imports for Yew (the popup never renders HTML
// from a page: the views render text only).

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, assert, EXTENSION, REPO_ROOT } from './lib.mjs';

const ALLOWED = [
  { code: 'BACKGROUND_SERVICE_WORKER_IGNORED', file: 'manifest.json' },
  { code: 'UNSAFE_VAR_ASSIGNMENT', file: 'pkg/culprit_extension.js' },
];

test('web-ext lint reports no errors and no unexpected warnings', (t) => {
  const bin = join(REPO_ROOT, 'node_modules', '.bin', 'web-ext');
  let out;
  try {
    out = execFileSync(bin, ['lint', '--source-dir', EXTENSION, '--output', 'json', '--no-input'], { encoding: 'utf8', timeout: 120_000 });
  } catch (e) {
    // web-ext exits non-zero on errors; its JSON is still on stdout.
    out = e.stdout;
  }
  const report = JSON.parse(out.slice(out.indexOf('{')));
  t.diagnostic(`web-ext lint: ${JSON.stringify(report.summary)}`);
  assert.deepEqual(report.errors, [], 'web-ext lint errors');
  const unexpected = report.warnings.filter((w) => !ALLOWED.some((a) => a.code === w.code && a.file === w.file));
  assert.deepEqual(unexpected.map((w) => `${w.code} ${w.file}: ${w.message}`), []);
  assert.deepEqual(report.notices, []);
});
