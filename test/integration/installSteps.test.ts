// The install scripts' shared steps (scripts/lib/installSteps.sh), run for real: apt waits for another
// apt/dpkg process holding the package lock instead of failing, and a nested npm install gets none of the
// project's .npmrc settings that `npm run` exports.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, skipIfUnobtainable } from '../helpers/testEnvironment';

const lib = path.join(repoRoot, 'scripts', 'lib', 'installSteps.sh');
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
const hasPython = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;
const noLockReason = !hasApt ? 'apt-get is not on this machine' : !isRoot ? 'holding apt\'s lock needs root' : !hasPython ? 'python3 (to hold the lock as apt does, with fcntl) is not installed' : undefined;

/** A script run with the install steps sourced; `onOutput` sees what it has printed so far, as it prints it. */
function bash(script: string, env: NodeJS.ProcessEnv = process.env, onOutput?: (out: string) => void): Promise<{ code: number | null; out: string; seconds: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('bash', ['-c', `set -euo pipefail; INSTALL_PREFIX=test; source "${lib}"; ${script}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const add = (d: Buffer): void => {
      out += d.toString();
      onOutput?.(out);
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    child.once('close', (code) => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

/**
 * Holds dpkg's frontend lock the way apt does (an fcntl write lock) until release() (not for a fixed time: a
 * loaded machine may start the script under test late); resolves once it holds it.
 */
function holdDpkgLock(): Promise<{ pid: number; release: () => Promise<void> }> {
  const holder = spawn('python3', ['-c', `import fcntl, sys
f = open('/var/lib/dpkg/lock-frontend', 'w')
fcntl.lockf(f, fcntl.LOCK_EX)
print('held', flush=True)
sys.stdin.read()`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const released = new Promise<void>((resolve) => holder.once('close', () => resolve()));
  const release = (): Promise<void> => {
    holder.stdin.end();
    return released;
  };
  return new Promise((resolve, reject) => {
    holder.stdout.once('data', () => resolve({ pid: holder.pid!, release }));
    holder.once('error', reject);
  });
}

describe('apt steps and another apt/dpkg process', skipIfUnobtainable(noLockReason), () => {
  it('names the process holding the lock (read from /proc/locks, no lock taken) and nothing once it is free', async () => {
    const lock = await holdDpkgLock();
    const held = await bash('apt_lock_holder');
    await lock.release();
    assert.equal(held.code, 0, held.out);
    assert.equal(held.out.trim(), `${lock.pid} (python3)`);
    const free = await bash('apt_lock_holder || echo free');
    assert.equal(free.out.trim(), 'free');
  });

  it('an install waits for the lock with a line saying so, then succeeds', async () => {
    const lock = await holdDpkgLock();
    // Released once the script says it waits, and it has waited at least 3 s: it must wait that long, not fail.
    let releasing: Promise<void> | undefined;
    const startedAt = Date.now();
    const release = (): void => {
      releasing ??= new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, startedAt + 3000 - Date.now()))).then(lock.release);
    };
    // Should it never say so, the lock goes anyway after a while, and the assertions below say what is wrong.
    const fallback = setTimeout(release, 30_000);
    // ffmpeg is already installed (bootstrap): apt still takes the lock, and finds nothing to do.
    const run = await bash('apt_install ffmpeg', process.env, (out) => /holds the package lock.*waiting/.test(out) && release());
    clearTimeout(fallback);
    release();
    await releasing;
    console.log(`apt_install under a held lock: exit ${run.code} after ${run.seconds.toFixed(1)} s\n${run.out.trim()}`);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, new RegExp(`another apt/dpkg process, ${lock.pid} \\(python3\\), holds the package lock.*waiting`));
    assert.match(run.out, /the package lock is free after \d+ s/);
    assert.ok(run.seconds >= 3, `it waited (${run.seconds} s)`);
  });

  it('gives up after its limit with a line saying what to do', async () => {
    const lock = await holdDpkgLock();
    const run = await bash('APT_LOCK_WAIT_SEC=2 wait_for_apt_lock');
    await lock.release();
    assert.notEqual(run.code, 0);
    assert.match(run.out, /still holds the package lock after 2 s; run again when it has finished/);
  });
});

describe('the environment of a nested npm install', () => {
  it('drops the project settings npm run exports, keeps the user\'s network settings', async () => {
    // Whatever npm exported to this test run stays out: only the variables below are given.
    const outside = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
    const env = {
      ...outside,
      npm_config_ignore_scripts: 'true', NPM_CONFIG_FUND: 'false', npm_config_local_prefix: repoRoot, npm_lifecycle_event: 'demo', npm_package_name: 'emotion-lens',
      npm_config_registry: 'https://registry.example/', npm_config_https_proxy: 'http://proxy.example:3128', npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
      npm_config_userconfig: '/home/me/.npmrc',
    };
    const run = await bash('clean_npm_environment; env | grep -i "^npm_" | sort', env);
    assert.equal(run.code, 0, run.out);
    assert.deepEqual(run.out.trim().split('\n'), [
      'npm_config_cafile=/etc/ssl/certs/ca-certificates.crt',
      'npm_config_https_proxy=http://proxy.example:3128',
      'npm_config_registry=https://registry.example/',
      'npm_config_userconfig=/home/me/.npmrc',
    ]);
  });
});
