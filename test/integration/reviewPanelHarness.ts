// The review panel's test page: the built webview (dist/webview.js + dist/webview.css) in a real headless
// Chromium (playwright-core), under the strict CSP the host writes, with VS Code's theme variables and a fake
// acquireVsCodeApi that behaves like the extension (a snapshot on `ready`, then the corrections after every
// edit). Shared by the review panel's browser tests; not a test file itself.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { makeNonce, reviewHtml } from '../../src/extension/editor/reviewHtml';
import { snapshotFor } from '../../src/extension/editor/reviewSnapshot';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import type { MediaSource, ReviewSnapshot } from '../../src/shared/reviewProtocol';
import { STATE_TIMEOUT_MS, waitUntil } from '../helpers/eventually';
import { makeTempDir, mediaDir, modelsDir, repoRoot } from '../helpers/testEnvironment';

export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
export const noChromiumReason = chromiumPath ? undefined : 'Chromium is not installed (/usr/bin/chromium); install it with apt-get install chromium';
const bundle = path.join(repoRoot, 'dist', 'webview.js');
export const noBundleReason = existsSync(bundle) ? undefined : 'dist/webview.js is not built (npm run build)';
/** Thumbnails drawn (visible) although their image has not decoded: a broken image on screen (a page expression). */
export const SHOWN_BUT_NOT_LOADED = "[...document.querySelectorAll('img.face-thumb')].filter((img) => getComputedStyle(img).visibility === 'visible' && !(img.complete && img.naturalWidth > 0)).map((img) => img.getAttribute('src')?.slice(0, 40) ?? 'no src')";

/** Where the panel tests save their screenshots. */
export const results = path.join(repoRoot, 'test-results', 'review');

/**
 * The theme variables VS Code sets on a webview (a subset: the ones the panel and @vscode-elements read), as
 * VS Code's Default Light Modern, Default Dark Modern and Default High Contrast themes define them.
 */
