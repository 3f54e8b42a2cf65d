/**
 * Which speech model to use: a Vosk folder the user configured or downloaded, else a sherpa-onnx
 * transducer (explicit folder, the models folder, the one bundled with Emotion Lens, or the cache), else a
 * one-line reason there is none.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { bundledModelsDir } from './bundledModels';
import type { FixNames } from '../fixNames';
import { CLI_FIX_NAMES, fixNames } from '../fixNames';
import type { SpeechEngineKind, SpeechModelConfig } from '../speech/speechTypes';

/** The small English Vosk model users download (`emotion-lens models --download-vosk`). */
export const VOSK_SMALL_EN_ID = 'vosk-model-small-en-us-0.15';
/** The sherpa-onnx model that ships with Emotion Lens (bundled-models/), used when no other speech model is configured. */
export const SHERPA_DEFAULT_ID = 'asr_zipformer_gigaspeech_3.3M_int8';

/** What to do to get a speech model, in the words of the face in use. */
function howToGetSpeechModel(names: Readonly<FixNames>): string {
  const download = names.voskDownload ? ` or run ${names.voskDownload}` : '';
  return `set ${names.speechModelFolderWithValue ?? names.speechModelFolder} (a Vosk model folder, e.g. ${VOSK_SMALL_EN_ID})${download}`;
}

/** Why there is no transcript when no speech model was found (one line, says what to do). */
export function noSpeechModelReason(names: Readonly<FixNames> = fixNames()): string {
  return `no speech model: ${howToGetSpeechModel(names)}`;
}

/** The CLI's wording of noSpeechModelReason(). */
export const NO_SPEECH_MODEL_REASON = noSpeechModelReason(CLI_FIX_NAMES);

export interface TransducerFiles {
  encoder: string;
  decoder: string;
  joiner: string;
  tokens: string;
}

export interface SpeechModelChoiceOptions {
  voskModelDir?: string;
  speechModelDir?: string;
  modelsDir?: string;
  cacheDir?: string;
  /** The models shipped with Emotion Lens (default: bundledModelsDir()); null: do not use them. */
  bundledDir?: string | null;
}

export interface SpeechModelChoice {
  config?: SpeechModelConfig;
  /** Why there is no config (one line, says what to do). */
  reason?: string;
}

/** Why `dir` is not a usable Vosk model folder, or undefined when it looks like one. */
export function voskModelProblem(dir: string): string | undefined {
  if (!isDirectory(dir)) return 'folder not found';
  if (!isFile(path.join(dir, 'am', 'final.mdl'))) return 'not a Vosk model folder (no am/final.mdl)';
  if (!isFile(path.join(dir, 'conf', 'model.conf')) && !isDirectory(path.join(dir, 'graph'))) {
    return 'not a Vosk model folder (no conf/model.conf or graph/)';
  }
  return undefined;
}

/** The encoder/decoder/joiner/tokens files of a sherpa-onnx transducer folder, or undefined. */
export function findTransducerFiles(dir: string): TransducerFiles | undefined {
  if (!isDirectory(dir)) return undefined;
  const names = readdirSync(dir).sort();
  const pick = (role: string): string | undefined => {
    const candidates = names.filter((n) => n.startsWith(role) && n.endsWith('.onnx'));
    // A repaired export (".fixed") beats the original; int8 beats fp32 for speed on CPU.
    const best = candidates.find((n) => n.includes('.fixed')) ?? candidates.find((n) => n.includes('int8')) ?? candidates[0];
    return best ? path.join(dir, best) : undefined;
  };
  const encoder = pick('encoder');
  const decoder = pick('decoder');
  const joiner = pick('joiner');
  const tokens = path.join(dir, 'tokens.txt');
  if (!encoder || !decoder || !joiner || !isFile(tokens)) return undefined;
  return { encoder, decoder, joiner, tokens };
}

/** Which engine a folder is for, judged by its layout. */
export function detectSpeechModel(dir: string): { engine: SpeechEngineKind; modelId: string } | undefined {
  const modelId = path.basename(path.resolve(dir));
  if (voskModelProblem(dir) === undefined) return { engine: 'vosk', modelId };
  if (findTransducerFiles(dir)) return { engine: 'sherpa-onnx', modelId };
  return undefined;
}

export function chooseSpeechModel(options: SpeechModelChoiceOptions): SpeechModelChoice {
  if (options.voskModelDir) {
    const problem = voskModelProblem(options.voskModelDir);
    if (problem) return { reason: `${options.voskModelDir}: ${problem}; ${pointAtVoskFolder()}` };
    return { config: configFor(options.voskModelDir, 'vosk') };
  }
  if (options.speechModelDir) {
    const detected = detectSpeechModel(options.speechModelDir);
    if (!detected) {
      return { reason: `${options.speechModelDir}: not a speech model folder (neither a Vosk model nor encoder/decoder/joiner .onnx + tokens.txt); ${howToGetSpeechModel(fixNames())}` };
    }
    return { config: configFor(options.speechModelDir, detected.engine) };
  }
  for (const dir of candidateDirs(options)) {
    const detected = detectSpeechModel(dir);
    if (detected) return { config: configFor(dir, detected.engine) };
  }
  return { reason: noSpeechModelReason() };
}

/** "point <Vosk model folder> at an unzipped Vosk model folder ...", in the words of the face in use. */
function pointAtVoskFolder(): string {
  const names = fixNames();
  return `point ${names.voskModelFolder} at an unzipped Vosk model folder${names.voskDownload ? ` or run ${names.voskDownload}` : ''}`;
}

/**
 * A downloaded Vosk model (any of its languages, larger vocabularies) is preferred over the small sherpa-onnx
 * model; the bundled copy of that one comes between the models folder and the cache, as for every model.
 */
function candidateDirs(options: SpeechModelChoiceOptions): string[] {
  const bundled = options.bundledDir === undefined ? bundledModelsDir() : options.bundledDir ?? undefined;
  const voskRoots = [options.modelsDir, options.cacheDir].filter((d): d is string => Boolean(d));
  const sherpaRoots = [options.modelsDir, bundled, options.cacheDir].filter((d): d is string => Boolean(d));
  return [
    ...voskRoots.map((root) => path.join(root, VOSK_SMALL_EN_ID)),
    ...sherpaRoots.map((root) => path.join(root, SHERPA_DEFAULT_ID)),
  ];
}

function configFor(dir: string, engine: SpeechEngineKind): SpeechModelConfig {
  const modelDir = path.resolve(dir);
  return { engine, modelDir, modelId: path.basename(modelDir) };
}

function isDirectory(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}
