import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { AnalysisSettings } from '../shared/annotationDocument';
import type { AnalysisRequest } from '../core/engine/analysisRequest';
import { defaultSettings, makeRequest } from '../core/engine/analysisRequest';
import { ANALYSIS_SETTINGS, SETTING_NAMES } from '../core/engine/analysisSettingsTable';
import type { SettingName } from '../core/engine/analysisSettingsTable';
import { parseShard } from '../core/engine/batch/batchShards';
import type { Shard } from '../core/engine/batch/batchShards';

export class UsageError extends Error {}

/** The CLI's own options (where files go, which programs and models, how the batch runs), in usage order. */
const RUN_OPTIONS: readonly { name: string; value?: string; short?: string; description: string }[] = [
  { name: 'out', value: 'DIR', description: 'write documents into DIR instead of beside each input' },
  { name: 'models', value: 'DIR', description: 'folder with the face and expression models (env EMOTION_LENS_MODELS)' },
  { name: 'speech-model', value: 'DIR', description: 'speech model folder: Vosk or sherpa-onnx (env EMOTION_LENS_SPEECH_MODEL)' },
  { name: 'vosk-model', value: 'DIR', description: 'Vosk model folder (env EMOTION_LENS_VOSK_MODEL)' },
  { name: 'ffmpeg', value: 'PATH', description: 'ffmpeg binary (env EMOTION_LENS_FFMPEG; ffprobe is looked for beside it)' },
  { name: 'threads', value: 'N', description: 'face analysis worker threads (default: one per core, at most 4)' },
  { name: 'download', description: 'download missing models from their source (checked by sha256)' },
  { name: 'replace', description: 'replace an existing document instead of merging its corrections' },
  { name: 'force', description: 'analyse inputs whose document is up to date too (corrections are kept)' },
  { name: 'shard', value: 'K/N', description: 'analyse only shard K (0..N-1) of the inputs, for cluster array jobs' },
  { name: 'json', description: 'print one JSON line per input instead of text' },
  {
    name: 'profile',
    description: 'at the end, print where the time went: CPU seconds per stage (decode, detection, each expression model, tracking, voice, speech, document) over every thread and ffmpeg, how busy each core was, and peak memory',
  },
  { name: 'help', short: 'h', description: 'show this help' },
];

/** The analysis settings the CLI offers, from the one table of settings (a choice by its yes/no options). */
const CLI_SETTINGS = SETTING_NAMES.filter((name) => {
  const spec = ANALYSIS_SETTINGS[name];
  return spec.type === 'choice' ? Object.keys(spec.cliFlags).length > 0 : spec.cli !== undefined;
});

/** Each CLI option of a setting: the option without its dashes, and whether it takes a value. */
function cliOptionsOf(name: SettingName): { option: string; type: 'boolean' | 'string'; multiple?: true }[] {
  const spec = ANALYSIS_SETTINGS[name];
  if (spec.type === 'choice') return Object.keys(spec.cliFlags).map((option) => ({ option, type: 'boolean' }));
  return [{ option: spec.cli!, type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.type === 'modelList' ? { multiple: true as const } : {}) }];
}

/** The options `analyze` takes (also how `slurm` tells them from its inputs). */
export const ANALYZE_OPTIONS: NonNullable<ParseArgsConfig['options']> = Object.fromEntries([
  ...RUN_OPTIONS.map((o) => [o.name, { type: o.value ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}) }] as const),
  ...CLI_SETTINGS.flatMap(cliOptionsOf).map(({ option, ...config }) => [option, config] as const),
]);

const USAGE_WIDTH = 100;
const OPTION_COLUMN = 24;

