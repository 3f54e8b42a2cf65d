/**
 * A small koffi binding to the libvosk that ships inside the `vosk` npm package (its own JS API needs
 * ffi-napi, which does not build on Node 20). Only the calls the recogniser needs are bound.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as Koffi from 'koffi' with { 'resolution-mode': 'require' };
import { EmotionLensError } from '../errors';
import { fixNames } from '../fixNames';
import { VOSK_SMALL_EN_ID, voskModelProblem } from '../models/speechModelSelection';

/** Opaque native handles (koffi external pointers). */
export type VoskModelHandle = object & { readonly __brand: 'VoskModel' };
export type VoskRecognizerHandle = object & { readonly __brand: 'VoskRecognizer' };

export interface VoskLibrary {
  readonly libraryPath: string;
  setLogLevel(level: number): void;
  modelNew(modelDir: string): VoskModelHandle | null;
  modelFree(model: VoskModelHandle): void;
  recognizerNew(model: VoskModelHandle, sampleRate: number): VoskRecognizerHandle | null;
  recognizerFree(recognizer: VoskRecognizerHandle): void;
  setWords(recognizer: VoskRecognizerHandle, enabled: boolean): void;
  /** 1 when the engine ended an utterance (read it with `result`), 0 otherwise; -1 on error. */
  acceptWaveform(recognizer: VoskRecognizerHandle, samples: Int16Array): number;
  result(recognizer: VoskRecognizerHandle): string;
  finalResult(recognizer: VoskRecognizerHandle): string;
}

/** Folder and file of libvosk inside the vosk package for a platform, or undefined when it ships none. */
export function voskLibraryLocation(platform: NodeJS.Platform = process.platform, arch: string = process.arch): { folder: string; file: string } | undefined {
  if (platform === 'linux' && arch === 'x64') return { folder: 'linux-x86_64', file: 'libvosk.so' };
  if (platform === 'win32' && arch === 'x64') return { folder: 'win-x86_64', file: 'libvosk.dll' };
  if (platform === 'darwin') return { folder: 'osx-universal', file: 'libvosk.dylib' };
  return undefined;
}

/** Absolute path of libvosk for this platform; throws a one-line error when it cannot be found. */
export function voskLibraryPath(): string {
  const location = voskLibraryLocation();
  if (!location) {
    throw new EmotionLensError('speech-model', `Vosk has no native library for ${process.platform}-${process.arch}`, undefined, `Use the sherpa-onnx speech model instead (${useSherpaWith()}).`);
  }
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve('vosk/package.json'));
  } catch {
    throw new EmotionLensError('speech-model', 'the vosk package (carrier of libvosk) is not installed', undefined, 'Reinstall Emotion Lens, or use the sherpa-onnx speech model.');
  }
  const file = path.join(packageDir, 'lib', location.folder, location.file);
  if (!existsSync(file)) {
    throw new EmotionLensError('speech-model', `libvosk for ${process.platform}-${process.arch} is missing`, file, 'Reinstall Emotion Lens, or use the sherpa-onnx speech model.');
  }
  return file;
}

// koffi's package is "type": "module" with a CommonJS build, which TypeScript (Node16) will not import statically.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const koffi = require('koffi') as typeof Koffi;

let loaded: VoskLibrary | undefined;

/** Loads libvosk once per thread and binds its functions. */
export function loadVosk(): VoskLibrary {
  if (loaded) return loaded;
  const libraryPath = voskLibraryPath();
  let lib: Koffi.LibraryHandle;
  try {
    if (process.platform === 'win32') preloadWindowsSiblings(path.dirname(libraryPath));
    lib = koffi.load(libraryPath);
  } catch (error) {
    throw new EmotionLensError('speech-model', `libvosk could not be loaded (${firstLine(error)})`, libraryPath, 'Reinstall Emotion Lens, or use the sherpa-onnx speech model.');
  }
  loaded = bind(lib, libraryPath);
  return loaded;
}

function bind(lib: Koffi.LibraryHandle, libraryPath: string): VoskLibrary {
  // Named opaque types register globally in koffi; anonymous ones can be declared again in every thread.
  const modelPtr = koffi.pointer(koffi.opaque());
  const recognizerPtr = koffi.pointer(koffi.opaque());
  const setLogLevel = lib.func('vosk_set_log_level', 'void', ['int']);
  const modelNew = lib.func('vosk_model_new', modelPtr, ['str']);
  const modelFree = lib.func('vosk_model_free', 'void', [modelPtr]);
  const recognizerNew = lib.func('vosk_recognizer_new', recognizerPtr, [modelPtr, 'float']);
  const recognizerFree = lib.func('vosk_recognizer_free', 'void', [recognizerPtr]);
  const setWords = lib.func('vosk_recognizer_set_words', 'void', [recognizerPtr, 'int']);
  const acceptS = lib.func('vosk_recognizer_accept_waveform_s', 'int', [recognizerPtr, koffi.pointer('int16_t'), 'int']);
  const result = lib.func('vosk_recognizer_result', 'str', [recognizerPtr]);
  const finalResult = lib.func('vosk_recognizer_final_result', 'str', [recognizerPtr]);
  return {
    libraryPath,
    setLogLevel: (level) => setLogLevel(level),
    modelNew: (dir) => (modelNew(dir) as VoskModelHandle | null) ?? null,
    modelFree: (model) => modelFree(model),
    recognizerNew: (model, rate) => (recognizerNew(model, rate) as VoskRecognizerHandle | null) ?? null,
    recognizerFree: (rec) => recognizerFree(rec),
    setWords: (rec, enabled) => setWords(rec, enabled ? 1 : 0),
    acceptWaveform: (rec, samples) => acceptS(rec, samples, samples.length) as number,
    result: (rec) => String(result(rec) ?? ''),
    finalResult: (rec) => String(finalResult(rec) ?? ''),
  };
}

/** Checks the folder first (vosk_model_new only returns NULL), then loads it; errors are one line. */
export function openVoskModel(lib: VoskLibrary, modelDir: string): VoskModelHandle {
  const problem = voskModelProblem(modelDir);
  if (problem) {
    throw new EmotionLensError('speech-model', `Vosk model ${problem}`, modelDir, voskFolderHint());
  }
  const model = lib.modelNew(modelDir);
  if (!model) {
    throw new EmotionLensError('speech-model', 'Vosk could not load this model (damaged or incomplete files)', modelDir, voskRepairHint());
  }
  return model;
}

function useSherpaWith(): string {
  const names = fixNames();
  return names.speechModelFolderWithValue ?? names.speechModelFolder;
}

function voskFolderHint(): string {
  const { voskModelFolder, voskDownload } = fixNames();
  return `Point ${voskModelFolder} at an unzipped Vosk model folder (e.g. ${VOSK_SMALL_EN_ID})${voskDownload ? ` or run ${voskDownload}` : ''}.`;
}

function voskRepairHint(): string {
  const { voskDownload } = fixNames();
  return `Download it again${voskDownload ? ` (${voskDownload})` : ''} or choose another model folder.`;
}

/** Windows only searches the executable's folder for DLL dependencies: load libvosk's siblings first. */
function preloadWindowsSiblings(folder: string): void {
  for (const name of ['libwinpthread-1.dll', 'libgcc_s_seh-1.dll', 'libstdc++-6.dll']) {
    const file = path.join(folder, name);
    if (existsSync(file)) koffi.load(file);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