export const THEMES: Record<string, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      foreground: '#3b3b3b', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', descriptionForeground: '#3b3b3b',
      'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'font-weight': 'normal', 'editor-font-family': 'monospace',
      'charts-red': '#e51400', 'charts-blue': '#1a85ff', 'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90', 'charts-lines': 'rgba(0, 0, 0, 0.5)', 'charts-foreground': '#616161',
      'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5', 'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8', focusBorder: '#005fb8', contrastBorder: 'transparent',
      'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', 'list-inactiveSelectionBackground': '#e4e6f1', 'list-focusOutline': '#005fb8',
      'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece', 'dropdown-listBackground': '#ffffff',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-border': 'rgba(0, 0, 0, 0.1)',
      'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece', 'checkbox-foreground': '#3b3b3b', 'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'settings-checkboxBorder': '#cecece',
      'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8', 'editorWarning-foreground': '#bf8803', 'editorInfo-foreground': '#1a85ff', 'errorForeground': '#f85149',
      'editorCursor-foreground': '#000000', 'progressBar-background': '#005fb8', 'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', 'textBlockQuote-background': '#f8f8f8',
      'inputValidation-warningBorder': '#bf8803', 'keybindingLabel-background': 'rgba(221, 221, 221, 0.4)', 'keybindingLabel-border': 'rgba(204, 204, 204, 0.4)', 'keybindingLabel-foreground': '#3b3b3b',
      'settings-dropdownBackground': '#ffffff', 'settings-dropdownForeground': '#3b3b3b', 'settings-dropdownBorder': '#cecece', 'settings-dropdownListBorder': '#c8c8c8',
      'settings-checkboxBackground': '#f8f8f8', 'settings-checkboxForeground': '#3b3b3b', 'list-highlightForeground': '#005fb8', 'widget-shadow': 'rgba(0, 0, 0, 0.16)', 'button-secondaryHoverBackground': '#cccccc',
      'notifications-background': '#ffffff', 'notifications-foreground': '#3b3b3b', 'gitDecoration-modifiedResourceForeground': '#895503', 'list-activeSelectionIconForeground': '#000000',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      foreground: '#cccccc', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', descriptionForeground: '#9d9d9d',
      'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'font-weight': 'normal', 'editor-font-family': 'monospace',
      'charts-red': '#f14c4c', 'charts-blue': '#3794ff', 'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-lines': 'rgba(204, 204, 204, 0.5)', 'charts-foreground': '#cccccc',
      'panel-border': '#2b2b2b', 'widget-border': '#313131', 'editorWidget-background': '#202020', 'editorWidget-border': '#454545', focusBorder: '#0078d4', contrastBorder: 'transparent',
      'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'list-inactiveSelectionBackground': '#37373d', 'list-focusOutline': '#0078d4',
      'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c', 'dropdown-listBackground': '#1f1f1f',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-border': 'rgba(255, 255, 255, 0.07)',
      'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c', 'checkbox-foreground': '#cccccc', 'input-background': '#313131', 'input-foreground': '#cccccc', 'settings-checkboxBorder': '#3c3c3c',
      'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc', 'editorWarning-foreground': '#cca700', 'editorInfo-foreground': '#3794ff', 'errorForeground': '#f85149',
      'editorCursor-foreground': '#aeafad', 'progressBar-background': '#0078d4', 'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', 'textBlockQuote-background': '#2b2b2b',
      'inputValidation-warningBorder': '#b89500', 'keybindingLabel-background': 'rgba(128, 128, 128, 0.17)', 'keybindingLabel-border': 'rgba(51, 51, 51, 0.6)', 'keybindingLabel-foreground': '#cccccc',
      'settings-dropdownBackground': '#313131', 'settings-dropdownForeground': '#cccccc', 'settings-dropdownBorder': '#3c3c3c', 'settings-dropdownListBorder': '#454545',
      'settings-checkboxBackground': '#313131', 'settings-checkboxForeground': '#cccccc', 'list-highlightForeground': '#2aaaff', 'widget-shadow': 'rgba(0, 0, 0, 0.36)', 'button-secondaryHoverBackground': '#3c3c3c',
      'notifications-background': '#1f1f1f', 'notifications-foreground': '#cccccc', 'gitDecoration-modifiedResourceForeground': '#e2c08d', 'list-activeSelectionIconForeground': '#ffffff',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      foreground: '#ffffff', 'editor-background': '#000000', 'editor-foreground': '#ffffff', descriptionForeground: 'rgba(255, 255, 255, 0.7)',
      'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'font-weight': 'normal', 'editor-font-family': 'monospace',
      'charts-red': '#f14c4c', 'charts-blue': '#3794ff', 'charts-yellow': '#ffd700', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-lines': 'rgba(255, 255, 255, 0.5)', 'charts-foreground': '#ffffff',
      'panel-border': '#6fc3df', 'widget-border': '#6fc3df', 'editorWidget-background': '#0c141f', 'editorWidget-border': '#6fc3df', focusBorder: '#f38518', contrastBorder: '#6fc3df',
      'list-hoverBackground': 'transparent', 'list-activeSelectionBackground': 'transparent', 'list-inactiveSelectionBackground': 'transparent', 'list-focusOutline': '#f38518',
      'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df', 'dropdown-listBackground': '#000000',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'checkbox-background': '#000000', 'checkbox-border': '#6fc3df', 'checkbox-foreground': '#ffffff', 'input-background': '#000000', 'input-foreground': '#ffffff', 'settings-checkboxBorder': '#6fc3df',
      'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff', 'editorWarning-foreground': '#ffd370', 'editorInfo-foreground': '#3794ff', 'errorForeground': '#f48771',
      'editorCursor-foreground': '#ffffff', 'progressBar-background': '#6fc3df', 'editor-findMatchHighlightBackground': 'transparent', 'editor-findMatchBorder': '#f38518', 'textBlockQuote-background': '#000000',
      'inputValidation-warningBorder': '#6fc3df', 'keybindingLabel-border': '#6fc3df', 'keybindingLabel-foreground': '#ffffff',
      'settings-dropdownBackground': '#000000', 'settings-dropdownForeground': '#ffffff', 'settings-dropdownBorder': '#6fc3df', 'settings-dropdownListBorder': '#6fc3df',
      'settings-checkboxBackground': '#000000', 'settings-checkboxForeground': '#ffffff', 'list-highlightForeground': '#f38518',
      'notifications-background': '#000000', 'notifications-foreground': '#ffffff', 'gitDecoration-modifiedResourceForeground': '#e2c08d',
    },
  },
};

