// The notebook renderer's action-unit band in a headless Chromium: the built renderer (dist/notebookRenderer.js,
// the ES module VS Code loads into a notebook's output webview) activated as VS Code does and given the Pexels
// document made by the real CLI, under VS Code's theme variables. The lines must carry the document's own AU
// values; a document without geometry has no band. Screenshots of the three themes go to test-results/review/.
// (The renderer inside a real VS Code is test/e2e/notebookRenderer.test.ts.)
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { upgradeDocument } from '../../src/core/document/documentUpgrade';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { makeTempDir, noMediaReason, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';
import { analyzePexelsWithCli, chromiumPath, noChromiumReason, results, THEMES } from './reviewPanelHarness';

const renderer = path.join(repoRoot, 'dist', 'notebookRenderer.js');
const noRendererReason = existsSync(renderer) ? undefined : 'dist/notebookRenderer.js is not built (npm run build)';
/** outputView.ts's AU chart height: y = AU_HEIGHT - 2 - value * (AU_HEIGHT - 4). */
const AU_HEIGHT = 70;

let work: { dir: string; cleanup(): void } | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let base = '';

/** A page as VS Code's output webview holds it: theme variables on the body, the renderer activated on one output item. */
function pageHtml(theme: string): string {
  const vars = Object.entries(THEMES[theme]!.vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  return `<!doctype html><html><head><style>body { ${vars} background: var(--vscode-editor-background); color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: 13px; margin: 12px; }</style></head>
<body class="${THEMES[theme]!.bodyClass}"><div id="out"></div>
<script type="module">
  import { activate } from './notebookRenderer.js';
  const text = await (await fetch('./output.json')).text();
  activate({}).renderOutputItem({ text: () => text }, document.getElementById('out'));
  window.__rendered = true;
</script></body></html>`;
}

async function render(doc: unknown, theme: string): Promise<{ page: Page; errors: string[] }> {
  writeFileSync(path.join(work!.dir, 'output.json'), JSON.stringify(doc));
  writeFileSync(path.join(work!.dir, `page-${theme}.html`), pageHtml(theme));
  const page = await browser!.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/page-${theme}.html`);
  await page.waitForFunction(() => (globalThis as unknown as { __rendered?: boolean }).__rendered === true);
  return { page, errors };
}

/** The values a line draws, read back from its path (one point per step). */
function valuesOf(d: string): number[] {
  return [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => (AU_HEIGHT - 2 - Number(m[2])) / (AU_HEIGHT - 4));
}

describe('notebook renderer: the AU band, in headless Chromium', { concurrency: false }, () => {
  before(async () => {
    if (noChromiumReason || noRendererReason) return;
    work = makeTempDir('emotion-lens-notebook-');
    const files = work.dir;
    writeFileSync(path.join(files, 'notebookRenderer.js'), readFileSync(renderer));
    server = createServer((request, response) => {
      const name = path.basename(new URL(request.url ?? '/', 'http://x').pathname);
      const file = path.join(files, name);
      // The browser asks for a favicon on its own: no content, not a 404 in the page's console.
      if (name === 'favicon.ico') return void response.writeHead(204).end();
      if (!existsSync(file)) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : name.endsWith('.html') ? 'text/html' : 'application/json' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    work?.cleanup();
  });

  it('draws each person\'s default AUs with the document\'s values, in three themes (screenshots), and nothing without geometry', skipUnless(noChromiumReason, noRendererReason, noModelsReason, noMediaReason), async () => {
    const { doc } = analyzePexelsWithCli(path.join(work!.dir, 'pexels'));
    const layout = doc.geometry.layout.actionUnits;
    mkdirSync(results, { recursive: true });
    for (const theme of Object.keys(THEMES)) {
      const { page, errors } = await render(doc, theme);
      try {
        const band = page.locator('section.el-nb-au-band');
        assert.equal(await band.getAttribute('data-action-units'), 'AU12 AU06 AU04 AU01 AU02 AU25');
        assert.equal(await page.locator('svg.el-nb-au').count(), doc.tracks.length);
        for (const au of ['AU12', 'AU06', 'AU04']) {
          const trackId = doc.tracks[0]!.id;
          const drawn = valuesOf((await page.locator(`svg.el-nb-au[data-track-id="${trackId}"] path[data-au="${au}"]`).getAttribute('d'))!);
          const at = layout.indexOf(`${au}_estimate`);
          const stored = doc.frames.flatMap((f) => f.faces.filter((face) => face.trackId === trackId).flatMap((face) => (face.geometry && 'actionUnits' in face.geometry ? [face.geometry.actionUnits[at]!] : [])));
          // Fewer samples than the renderer's step limit: one point per face, each at its face's value.
          assert.equal(drawn.length, stored.length, `${au}: a point per face`);
          drawn.forEach((v, i) => assert.ok(Math.abs(v - stored[i]!) < 0.005, `${au} point ${i}: drawn ${v.toFixed(3)}, stored ${stored[i]}`));
        }
        const file = path.join(results, `notebook-au-band-${theme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`notebook (${theme}): AU band of ${doc.tracks.length} person(s); screenshot ${path.relative(repoRoot, file)}`);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }
    // The same video analysed before geometry existed (version 4, upgraded as the renderer's reader sees it) and as stored.
    const { geometry: _dropped, ...rest } = doc;
    const v4 = { ...rest, schemaVersion: 4, frames: doc.frames.map((f) => ({ ...f, faces: f.faces.map(({ geometry: _g, ...face }) => face) })) };
    const upgraded = upgradeDocument(structuredClone(v4));
    assert.ok(upgraded.ok);
    for (const old of [v4, upgraded.value as AnnotationDocument]) {
      const { page, errors } = await render(old, 'dark');
      try {
        assert.equal(await page.locator('svg.el-nb-track').count(), doc.tracks.length, 'the expression charts are there');
        assert.equal(await page.locator('section.el-nb-au-band').count(), 0, 'no AU band');
        assert.equal(await page.locator('.el-nb-error').count(), 0);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }
  });
});
