// The native runtimes Emotion Lens loads at run time, copied out of node_modules for one platform. esbuild
// bundles every JavaScript dependency into dist/, but these stay external (their .node binaries load shared
// libraries relative to themselves), so the VSIX and the CLI package carry them in dist/node_modules, where
// Node's module resolution finds them from dist/*.js. Only the files each needs on that platform are copied.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));

/** Per target (VS Code's names): the folders each native package needs on that platform (paths inside node_modules). */
export const NATIVE = {
  'linux-x64': { ort: 'linux/x64', sherpa: 'sherpa-onnx-linux-x64', koffi: '@koromix/koffi-linux-x64', vosk: 'linux-x86_64', sharp: ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'] },
  'linux-arm64': { ort: 'linux/arm64', sherpa: 'sherpa-onnx-linux-arm64', koffi: '@koromix/koffi-linux-arm64', vosk: undefined, sharp: ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64'] },
  'darwin-arm64': { ort: 'darwin/arm64', sherpa: 'sherpa-onnx-darwin-arm64', koffi: '@koromix/koffi-darwin-arm64', vosk: 'osx-universal', sharp: ['@img/sharp-darwin-arm64', '@img/sharp-libvips-darwin-arm64'] },
  'darwin-x64': { ort: 'darwin/x64', sherpa: 'sherpa-onnx-darwin-x64', koffi: '@koromix/koffi-darwin-x64', vosk: 'osx-universal', sharp: ['@img/sharp-darwin-x64', '@img/sharp-libvips-darwin-x64'] },
  'win32-x64': { ort: 'win32/x64', sherpa: 'sherpa-onnx-win-x64', koffi: '@koromix/koffi-win32-x64', vosk: 'win-x86_64', sharp: ['@img/sharp-win32-x64'] },
};

/** This machine's target name, as VS Code names targets (`linux-x64`, `darwin-arm64`, `win32-x64`...). */
export function hostTarget() {
  return `${process.platform}-${process.arch}`;
}

function copy(from, to) {
  const source = path.join(root, 'node_modules', from);
  if (!existsSync(source)) throw new Error(`missing ${source}: run npm ci (platform packages install only on their own platform)`);
  cpSync(source, to, { recursive: true, dereference: true, filter: (file) => !file.endsWith('.map') && !/\.d\.[cm]?ts$/.test(file) });
}

/**
 * Copies the native runtimes for `target` into `modules` (a node_modules folder), and the Parquet writer's
 * WebAssembly package, which every analysis with face geometry loads (the mesh sidecar) and the dataset export.
 */
export function stageNativeModules(target, modules) {
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
  // parquet-wasm loads its .wasm from beside its own JS: the Node build only.
  for (const file of ['package.json', 'LICENSE_MIT', 'LICENSE_APACHE', 'node']) copy(`parquet-wasm/${file}`, nm(`parquet-wasm/${file}`));
}
