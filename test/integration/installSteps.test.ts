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

function bash(script: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string; seconds: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('bash', ['-c', `set -euo pipefail; INSTALL_PREFIX=test; source "${lib}"; ${script}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('close', (code) => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Holds dpkg's frontend lock the way apt does (an fcntl write lock) for `seconds`; resolves once it holds it. */
function holdDpkgLock(seconds: number): Promise<{ pid: number; released: Promise<void> }> {
  const holder = spawn('python3', ['-c', `import fcntl, sys, time
f = open('/var/lib/dpkg/lock-frontend', 'w')
fcntl.lockf(f, fcntl.LOCK_EX)
print('held', flush=True)
time.sleep(${seconds})`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<void>((resolve) => holder.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    holder.stdout.once('data', () => resolve({ pid: holder.pid!, released }));
    holder.once('error', reject);
  });
}

describe('apt steps and another apt/dpkg process', skipIfUnobtainable(noLockReason), () => {
  it('names the process holding the lock (read from /proc/locks, no lock taken) and nothing once it is free', async () => {
    const lock = await holdDpkgLock(3);
    const held = await bash('apt_lock_holder');
    assert.equal(held.code, 0, held.out);
    assert.equal(held.out.trim(), `${lock.pid} (python3)`);
    await lock.released;
    const free = await bash('apt_lock_holder || echo free');
    assert.equal(free.out.trim(), 'free');
  });

  it('an install waits for the lock with a line saying so, then succeeds', async () => {
    const lock = await holdDpkgLock(4);
    // ffmpeg is already installed (bootstrap): apt still takes the lock, and finds nothing to do.
    const run = await bash('apt_install ffmpeg');
    await lock.released;
    console.log(`apt_install under a held lock: exit ${run.code} after ${run.seconds.toFixed(1)} s\n${run.out.trim()}`);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, new RegExp(`another apt/dpkg process, ${lock.pid} \\(python3\\), holds the package lock.*waiting`));
    assert.match(run.out, /the package lock is free after \d+ s/);
    assert.ok(run.seconds >= 3, `it waited (${run.seconds} s)`);
  });

  it('gives up after its limit with a line saying what to do', async () => {
    const lock = await holdDpkgLock(6);
    const run = await bash('APT_LOCK_WAIT_SEC=2 wait_for_apt_lock');
    await lock.released;
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
