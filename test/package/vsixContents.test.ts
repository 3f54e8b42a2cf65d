// The packaged extension holds what runs and nothing else: bundles, package.json, README/LICENSE and the
// native runtimes of its one platform. No media, models, tests, sources or stray node_modules.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import yauzl from 'yauzl';
import { makeTempDir, repoRoot, skipIfUnobtainable } from '../helpers/testEnvironment';
import { ensureVsix } from '../../scripts/vscode/vsixBuild';
import { bundledModelIds } from '../../scripts/models/bundleModels';

interface VsixListing {
  files: string[];
  packageJson: Record<string, unknown>;
}

/** What one VS Code target must carry of each native package (paths inside node_modules). */
interface TargetNatives {
  ortDir: string;
  sherpaPackage: string;
  koffiPackage: string;
  /** Folders of koffi's platform package with a koffi.node (glibc and musl builds of the same CPU). */
  koffiDirs: string[];
  voskDir: string | undefined;
  /** sharp's addon package and its libvips (still images). */
  sharpPackages: string[];
}

const LINUX_X64: TargetNatives = {
  ortDir: 'linux/x64',
  sherpaPackage: 'sherpa-onnx-linux-x64',
  koffiPackage: '@koromix/koffi-linux-x64',
  koffiDirs: ['linux_x64', 'musl_x64'],
  voskDir: 'linux-x86_64',
  sharpPackages: ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'],
};

const LINUX_ARM64: TargetNatives = {
  ortDir: 'linux/arm64',
  sherpaPackage: 'sherpa-onnx-linux-arm64',
  koffiPackage: '@koromix/koffi-linux-arm64',
  koffiDirs: ['linux_arm64', 'musl_arm64'],
  // The vosk package ships no libvosk for arm64 Linux.
  voskDir: undefined,
  sharpPackages: ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64'],
};

const sharpVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'sharp', 'package.json'), 'utf8')) as { version: string }).version;
const EXT = 'extension/';
const MODULES = 'extension/dist/node_modules/';
const MEDIA = /\.(mp4|mov|m4v|mkv|webm|avi|wav|mp3|flac|ogg|jpe?g|png|gif)$/i;
const MODEL_FILES = /(\.(onnx|ort|mdl|fst|dubm|ie)$)|(^|\/)(tokens\.txt|mfcc\.conf|final\.mat|global_cmvn\.stats|word_boundary\.int|disambig_tid\.int|MODEL\.md)$/i;
/** Bundles the extension loads: main, the analysis child process, its worker threads, the review webview. */
const BUNDLES = [
  'dist/analysisProcess.js', 'dist/frameWorker.js', 'dist/speechWorker.js', 'dist/voiceWorker.js', 'dist/adaptationWorker.js',
  'dist/webview.js', 'dist/webview.css', 'dist/compare.js', 'dist/compare.css', 'dist/notebookRenderer.js',
];

async function readVsix(file: string): Promise<VsixListing> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const files: string[] = [];
  let packageJson: Record<string, unknown> | undefined;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      files.push(entry.fileName);
      if (entry.fileName === `${EXT}package.json`) {
        const chunks: Buffer[] = [];
        for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
        packageJson = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      }
    }
  } finally {
    zip.close();
  }
  assert.ok(packageJson, `${file} has no ${EXT}package.json`);
  return { files, packageJson };
}

/** sha256 of the VSIX entries whose names pass `wanted`. */
async function zipEntryHashes(file: string, wanted: (name: string) => boolean): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const hashes = new Map<string, string>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (!wanted(entry.fileName)) continue;
      const hash = createHash('sha256');
      for await (const chunk of await zip.openReadStreamPromise(entry)) hash.update(chunk as Buffer);
      hashes.set(entry.fileName, hash.digest('hex'));
    }
  } finally {
    zip.close();
  }
  return hashes;
}

