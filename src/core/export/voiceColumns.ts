/**
 * The voice as exports write it: the measures' column names (one list, in the document's order, so the voice
 * CSV, the dataset's voice table and the docs name them alike), which voice segment covers a time, and the
 * short values ELAN tiers show.
 */
import type { VoiceFeatures, VoiceSegment } from '../../shared/annotationDocument';
import { formatNumber } from './finalLabels';

/** Every measure of VoiceFeatures, as a snake_case column named after its field. */
export const VOICE_FEATURE_COLUMNS: readonly { name: string; field: keyof VoiceFeatures }[] = [
  { name: 'f0_mean_semitones', field: 'f0MeanSemitones' },
  { name: 'f0_sd_semitones', field: 'f0SdSemitones' },
  { name: 'f0_p20_semitones', field: 'f0P20Semitones' },
  { name: 'f0_p50_semitones', field: 'f0P50Semitones' },
  { name: 'f0_p80_semitones', field: 'f0P80Semitones' },
  { name: 'intensity_db', field: 'intensityDb' },
  { name: 'loudness', field: 'loudness' },
  { name: 'jitter_local', field: 'jitterLocal' },
  { name: 'shimmer_local_db', field: 'shimmerLocalDb' },
  { name: 'hnr_db', field: 'hnrDb' },
  { name: 'voiced_fraction', field: 'voicedFraction' },
];

export function voiceFeatureValues(features: VoiceFeatures): (number | null)[] {
  return VOICE_FEATURE_COLUMNS.map((c) => features[c.field]);
}

/**
 * Finds the voice segment whose span [startSec, endSec) holds a time: its index in `segments`, or undefined
 * between segments. Segments do not overlap (speech spans); they are searched in start order.
 */
export function voiceSegmentLocator(segments: readonly VoiceSegment[]): (timeSec: number) => number | undefined {
  const order = segments.map((_, i) => i).sort((a, b) => segments[a]!.startSec - segments[b]!.startSec || a - b);
  return (timeSec) => {
    let lo = 0;
    let hi = order.length - 1;
    let found: number | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segments[order[mid]!]!.startSec <= timeSec) {
        found = order[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found !== undefined && timeSec < segments[found]!.endSec ? found : undefined;
  };
}

/** Arousal as a signed z-score with two decimals (`+1.32`, `-0.60`, `+0.00`), or `n/a` without a baseline. */
export function arousalText(arousal: number | null): string {
  if (arousal === null) return 'n/a';
  const rounded = Math.round(arousal * 100) / 100;
  return `${rounded < 0 ? '-' : '+'}${Math.abs(rounded).toFixed(2)}`;
}

/** Mean F0 in semitones re 27.5 Hz and in Hz (`33.21 st (187 Hz)`), or `n/a` for a span with nothing voiced. */
export function pitchText(semitones: number | null): string {
  if (semitones === null) return 'n/a';
  return `${semitones.toFixed(2)} st (${formatNumber(27.5 * 2 ** (semitones / 12), 0)} Hz)`;
}
