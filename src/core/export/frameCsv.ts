/**
 * Per-frame CSV in the OpenFace style, one row per sampled frame and face, its leading columns as OpenFace's
 * RecorderCSV writes them for a sequence, so the file joins with OpenFace output on `frame`:
 *
 *   frame, face_id, timestamp, confidence, success, sample_index, track_id, face_source,
 *   FaceRectX, FaceRectY, FaceRectWidth, FaceRectHeight, <one column per label: its probability>,
 *   label, label_source, label_confidence, model_label, model_confidence, adapted_label, adapted_confidence,
 *   annotator, <OpenFace's geometry columns>, voice_segment, voice_arousal, voice_f0_mean_semitones
 *
 * - `frame` is the video frame number counted from 1, as OpenFace counts it: round(timestamp · fps) + 1 at the
 *   stream's average frame rate (exact for constant-frame-rate video, approximate for variable); 1 for a still
 *   image. `face_id` counts people from 0 as OpenFace does: our track id − 1 (track 1 is face 0).
 *   `timestamp` is the presentation time in seconds from the start of the media.
 * - `sample_index` is our sampled-frame index (the document's `frames[].index`, 0-based; older exports had it
 *   in `frame`, and the track id in `face_id`) and `track_id` our track id (the same person across frames).
 * - `confidence` is the face detector's score and `success` 1, as in OpenFace; `face_source` how the face was
 *   found (`detected`, or `wholeImage`: a face-crop still classified whole). The box uses Py-Feat's names (x, y
 *   of the top-left corner, width, height, in pixels of the displayed frame).
 * - The probability columns are named after the document's labels (prefixed `prob_` only if a label would
 *   collide with another column) and hold the distribution the model label is the argmax of (smoothed when
 *   the document has smoothed probabilities).
 * - `label` is the final label, `label_source` where it comes from (`human` > `adapted` > `model`),
 *   `label_confidence` 1 for a human label, else the adapted or model probability. `model_label` /
 *   `model_confidence` are the model's own, `adapted_label` / `adapted_confidence` the adaptation's suggestion
 *   (empty without an adaptation, kept under a human label), `annotator` who made a human label (when known).
 * - A sampled frame with no face gets one row with `success` 0, `confidence` 0 and every face column empty
 *   (pandas reads empty cells as NaN), so the frame count stays visible, as OpenFace does.
 * - The geometry columns carry OpenFace's names and conventions (geometryColumns.ts, poseConventions.ts): gaze
 *   vectors per eye and gaze angles (radians), head pose (pose_T in mm, pose_R in radians), the 68 landmarks
 *   (from the mesh sidecar) and AU intensities (our 0-1 estimates x 5, OpenFace's 0-5 scale). Empty for a face
 *   without geometry, and the landmarks also when the sidecar cannot be read.
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
