// One VSIX per target for the packaging test, the end-to-end tests and `npm run demo`. The test runner
// packages once and sets EMOTION_LENS_VSIX, so every consumer shares that one build.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './codeServer';

const built = new Map<string, string>();

/** The file name scripts/packageVsix.mjs writes for a target: `<name>-<version>-<target>.vsix`. */
export function vsixFileName(target: string): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return `${pkg.name}-${pkg.version}-${target}.vsix`;
}

/**
 * A VSIX for the target: EMOTION_LENS_VSIX when it names an existing file built for that target, otherwise
 * `scripts/packageVsix.mjs --target <target>` run once per process (into `outDir`, default vsix/).
 */
export function ensureVsix(target = 'linux-x64', outDir = path.join(repoRoot, 'vsix')): string {
  const given = process.env.EMOTION_LENS_VSIX;
  // A VSIX of another platform must not stand in for this one (the file name carries the target).
  if (given && existsSync(given) && path.basename(given).endsWith(`-${target}.vsix`)) return path.resolve(given);
  const key = `${target}\n${path.resolve(outDir)}`;
  const cached = built.get(key);
  if (cached && existsSync(cached)) return cached;
  const vsix = path.join(path.resolve(outDir), vsixFileName(target));
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'packageVsix.mjs'), '--target', target, '--out', path.resolve(outDir)], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  // The file's time proves this run wrote it (an older VSIX may be lying there from a previous run).
  const fresh = existsSync(vsix) && statSync(vsix).mtimeMs >= started - 2000;
  if (result.status !== 0 || !fresh) {
    throw new Error(`packaging the ${target} VSIX failed (exit ${result.status ?? result.signal}); run \`npm run package -- --target ${target}\` to see why`);
  }
  built.set(key, vsix);
  return vsix;
}
