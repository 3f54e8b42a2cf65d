// The CLI package (`npm pack`): the tarball the test runner packs once (EMOTION_LENS_CLI_TARBALL), or packed
// here into cli-package/ when a test runs on its own. npm runs the package's prepack and postpack scripts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './testEnvironment';

export const CLI_PACKAGE_DIR = path.join(repoRoot, 'cli-package');

/** `emotion-lens-<version>.tgz`, the name `npm pack` gives the package. */
export function cliTarballName(): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return `${pkg.name}-${pkg.version}.tgz`;
}

let packed: string | undefined;

export function ensureCliTarball(): string {
  const given = process.env.EMOTION_LENS_CLI_TARBALL;
  if (given && existsSync(given)) return path.resolve(given);
  if (packed && existsSync(packed)) return packed;
  mkdirSync(CLI_PACKAGE_DIR, { recursive: true });
  const tarball = path.join(CLI_PACKAGE_DIR, cliTarballName());
  const started = Date.now();
  const result = spawnSync('npm', ['pack', '--pack-destination', CLI_PACKAGE_DIR], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  // The file's time proves this run wrote it (an older tarball may be lying there).
  if (result.status !== 0 || !existsSync(tarball) || statSync(tarball).mtimeMs < started - 2000) {
    throw new Error(`npm pack failed (exit ${result.status ?? result.signal}); run \`npm pack\` to see why`);
  }
  packed = tarball;
  return tarball;
}
