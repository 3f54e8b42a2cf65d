// How well voice arousal separates high-arousal from low-arousal acted speech (RAVDESS), measured on the
// product's own path: `emotion-lens analyze` on the folder, then `emotion-lens export --format dataset`,
// whose dataset.voice.csv scores each segment against its speaker group (the actor, from the file name).
// Nothing here is tuned: the arousal method has no parameter fitted to these labels.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../test/helpers/exportParsers';

/** RAVDESS file names: modality-channel-emotion-intensity-statement-repetition-actor.wav. */
const RAVDESS_NAME = /^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)\.\w+$/;
/** The actor: the speaker group of a RAVDESS file, as a --speaker-pattern. */
export const RAVDESS_SPEAKER_PATTERN = '-(\\d\\d)\\.wav$';

const EMOTIONS: Record<string, string> = { '01': 'neutral', '02': 'calm', '03': 'happy', '04': 'sad', '05': 'angry', '06': 'fearful', '07': 'disgust', '08': 'surprised' };
/** The split: angry, fearful, happy, surprised are activated; neutral, calm, sad are not; disgust is left out. */
const HIGH = new Set(['angry', 'fearful', 'happy', 'surprised']);
const LOW = new Set(['neutral', 'calm', 'sad']);

export interface RavdessLabel {
  emotion: string;
  actor: string;
  /** 'high' or 'low' arousal, or undefined for disgust. */
  arousal?: 'high' | 'low';
}

export function ravdessLabel(file: string): RavdessLabel | undefined {
  const m = RAVDESS_NAME.exec(path.basename(file));
  if (!m) return undefined;
  const emotion = EMOTIONS[m[3]!] ?? 'unknown';
  return { emotion, actor: m[7]!, ...(HIGH.has(emotion) ? { arousal: 'high' as const } : LOW.has(emotion) ? { arousal: 'low' as const } : {}) };
}

/**
 * Area under the ROC curve of `scores` for positives against negatives: the chance that a random positive
 * scores above a random negative (ties count half), by the Mann-Whitney rank sum.
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [...positives.map((v) => ({ v, p: true })), ...negatives.map((v) => ({ v, p: false }))].sort((a, b) => a.v - b.v);
  let rankSumPositive = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.v === all[i]!.v) j++;
    const meanRank = (i + 1 + j) / 2; // ranks i+1 .. j share their mean
    for (let k = i; k < j; k++) if (all[k]!.p) rankSumPositive += meanRank;
    i = j;
  }
  return (rankSumPositive - (positives.length * (positives.length + 1)) / 2) / (positives.length * negatives.length);
}

/** Per file of the dataset table: the mean arousal of its segments, weighted by their length. */
export function arousalPerFile(voiceCsv: string): Map<string, number> {
  const [header, ...rows] = parseCsv(voiceCsv);
  const col = (name: string) => {
    const i = header!.indexOf(name);
    if (i < 0) throw new Error(`dataset.voice.csv has no ${name} column (columns: ${header!.join(', ')})`);
    return i;
  };
  const [media, start, end, arousal] = [col('media_path'), col('start_sec'), col('end_sec'), col('arousal')];
  const sums = new Map<string, { weighted: number; sec: number }>();
  for (const row of rows) {
    if (row[arousal] === '' || row[arousal] === undefined) continue;
    const sec = Number(row[end]) - Number(row[start]);
    const entry = sums.get(row[media]!) ?? { weighted: 0, sec: 0 };
    entry.weighted += Number(row[arousal]) * sec;
    entry.sec += sec;
    sums.set(row[media]!, entry);
  }
  return new Map([...sums].map(([file, s]) => [file, s.weighted / s.sec]));
}

export interface ArousalAuc {
  auc: number;
  perActor: { actor: string; auc: number; files: number }[];
  high: number;
  low: number;
  /** Files with no scored segment (no voiced speech found). */
  unscored: number;
}

export function arousalAuc(perFile: Map<string, number>, files: readonly string[]): ArousalAuc {
  const labelled = files.map((file) => ({ file, label: ravdessLabel(file) })).filter((x) => x.label?.arousal);
  const scored = labelled.filter((x) => perFile.has(path.basename(x.file)) || perFile.has(x.file));
  const score = (file: string) => perFile.get(path.basename(file)) ?? perFile.get(file)!;
  const split = (of: typeof scored) => ({
    high: of.filter((x) => x.label!.arousal === 'high').map((x) => score(x.file)),
    low: of.filter((x) => x.label!.arousal === 'low').map((x) => score(x.file)),
  });
  const all = split(scored);
  const actors = [...new Set(scored.map((x) => x.label!.actor))].sort();
  return {
    auc: rocAuc(all.high, all.low),
    perActor: actors.map((actor) => {
      const of = scored.filter((x) => x.label!.actor === actor);
      const s = split(of);
      return { actor, auc: rocAuc(s.high, s.low), files: of.length };
    }),
    high: all.high.length,
    low: all.low.length,
    unscored: labelled.length - scored.length,
  };
}

/** Runs the built CLI (`node dist/cli.js ...`) as a user does; rejects with its stderr on a non-zero exit. */
export function runCli(cli: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`emotion-lens ${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`))));
  });
}

/** The dataset table's voice rows, read from the folder `export --format dataset` wrote. */
export function readVoiceTable(datasetDir: string): string {
  return readFileSync(path.join(datasetDir, 'dataset.voice.csv'), 'utf8');
}
