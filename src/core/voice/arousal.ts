/**
 * Voice arousal: how activated a voice is, relative to the same speaker's usual voice. Two measures make it,
 * the ones the literature names first for arousal (Scherer 2003; Juslin & Laukka 2003; the lead measures of
 * eGeMAPS, Eyben et al. 2016): the pitch level (mean F0 in semitones, Praat's mean pitch) and the loudness
 * (log2 of sones: +1 is a doubling of perceived loudness, about 10 dB). Each is put on the speaker's own scale, then they are added with loudness counting three times
 * pitch: the combination chosen by leave-one-speaker-out on six RAVDESS actors (docs/voice.md, "Arousal").
 *
 * Two scales are used. Against a speaker group (the dataset table, export --format dataset): each measure as a
 * robust z-score, (value - median) / (1.4826 MAD), median and MAD over the group's speech weighted by
 * duration, so neither how speech is cut into segments nor a few odd segments (a misread octave, a cough)
 * move them. Within one recording (voiceSection.ts, long recordings only): `arousalRaw`, the same weights on
 * the measures in units of their typical within-speaker spread, z-scored over the recording's segments.
 */
import type { VoiceFeatures } from '../../shared/annotationDocument';

/** The two measures of a span, in the units they are combined in. */
export interface ArousalMeasures {
  /** Mean F0 over voiced frames, semitones re 27.5 Hz. */
  pitch: number;
  /** log2 of the mean loudness in sones. */
  loudness: number;
}

type Measure = keyof ArousalMeasures;

/** How much each measure counts (they sum to 1): chosen by leave-one-speaker-out (docs/voice.md). */
export const AROUSAL_WEIGHTS: Readonly<Record<Measure, number>> = { pitch: 0.25, loudness: 0.75 };

/**
 * Typical within-speaker spread of each measure across one speaker's utterances in read and acted speech
 * (about 2 semitones and 4 dB, i.e. 0.4 doublings of loudness): the units of `arousalRaw`, and a quarter of it
 * is the smallest spread a speaker group's scale may have, so a near-monotonous group does not turn noise
 * into large scores.
 */
export const TYPICAL_SPREAD: Readonly<Record<Measure, number>> = { pitch: 2, loudness: 0.4 };
const MIN_SPREAD_SHARE = 0.25;
/** The MAD of a normal distribution is its SD / 1.4826: scales the MAD to an SD. */
const MAD_TO_SD = 1.4826;

export function arousalMeasuresOf(features: VoiceFeatures): ArousalMeasures | null {
  const { f0MeanSemitones: pitch, loudness } = features;
  if (pitch === null || loudness === null || !(loudness > 0)) return null;
  return { pitch, loudness: Math.log2(loudness) };
}

/** The raw arousal of measured speech: the weighted measures in units of their typical spread; null when unvoiced. */
export function arousalRawOf(features: VoiceFeatures): number | null {
  const m = arousalMeasuresOf(features);
  if (!m) return null;
  return round((AROUSAL_WEIGHTS.pitch * m.pitch) / TYPICAL_SPREAD.pitch + (AROUSAL_WEIGHTS.loudness * m.loudness) / TYPICAL_SPREAD.loudness, 4);
}

/** A speaker's usual value and spread of each measure. */
export type ArousalScale = Record<Measure, { median: number; spread: number }>;

/** One measured span of a speaker, and how long it lasts (its weight). */
export interface MeasuredSpan {
  measures: ArousalMeasures;
  sec: number;
}

/** A speaker's scale from their measured speech: duration-weighted median and MAD per measure; undefined below two spans. */
export function arousalScaleOf(spans: readonly MeasuredSpan[]): ArousalScale | undefined {
  const usable = spans.filter((s) => s.sec > 0);
  if (usable.length < 2) return undefined;
  const weights = usable.map((s) => s.sec);
  const scaleOf = (measure: Measure) => {
    const values = usable.map((s) => s.measures[measure]);
    const median = weightedMedian(values, weights);
    const mad = weightedMedian(values.map((v) => Math.abs(v - median)), weights);
    return { median, spread: Math.max(MAD_TO_SD * mad, MIN_SPREAD_SHARE * TYPICAL_SPREAD[measure]) };
  };
  return { pitch: scaleOf('pitch'), loudness: scaleOf('loudness') };
}

/** Arousal of a span on a speaker's scale: 0 = their usual, +1 = one (robust) SD livelier on the weighted measures. */
export function arousalOnScale(scale: ArousalScale, measures: ArousalMeasures): number {
  let sum = 0;
  for (const measure of ['pitch', 'loudness'] as const) sum += (AROUSAL_WEIGHTS[measure] * (measures[measure] - scale[measure].median)) / scale[measure].spread;
  return sum;
}

/**
 * The weighted median: each value stands at the middle of its share of the total weight (cumulative weight
 * minus half its own), and the median is read off that curve by linear interpolation; equal weights give the
 * usual median.
 */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((s, w) => s + w, 0);
  let cumulative = 0;
  let previous: { at: number; value: number } | undefined;
  for (const i of order) {
    const at = (cumulative + weights[i]! / 2) / total;
    cumulative += weights[i]!;
    if (at >= 0.5) {
      if (!previous || at === previous.at) return values[i]!;
      return previous.value + ((0.5 - previous.at) / (at - previous.at)) * (values[i]! - previous.value);
    }
    previous = { at, value: values[i]! };
  }
  return previous!.value;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
