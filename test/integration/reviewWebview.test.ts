// The built review webview (dist/webview.js + dist/webview.css) in a real headless Chromium, under the same
// strict CSP the host writes, with a fake acquireVsCodeApi that answers `ready` with a snapshot. The full
// VS Code run is the end-to-end issue's; this checks the bundle loads, renders and breaks no CSP rule.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { makeNonce, reviewHtml } from '../../src/extension/editor/reviewHtml';
import { mediaSourceFor, snapshotFor } from '../../src/extension/editor/reviewSnapshot';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';
import { makeTempDir, repoRoot, skipUnless } from '../helpers/testEnvironment';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const noChromiumReason = chromium ? undefined : 'Chromium is not installed (/usr/bin/chromium); install it with apt-get install chromium';
const bundle = path.join(repoRoot, 'dist', 'webview.js');
const noBundleReason = existsSync(bundle) ? undefined : 'dist/webview.js is not built (npm run build)';

describe('review webview in headless Chromium', () => {
  it('renders the first 500 label rows under the strict CSP and sends a keyboard correction', skipUnless(noChromiumReason, noBundleReason), () => {
    const { dir, cleanup } = makeTempDir('emotion-lens-webview-');
    try {
      // 300 frames x 2 faces = 600 rows: more than the plain table renders.
      const doc = makeDocument(makeFrames(300, 0.2, [1, 2], (f, t) => (t === 1 ? 'happy' : 'sad')));
      doc.corrections = [correction(doc.frames[0]!, 2, 'angry')];
      const snapshot = snapshotFor(doc, {
        revision: 1,
        fileName: 'clip.mp4.emotion.json',
        settings: { lowConfidenceThreshold: 0.5 },
        media: mediaSourceFor({ mediaPath: doc.media.path, exists: false }),
        dirty: false,
      });
      copyFileSync(bundle, path.join(dir, 'webview.js'));
      copyFileSync(path.join(repoRoot, 'dist', 'webview.css'), path.join(dir, 'webview.css'));
      const nonce = makeNonce();
      const page = reviewHtml({ cspSource: 'file:', nonce, scriptUri: 'webview.js', styleUri: 'webview.css', title: 'test' });
      // The fake host answers `ready` with the snapshot, the way the extension does, and records what it is sent.
      // The scenario then corrects the first row by keyboard: open its dropdown, ArrowDown, Enter.
      const fakeHost = `<script nonce="${nonce}">
        window.acquireVsCodeApi = () => ({
          postMessage(m) {
            document.body.dataset.posted = (document.body.dataset.posted || '') + m.type + (m.label ? ':' + m.label : '') + ';';
            if (m.type !== 'ready') return;
            const t0 = performance.now();
            window.postMessage({ type: 'snapshot', snapshot: ${JSON.stringify(snapshot).replace(/</g, '\\u003c')} }, '*');
            window.addEventListener('message', () => { document.body.dataset.renderMs = String(Math.round(performance.now() - t0)); });
          },
          getState() { return undefined; }, setState() {} });
        window.addEventListener('message', () => setTimeout(async () => {
          const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
          document.querySelector('tr[data-key="0:1"] .label-choice').click();
          await sleep(100);
          const select = document.querySelector('tr[data-key="0:1"] vscode-single-select');
          document.body.dataset.editor = String(Boolean(select && select.open));
          select.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
          await sleep(50);
          select.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
          await sleep(50);
          document.body.dataset.closed = String(Boolean(document.querySelector('tr[data-key="0:1"] .label-choice')));
        }, 50), { once: true });
      </script>`;
      writeFileSync(path.join(dir, 'index.html'), page.replace('<script nonce', `${fakeHost}\n<script nonce`));
      const started = Date.now();
      const run = spawnSync(
        chromium!,
        ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--allow-file-access-from-files', '--enable-logging=stderr', '--v=1', '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(path.join(dir, 'index.html')).href],
        { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
      );
      console.log(`chromium ran the page in ${Date.now() - started} ms (browser start included)`);
      assert.equal(run.status, 0, run.stderr);
      const dom = run.stdout;
      const body = /<body([^>]*)>/.exec(dom)?.[1] ?? '';
      console.log(`webview: snapshot of 600 faces rendered in ${/data-render-ms="(\d+)"/.exec(body)?.[1] ?? '?'} ms`);
      assert.match(dom, /<h1 class="title">clip\.mp4\.emotion\.json<\/h1>/);
      assert.equal((dom.match(/<tr data-key="/g) ?? []).length, 500);
      assert.equal((dom.match(/class="label-choice"/g) ?? []).length, 500);
      assert.match(dom, /Showing the first 500 of 600 faces/);
      assert.match(dom, /No preview: clip\.mp4 was not found/);
      assert.match(dom, /<tr data-key="0:2" class="corrected">/);
      // The keyboard correction: the dropdown opened, ArrowDown moved from happy to the next label, Enter sent it.
      assert.match(body, /data-editor="true"/);
      assert.match(body, /data-posted="ready;setLabels:neutral;"/);
      assert.match(body, /data-closed="true"/);
      // Verbose logging prints the page's console: a CSP violation or an uncaught error would show there.
      const pageConsole = run.stderr.split('\n').filter((line) => line.includes(':CONSOLE'));
      assert.deepEqual(pageConsole.filter((line) => /Content Security Policy|Uncaught/.test(line)), []);
    } finally {
      cleanup();
    }
  });
});
