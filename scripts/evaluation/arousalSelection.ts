// How voice arousal is chosen: a small family of ways to turn the dataset table's voice measures into arousal
// (which pitch statistic, which level measure, their weights, how each speaker group's scale is taken and how
// its segments are weighted), each scored per recording as the issue measures it (segments' arousal weighted
// by their length), and leave-one-speaker-out: for each actor, the way with the best mean AUC over the other
// actors, judged on the one left out. Everything is computed from dataset.voice.csv, the product's own table;
// the product's `arousal` column is then checked against the way chosen on all actors.
import { weightedMedian } from '../../src/core/voice/arousal';
import { parseCsv } from '../../test/helpers/exportParsers';
import { ravdessLabel, rocAuc } from './voiceArousal';

/** One voice segment of the dataset table. */
export interface SegmentRow {
  file: string;
  group: string;
  sec: number;
  values: Record<string, number | null>;
}

const MEASURE_COLUMNS = ['f0_mean_semitones', 'f0_p80_semitones', 'intensity_db', 'loudness', 'arousal'] as const;

export function segmentRows(voiceCsv: string): SegmentRow[] {
  const [header, ...rows] = parseCsv(voiceCsv);
  const col = (name: string) => {
    const i = header!.indexOf(name);
    if (i < 0) throw new Error(`dataset.voice.csv has no ${name} column`);
    return i;
  };
  const cell = (row: string[], name: string) => (row[col(name)] === '' ? null : Number(row[col(name)]));
  return rows.map((row) => ({
    file: row[col('media_path')]!,
    group: row[col('speaker_group')]!,
    sec: Number(row[col('end_sec')]) - Number(row[col('start_sec')]),
    values: Object.fromEntries(MEASURE_COLUMNS.map((name) => [name, cell(row, name)])),
  }));
}

export interface Candidate {
  pitch: 'f0_mean_semitones' | 'f0_p80_semitones';
  level: 'intensity_db' | 'loudness';
  /** Share of the pitch measure; the level measure has the rest. */
  pitchWeight: number;
  /** `composite`: weighted sum in typical-spread units, z-scored per group; `z`: each measure z-scored (mean, SD); `robust`: each as (x - median) / (1.4826 MAD). */
  scale: 'robust' | 'z' | 'composite';
  /** How the group's segments count in its mean/median and spread. */
  weighting: 'duration' | 'equal';
}

/** Typical within-speaker spreads (2 st, 4 dB, 0.4 doublings of loudness): the composite's units, as in src/core/voice/arousal.ts. */
const TYPICAL: Record<string, number> = { f0_mean_semitones: 2, f0_p80_semitones: 2, intensity_db: 4, loudness: 0.4 };

/**
 * The family, in order of preference (ties go to the earlier): the literature's prior first (equal weights, the
 * Praat-style per-measure scale), then the rest. Both cues are always in: pitch and level are the two arousal
 * cues every review finds across corpora (Juslin & Laukka 2003; Scherer 2003), so neither weight may be 0.
 */
export function candidateFamily(): Candidate[] {
  const family: Candidate[] = [];
  for (const pitchWeight of [1 / 2, 1 / 4, 3 / 4])
    for (const scale of ['robust', 'z', 'composite'] as const)
      for (const weighting of ['duration', 'equal'] as const)
        for (const pitch of ['f0_mean_semitones', 'f0_p80_semitones'] as const)
          for (const level of ['intensity_db', 'loudness'] as const) family.push({ pitch, level, pitchWeight, scale, weighting });
  return family;
}

/** Today's method before issue 23: F0 mean / 2 st + intensity / 4 dB, z-scored over the group's segments, each counting once. */
export const PREVIOUS_METHOD: Candidate = { pitch: 'f0_mean_semitones', level: 'intensity_db', pitchWeight: 1 / 2, scale: 'composite', weighting: 'equal' };

export function describeCandidate(c: Candidate): string {
  const pitch = c.pitch === 'f0_mean_semitones' ? 'F0 mean' : 'F0 p80';
  const level = c.level === 'intensity_db' ? 'intensity' : 'loudness';
  const ratio = c.pitchWeight === 0.5 ? '1:1' : c.pitchWeight < 0.5 ? '1:3' : '3:1';
  const cues = c.pitchWeight === 0 ? `${level} only` : c.pitchWeight === 1 ? `${pitch} only` : `${pitch} + ${level} ${ratio}`;
  return `${cues}, ${c.scale}, ${c.weighting === 'duration' ? 'by duration' : 'per segment'}`;
}

/** The measure of a segment in the candidate's units (loudness as log2 sones); null when not measured. */
function measure(row: SegmentRow, column: string): number | null {
  const v = row.values[column];
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  if (column !== 'loudness') return v;
  return v > 0 ? Math.log2(v) : null;
}

/** Location and spread of values (weighted); undefined without spread. */
function scaleOf(values: number[], weights: number[], kind: Candidate['scale'], floor: number): { centre: number; spread: number } | undefined {
  if (values.length < 2) return undefined;
  if (kind === 'robust') {
    const centre = weightedMedian(values, weights);
    const mad = weightedMedian(values.map((v) => Math.abs(v - centre)), weights);
    return { centre, spread: Math.max(1.4826 * mad, floor) };
  }
  const total = weights.reduce((s, w) => s + w, 0);
  const centre = values.reduce((s, v, i) => s + v * weights[i]!, 0) / total;
  // The weighted variance with the sample correction n / (n - 1): with equal weights, the sample SD the table used before.
  const variance = (values.reduce((s, v, i) => s + weights[i]! * (v - centre) ** 2, 0) / total) * (values.length / (values.length - 1));
  const sd = Math.sqrt(variance);
  return sd > 1e-12 ? { centre, spread: sd } : undefined;
}