/** A theme stylesheet (the page's CSP allows styles from its own origin only, never inline). */
function themeCss(name: string): string {
  const vars = Object.entries(THEMES[name]!.vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n');
  return `:root {\n${vars}\n}\n`;
}

/**
 * The fake host, in a nonce'd script: records what the webview posts and keeps its UI state; answers
 * setLabels/clearLabels like the extension (one edit, then the whole corrections list, asynchronously).
 * The test hands it the snapshot (`window.__host.stage`, then a garbage collection), and `deliver` posts it
 * timed: the clock runs from postMessage (the webview's copy of the data is made then) until the frame after
 * the snapshot's message has been painted. Staging first keeps the cost of moving the test's own copy of the
 * document into the page (DevTools protocol parsing and its garbage) out of the figure.
 */
function fakeHostScript(nonce: string, theme: string, initialState: unknown): string {
  return `<script nonce="${nonce}">
    document.documentElement.dataset.theme = ${JSON.stringify(theme)};
    const host = window.__host = { landmarks: null, posted: [], state: ${JSON.stringify(initialState ?? null)}, corrections: new Map(), revision: 1, snapshot: null, violations: [] };
    document.addEventListener('securitypolicyviolation', (e) => host.violations.push(e.violatedDirective + ' ' + e.blockedURI));
    const send = (message) => setTimeout(() => window.postMessage(message, '*'), 0);
    const correctionsMessage = () => ({ type: 'corrections', revision: ++host.revision, dirty: true, corrections: [...host.corrections.values()] });
    host.stage = (snapshot) => { host.staged = snapshot; if (typeof gc === 'function') gc(); };
    host.deliver = (snapshot = host.staged) => new Promise((resolve) => {
      host.snapshot = snapshot;
      host.staged = null;
      for (const c of snapshot.document.corrections) host.corrections.set(c.frameIndex + ':' + c.trackId, c);
      host.revision = snapshot.revision;
      const t0 = performance.now();
      window.postMessage({ type: 'snapshot', snapshot }, '*');
      // Rendered once the frame after the snapshot's message has been painted.
      window.addEventListener('message', () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)), { once: true });
    });
    window.acquireVsCodeApi = () => ({
      postMessage(m) {
        host.posted.push(JSON.parse(JSON.stringify(m)));
        if (m.type === 'setLabels') {
          for (const f of m.faces) host.corrections.set(f.frameIndex + ':' + f.trackId, { frameIndex: f.frameIndex, trackId: f.trackId, timeSec: 0, label: m.label, modelLabel: '', createdAt: new Date().toISOString() });
          send(correctionsMessage());
        } else if (m.type === 'clearLabels') {
          for (const f of m.faces) host.corrections.delete(f.frameIndex + ':' + f.trackId);
          send(correctionsMessage());
        } else if (m.type === 'requestFrame') {
          send({ type: 'frame', requestId: m.requestId, error: 'the test page has no ffmpeg' });
        } else if (m.type === 'requestLandmarks') {
          // The test hands over what the host's sidecar reader (meshLandmarkFrames.ts) answered, by frame.
          const answer = host.landmarks && host.landmarks[m.frameIndex];
          send({ type: 'landmarks', requestId: m.requestId, ...(answer ?? { frameIndex: m.frameIndex, faces: [], error: 'the test page has no landmarks for frame ' + m.frameIndex }) });
        }
      },
      getState() { return host.state; },
      setState(s) { host.state = JSON.parse(JSON.stringify(s)); },
    });
  </script>`;
}

/** What the fake host puts on the page's window (this file has no DOM types: in-page code is passed as strings). */
interface PageGlobals {
  __host: { stage(snapshot: unknown): void; deliver(): Promise<number> };
}

export interface PanelPage {
  page: Page;
  errors: string[];
}

export interface PanelOptions {
  theme?: string;
  state?: unknown;
  viewport?: { width: number; height: number };
}

/** A Chromium and a work folder holding the bundle and the theme stylesheets; pages are opened on them. */
export interface PanelBrowser {
  /** The work folder: the pages' own files, and anything a test puts beside them (media, documents). */
  dir: string;
  open(snapshot: ReviewSnapshot, options?: PanelOptions): Promise<PanelPage & { renderMs: number }>;
  close(): Promise<void>;
}

export async function launchPanelBrowser(prefix = 'emotion-lens-panel-'): Promise<PanelBrowser> {
  const workDir = makeTempDir(prefix);
  copyFileSync(bundle, path.join(workDir.dir, 'webview.js'));
  copyFileSync(path.join(repoRoot, 'dist', 'webview.css'), path.join(workDir.dir, 'webview.css'));
  for (const name of Object.keys(THEMES)) writeFileSync(path.join(workDir.dir, `theme-${name}.css`), themeCss(name));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // --expose-gc: the harness collects its own garbage before timing a render (see fakeHostScript).
    args: ['--js-flags=--expose-gc', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-file-access-from-files', '--autoplay-policy=no-user-gesture-required'],
  });
  return {
    dir: workDir.dir,
    open: (snapshot, options) => openPanel(browser, workDir.dir, snapshot, options),
    close: async () => {
      await browser.close();
      workDir.cleanup();
    },
  };
}

