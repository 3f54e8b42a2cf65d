/** The Py-Feat CSV (`.pyfeat.csv`, read by `feat.utils.io.read_feat`): its columns are described in docs/export-formats.md. */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { canonicalLabel } from '../models/modelManifest';
import type { CanonicalLabel } from '../models/modelManifest';
import { finalLabels, formatNumber } from './finalLabels';
import { csvField } from './frameCsv';
import { mediaAbsolutePath } from './mediaLocation';
import { pyFeatGeometryCells } from './geometryColumns';
import type { MeshLandmarks } from './meshLandmarks';
import { videoFrameCount, videoFrameIndex } from './videoFrames';

export const PYFEAT_FACEBOX_COLUMNS = ['FaceRectX', 'FaceRectY', 'FaceRectWidth', 'FaceRectHeight', 'FaceScore'] as const;
export const PYFEAT_EMOTION_COLUMNS = ['anger', 'disgust', 'fear', 'happiness', 'sadness', 'surprise', 'neutral'] as const;
export const PYFEAT_LANDMARK_COLUMNS = [...Array.from({ length: 68 }, (_, i) => `x_${i}`), ...Array.from({ length: 68 }, (_, i) => `y_${i}`)];
export const PYFEAT_FACEPOSE_COLUMNS = ['Pitch', 'Roll', 'Yaw'] as const;
/** The AU columns Py-Feat's default AU models (xgb, svm) write. */
export const PYFEAT_AU_COLUMNS = ['AU01', 'AU02', 'AU04', 'AU05', 'AU06', 'AU07', 'AU09', 'AU10', 'AU11', 'AU12', 'AU14', 'AU15', 'AU17', 'AU20', 'AU23', 'AU24', 'AU25', 'AU26', 'AU28', 'AU43'] as const;
export const PYFEAT_TIME_COLUMNS = ['input', 'frame', 'approx_time'] as const;
/** Ours, after Py-Feat's. */
export const PYFEAT_EXTRA_COLUMNS = ['timestamp', 'sample_index', 'track_id', 'face_source', 'label', 'label_source', 'label_confidence', 'adapted_label', 'adapted_confidence', 'annotator'] as const;

export const PYFEAT_COLUMNS: readonly string[] = [
  ...PYFEAT_FACEBOX_COLUMNS,
  ...PYFEAT_LANDMARK_COLUMNS,
  ...PYFEAT_FACEPOSE_COLUMNS,
  ...PYFEAT_AU_COLUMNS,
  ...PYFEAT_EMOTION_COLUMNS,
  ...PYFEAT_TIME_COLUMNS,
  ...PYFEAT_EXTRA_COLUMNS,
];

const PYFEAT_NAME: Record<CanonicalLabel, (typeof PYFEAT_EMOTION_COLUMNS)[number]> = {
  angry: 'anger',
  disgust: 'disgust',
  fearful: 'fear',
  happy: 'happiness',
  sad: 'sadness',
  surprised: 'surprise',
  neutral: 'neutral',
};

/** For each Py-Feat emotion column, the indices of the document labels it sums; and the labels it has no column for. */
export function pyFeatEmotionMapping(labels: readonly string[]): { sources: number[][]; unmapped: string[] } {
  const sources = PYFEAT_EMOTION_COLUMNS.map((): number[] => []);
  const unmapped: string[] = [];
  labels.forEach((label, i) => {
    const canonical = canonicalLabel(label);
    if (canonical === undefined) unmapped.push(label);
    else sources[PYFEAT_EMOTION_COLUMNS.indexOf(PYFEAT_NAME[canonical])]!.push(i);
  });
  return { sources, unmapped };
}

/** Py-Feat's approx_time: the frame's time at the average rate in whole `MM:SS`, clamped to the video's length. */
export function pyFeatApproxTime(frame: number, fps: number, totalFrames: number): string {
  const seconds = (totalFrames > 0 && frame >= totalFrames ? totalFrames : frame) / fps;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 60))}:${pad(Math.floor(seconds % 60))}`;
}

export function pyFeatCsv(doc: AnnotationDocument, options: { documentPath: string; landmarks?: MeshLandmarks }): string {
  const input = mediaAbsolutePath(doc, options.documentPath);
  const { sources, unmapped } = pyFeatEmotionMapping(doc.labels);
  const video = doc.media.kind === 'video' && doc.media.fps > 0;
  const totalFrames = video ? videoFrameCount(doc) : 0;
  const empty = (n: number) => Array.from({ length: n }, () => '');
  const noGeometry = empty(PYFEAT_LANDMARK_COLUMNS.length + PYFEAT_FACEPOSE_COLUMNS.length + PYFEAT_AU_COLUMNS.length);
  const rows: string[][] = [[...PYFEAT_COLUMNS]];
  for (const frame of finalLabels(doc).frames) {
    const index = videoFrameIndex(doc, frame.timeSec);
    const time = [input, String(index), video ? pyFeatApproxTime(index, doc.media.fps, totalFrames) : '', formatNumber(frame.timeSec), String(frame.index)];
    if (frame.faces.length === 0) {
      rows.push([...empty(PYFEAT_FACEBOX_COLUMNS.length), ...noGeometry, ...empty(PYFEAT_EMOTION_COLUMNS.length), ...time, ...empty(PYFEAT_EXTRA_COLUMNS.length - 2)]);
      continue;
    }
    for (const face of frame.faces) {
      const summed = sources.map((indices) => (indices.length === 0 ? undefined : indices.reduce((sum, i) => sum + (face.probs[i] ?? 0), 0)));
      const total = summed.reduce((sum: number, v) => sum + (v ?? 0), 0);
      const emotions = summed.map((v) => (v === undefined ? '' : formatNumber(unmapped.length > 0 && total > 0 ? v / total : v)));
      rows.push([
        ...face.box.map((v) => formatNumber(v)),
        formatNumber(face.detectorScore),
        ...pyFeatGeometryCells(face, options.landmarks),
        ...emotions,
        ...time,
        String(face.trackId),
        face.faceSource,
        face.label,
        face.source,
        formatNumber(face.confidence),
        face.adaptedLabel ?? '',
        face.adaptedConfidence === undefined ? '' : formatNumber(face.adaptedConfidence),
        face.annotator ?? '',
      ]);
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