/** Model ids from the manifest: a folder named after one would be a model folder. */
function modelIds(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'models', 'manifest.json'), 'utf8')) as { models: { id: string }[] };
  return manifest.models.map((m) => m.id);
}

/** Where the default models go: bundled-models/<id>/<file> of the manifest, plus the notice and licence text. */
const BUNDLED = `${EXT}bundled-models/`;

/** The bundled files a VSIX must hold: every file of every bundled model (the defaults and the face geometry models), and the notices. */
function bundledFiles(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'models', 'manifest.json'), 'utf8')) as { models: { id: string; files: { name: string }[] }[] };
  const files = bundledModelIds().flatMap((id) => manifest.models.find((m) => m.id === id)!.files.map((f) => `${BUNDLED}${id}/${f.name}`));
  return [...files, `${BUNDLED}NOTICE.md`, `${BUNDLED}LICENSE-Apache-2.0.txt`];
}

/** The paths that break the "nothing but what runs" rules, by rule. Empty arrays when the VSIX is clean. */
function forbiddenPaths(files: string[], icon: string | undefined): Record<string, string[]> {
  const ids = modelIds();
  const allowed = new Set(bundledFiles());
  const segments = (f: string): string[] => f.split('/');
  return {
    media: files.filter((f) => MEDIA.test(f) && !(icon && f === `${EXT}${icon}`)),
    // Only the bundled models, where the engine looks for them; no other model, no Vosk model.
    models: files.filter((f) => !allowed.has(f) && (MODEL_FILES.test(f) || f.startsWith(BUNDLED) || segments(f).some((s) => ids.includes(s) || s.startsWith('vosk-model')))),
    tests: files.filter((f) => segments(f).some((s) => ['test', 'tests', '__tests__'].includes(s)) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(f)),
    sources: files.filter((f) => f.startsWith(`${EXT}src/`) || /\.[cm]?tsx?$/.test(f) || f.endsWith('.map') || /(^|\/)tsconfig[^/]*\.json$/.test(f)),
    strayNodeModules: files.filter((f) => f.includes('node_modules/') && !f.startsWith(MODULES)),
  };
}

/** The paths that break the "this platform's native runtimes, and only them" rules, by rule. */
function foreignNativePaths(files: string[], target: TargetNatives): Record<string, string[]> {
  const napi = `${MODULES}onnxruntime-node/bin/napi-v6/`;
  const packageOf = (f: string): string => {
    const parts = f.slice(MODULES.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '');
  };
  const modules = files.filter((f) => f.startsWith(MODULES));
  return {
    onnxruntime: modules.filter((f) => f.startsWith(napi) && !f.startsWith(`${napi}${target.ortDir}/`)),
    sherpa: modules.filter((f) => /^sherpa-onnx-/.test(packageOf(f)) && !['sherpa-onnx-node', target.sherpaPackage].includes(packageOf(f))),
    koffi: modules.filter((f) => {
      if (/^@koromix\/koffi-/.test(packageOf(f)) && packageOf(f) !== target.koffiPackage) return true;
      return f.endsWith('.node') && f.includes('koffi') && !target.koffiDirs.some((d) => f === `${MODULES}${target.koffiPackage}/${d}/koffi.node`);
    }),
    vosk: modules.filter((f) => f.startsWith(`${MODULES}vosk/lib/`) && !(target.voskDir && f.startsWith(`${MODULES}vosk/lib/${target.voskDir}/`))),
    sharp: modules.filter((f) => /^@img\/sharp-/.test(packageOf(f)) && !target.sharpPackages.includes(packageOf(f))),
    // Linux targets need no Windows or macOS libraries anywhere.
    otherOsLibraries: modules.filter((f) => /\.(dll|dylib|exe|pdb|lib)$/i.test(f)),
  };
}