async function openPanel(browser: Browser, dir: string, snapshot: ReviewSnapshot, options: PanelOptions = {}): Promise<PanelPage & { renderMs: number }> {
  const theme = options.theme ?? 'dark';
  const nonce = makeNonce();
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const html = reviewHtml({ cspSource: 'file:', nonce, scriptUri: 'webview.js', styleUri: 'webview.css', title: snapshot.fileName })
    .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="theme-${theme}.css">\n<link rel="stylesheet"`)
    .replace('<body>', `<body class="${THEMES[theme]!.bodyClass}">`)
    .replace('<script nonce', `${fakeHostScript(nonce, theme, options.state)}\n<script nonce`);
  const file = path.join(dir, `panel-${theme}-${Date.now()}.html`);
  writeFileSync(file, html);
  await page.goto(pathToFileURL(file).href);
  await waitInPage(page, "window.__host.posted.some((m) => m.type === 'ready')");
  // Time from handing the snapshot to the webview until the frame after it rendered (table rows and charts).
  await page.evaluate((snap) => (globalThis as unknown as PageGlobals).__host.stage(snap), snapshot as unknown as Record<string, unknown>);
  // The clock starts on a page that has painted everything it had to do before (not after a guessed pause).
  await framePainted(page);
  const renderMs = await page.evaluate(() => (globalThis as unknown as PageGlobals).__host.deliver());
  return { page, errors, renderMs };
}

/** The shared Pexels video copied into `out` as pexels.mp4 and analysed there by the real CLI (models, ffmpeg). */
export function analyzePexelsWithCli(out: string): { doc: AnnotationDocument; docFile: string; video: string } {
  mkdirSync(out, { recursive: true });
  const video = path.join(out, 'pexels.mp4');
  copyFileSync(path.join(mediaDir!, 'video', 'WolfgangLanger_Pexels_face_silent.mp4'), video);
  const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'analyze', video, '--out', out, '--models', modelsDir!], { encoding: 'utf8', timeout: 120_000 });
  if (cli.status !== 0) throw new Error(`analyze ${video} failed (${cli.status}): ${cli.stderr}`);
  const docFile = 'pexels.mp4.emotion.json';
  return { doc: JSON.parse(readFileSync(path.join(out, docFile), 'utf8')) as AnnotationDocument, docFile, video };
}

export function snapshotOf(doc: AnnotationDocument, media: MediaSource, fileName = 'clip.mp4.emotion.json'): ReviewSnapshot {
  return snapshotFor(doc, { revision: 1, fileName, settings: { lowConfidenceThreshold: 0.5 }, media, dirty: false });
}

/** Polls an expression in the page (waitForFunction would eval a string, which the page's CSP forbids). */
export async function waitInPage(page: Page, expression: string, timeoutMs = STATE_TIMEOUT_MS): Promise<void> {
  await waitUntil(async () => Boolean(await page.evaluate(expression)), `timed out waiting for ${expression}`, { timeoutMs });
}

/**
 * Resolves once the page has run its next animation frame and the one after: whatever the panel put off to
 * the next frame (chart redraws, a zoom or pan from the mouse) has landed, however slow frames are.
 */
export async function framePainted(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))');
}

export async function selectedKey(page: Page): Promise<string | undefined> {
  return page.evaluate("document.querySelector('.table-row.focused')?.dataset.key");
}

export async function posted(page: Page): Promise<{ type: string; faces?: { frameIndex: number; trackId: number }[]; label?: string }[]> {
  return page.evaluate('window.__host.posted');
}
