/** The frames CSV (`.frames.csv`, OpenFace's leading columns): its columns are described in docs/export-formats.md. */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { finalLabels, formatNumber } from './finalLabels';
import { OPENFACE_GEOMETRY_COLUMNS, openFaceGeometryCells } from './geometryColumns';
import type { MeshLandmarks } from './meshLandmarks';
import { openFaceFaceId, videoFrameNumber } from './videoFrames';
import { voiceSegmentLocator } from './voiceColumns';

/** OpenFace's leading columns (RecorderCSV, sequence mode), then ours. */
const OPENFACE_COLUMNS = ['frame', 'face_id', 'timestamp', 'confidence', 'success'];
const FACE_COLUMNS = ['sample_index', 'track_id', 'face_source', 'FaceRectX', 'FaceRectY', 'FaceRectWidth', 'FaceRectHeight'];
const LEADING_COLUMNS = [...OPENFACE_COLUMNS, ...FACE_COLUMNS];
const LABEL_COLUMNS = ['label', 'label_source', 'label_confidence', 'model_label', 'model_confidence', 'adapted_label', 'adapted_confidence', 'annotator'];
const VOICE_COLUMNS = ['voice_segment', 'voice_arousal', 'voice_f0_mean_semitones'];
const TRAILING_COLUMNS = [...LABEL_COLUMNS, ...OPENFACE_GEOMETRY_COLUMNS, ...VOICE_COLUMNS];

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

export function frameCsv(doc: AnnotationDocument, landmarks?: MeshLandmarks): string {
  const rows: string[][] = [frameCsvHeader(doc.labels)];
  const empty = (n: number) => Array.from({ length: n }, () => '');
  const voiceAt = voiceSegmentLocator(doc.voice.segments);
  const number = (value: number | null) => (value === null ? '' : formatNumber(value));
  for (const frame of finalLabels(doc).frames) {
    const time = formatNumber(frame.timeSec);
    const videoFrame = String(videoFrameNumber(doc, frame.timeSec));
    const index = voiceAt(frame.timeSec);
    const segment = index === undefined ? undefined : doc.voice.segments[index];
    const voice = segment ? [String(index), number(segment.arousal), number(segment.f0MeanSemitones)] : empty(VOICE_COLUMNS.length);
    if (frame.faces.length === 0) {
      rows.push([videoFrame, '', time, '0', '0', String(frame.index), ...empty(FACE_COLUMNS.length - 1 + doc.labels.length + LABEL_COLUMNS.length + OPENFACE_GEOMETRY_COLUMNS.length), ...voice]);
      continue;
    }
    for (const face of frame.faces) {
      rows.push([
        videoFrame,
        String(openFaceFaceId(face.trackId)),
        time,
        formatNumber(face.detectorScore),
        '1',
        String(face.frameIndex),
        String(face.trackId),
        face.faceSource,
        ...face.box.map((v) => formatNumber(v)),
        ...doc.labels.map((_, i) => (face.probs[i] === undefined ? '' : formatNumber(face.probs[i]))),
        face.label,
        face.source,
        formatNumber(face.confidence),
        face.modelLabel,
        formatNumber(face.modelConfidence),
        face.adaptedLabel ?? '',
        face.adaptedConfidence === undefined ? '' : formatNumber(face.adaptedConfidence),
        face.annotator ?? '',
        ...openFaceGeometryCells(face, landmarks),
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
