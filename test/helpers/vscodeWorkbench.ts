// The end-to-end tests' view of a real VS Code: code-server with the packaged extension in a fresh profile,
// driven in headless Chromium. Every step saves a screenshot; a failing step also saves the page, the review
// panel's DOM and the extension's logs. close() always stops every process that was started.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import type { CodeServer } from '../../scripts/vscode/codeServer';
import { installCodeServer, launchBrowser, repoRoot, startCodeServer } from '../../scripts/vscode/codeServer';
import { ensureVsix } from '../../scripts/vscode/vsixBuild';
import { eventually, STATE_TIMEOUT_MS, waitUntil } from './eventually';

const EXTENSION_ID = 'emotion-lens.emotion-lens';

export interface WorkbenchOptions {
  /** Names the results folder: test-results/e2e/<name>/. */
  name: string;
  /** Fills the fresh workspace folder before VS Code opens it. */
  populate(workspace: string): void | Promise<void>;
  settings?: Record<string, unknown>;
}

export class Workbench {
  private shots = 0;

  private constructor(
    readonly page: Page,
    readonly workspace: string,
    readonly results: string,
    private readonly browser: Browser,
    private readonly server: CodeServer,
  ) {}

  static async open(options: WorkbenchOptions): Promise<Workbench> {
    const results = path.join(repoRoot, 'test-results', 'e2e', options.name);
    rmSync(results, { recursive: true, force: true });
    mkdirSync(results, { recursive: true });
    const workspace = mkdtempSync(path.join(os.tmpdir(), `emotion-lens-e2e-${options.name}-`));
    await options.populate(workspace);
    const binary = installCodeServer();
    const server = await startCodeServer({ binary, vsix: ensureVsix(), workspace, settings: options.settings ?? {} });
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const workbench = new Workbench(page, workspace, results, browser, server);
      await page.goto(server.url);
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      return workbench;
    } catch (error) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      rmSync(workspace, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Stops the browser and code-server (its whole process group, waiting until every process is gone: one may
   * still be writing into the workspace, an analysis its document), then removes the profile and workspace.
   */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    rmSync(this.workspace, { recursive: true, force: true });
  }

  /** Runs one step of a scenario: a screenshot after it, and the evidence when it fails. */
  async step<T>(name: string, body: () => Promise<T>): Promise<T> {
    try {
      const value = await body();
      await this.screenshot(name);
      return value;
    } catch (error) {
      await this.saveFailure(name);
      throw error;
    }
  }

  async screenshot(name: string): Promise<void> {
    this.shots += 1;
    await this.page.screenshot({ path: path.join(this.results, `${String(this.shots).padStart(2, '0')}-${name}.png`) });
  }

  /** The failure's screenshot, the workbench page and the panel's DOM, and the extension host's logs. */
  private async saveFailure(name: string): Promise<void> {
    const dir = path.join(this.results, `failure-${name}`);
    mkdirSync(dir, { recursive: true });
    await this.page.screenshot({ path: path.join(dir, 'screenshot.png') }).catch(() => undefined);
    writeFileSync(path.join(dir, 'page.html'), await this.page.content().catch((e: unknown) => String(e)));
    const panel = await this.panelFrameHtml();
    if (panel) writeFileSync(path.join(dir, 'review-panel.html'), panel);
    writeFileSync(path.join(dir, 'code-server.log'), this.server.output());
    for (const file of listFiles(path.join(this.server.userDataDir, 'logs')).filter((f) => /exthost|Emotion Lens/.test(f))) {
      const copy = path.join(dir, 'logs', path.relative(path.join(this.server.userDataDir, 'logs'), file));
      mkdirSync(path.dirname(copy), { recursive: true });
      cpSync(file, copy);
    }
    console.log(`e2e: step "${name}" failed; evidence in ${path.relative(repoRoot, dir)}`);
  }

  private async panelFrameHtml(): Promise<string | undefined> {
    for (const frame of this.page.frames()) {
      if (frame.name() !== 'active-frame' && !frame.url().includes('fake.html')) continue;
      const html = await frame.content().catch(() => undefined);
      if (html?.includes('label-table')) return html;
    }
    return undefined;
  }

  /** Picks a colour theme the way a user does: "Preferences: Color Theme", its name, Enter. */
  async setColorTheme(name: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const input = this.page.locator('.quick-input-widget .quick-input-box input.input');
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor({ timeout: 10_000 });
    await input.fill(name);
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
    await this.page.keyboard.press('Enter');
  }

  /** The Explorer row of a file or folder, by its name (its folder must be expanded). */
  explorerRow(name: string): Locator {
    return explorerRowOf(this.page, name);
  }