/** The native files the target cannot run without. */
function requiredNativeFiles(target: TargetNatives): string[] {
  return [
    `${MODULES}onnxruntime-node/bin/napi-v6/${target.ortDir}/onnxruntime_binding.node`,
    `${MODULES}onnxruntime-node/bin/napi-v6/${target.ortDir}/libonnxruntime.so.1`,
    `${MODULES}onnxruntime-node/dist/index.js`,
    `${MODULES}onnxruntime-common/package.json`,
    `${MODULES}sherpa-onnx-node/package.json`,
    `${MODULES}${target.sherpaPackage}/sherpa-onnx.node`,
    `${MODULES}koffi/package.json`,
    `${MODULES}${target.koffiPackage}/${target.koffiDirs[0]}/koffi.node`,
    ...(target.voskDir ? [`${MODULES}vosk/lib/${target.voskDir}/libvosk.so`] : []),
    `${MODULES}sharp/dist/index.cjs`,
    `${MODULES}sharp/package.json`,
    `${MODULES}${target.sharpPackages[0]}/package.json`,
    `${MODULES}${target.sharpPackages[0]}/lib/${target.sharpPackages[0]!.slice('@img/'.length)}-${sharpVersion}.node`,
    // The analysis writes the face mesh sidecar (Parquet) with it.
    `${MODULES}parquet-wasm/node/parquet_wasm_bg.wasm`,
    `${MODULES}parquet-wasm/package.json`,
  ];
}

function assertNoneIn(found: Record<string, string[]>, what: string): void {
  for (const [rule, paths] of Object.entries(found)) {
    assert.deepEqual(paths, [], `${what}: ${rule} must not ship, found ${paths.length}: ${paths.slice(0, 10).join(', ')}`);
  }
}

function missingFrom(files: string[], wanted: string[]): string[] {
  const have = new Set(files);
  return wanted.filter((f) => !have.has(f));
}

function entryFile(main: unknown): string {
  assert.equal(typeof main, 'string', 'package.json in the VSIX names no "main"');
  const relative = path.posix.normalize(main as string);
  return `${EXT}${relative.endsWith('.js') ? relative : `${relative}.js`}`;
}

