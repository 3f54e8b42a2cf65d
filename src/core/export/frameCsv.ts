/**
 * Per-frame CSV in the OpenFace / Py-Feat style, one row per sampled frame and face:
 *
 *   frame, face_id, timestamp, confidence, success, FaceRectX, FaceRectY, FaceRectWidth, FaceRectHeight,
 *   <one column per label: its probability>, label, label_source, label_confidence,
 *   voice_segment, voice_arousal, voice_f0_mean_semitones
 *
 * - `frame` is the sampled frame index (the document's `frames[].index`, 0-based), `timestamp` its time in
 *   seconds from the start of the video, `face_id` the track id (the same person across frames, unlike
 *   OpenFace's per-frame face number).
 * - `confidence` is the face detector's score and `success` 1, as in OpenFace. The box uses Py-Feat's names
 *   (x, y of the top-left corner, width, height, in pixels of the displayed frame).
 * - The probability columns are named after the document's labels (prefixed `prob_` only if a label would
 *   collide with another column) and hold the distribution the model label is the argmax of (smoothed when
 *   the document has smoothed probabilities).
 * - `label` is the final label (a human correction wins), `label_source` `human` or `model`,
 *   `label_confidence` 1 for a human label, else the model's confidence.
 * - A sampled frame with no face gets one row with `success` 0, `confidence` 0 and every face column empty
 *   (pandas reads empty cells as NaN), so the frame count stays visible, as OpenFace does.
 * - The voice columns describe the voice segment whose span [start, end) holds the row's time: its index in
 *   `voice.segments` (the voice CSV's `segment`), its arousal (a z-score against the recording's baseline) and
 *   its mean F0 in semitones re 27.5 Hz. Empty when no voice segment covers the time, or the measure is null.
 * - An audio file has no frames: its voice segments are in the voice CSV instead (exportFormats says so).
 *
 * RFC 4180 quoting (fields with a comma, quote or line break are quoted, quotes doubled), '.' decimals,
 * numbers rounded to 6 decimals, a header row, '\n' line ends, UTF-8 without BOM.
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { finalLabels, formatNumber } from './finalLabels';
import { voiceSegmentLocator } from './voiceColumns';

const LEADING_COLUMNS = ['frame', 'face_id', 'timestamp', 'confidence', 'success', 'FaceRectX', 'FaceRectY', 'FaceRectWidth', 'FaceRectHeight'];
const LABEL_COLUMNS = ['label', 'label_source', 'label_confidence'];
const VOICE_COLUMNS = ['voice_segment', 'voice_arousal', 'voice_f0_mean_semitones'];
const TRAILING_COLUMNS = [...LABEL_COLUMNS, ...VOICE_COLUMNS];

/** Column names of the probability columns, one per label, in `labels` order. */
export function probabilityColumns(labels: string[]): string[] {
  const fixed = new Set([...LEADING_COLUMNS, ...TRAILING_COLUMNS]);
  const duplicated = new Set(labels).size !== labels.length;
  if (!duplicated && !labels.some((l) => fixed.has(l))) return [...labels];
  return labels.map((l, i) => (duplicated ? `prob_${l}_${i}` : `prob_${l}`));
}

export function frameCsvHeader(labels: string[]): string[] {
  return [...LEADING_COLUMNS, ...probabilityColumns(labels), ...TRAILING_COLUMNS];
}

export function frameCsv(doc: AnnotationDocument): string {
  const rows: string[][] = [frameCsvHeader(doc.labels)];
  const empty = (n: number) => Array.from({ length: n }, () => '');
  const voiceAt = voiceSegmentLocator(doc.voice.segments);
  const number = (value: number | null) => (value === null ? '' : formatNumber(value));
  for (const frame of finalLabels(doc).frames) {
    const time = formatNumber(frame.timeSec);
    const index = voiceAt(frame.timeSec);
    const segment = index === undefined ? undefined : doc.voice.segments[index];
    const voice = segment ? [String(index), number(segment.arousal), number(segment.f0MeanSemitones)] : empty(VOICE_COLUMNS.length);
    if (frame.faces.length === 0) {
      rows.push([String(frame.index), '', time, '0', '0', ...empty(4 + doc.labels.length + LABEL_COLUMNS.length), ...voice]);
      continue;
    }
    for (const face of frame.faces) {
      rows.push([
        String(face.frameIndex),
        String(face.trackId),
        time,
        formatNumber(face.detectorScore),
        '1',
        ...face.box.map((v) => formatNumber(v)),
        ...doc.labels.map((_, i) => (face.probs[i] === undefined ? '' : formatNumber(face.probs[i]))),
        face.label,
        face.source,
        formatNumber(face.confidence),
        ...voice,
      ]);
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** RFC 4180: quote a field holding a comma, a double quote or a line break, doubling its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
