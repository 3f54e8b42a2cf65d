// Runs the test suites with Node's own test runner (TypeScript through tsx).
// Usage: npm test [-- unit|integration|<path fragment>...]
// Points the tests at ../shared/models and ../shared/media when they exist beside the repo, and builds
// the bundles first because the CLI tests run dist/cli.js exactly as a user would.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const shared = path.resolve(root, '..', 'shared');
const env = { ...process.env };
if (!env.EMOTION_LENS_MODELS && existsSync(path.join(shared, 'models'))) env.EMOTION_LENS_MODELS = path.join(shared, 'models');
if (!env.EMOTION_LENS_MEDIA && existsSync(path.join(shared, 'media'))) env.EMOTION_LENS_MEDIA = path.join(shared, 'media');

function listTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listTests(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const filters = process.argv.slice(2);
const files = listTests(path.join(root, 'test'))
  .filter((file) => filters.length === 0 || filters.some((f) => path.relative(root, file).includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(' ')}`);
  process.exit(1);
}

const build = spawnSync(process.execPath, [path.join(root, 'esbuild.js')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

// The whole suite also type-checks and lints: the architecture's boundaries are lint rules.
if (filters.length === 0) {
  for (const [name, args] of [['typecheck', ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']], ['lint', ['node_modules/eslint/bin/eslint.js', '.']]]) {
    const started = Date.now();
    const check = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
    console.log(`${name} ${check.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (check.status !== 0) process.exit(check.status ?? 1);
  }
}

console.log(`models: ${env.EMOTION_LENS_MODELS ?? '(none: model tests will be skipped)'}`);
console.log(`media:  ${env.EMOTION_LENS_MEDIA ?? '(none: media tests will be skipped)'}`);
const started = Date.now();
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files.map((f) => path.relative(root, f))],
  { stdio: 'inherit', cwd: root, env },
);
console.log(`tests took ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(run.status ?? 1);
