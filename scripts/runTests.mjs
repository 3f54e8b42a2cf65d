// The whole suite, in parts, each timed: packaging (the VSIX the packaging check and the end-to-end tests
// share), build, type check, lint, unit + integration + packaging tests, then the end-to-end tests in a real
// VS Code (code-server) and a real browser, one file at a time.
// Usage: npm test [-- <path fragment>...]   e.g. `npm test -- unit`, `npm test -- e2e/review`
// Points the tests at ../shared/models and ../shared/media when they exist beside the repo.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
  .map((file) => path.relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(' ')}`);
  process.exit(1);
}
const isEndToEnd = (file) => file.startsWith(path.join('test', 'e2e') + path.sep);
// A test drives a real browser when it imports playwright-core or the VS Code workbench helpers.
const usesBrowser = (file) => isEndToEnd(file) || /from '(playwright-core|[./]+helpers\/(vscodeWorkbench|mediapipeRuntime))'/.test(readFileSync(path.join(root, file), 'utf8'));
// A test starts a SLURM cluster of its own when it imports the cluster helper.
const usesSlurm = (file) => /from '[./]+helpers\/slurmCluster'/.test(readFileSync(path.join(root, file), 'utf8'));
// A test checks the voice measures against Praat when it imports the Praat helper.
const usesPraat = (file) => /from '[./]+helpers\/praatReference'/.test(readFileSync(path.join(root, file), 'utf8'));
const endToEnd = files.filter(isEndToEnd);
const others = files.filter((file) => !isEndToEnd(file));
const needsVsix = endToEnd.length > 0 || others.some((file) => file.startsWith(path.join('test', 'package') + path.sep));
// A test installs the CLI package when it imports the helper that packs it.
const usesCliPackage = (file) => /from '[./]+helpers\/cliPackageBuild'/.test(readFileSync(path.join(root, file), 'utf8'));

const parts = [];
/** Runs one part, prints its duration, and stops the run at the first failure (after the summary). */
function part(name, command, args, options = {}) {
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env, ...options });
  const seconds = (Date.now() - started) / 1000;
  const ok = result.status === 0;
  parts.push({ name, seconds, ok });
  console.log(`=== ${name} ${ok ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s`);
  if (!ok) finish(result.status ?? 1);
  return result;
}

function finish(code) {
  console.log('\nparts:');
  for (const p of parts) console.log(`  ${p.ok ? 'ok  ' : 'FAIL'} ${p.name.padEnd(56)} ${p.seconds.toFixed(1).padStart(7)} s`);
  console.log(`  total ${parts.reduce((s, p) => s + p.seconds, 0).toFixed(1)} s`);
  process.exit(code);
}

console.log(`models: ${env.EMOTION_LENS_MODELS ?? '(none: model tests will be skipped)'}`);
console.log(`media:  ${env.EMOTION_LENS_MEDIA ?? '(none: media tests will be skipped)'}`);

// Installed before any test runs, so a browser test never finds its browser missing (and under CI=true a
// missing one fails instead of skipping).
if (files.some(usesBrowser)) {
  part('install Chromium and code-server (from an empty cache: about 2 minutes)', 'bash', [path.join('scripts', 'vscode', 'installCodeServer.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
if (files.some(usesSlurm)) {
  part('install SLURM and munge (for the cluster test)', 'bash', [path.join('scripts', 'cluster', 'installSlurm.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}
if (files.some(usesPraat)) {
  part('install Praat (the reference for the voice measures)', 'bash', [path.join('scripts', 'voice', 'installPraat.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}
if (needsVsix && !env.EMOTION_LENS_VSIX) {
  // Packaging builds dist/ for production; the build below puts the development bundles back for the CLI tests.
  const out = path.join(root, 'vsix');
  part('package the VSIX (linux-x64)', process.execPath, [path.join('scripts', 'packageVsix.mjs'), '--target', 'linux-x64', '--out', out]);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  env.EMOTION_LENS_VSIX = path.join(out, `${pkg.name}-${pkg.version}-linux-x64.vsix`);
}
if (others.some(usesCliPackage) && !env.EMOTION_LENS_CLI_TARBALL) {
  // `npm pack` runs the package's prepack (production bundles, native runtimes, default models) and postpack.
  const out = path.join(root, 'cli-package');
  mkdirSync(out, { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  part('pack the CLI package (npm pack)', 'npm', ['pack', '--pack-destination', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  env.EMOTION_LENS_CLI_TARBALL = path.join(out, `${pkg.name}-${pkg.version}.tgz`);
}
part('build', process.execPath, ['esbuild.js']);
// The default models the engine finds without a models folder (the VSIX carries the same ones).
part('bundle the default models (bundled-models/)', process.execPath, ['--import', 'tsx', path.join('scripts', 'models', 'bundleModels.ts')]);
// The whole suite also type-checks and lints: the architecture's boundaries are lint rules.
if (filters.length === 0) {
  part('type check (host, tests, scripts)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']);
  part('type check (webview)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.webview.json', '--noEmit']);
  part('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '.']);
}
const runTests = (list, concurrency) => [
  '--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...list,
];
if (others.length > 0) part(`unit, integration and packaging tests (${others.length} files)`, process.execPath, runTests(others, 2));
if (endToEnd.length > 0) {
  // One VS Code at a time: they share 2 cores, and their timing pitfalls grow with load.
  part(`end-to-end tests in code-server + Chromium (${endToEnd.length} files)`, process.execPath, runTests(endToEnd, 1));
}
finish(0);