  /**
   * Opens a file from the Explorer in the editor that shows `opened`. Opened before its extension has
   * registered that editor (the review editor, the ipynb notebook type), VS Code shows the file as JSON text:
   * a timing pitfall like the late context menus. Then it closes the editors and tries again (six tries, each
   * given 10 s to show the editor).
   */
  async openFromExplorer(name: string, opened: Locator, editorName: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.explorerRow(name).dblclick({ timeout: 30_000 });
      if (await opened.first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) return;
      if (attempt >= 5) throw new Error(`${name} never opened in the ${editorName}`);
      console.log(`e2e: ${name} opened as text (the ${editorName} was not registered yet); retrying`);
      await this.runCommand('View: Close All Editors');
      await waitForCount(this.page.locator('.tabs-container .tab'), 0);
    }
  }

  /** Right-clicks an Explorer row and returns the context menu item (see contextMenuItemOf). */
  async contextMenuItem(rowName: string, item: string, options: ContextMenuOptions = {}): Promise<Locator> {
    return contextMenuItemOf(this.page, rowName, item, options);
  }

  /** The names of the items of an Explorer row's context menu (the menu is left open). */
  async contextMenuNames(rowName: string): Promise<string[]> {
    await this.explorerRow(rowName).click({ button: 'right' });
    // In the context menu's own view: the workbench has a menu item of its own (the application menu).
    const items = this.page.locator('.context-view').getByRole('menuitem');
    // A menu shows all its items at once (and nothing is clicked here: the 100 ms click guard does not matter).
    await items.first().waitFor({ timeout: STATE_TIMEOUT_MS });
    return (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  /** Runs a command through the palette: F1, its title, then the entry with exactly that title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input.input');
    await input.waitFor({ timeout: STATE_TIMEOUT_MS });
    await input.fill(`>${title}`);
    // Fuzzy matching can rank a longer title first ("…Color Theme" vs "Browse Color Themes…").
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const entry = rows.filter({ has: this.page.locator('.label-name', { hasText: exact }) });
    await entry.first().waitFor({ timeout: STATE_TIMEOUT_MS });
    // The list is filtered as commands come in: click once it stands still (the same rows over a painted frame).
    await eventually(async () => {
      const before = await rows.allInnerTexts();
      await this.page.evaluate(framesPainted);
      assert.deepEqual(await rows.allInnerTexts(), before, 'the command list is still changing');
    });
    await entry.first().click();
  }

  /** The review panel's document (two iframe hops: VS Code's webview host, then the panel's own frame). */
  reviewPanel(): FrameLocator {
    return this.page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]:visible`).frameLocator('iframe#active-frame');
  }

  /**
   * Resolves once the review panel (or compare panel) has run its next animation frame and the one after:
   * what it drew is on screen, however slow frames are (screenshots wait for this, not for a guessed pause).
   */
  async panelPainted(): Promise<void> {
    await this.reviewPanel().locator('body').evaluate(framesPainted);
  }

  /** A notification toast whose text matches. */
  notification(text: RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  /** The editor tab with this title (with `.dirty` while it has unsaved changes). */
  tab(title: string): Locator {
    return this.page.locator(`.tabs-container .tab[aria-label^="${title}"]`);
  }
}

/** In-page function: resolves after the page's next animation frame and the one after it. */
export function framesPainted(): Promise<void> {
  const page = globalThis as unknown as { requestAnimationFrame(callback: () => void): number };
  return new Promise((resolve) => page.requestAnimationFrame(() => page.requestAnimationFrame(() => resolve())));
}

/** An Explorer row of the workbench page by its file name. */
export function explorerRowOf(page: Page, name: string): Locator {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
}

export interface ContextMenuOptions {
  /** Selects again what the menu is for before each retry (closing a menu can lose a multi-selection). */
  reselect?: () => Promise<void>;
}

/**
 * Right-clicks an Explorer row and returns the context menu item. Extension menus appear a little after the
 * Explorer, and an open menu does not refresh: close it and right-click again until the item is there, for a
 * minute at most (a documented VS Code timing pitfall, logged).
 */
export async function contextMenuItemOf(page: Page, rowName: string, item: string, options: ContextMenuOptions = {}): Promise<Locator> {
  const row = explorerRowOf(page, rowName);
  await row.waitFor({ timeout: 30_000 });
  const menu = page.locator('.context-view').getByRole('menuitem');
  const menuItem = page.locator('.context-view').getByRole('menuitem', { name: item, exact: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    await row.click({ button: 'right' });
    const shown = await menu.first().waitFor({ timeout: 10_000 }).then(() => true, () => false);
    if (shown) {
      // Items ignore clicks for 100 ms after the menu appears (documented in ENVIRONMENT.md): 300 ms from when it did.
      await page.waitForTimeout(300);
      if (await menuItem.isVisible()) return menuItem;
    }
    if (Date.now() > deadline) throw new Error(`"${item}" never appeared in the context menu of ${rowName}`);
    console.log(`e2e: context menu of ${rowName} ${shown ? `without "${item}" yet` : 'did not open'}; retrying (VS Code timing pitfall)`);
    await page.keyboard.press('Escape');
    await waitForCount(menu, 0);
    // Give the extension host a moment to register its menus before asking again.
    await page.waitForTimeout(500);
    await options.reselect?.();
  }
}

/** Waits for a file to exist (polling), or throws naming it. Documents are written whole (temp file, then rename). */
export async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  await waitUntil(() => existsSync(file), `${path.basename(file)} did not appear within ${timeoutMs / 1000} s`, { timeoutMs, intervalMs: 250 });
}

/** Waits until a locator matches exactly n elements (the panel updates after the host confirms an edit). */
export async function waitForCount(locator: Locator, n: number, timeoutMs = STATE_TIMEOUT_MS): Promise<void> {
  await eventually(async () => assert.equal(await locator.count(), n, `expected ${n} matches of ${locator.toString()}`), { timeoutMs, intervalMs: 100 });
}

/** The files and folders of a folder, recursively, as sorted paths relative to it. */
export function listTree(dir: string): string[] {
  return listFiles(dir).map((f) => path.relative(dir, f)).sort();
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}
