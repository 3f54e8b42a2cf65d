/**
 * Praat (Boersma & Weenink), the phoneticians' reference, run headless on a sound file to check our own voice
 * measures against (scripts/voice/installPraat.sh installs it; the product never depends on it). One script
 * measures a whole file with Praat's standard commands, which docs/voice.md pairs with our features:
 *   To Pitch: 0, floor, ceiling; Get mean / standard deviation (semitones), Count voiced frames
 *   To PointProcess (periodic, cc): floor, ceiling; Get jitter (local): 0, 0, 0.0001, 0.02, 1.3;
 *     Get shimmer (local_dB): 0, 0, 0.0001, 0.02, 1.3, 1.6
 *   To Harmonicity (cc): 0.01, floor, 0.1, 1.0; Get mean: 0, 0
 *   To Intensity: floor, 0, "yes"; Get mean: 0, 0, "energy"
 * Praat's semitone scales are re 1 Hz, re 100 Hz, re 200 Hz and re 440 Hz; ours is re 27.5 Hz, so the mean
 * is converted (a shift of 12 log2(100 / 27.5)); a standard deviation in semitones has no reference.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PraatMeasures } from '../../scripts/evaluation/praatAgreement';

export type { PraatMeasures } from '../../scripts/evaluation/praatAgreement';

/** Semitones re 27.5 Hz minus semitones re 100 Hz. */
const SEMITONES_100_TO_27_5 = 12 * Math.log2(100 / 27.5);

const MEASURE_SCRIPT = `form Voice measures
  sentence File
  real Floor 75
  real Ceiling 600
endform
sound = Read from file: file$
selectObject: sound
pitch = To Pitch: 0, floor, ceiling
frames = Get number of frames
voiced = Count voiced frames
meanSt = Get mean: 0, 0, "semitones re 100 Hz"
sdSt = Get standard deviation: 0, 0, "semitones"
selectObject: sound
pulses = To PointProcess (periodic, cc): floor, ceiling
points = Get number of points
jitter = Get jitter (local): 0, 0, 0.0001, 0.02, 1.3
selectObject: sound, pulses
shimmer = Get shimmer (local_dB): 0, 0, 0.0001, 0.02, 1.3, 1.6
selectObject: sound
harmonicity = To Harmonicity (cc): 0.01, floor, 0.1, 1.0
hnr = Get mean: 0, 0
selectObject: sound
intensity = To Intensity: floor, 0, "yes"
intensityMean = Get mean: 0, 0, "energy"
writeInfoLine: "frames ", frames
appendInfoLine: "voicedFrames ", voiced
appendInfoLine: "pulses ", points
appendInfoLine: "meanSt100 ", fixed$ (meanSt, 9)
appendInfoLine: "sdSt ", fixed$ (sdSt, 9)
appendInfoLine: "jitter ", fixed$ (jitter, 12)
appendInfoLine: "shimmer ", fixed$ (shimmer, 9)
appendInfoLine: "hnr ", fixed$ (hnr, 9)
appendInfoLine: "intensity ", fixed$ (intensityMean, 9)
`;

/** The praat program on the PATH (EMOTION_LENS_PRAAT overrides), or undefined. */
export function locatePraat(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.EMOTION_LENS_PRAAT?.trim();
  if (chosen) return chosen;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'praat');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why Praat tests cannot run here (undefined when praat is installed). */
export const noPraatReason: string | undefined = locatePraat()
  ? undefined
  : 'Praat is not installed (bash scripts/voice/installPraat.sh, or apt-get install praat)';

export interface PraatOptions {
  floorHz?: number;
  ceilingHz?: number;
  /** Kill Praat after this long (default 60 s). */
  timeoutMs?: number;
}

/** Praat's whole-file measures of `file` (any format Praat reads: wav, aiff, flac, mp3). */
export async function praatVoiceMeasures(file: string, options: PraatOptions = {}): Promise<PraatMeasures> {
  const praat = locatePraat();
  if (!praat) throw new Error(noPraatReason);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-praat-'));
  try {
    const script = path.join(dir, 'voiceMeasures.praat');
    writeFileSync(script, MEASURE_SCRIPT);
    const args = ['--run', script, path.resolve(file), String(options.floorHz ?? 75), String(options.ceilingHz ?? 600)];
    const output = await runPraat(praat, args, options.timeoutMs ?? 60_000);
    return parseMeasures(output, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runPraat(praat: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(praat, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`praat ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.slice(-500)}`));
    });
  });
}

function parseMeasures(output: string, file: string): PraatMeasures {
  const values = new Map<string, number | null>();
  for (const line of output.split('\n')) {
    const match = /^(\w+) (\S+)\s*$/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    values.set(match[1]!, Number.isFinite(value) ? value : null); // Praat prints --undefined-- for undefined
  }
  const get = (key: string): number | null => {
    if (!values.has(key)) throw new Error(`praat gave no "${key}" for ${file}:\n${output}`);
    return values.get(key)!;
  };
  const meanSt100 = get('meanSt100');
  return {
    frames: get('frames') ?? 0,
    voicedFrames: get('voicedFrames') ?? 0,
    pulses: get('pulses') ?? 0,
    f0MeanSemitones: meanSt100 === null ? null : meanSt100 + SEMITONES_100_TO_27_5,
    f0SdSemitones: get('sdSt'),
    jitterLocal: get('jitter'),
    shimmerLocalDb: get('shimmer'),
    hnrDb: get('hnr'),
    intensityDb: get('intensity'),
  };
}