/** Arousal of every segment under a candidate (null where unmeasured or the group has no scale). */
export function segmentArousal(rows: readonly SegmentRow[], c: Candidate): (number | null)[] {
  const terms: [string, number][] = [[c.pitch, c.pitchWeight], [c.level, 1 - c.pitchWeight]];
  const measured = rows.map((row) => {
    const values = terms.map(([column]) => measure(row, column));
    return values.every((v) => v !== null) ? (values as number[]) : null;
  });
  const byGroup = new Map<string, number[]>();
  rows.forEach((row, i) => {
    if (measured[i]) byGroup.set(row.group, [...(byGroup.get(row.group) ?? []), i]);
  });
  const out: (number | null)[] = rows.map(() => null);
  for (const members of byGroup.values()) {
    const weights = members.map((i) => (c.weighting === 'duration' ? rows[i]!.sec : 1));
    if (c.scale === 'composite') {
      const raw = members.map((i) => terms.reduce((s, [column, w], k) => s + (w * measured[i]![k]!) / TYPICAL[column]!, 0));
      const scale = scaleOf(raw, weights, 'composite', 0);
      if (scale) members.forEach((i, k) => (out[i] = (raw[k]! - scale.centre) / scale.spread));
      continue;
    }
    const scales = terms.map(([column], k) => scaleOf(members.map((i) => measured[i]![k]!), weights, c.scale, 0.25 * TYPICAL[column]!));
    if (scales.some((s) => !s)) continue;
    members.forEach((i) => (out[i] = terms.reduce((s, [, w], k) => s + (w * (measured[i]![k]! - scales[k]!.centre)) / scales[k]!.spread, 0)));
  }
  return out;
}

/** Per recording: its segments' arousal weighted by their length (the issue's measure). */
export function recordingScores(rows: readonly SegmentRow[], arousal: readonly (number | null)[]): Map<string, number> {
  const sums = new Map<string, { weighted: number; sec: number }>();
  rows.forEach((row, i) => {
    const a = arousal[i];
    if (a === null || a === undefined) return;
    const entry = sums.get(row.file) ?? { weighted: 0, sec: 0 };
    entry.weighted += a * row.sec;
    entry.sec += row.sec;
    sums.set(row.file, entry);
  });
  return new Map([...sums].filter(([, s]) => s.sec > 0).map(([file, s]) => [file, s.weighted / s.sec]));
}

/** AUC of high against low acted arousal per actor, from per-recording scores. */
export function aucPerActor(scores: Map<string, number>): Map<string, number> {
  const split = new Map<string, { high: number[]; low: number[] }>();
  for (const [file, score] of scores) {
    const label = ravdessLabel(file);
    if (!label?.arousal) continue;
    const entry = split.get(label.actor) ?? { high: [], low: [] };
    entry[label.arousal].push(score);
    split.set(label.actor, entry);
  }
  return new Map([...split].sort(([a], [b]) => a.localeCompare(b)).map(([actor, s]) => [actor, rocAuc(s.high, s.low)]));
}

/** AUC over every actor at once (scores already per speaker). */
export function pooledAuc(scores: Map<string, number>): number {
  const high: number[] = [], low: number[] = [];
  for (const [file, score] of scores) {
    const label = ravdessLabel(file);
    if (label?.arousal === 'high') high.push(score);
    else if (label?.arousal === 'low') low.push(score);
  }
  return rocAuc(high, low);
}

export interface LosoFold {
  actor: string;
  chosen: Candidate;
  /** Mean AUC of the chosen way over the other actors. */
  trainingAuc: number;
  /** Its AUC on the actor left out. */
  heldOutAuc: number;
}

export interface Selection {
  folds: LosoFold[];
  /** Chosen on every actor: what the product should compute. */
  chosen: Candidate;
  /** Per candidate (family order), its AUC per actor. */
  table: { candidate: Candidate; perActor: Map<string, number> }[];
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Mean AUCs closer than this count as equal, and the earlier way in the family's order of preference is taken:
 * measuring the same recordings again at another sample rate moved single actors' AUCs by up to 0.003, so
 * smaller differences say nothing about people not yet heard.
 */
export const AUC_TIE = 0.005;

/** Leave-one-speaker-out over the family: the best mean AUC on the other actors (within AUC_TIE: the earlier), judged on the one left out. */
export function selectArousal(rows: readonly SegmentRow[], family: readonly Candidate[] = candidateFamily()): Selection {
  const table = family.map((candidate) => ({ candidate, perActor: aucPerActor(recordingScores(rows, segmentArousal(rows, candidate))) }));
  const actors = [...table[0]!.perActor.keys()];
  const best = (among: string[]) => {
    // A way that leaves some actor unscored (a measure without spread) ranks last.
    const scores = table.map((entry) => mean(among.map((a) => entry.perActor.get(a) ?? Number.NaN))).map((m) => (Number.isNaN(m) ? -Infinity : m));
    const top = Math.max(...scores);
    const i = scores.findIndex((score) => score >= top - AUC_TIE);
    return { entry: table[i]!, score: scores[i]! };
  };
  const folds = actors.map((actor) => {
    const { entry, score } = best(actors.filter((a) => a !== actor));
    return { actor, chosen: entry.candidate, trainingAuc: score, heldOutAuc: entry.perActor.get(actor)! };
  });
  return { folds, chosen: best(actors).entry.candidate, table };
}
