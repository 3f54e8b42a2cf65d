// A real VS Code (code-server 4.99.4) in a real browser (Debian Chromium via playwright-core), started with a
// fresh profile and workspace, and always stopped with every process it started. Used by the end-to-end tests
// and `npm run demo`. Pitfalls and selectors: ../shared/ENVIRONMENT.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** Installs (or reuses) code-server and Chromium; returns the code-server binary. */
export function installCodeServer(): string {
  const result = spawnSync('bash', [path.join(repoRoot, 'scripts', 'vscode', 'installCodeServer.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error('installing code-server failed (see the lines above)');
  const prefix = result.stdout.trim().split('\n').pop() ?? '';
  return path.join(prefix, 'node_modules', '.bin', 'code-server');
}

/** How long code-server may take to listen and answer, and its processes to go once killed (a loaded machine is slow). */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Processes of a process group that still run. A zombie (exited, not yet reaped: an orphan waits for an init
 * that may never reap it) counts as gone. Without /proc (not Linux), the group's existence is all there is.
 */
function runningInGroup(pgid: number): number[] {
  if (!existsSync('/proc')) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const running: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ...": the fields after the command name's closing parenthesis.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') running.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return running;
}

export interface CodeServerOptions {
  binary: string;
  /** A VSIX to install into the fresh profile. */
  vsix?: string;
  workspace: string;
  /** User settings, merged over settings that keep VS Code quiet and predictable. */
  settings?: Record<string, unknown>;
  /** A fixed port (the demo); otherwise one the system picks as code-server binds it (no other process can take it first). */
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
  /**
   * Stops code-server and every process it started (its whole process group), waits until they are gone (they
   * may still be writing into the profile or the workspace), then removes the profile.
   */
  stop(): Promise<void>;
  /** Kills the whole process group at once, without waiting: for an exit handler, which cannot wait. */
  kill(): void;
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
    // The tests check what is saved and when: nothing may be saved but by the test's own Ctrl+S.
    'files.autoSave': 'off',
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
  const config = path.join(home, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${options.port ?? 0}\nauth: none\ncert: false\n`);
  const child = spawn(options.binary, [
    '--config', config, '--user-data-dir', udd, '--extensions-dir', exts, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', options.workspace,
  ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const kill = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const stop = async (): Promise<void> => {
    kill();
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (child.pid && runningInGroup(child.pid).length > 0 && Date.now() < deadline) await sleep(100);
    rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  // Ready when this code-server says where it listens (not another server that answers on the port) and answers there.
  const deadline = Date.now() + START_TIMEOUT_MS;
  let base: string | undefined;
  for (;;) {
    base ??= /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (base && (await fetch(`${base}/healthz`).then((response) => response.ok, () => false))) break;
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not start:\n${output}`);
    }
    await sleep(200);
  }
  return { url: `${base}/?folder=${encodeURIComponent(options.workspace)}`, home, userDataDir: udd, output: () => output, stop, kill };
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