describe('the linux-x64 VSIX', () => {
  let vsix = '';
  let listing: VsixListing = { files: [], packageJson: {} };
  const rootPackage = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { icon?: string; main?: string };

  before(async () => {
    vsix = ensureVsix('linux-x64');
    listing = await readVsix(vsix);
    console.log(`${path.relative(repoRoot, vsix)}: ${(statSync(vsix).size / 1024 / 1024).toFixed(1)} MB, ${listing.files.length} files`);
  });

  test('holds no media, models, tests, TypeScript sources or node_modules outside dist/node_modules', () => {
    assertNoneIn(forbiddenPaths(listing.files, rootPackage.icon), vsix);
  });

  test('carries the default models, each byte for byte what the manifest names (sha256), so it analyses offline', async () => {
    const wanted = bundledFiles();
    assert.deepEqual(missingFrom(listing.files, wanted), [], 'default models missing from the VSIX');
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'models', 'manifest.json'), 'utf8')) as { models: { id: string; files: { name: string; sha256: string }[] }[] };
    const hashes = await zipEntryHashes(vsix, (name) => name.startsWith(BUNDLED));
    for (const id of bundledModelIds()) {
      for (const file of manifest.models.find((m) => m.id === id)!.files) {
        assert.equal(hashes.get(`${BUNDLED}${id}/${file.name}`), file.sha256, `${id}/${file.name} in the VSIX`);
      }
    }
    console.log(`bundled models: ${bundledModelIds().join(', ')} (${[...hashes.keys()].length} files, sha256 checked)`);
  });

  test('holds the native runtimes of linux-x64 and of no other platform', () => {
    const missing = missingFrom(listing.files, requiredNativeFiles(LINUX_X64));
    assert.deepEqual(missing, [], `native runtimes missing from ${vsix}: ${missing.join(', ')}`);
    assertNoneIn(foreignNativePaths(listing.files, LINUX_X64), vsix);
  });

  test('its package.json has no devDependencies or scripts, and its main entry and bundles exist', () => {
    const pkg = listing.packageJson;
    assert.ok(!('devDependencies' in pkg), 'package.json in the VSIX still has devDependencies');
    assert.ok(!('scripts' in pkg), 'package.json in the VSIX still has scripts');
    assert.equal(pkg.main, rootPackage.main, 'the VSIX names a different main entry than the repository');
    const missing = missingFrom(listing.files, [entryFile(pkg.main), ...BUNDLES.map((b) => `${EXT}${b}`)]);
    assert.deepEqual(missing, [], `bundles missing from ${vsix}: ${missing.join(', ')}`);
    if (rootPackage.icon) assert.ok(listing.files.includes(`${EXT}${rootPackage.icon}`), `the icon ${rootPackage.icon} is missing`);
  });

  test('the rules above catch a VSIX that ships what it must not', () => {
    // The checks are only worth something if they can fail: feed them the mistakes they exist for.
    const bad = [
      `${EXT}media/clip.mp4`,
      `${EXT}models/face_detection_yunet_2023mar/face_detection_yunet_2023mar.onnx`,
      `${BUNDLED}vosk-model-small-en-us-0.15/am/final.mdl`,
      `${EXT}vosk-model-small-en-us-0.15/am/final.mdl`,
      `${EXT}test/unit/x.test.ts`,
      `${EXT}src/extension/extension.ts`,
      `${EXT}dist/extension.js.map`,
      `${EXT}node_modules/chart.js/package.json`,
      `${MODULES}onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll`,
      `${MODULES}sherpa-onnx-darwin-arm64/sherpa-onnx.node`,
      `${MODULES}@koromix/koffi-win32-x64/win32_x64/koffi.node`,
      `${MODULES}vosk/lib/osx-universal/libvosk.dylib`,
      `${MODULES}@img/sharp-darwin-arm64/lib/sharp-darwin-arm64-${sharpVersion}.node`,
    ];
    const forbidden = forbiddenPaths(bad, undefined);
    const foreign = foreignNativePaths(bad, LINUX_X64);
    for (const [rule, paths] of Object.entries({ ...forbidden, ...foreign })) assert.ok(paths.length > 0, `rule ${rule} caught nothing`);
    assert.equal(missingFrom([], requiredNativeFiles(LINUX_X64)).length, requiredNativeFiles(LINUX_X64).length);
  });
});

// npm installs only the host's optional platform packages, so another platform can be packaged only where
// someone installed its packages too (npm install --force --cpu=arm64 ...).
const arm64Packages = [LINUX_ARM64.sherpaPackage, LINUX_ARM64.koffiPackage, `onnxruntime-node/bin/napi-v6/${LINUX_ARM64.ortDir}`, ...LINUX_ARM64.sharpPackages];
const arm64Missing = arm64Packages.filter((p) => !existsSync(path.join(repoRoot, 'node_modules', p)));

describe('the linux-arm64 VSIX', () => {
  const temp = makeTempDir('emotion-lens-vsix-arm64-');
  after(() => temp.cleanup());

  test(
    'holds the linux-arm64 native runtimes only',
    skipIfUnobtainable(arm64Missing.length > 0 ? `the linux-arm64 platform packages are not installed (${arm64Missing.join(', ')})` : undefined),
    async () => {
      const vsix = ensureVsix('linux-arm64', temp.dir);
      const { files } = await readVsix(vsix);
      console.log(`${path.basename(vsix)}: ${(statSync(vsix).size / 1024 / 1024).toFixed(1)} MB, ${files.length} files`);
      const missing = missingFrom(files, requiredNativeFiles(LINUX_ARM64));
      assert.deepEqual(missing, [], `native runtimes missing from ${vsix}: ${missing.join(', ')}`);
      assertNoneIn(foreignNativePaths(files, LINUX_ARM64), vsix);
      assertNoneIn(forbiddenPaths(files, undefined), vsix);
    },
  );
});
