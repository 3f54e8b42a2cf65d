/**
 * Voice segments CSV, one row per voice segment (a span of speech) of the document:
 *
 *   segment, start_sec, end_sec, f0_mean_semitones, f0_sd_semitones, f0_p20_semitones, f0_p50_semitones,
 *   f0_p80_semitones, intensity_db, loudness, jitter_local, shimmer_local_db, hnr_db, voiced_fraction,
 *   words_per_second, arousal_raw, arousal
 *
 * - `segment` is the segment's index in the document's `voice.segments` (the frames CSV's `voice_segment`).
 * - The measures are the document's, as Praat measures them (docs/export-formats.md gives each unit); a measure
 *   the span holds nothing to measure on is an empty cell, as is `words_per_second` without a transcript.
 * - `arousal` is `arousal_raw` as a z-score against the recording's own baseline, empty without one.
 *
 * The same CSV conventions as the frames CSV: RFC 4180, '.' decimals, 6 decimals at most, '\n' line ends.
 * A document with no voice segments has no voice CSV (exportFormats says why instead of writing a header alone).
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { formatNumber } from './finalLabels';
import { csvField } from './frameCsv';
import { VOICE_FEATURE_COLUMNS, voiceFeatureValues } from './voiceColumns';

export const VOICE_CSV_COLUMNS: readonly string[] = ['segment', 'start_sec', 'end_sec', ...VOICE_FEATURE_COLUMNS.map((c) => c.name), 'words_per_second', 'arousal_raw', 'arousal'];

export function voiceCsv(doc: AnnotationDocument): string {
  const cell = (value: number | null | undefined) => (value === null || value === undefined ? '' : formatNumber(value));
  const rows = doc.voice.segments.map((s, i) => [String(i), cell(s.startSec), cell(s.endSec), ...voiceFeatureValues(s).map(cell), cell(s.wordsPerSecond), cell(s.arousalRaw), cell(s.arousal)]);
  return [VOICE_CSV_COLUMNS, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** Why a document has no voice CSV: it has no voice segments (the voice's status and reason say why). */
export function noVoiceSegments(doc: AnnotationDocument): string | undefined {
  if (doc.voice.segments.length > 0) return undefined;
  return `it has no voice segments (voice ${doc.voice.status}${doc.voice.reason ? `: ${doc.voice.reason}` : ''})`;
}
