import { parseArgs } from 'node:util';
import type { AnalysisSettings } from '../shared/annotationDocument';
import type { AnalysisRequest } from '../core/engine/analysisRequest';
import { defaultSettings, makeRequest } from '../core/engine/analysisRequest';
import { parseShard } from '../core/engine/batchShards';
import type { Shard } from '../core/engine/batchShards';

export class UsageError extends Error {}

/** The default models with these weights, `id:weight`, leaving out those that weigh nothing. */
function weighting(weights: readonly number[]): string {
  return defaultSettings.expressionModels.flatMap((id, i) => (weights[i]! > 0 ? [`${id}:${weights[i]}`] : [])).join(' ');
}

export const ANALYZE_USAGE = `Usage: emotion-lens analyze <files or folders>... [options]

Analyses videos (mp4, mov, m4v, mkv, webm, avi, ...) and still images (jpg, png) and writes
<file>.emotion.json beside each one. Folders are searched for videos and images.

Options:
  --out DIR               write documents into DIR instead of beside each input
  --sample-fps N          frames analysed per second (default 5; 0 or "all" = every frame)
  --models DIR            folder with the face and expression models (env EMOTION_LENS_MODELS)
  --expression-model ID[:W]  expression model id from the manifest; repeat to average several,
                          each with weight W (default weight: equal, or the default ensemble's)
                          (default ${weighting(defaultSettings.expressionWeights)}${defaultSettings.smallCrops ? `;
                          small face crops: ${weighting(defaultSettings.smallCrops.weights)}` : ''})
  --no-align              classify a plain crop of each face box (no 5-point alignment)
  --flip                  average each face with its mirror image
  --smoothing SEC         temporal smoothing per face track, seconds (0 = off; default 0.4)
  --min-face-score X      detector score threshold, 0..1 (default 0.6)
  --min-face-size PX      ignore faces smaller than this, in pixels (default 20)
  --speech-model DIR      speech model folder: Vosk or sherpa-onnx (env EMOTION_LENS_SPEECH_MODEL)
  --vosk-model DIR        Vosk model folder (env EMOTION_LENS_VOSK_MODEL)
  --no-speech             skip transcription and sentiment
  --no-voice              skip the voice measures (pitch, loudness, voice quality, arousal)
  --pause SEC             a pause this long ends an utterance (default 0.6)
  --ffmpeg PATH           ffmpeg binary (env EMOTION_LENS_FFMPEG; ffprobe is looked for beside it)
  --threads N             face analysis worker threads (default: one per core, at most 4)
  --download              download missing models from their source (checked by sha256)
  --replace               replace an existing document instead of merging its corrections
  --force                 analyse inputs whose document is up to date too (corrections are kept)
  --shard K/N             analyse only shard K (0..N-1) of the inputs, for cluster array jobs
  --json                  print one JSON line per input instead of text
  -h, --help              show this help`;

export interface AnalyzeCommandOptions {
  inputs: string[];
  json: boolean;
  /** Analyse up-to-date inputs too. */
  force: boolean;
  /** This task's share of the inputs. */
  shard?: Shard;
  /** Builds the request for one input file. */
  requestFor(input: string, outName?: string): AnalysisRequest;
  outDir?: string;
}

/** The options `analyze` takes (also how `slurm` tells them from its inputs). */
export const ANALYZE_OPTIONS = {
  out: { type: 'string' },
  'sample-fps': { type: 'string' },
  models: { type: 'string' },
  'expression-model': { type: 'string', multiple: true },
  'no-align': { type: 'boolean' },
  flip: { type: 'boolean' },
  smoothing: { type: 'string' },
  'min-face-score': { type: 'string' },
  'min-face-size': { type: 'string' },
  'speech-model': { type: 'string' },
  'vosk-model': { type: 'string' },
  'no-speech': { type: 'boolean' },
  'no-voice': { type: 'boolean' },
  pause: { type: 'string' },
  ffmpeg: { type: 'string' },
  threads: { type: 'string' },
  download: { type: 'boolean' },
  replace: { type: 'boolean' },
  force: { type: 'boolean' },
  shard: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  } as const;

export function parseAnalyzeArgs(args: string[], env: NodeJS.ProcessEnv): AnalyzeCommandOptions | 'help' {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: ANALYZE_OPTIONS });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('analyze needs at least one file or folder');

  const settings: Partial<AnalysisSettings> = {
    speech: !values['no-speech'],
    voice: !values['no-voice'],
    flipAverage: Boolean(values.flip),
    alignFaces: !values['no-align'],
  };
  if (values['sample-fps'] !== undefined) settings.sampleFps = parseSampleFps(values['sample-fps']);
  if (values['expression-model']) Object.assign(settings, parseModelSpecs(values['expression-model']));
  if (values.smoothing !== undefined) settings.smoothingSec = number('--smoothing', values.smoothing, 0, 60);
  if (values['min-face-score'] !== undefined) settings.minFaceScore = number('--min-face-score', values['min-face-score'], 0, 1);
  if (values['min-face-size'] !== undefined) settings.minFaceSize = number('--min-face-size', values['min-face-size'], 0, 10000);
  if (values.pause !== undefined) settings.utterancePauseSec = number('--pause', values.pause, 0.05, 60);
  const threads = values.threads !== undefined ? Math.round(number('--threads', values.threads, 1, 64)) : undefined;

  const modelsDir = values.models ?? env.EMOTION_LENS_MODELS;
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (typeof shard === 'string') throw new UsageError(shard);
  return {
    inputs: positionals,
    json: Boolean(values.json),
    force: Boolean(values.force),
    ...(shard ? { shard } : {}),
    outDir: values.out,
    requestFor: (input, outName) =>
      makeRequest(input, {
        outDir: values.out,
        outName,
        settings,
        models: { modelsDir, allowDownload: Boolean(values.download) },
        speech: {
          speechModelDir: values['speech-model'] ?? env.EMOTION_LENS_SPEECH_MODEL,
          voskModelDir: values['vosk-model'] ?? env.EMOTION_LENS_VOSK_MODEL,
        },
        ffmpeg: { ffmpegPath: values.ffmpeg ?? env.EMOTION_LENS_FFMPEG, ffprobePath: env.EMOTION_LENS_FFPROBE },
        threads,
        existingDocument: values.replace ? 'replace' : 'merge',
      }),
  };
}

/** `ID` or `ID:WEIGHT`, comma-separated or repeated; weights only when every model has one. */
function parseModelSpecs(values: string[]): Pick<AnalysisSettings, 'expressionModels'> & Partial<Pick<AnalysisSettings, 'expressionWeights'>> {
  const specs = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const models: string[] = [];
  const weights: number[] = [];
  for (const spec of specs) {
    const [id = '', weight] = spec.split(':');
    if (!id) throw new UsageError(`--expression-model needs a model id, got '${spec}'`);
    models.push(id);
    if (weight !== undefined) weights.push(number(`--expression-model ${id}:`, weight, 0, 1000));
  }
  if (weights.length > 0 && weights.length !== models.length) throw new UsageError('--expression-model: give a weight to every model or to none');
  if (weights.length > 0 && !weights.some((w) => w > 0)) throw new UsageError('--expression-model: at least one weight must be above 0');
  return weights.length > 0 ? { expressionModels: models, expressionWeights: weights } : { expressionModels: models };
}

function parseSampleFps(text: string): number {
  if (text === 'all') return 0;
  return number('--sample-fps', text, 0, 240);
}

function number(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}, got '${text}'`);
  return value;
}
