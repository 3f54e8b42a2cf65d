// `npm run package [-- --target linux-x64]`: builds the production bundles and packages a VSIX per platform.
// The VSIX is assembled in a staging folder so it holds exactly: package.json, README, LICENSE, the bundles
// in dist/, the default models in bundled-models/ (scripts/models/bundleModels.ts), and under dist/node_modules the native runtimes (onnxruntime-node, sherpa-onnx, koffi, libvosk, sharp)
// for that one platform. esbuild bundles every JavaScript dependency, so nothing else from node_modules ships.
// (vsce's own dependency scan cannot be used: `npm ls` rejects the stub overrides under the vosk package.)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { target: { type: 'string', multiple: true }, out: { type: 'string' } } });
const targets = values.target ?? ['linux-x64'];
const outDir = path.resolve(values.out ?? path.join(root, 'vsix'));

/** Per VS Code target: the folders each native package needs on that platform (paths inside node_modules). */
const NATIVE = {
  'linux-x64': { ort: 'linux/x64', sherpa: 'sherpa-onnx-linux-x64', koffi: '@koromix/koffi-linux-x64', vosk: 'linux-x86_64', sharp: ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'] },
  'linux-arm64': { ort: 'linux/arm64', sherpa: 'sherpa-onnx-linux-arm64', koffi: '@koromix/koffi-linux-arm64', vosk: undefined, sharp: ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64'] },
  'darwin-arm64': { ort: 'darwin/arm64', sherpa: 'sherpa-onnx-darwin-arm64', koffi: '@koromix/koffi-darwin-arm64', vosk: 'osx-universal', sharp: ['@img/sharp-darwin-arm64', '@img/sharp-libvips-darwin-arm64'] },
  'darwin-x64': { ort: 'darwin/x64', sherpa: 'sherpa-onnx-darwin-x64', koffi: '@koromix/koffi-darwin-x64', vosk: 'osx-universal', sharp: ['@img/sharp-darwin-x64', '@img/sharp-libvips-darwin-x64'] },
  'win32-x64': { ort: 'win32/x64', sherpa: 'sherpa-onnx-win-x64', koffi: '@koromix/koffi-win32-x64', vosk: 'win-x86_64', sharp: ['@img/sharp-win32-x64'] },
};

function run(command, args, cwd = root) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

function copy(from, to) {
  const source = path.join(root, 'node_modules', from);
  if (!existsSync(source)) throw new Error(`missing ${source}: run npm ci (platform packages install only on their own platform)`);
  cpSync(source, to, { recursive: true, filter: (file) => !file.endsWith('.map') && !/\.d\.[cm]?ts$/.test(file) });
}

function stageNativeModules(target, modules) {
  const native = NATIVE[target];
  if (!native) throw new Error(`unknown target ${target}; known: ${Object.keys(NATIVE).join(', ')}`);
  const nm = (p) => path.join(modules, p);
  // onnxruntime-node: its JS, its one dependency it needs at run time, and the binaries of this platform only.
  for (const file of ['package.json', 'dist', 'LICENSE']) if (existsSync(path.join(root, 'node_modules/onnxruntime-node', file))) copy(`onnxruntime-node/${file}`, nm(`onnxruntime-node/${file}`));
  copy(`onnxruntime-node/bin/napi-v6/${native.ort}`, nm(`onnxruntime-node/bin/napi-v6/${native.ort}`));
  for (const file of ['package.json', 'dist/cjs']) copy(`onnxruntime-common/${file}`, nm(`onnxruntime-common/${file}`));
  // sherpa-onnx-node looks for its addon in ../sherpa-onnx-<platform>.
  for (const file of readdirSync(path.join(root, 'node_modules/sherpa-onnx-node')).filter((f) => f.endsWith('.js') || f === 'package.json')) {
    copy(`sherpa-onnx-node/${file}`, nm(`sherpa-onnx-node/${file}`));
  }
  copy(native.sherpa, nm(native.sherpa));
  // koffi looks for its binary in ../../../@koromix/koffi-<platform> relative to src/koffi/index.cjs.
  for (const file of ['package.json', 'index.cjs', 'index.js', 'indirect.cjs', 'indirect.js', 'src/koffi/index.cjs', 'src/koffi/index.js', 'src/koffi/indirect.cjs', 'src/koffi/src/static.cjs', 'src/koffi/src/static.js', 'src/koffi/src/trampolines.cjs']) {
    if (existsSync(path.join(root, 'node_modules/koffi', file))) copy(`koffi/${file}`, nm(`koffi/${file}`));
  }
  copy(native.koffi, nm(native.koffi));
  // sharp (still images): its JS, the three small packages it requires, and this platform's addon and libvips.
  for (const file of ['package.json', 'LICENSE', 'dist']) copy(`sharp/${file}`, nm(`sharp/${file}`));
  for (const dependency of ['detect-libc', 'semver', '@img/colour', ...native.sharp]) copy(dependency, nm(dependency));
  // vosk: only package.json (for require.resolve) and libvosk of this platform.
  copy('vosk/package.json', nm('vosk/package.json'));
  if (native.vosk) copy(`vosk/lib/${native.vosk}`, nm(`vosk/lib/${native.vosk}`));
}

function stage(target) {
  const dir = path.join(root, '.vsix-stage', target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const key of ['devDependencies', 'dependencies', 'overrides', 'allowScripts', 'scripts', 'bin']) delete pkg[key];
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
