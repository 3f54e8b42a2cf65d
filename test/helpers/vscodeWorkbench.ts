// The end-to-end tests' view of a real VS Code: code-server with the packaged extension in a fresh profile,
// driven in headless Chromium. Every step saves a screenshot; a failing step also saves the page, the review
// panel's DOM and the extension's logs. close() always stops every process that was started.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import type { CodeServer } from '../../scripts/vscode/codeServer';
import { installCodeServer, launchBrowser, repoRoot, startCodeServer } from '../../scripts/vscode/codeServer';
import { ensureVsix } from '../../scripts/vscode/vsixBuild';

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
      server.stop();
      rmSync(workspace, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops the browser, code-server (its whole process group) and removes the profile and workspace. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    this.server.stop();
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
   * a timing pitfall like the late context menus. Then it closes the editors and tries again.
   */
  async openFromExplorer(name: string, opened: Locator, editorName: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.explorerRow(name).dblclick({ timeout: 30_000 });
      if (await opened.first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) return;
      if (attempt >= 5) throw new Error(`${name} never opened in the ${editorName}`);
      console.log(`e2e: ${name} opened as text (the ${editorName} was not registered yet); retrying`);
      await this.runCommand('View: Close All Editors');
      await this.page.waitForTimeout(1000);
    }
  }

  /** Right-clicks an Explorer row and returns the context menu item (see contextMenuItemOf). */
  async contextMenuItem(rowName: string, item: string): Promise<Locator> {
    return contextMenuItemOf(this.page, rowName, item);
  }

  /** The names of the items of an Explorer row's context menu (the menu is left open). */
  async contextMenuNames(rowName: string): Promise<string[]> {
    await this.explorerRow(rowName).click({ button: 'right' });
    const items = this.page.getByRole('menuitem');
    await items.first().waitFor({ timeout: 10_000 });
    await this.page.waitForTimeout(300);
    return (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  /** Runs a command through the palette: F1, its title, then the entry with exactly that title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input.input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    // Fuzzy matching can rank a longer title first ("…Color Theme" vs "Browse Color Themes…").
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const entry = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) });
    await entry.first().waitFor({ timeout: 10_000 });
    await this.page.waitForTimeout(200);
    await entry.first().click();
  }

  /** The review panel's document (two iframe hops: VS Code's webview host, then the panel's own frame). */
  reviewPanel(): FrameLocator {
    return this.page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]:visible`).frameLocator('iframe#active-frame');
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

/** Waits for a file to exist (polling), or throws naming it. */
/** An Explorer row of the workbench page by its file name. */
export function explorerRowOf(page: Page, name: string): Locator {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
}

/**
 * Right-clicks an Explorer row and returns the context menu item. Extension menus appear a little after the
 * Explorer, and an open menu does not refresh: retry (a documented VS Code timing pitfall, logged).
 */
export async function contextMenuItemOf(page: Page, rowName: string, item: string): Promise<Locator> {
  const row = explorerRowOf(page, rowName);
  await row.waitFor({ timeout: 30_000 });
  const menuItem = page.getByRole('menuitem', { name: item, exact: true });
  for (let attempt = 0; ; attempt++) {
    await row.click({ button: 'right' });
    // Items ignore clicks for 100 ms after the menu appears.
    await page.waitForTimeout(300);
    if (await menuItem.isVisible()) return menuItem;
    if (attempt >= 20) throw new Error(`"${item}" never appeared in the context menu of ${rowName}`);
    console.log(`e2e: context menu of ${rowName} without "${item}" yet; retrying (VS Code timing pitfall)`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
  }
}

export async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${path.basename(file)} did not appear within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until a locator matches exactly n elements (the panel updates after the host confirms an edit). */
export async function waitForCount(locator: Locator, n: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let count = await locator.count();
  while (count !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} matches of ${locator.toString()}, found ${count}`);
    await new Promise((r) => setTimeout(r, 100));
    count = await locator.count();
  }
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
