// `npm run package [-- --target linux-x64]`: builds the production bundles and packages a VSIX per platform.
// The VSIX is assembled in a staging folder so it holds exactly: package.json, README, LICENSE, the bundles
// in dist/, the default models in bundled-models/ (scripts/models/bundleModels.ts), and under dist/node_modules
// the native runtimes (scripts/packaging/nativeRuntimes.mjs: onnxruntime-node, sherpa-onnx, koffi, libvosk, sharp,
// and parquet-wasm for the face mesh sidecar)
// for that one platform. esbuild bundles every JavaScript dependency, so nothing else from node_modules ships.
// (vsce's own dependency scan cannot be used: `npm ls` rejects the stub overrides under the vosk package.)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { root, stageNativeModules } from './packaging/nativeRuntimes.mjs';

const { values } = parseArgs({ options: { target: { type: 'string', multiple: true }, out: { type: 'string' } } });
const targets = values.target ?? ['linux-x64'];
const outDir = path.resolve(values.out ?? path.join(root, 'vsix'));

function run(command, args, cwd = root) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

function stage(target) {
  const dir = path.join(root, '.vsix-stage', target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const key of ['devDependencies', 'dependencies', 'overrides', 'allowScripts', 'scripts', 'bin', 'files']) delete pkg[key];
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  for (const file of ['README.md', 'LICENSE']) cpSync(path.join(root, file), path.join(dir, file));
  for (const file of readdirSync(path.join(root, 'dist'))) {
    if (/\.(js|css)$/.test(file) && file !== 'cli.js') cpSync(path.join(root, 'dist', file), path.join(dir, 'dist', file));
  }
  stageNativeModules(target, path.join(dir, 'dist', 'node_modules'));
  // The default models (platform-independent), verified by sha256 when bundleModels.ts put them there.
  cpSync(path.join(root, 'bundled-models'), path.join(dir, 'bundled-models'), { recursive: true, filter: (file) => !file.endsWith('.part') });
  // The staging folder holds only what ships; this keeps vsce from adding anything of its own choosing.
  writeFileSync(path.join(dir, '.vscodeignore'), '**/*.map\n**/*.d.ts\n');
  return { dir, version: pkg.version, name: pkg.name };
}

run(process.execPath, ['esbuild.js', '--production']);
run(process.execPath, ['--import', 'tsx', path.join('scripts', 'models', 'bundleModels.ts')]);
mkdirSync(outDir, { recursive: true });
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
for (const target of targets) {
  const { dir, version, name } = stage(target);
  const vsix = path.join(outDir, `${name}-${version}-${target}.vsix`);
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--target', target, '--out', vsix], dir);
  console.log(`${path.relative(root, vsix)}: ${(statSync(vsix).size / 1024 / 1024).toFixed(1)} MB`);
}
