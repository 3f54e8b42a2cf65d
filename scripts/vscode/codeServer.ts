// A real VS Code (code-server 4.99.4) in a real browser (Debian Chromium via playwright-core), started with a
// fresh profile and workspace, and always stopped with every process it started. Used by the smoke check and
// the end-to-end tests. Pitfalls and selectors: ../shared/ENVIRONMENT.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Installs (or reuses) code-server and Chromium; returns the code-server binary. */
export function installCodeServer() {
  const result = spawnSync('bash', [path.join(root, 'scripts', 'vscode', 'installCodeServer.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error('installing code-server failed');
  const prefix = result.stdout.trim().split('\n').pop();
  return path.join(prefix, 'node_modules', '.bin', 'code-server');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts code-server on a free loopback port with a fresh user-data and extensions folder, the VSIX installed,
 * and `settings` merged over settings that keep VS Code quiet and predictable.
 */
export async function startCodeServer({ binary, vsix, workspace, settings = {}, log = () => undefined }) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-vscode-'));
  const udd = path.join(home, 'user-data');
  const exts = path.join(home, 'extensions');
  const tmp = path.join(home, 'tmp');
  for (const dir of [path.join(udd, 'User'), exts, tmp]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(udd, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.editorAssociations': { '*.mp4': 'default' },
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'update.mode': 'none',
    ...settings,
  }, null, 2));
  const env = { ...process.env, TMPDIR: tmp };
  if (vsix) {
    const install = spawnSync(binary, ['--user-data-dir', udd, '--extensions-dir', exts, '--install-extension', vsix], { env, encoding: 'utf8' });
    log(install.stdout + install.stderr);
    if (install.status !== 0) throw new Error(`installing ${vsix} failed: ${install.stderr}`);
  }
  const port = await freePort();
  const config = path.join(home, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const child = spawn(binary, [
    '--config', config, '--user-data-dir', udd, '--extensions-dir', exts, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace,
  ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`code-server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `${url}/?folder=${encodeURIComponent(workspace)}`,
    home,
    userDataDir: udd,
    output: () => output,
    /** Stops code-server and every process it started (its whole process group). */
    stop() {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Headless Debian Chromium through playwright-core, with the flags this closed network needs. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
