/** The voice segments CSV (`.voice.csv`): its columns are described in docs/export-formats.md. */
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