/** "  --flag VALUE            description", wrapped under itself (below the option when the option is too long). */
function usageLine(option: string, description: string): string {
  const indent = ' '.repeat(2 + OPTION_COLUMN);
  const lines: string[] = [];
  let line = '';
  for (const word of description.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > USAGE_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  const head = `  ${option}`;
  const first = head.length < indent.length ? [head.padEnd(indent.length) + lines.shift()] : [head];
  return [...first, ...lines.map((l) => indent + l)].join('\n');
}

function settingUsage(name: SettingName): string {
  const spec = ANALYSIS_SETTINGS[name];
  if (spec.type === 'choice') {
    const flags = Object.entries(spec.cliFlags).map(([option, choice]) => `--${option} ${choice}: ${spec.choices[choice]}`);
    return usageLine(Object.keys(spec.cliFlags).map((o) => `--${o}`).join(', '), `${spec.description}; default ${spec.default}: ${spec.choices[spec.default]}; ${flags.join('; ')}`);
  }
  const option = `--${spec.cli}${spec.cliValue ? ` ${spec.cliValue}` : ''}`;
  if (spec.type === 'boolean') return usageLine(option, spec.description);
  if (spec.type === 'number') return usageLine(option, `${spec.description} (${spec.min} to ${spec.max}, default ${spec.default})`);
  const crops = defaultSettings.smallCrops ? `; small face crops: ${weighting(defaultSettings.smallCrops.weights)}` : '';
  return usageLine(option, `${spec.description}; default ${weighting(defaultSettings.expressionWeights)}${crops}`);
}

/** The default models with these weights, `id:weight`, leaving out those that weigh nothing. */
function weighting(weights: readonly number[]): string {
  return defaultSettings.expressionModels.flatMap((id, i) => (weights[i]! > 0 ? [`${id}:${weights[i]}`] : [])).join(' ');
}

export const ANALYZE_USAGE = `Usage: emotion-lens analyze <files or folders>... [options]

Analyses videos (mp4, mov, m4v, mkv, webm, avi, ...) and still images (jpg, png) and writes
<file>.emotion.json beside each one. Folders are searched for videos and images.

Options:
${RUN_OPTIONS.map((o) => usageLine(`${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`, o.description)).join('\n')}

Analysis settings:
${CLI_SETTINGS.map(settingUsage).join('\n')}`;

export interface AnalyzeCommandOptions {
  inputs: string[];
  json: boolean;
  /** Print where the time went at the end (a JSON line with --json). */
  profile: boolean;
  /** Analyse up-to-date inputs too. */
  force: boolean;
  /** This task's share of the inputs. */
  shard?: Shard;
  /** Builds the request for one input file. */
  requestFor(input: string, outName?: string): AnalysisRequest;
  outDir?: string;
}


export function parseAnalyzeArgs(args: string[], env: NodeJS.ProcessEnv): AnalyzeCommandOptions | 'help' {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: ANALYZE_OPTIONS });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('analyze needs at least one file or folder');

  const settings = settingsFrom(values);
  const threads = values.threads !== undefined ? Math.round(number('--threads', text(values.threads) ?? '', 1, 64)) : undefined;

  const modelsDir = text(values.models) ?? env.EMOTION_LENS_MODELS;
  const shard = values.shard === undefined ? undefined : parseShard(text(values.shard)!);
  if (typeof shard === 'string') throw new UsageError(shard);
  return {
    inputs: positionals,
    json: Boolean(values.json),
    profile: Boolean(values.profile),
    force: Boolean(values.force),
    ...(shard ? { shard } : {}),
    outDir: text(values.out),
    requestFor: (input, outName) =>
      makeRequest(input, {
        outDir: text(values.out),
        outName,
        settings,
        models: { modelsDir, allowDownload: Boolean(values.download) },
        speech: {
          speechModelDir: text(values['speech-model']) ?? env.EMOTION_LENS_SPEECH_MODEL,
          voskModelDir: text(values['vosk-model']) ?? env.EMOTION_LENS_VOSK_MODEL,
        },
        ffmpeg: { ffmpegPath: text(values.ffmpeg) ?? env.EMOTION_LENS_FFMPEG, ffprobePath: env.EMOTION_LENS_FFPROBE },
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

type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A string option's value (parseArgs types every option of a built table alike). */
function text(value: OptionValues[string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The settings given on the command line, checked against the table's ranges; a yes/no option turns its default
 * over; a choice's options each set their word, and two of them at once are refused.
 */
function settingsFrom(values: OptionValues): Partial<AnalysisSettings> {
  const settings: Record<string, unknown> = {};
  for (const name of CLI_SETTINGS) {
    const spec = ANALYSIS_SETTINGS[name];
    if (spec.type === 'choice') {
      const given = Object.keys(spec.cliFlags).filter((option) => values[option] !== undefined);
      if (given.length > 1) throw new UsageError(`${given.map((o) => `--${o}`).join(' and ')} cannot be given together`);
      if (given.length === 1) settings[name] = spec.cliFlags[given[0]!];
      continue;
    }
    const value = values[spec.cli!];
    if (value === undefined) continue;
    if (spec.type === 'boolean') settings[name] = !spec.default;
    // "all" frames: the one word a number option takes.
    else if (spec.type === 'number') settings[name] = name === 'sampleFps' && value === 'all' ? 0 : number(`--${spec.cli}`, text(value) ?? '', spec.min, spec.max);
    else Object.assign(settings, parseModelSpecs((Array.isArray(value) ? value : [value]).map(String)));
  }
  return settings as Partial<AnalysisSettings>;
}

function number(flag: string, given: string, min: number, max: number): number {
  const value = Number(given);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}, got '${given}'`);
  return value;
}
