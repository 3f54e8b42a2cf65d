// RAVDESS's labels (emotion and actor from the file name, the high/low arousal split), the AUC, and
// running the built CLI: what the voice evaluation (voiceEvaluation.ts, arousalSelection.ts) measures with.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** RAVDESS file names: modality-channel-emotion-intensity-statement-repetition-actor.wav. */
const RAVDESS_NAME = /^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)\.\w+$/;

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
