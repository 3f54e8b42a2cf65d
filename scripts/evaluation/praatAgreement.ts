/**
 * How far our voice measures agree with Praat's across a set of recordings: for the F0 mean, the error in
 * semitones (median, 90th percentile, share within 0.5 st); for every measure, Pearson's r across the files
 * and the mean difference (ours - Praat). Pure math and formatting: the Praat runner is
 * test/helpers/praatReference.ts, and the rows can come from the tracker directly (the voice test) or from
 * the documents `emotion-lens analyze` writes (voice.overall).
 */
import type { VoiceFeatures } from '../../src/shared/annotationDocument';
import { table } from './tables';

/** Praat's whole-file measures (test/helpers/praatReference.ts), in our units. */
export interface PraatMeasures {
  frames: number;
  voicedFrames: number;
  pulses: number;
  /** Mean F0 in semitones re 27.5 Hz (converted from Praat's "semitones re 100 Hz"). */
  f0MeanSemitones: number | null;
  f0SdSemitones: number | null;
  /** A fraction, like Praat's "Get jitter (local)" (which the voice report shows as a percentage). */
  jitterLocal: number | null;
  shimmerLocalDb: number | null;
  hnrDb: number | null;
  intensityDb: number | null;
}

export interface AgreementRow {
  file: string;
  ours: VoiceFeatures;
  praat: PraatMeasures;
}

export interface FeatureAgreement {
  feature: string;
  unit: string;
  /** Files where both sides measured it. */
  n: number;
  pearsonR: number;
  /** Mean of ours - Praat. */
  meanDifference: number;
  medianAbsDifference: number;
  p90AbsDifference: number;
}

export interface PraatAgreement {
  files: number;
  features: FeatureAgreement[];
  /** Share of files whose F0 mean is within 0.5 semitone of Praat's (files Praat found voiced). */
  f0WithinHalfSemitone: number;
}

type Extract = (row: AgreementRow) => [ours: number | null, praat: number | null];

const FEATURES: { feature: string; unit: string; values: Extract }[] = [
  { feature: 'F0 mean', unit: 'st re 27.5 Hz', values: (r) => [r.ours.f0MeanSemitones, r.praat.f0MeanSemitones] },
  { feature: 'F0 SD', unit: 'st', values: (r) => [r.ours.f0SdSemitones, r.praat.f0SdSemitones] },
  { feature: 'voiced fraction', unit: 'share', values: (r) => [r.ours.voicedFraction, r.praat.frames > 0 ? r.praat.voicedFrames / r.praat.frames : null] },
  { feature: 'jitter (local)', unit: '%', values: (r) => [percentOf(r.ours.jitterLocal), percentOf(r.praat.jitterLocal)] },
  { feature: 'shimmer (local)', unit: 'dB', values: (r) => [r.ours.shimmerLocalDb, r.praat.shimmerLocalDb] },
  { feature: 'HNR', unit: 'dB', values: (r) => [r.ours.hnrDb, r.praat.hnrDb] },
  { feature: 'intensity', unit: 'dB', values: (r) => [r.ours.intensityDb, r.praat.intensityDb] },
];

function percentOf(fraction: number | null): number | null {
  return fraction === null ? null : 100 * fraction;
}

export function praatAgreement(rows: readonly AgreementRow[]): PraatAgreement {
  const features = FEATURES.map(({ feature, unit, values }) => {
    const pairs = rows.map(values).filter((p): p is [number, number] => isNumber(p[0]) && isNumber(p[1]));
    const differences = pairs.map(([a, b]) => a - b);
    const absolute = differences.map(Math.abs).sort((a, b) => a - b);
    return {
      feature,
      unit,
      n: pairs.length,
      pearsonR: pearson(pairs.map((p) => p[0]), pairs.map((p) => p[1])),
      meanDifference: mean(differences),
      medianAbsDifference: percentile(absolute, 0.5),
      p90AbsDifference: percentile(absolute, 0.9),
    };
  });
  const f0 = rows.filter((r) => isNumber(r.praat.f0MeanSemitones));
  const within = f0.filter((r) => isNumber(r.ours.f0MeanSemitones) && Math.abs(r.ours.f0MeanSemitones - r.praat.f0MeanSemitones!) <= 0.5);
  return { files: rows.length, features, f0WithinHalfSemitone: f0.length > 0 ? within.length / f0.length : NaN };
}

/** The agreement as a plain-text table (one line per measure) with the F0 share underneath. */
export function praatAgreementTable(rows: readonly AgreementRow[]): string {
  const agreement = praatAgreement(rows);
  const header = ['measure', 'unit', 'files', 'Pearson r', 'mean diff (ours - Praat)', 'median |diff|', '90th pct |diff|'];
  const lines = agreement.features.map((f) => [f.feature, f.unit, String(f.n), fixed(f.pearsonR, 3), signed(f.meanDifference, 3), fixed(f.medianAbsDifference, 3), fixed(f.p90AbsDifference, 3)]);
  const share = Number.isNaN(agreement.f0WithinHalfSemitone) ? 'n/a' : `${(100 * agreement.f0WithinHalfSemitone).toFixed(1)} %`;
  return `${table(header, lines)}\nF0 mean within 0.5 semitone of Praat's: ${share} of ${agreement.files} files`;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Pearson's correlation coefficient; NaN with fewer than 3 pairs or no spread. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return NaN;
  const mx = mean(xs.slice(0, n)), my = mean(ys.slice(0, n));
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx, dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Linear-interpolation percentile of sorted values (q in 0..1). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function signed(value: number, digits: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : 'n/a';
}
