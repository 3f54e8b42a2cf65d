// A real VS Code (code-server 4.99.4) in a real browser (Debian Chromium via playwright-core), started with a
// fresh profile and workspace, and always stopped with every process it started. Used by the end-to-end tests
// and `npm run demo`. Pitfalls and selectors: ../shared/ENVIRONMENT.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** Installs (or reuses) code-server and Chromium; returns the code-server binary. */
export function installCodeServer(): string {
  const result = spawnSync('bash', [path.join(repoRoot, 'scripts', 'vscode', 'installCodeServer.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error('installing code-server failed (see the lines above)');
  const prefix = result.stdout.trim().split('\n').pop() ?? '';
  return path.join(prefix, 'node_modules', '.bin', 'code-server');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface CodeServerOptions {
  binary: string;
  /** A VSIX to install into the fresh profile. */
  vsix?: string;
  workspace: string;
  /** User settings, merged over settings that keep VS Code quiet and predictable. */
  settings?: Record<string, unknown>;
  /** A fixed port (the demo); otherwise a free one. */
  port?: number;
  log?: (line: string) => void;
}

export interface CodeServer {
  /** The workbench URL with the workspace open. */
  url: string;
  /** The profile's folder (user data, extensions, temp); removed by stop(). */
  home: string;
  userDataDir: string;
  /** What code-server printed so far. */
  output(): string;
  /** Stops code-server and every process it started (its whole process group) and removes the profile. */
  stop(): void;
}

/** Starts code-server on a loopback port with a fresh user-data and extensions folder and the VSIX installed. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-vscode-'));
  const udd = path.join(home, 'user-data');
  const exts = path.join(home, 'extensions');
  const tmp = path.join(home, 'tmp');
  for (const dir of [path.join(udd, 'User'), exts, tmp]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(udd, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    // The built-in media preview opening beside a webview can leave the webview blank.
    'workbench.editorAssociations': { '*.mp4': 'default' },
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'update.mode': 'none',
    ...options.settings,
  }, null, 2));
  const env = { ...process.env, TMPDIR: tmp };
  if (options.vsix) {
    const install = spawnSync(options.binary, ['--user-data-dir', udd, '--extensions-dir', exts, '--install-extension', options.vsix], { env, encoding: 'utf8' });
    options.log?.(install.stdout + install.stderr);
    if (install.status !== 0) {
      rmSync(home, { recursive: true, force: true });
      throw new Error(`installing ${options.vsix} failed: ${install.stderr}`);
    }
  }
  const port = options.port ?? (await freePort());
  const config = path.join(home, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const child = spawn(options.binary, [
    '--config', config, '--user-data-dir', udd, '--extensions-dir', exts, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', options.workspace,
  ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const stop = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(home, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`code-server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `${base}/?folder=${encodeURIComponent(options.workspace)}`, home, userDataDir: udd, output: () => output, stop };
}

/** Headless Debian Chromium through playwright-core, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
