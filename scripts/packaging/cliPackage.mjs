// `npm pack` makes the CLI package a lab installs once on its cluster's shared storage:
// `emotion-lens-<version>.tgz`, which `npm install -g` installs into any prefix with nothing to download and no
// install script to run. npm runs `prepack` (this script's `stage`) before it packs and `postpack` (`clean`)
// after; package.json's `files` list takes only what `stage` prepared:
// - dist/cli.js and its worker threads, built for production (every JavaScript dependency bundled in);
// - dist/node_modules: the native runtimes of the platform it is packed on (nativeRuntimes.mjs), and
//   dist/native-target.json naming that platform, so the CLI says so in one line on another one;
// - bundled-models/: every default model, sha256-checked (bundleModels.ts fails if one is missing), with
//   NOTICE.md giving each model's licence and source.
//   node scripts/packaging/cliPackage.mjs stage|clean
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hostTarget, NATIVE, root, stageNativeModules } from './nativeRuntimes.mjs';

const dist = path.join(root, 'dist');
const targetFile = path.join(dist, 'native-target.json');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function say(line) {
  console.error(`cliPackage: ${line}`);
}

function stage() {
  const target = hostTarget();
  if (!NATIVE[target]) throw new Error(`no native runtimes are known for ${target}; known: ${Object.keys(NATIVE).join(', ')}`);
  const started = Date.now();
  run(process.execPath, ['esbuild.js', '--production']);
  // Strict: a package without one of its default models would fail on its first analysis.
  run(process.execPath, ['--import', 'tsx', path.join('scripts', 'models', 'bundleModels.ts')]);
  clean();
  stageNativeModules(target, path.join(dist, 'node_modules'));
  writeFileSync(targetFile, JSON.stringify({ target }) + '\n');
  say(`staged the CLI for ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s (production bundles, native runtimes, default models)`);
}

/** The native runtimes are for the package only: the development build resolves node_modules at the root. */
function clean() {
  rmSync(path.join(dist, 'node_modules'), { recursive: true, force: true });
  rmSync(targetFile, { force: true });
}

const command = process.argv[2];
try {
  if (command === 'stage') stage();
  else if (command === 'clean') clean();
  else throw new Error(`usage: node scripts/packaging/cliPackage.mjs stage|clean (got ${command ?? 'nothing'})`);
} catch (error) {
  say(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
