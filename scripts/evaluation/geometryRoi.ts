/**
 * Fits the YuNet -> mesh ROI rule (src/core/geometry/faceRoi.ts YUNET_ROI) on dev frames: for each face
 * YuNet finds, the ROI MediaPipe itself would track with (roiFromMesh of the mesh, run twice so it settles)
 * is expressed in YuNet's eye-mouth frame; the medians are the constants. Prints them and the spread:
 *
 *   node --import tsx scripts/evaluation/geometryRoi.ts
 *
 * Dev frames only: faces/ckplus-dev, faces/jaffe-dev, clips/mead-dev, and the three shared videos.
 * Also prints the iris offset of a straight gaze (src/core/geometry/gaze.ts STRAIGHT_OFFSET): the median
 * offset of the iris centres from the eye-corner midpoints, in the head frame, over the posed still faces
 * (CK+ and JAFFE subjects look into the camera).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { FaceRoi } from '../../src/core/geometry/faceRoi';
import { roiFromMesh, ROI_SCALE, YUNET_ROI } from '../../src/core/geometry/faceRoi';
import type { RawFrame } from '../../src/core/media/mediaTypes';
import type { DetectedFace } from '../../src/core/vision/visionTypes';
import { GeometryRunner, videoFrame } from './geometryRuns';

const media = process.env.EMOTION_LENS_MEDIA ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'media');

/** The target ROI in YuNet's frame: centre offset along the face's up axis and side, both per eye-mouth distance. */
function relative(face: DetectedFace, roi: FaceRoi): { up: number; side: number; across: number } {
  const p = face.landmarks;
  const eyeX = (p[0]! + p[2]!) / 2, eyeY = (p[1]! + p[3]!) / 2;
  const mouthX = (p[6]! + p[8]!) / 2, mouthY = (p[7]! + p[9]!) / 2;
  const distance = Math.hypot(mouthX - eyeX, mouthY - eyeY);
  const rotation = Math.atan2(p[3]! - p[1]!, p[2]! - p[0]!);
  const dx = roi.cx - (eyeX + mouthX) / 2, dy = roi.cy - (eyeY + mouthY) / 2;
  const up = (dx * Math.sin(rotation) - dy * Math.cos(rotation)) / distance;
  const across = (dx * Math.cos(rotation) + dy * Math.sin(rotation)) / distance;
  return { up, across, side: roi.width / ROI_SCALE / distance };
}

/** Iris centre minus eye-corner midpoint (x, y) of both eyes: one offset shared by both, as gaze.ts applies it. */
function irisOffsetsOf(p: ArrayLike<number>): { x: number; y: number }[] {
  return ([[468, 33, 133], [473, 362, 263]] as const).map(([iris, a, b]) => ({
    x: p[3 * iris]! - (p[3 * a]! + p[3 * b]!) / 2,
    y: p[3 * iris + 1]! - (p[3 * a + 1]! + p[3 * b + 1]!) / 2,
  }));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const runner = await GeometryRunner.create();
  const samples: { up: number; side: number; across: number }[] = [];
  const irisOffsets: { x: number; y: number }[] = [];
  const measure = async (frame: RawFrame): Promise<void> => {
    const run = await runner.frame(frame);
    for (const [i, face] of run.faces.entries()) {
      const first = run.results[i];
      if (face.score === 0 || !first?.ok || first.geometry.presence < 0.5) continue;
      // Track twice from the mesh, as MediaPipe does from frame to frame, so the ROI no longer depends on ours.
      let roi = roiFromMesh(first.geometry.mesh);
      const [again] = await runner.estimator.estimateRois(frame, [roi]);
      if (again?.ok) roi = roiFromMesh(again.geometry.mesh);
      samples.push(relative(face, roi));
    }
  };
  for (const set of ['faces/ckplus-dev', 'faces/jaffe-dev']) {
    for (const name of readdirSync(path.join(media, set)).filter((n) => /\.(png|jpe?g|tiff?)$/i.test(n))) {
      const run = await runner.image(path.join(media, set, name));
      const first = run.results[0];
      if (first?.ok && first.geometry.presence >= 0.5) irisOffsets.push(...irisOffsetsOf(first.geometry.metricMesh));
      await measure(run.frame);
    }
  }
  const videos = [...readdirSync(path.join(media, 'clips/mead-dev')).map((n) => `clips/mead-dev/${n}`), 'video/WolfgangLanger_Pexels_face_silent.mp4', 'video/Obama_clip1_face_speech.mp4', 'video/reagan_clip1_face_speech.mp4'];
  for (const video of videos.filter((v) => v.endsWith('.mp4'))) {
    for (const t of [0.5, 1.5, 2.5, 3.5]) await measure(videoFrame(path.join(media, video), t));
  }
  await runner.close();
  const spread = (key: 'up' | 'side' | 'across') => {
    const v = samples.map((s) => s[key]).sort((a, b) => a - b);
    return `median ${median(v).toFixed(3)}  10-90 % ${v[Math.floor(v.length * 0.1)]!.toFixed(3)} .. ${v[Math.floor(v.length * 0.9)]!.toFixed(3)}`;
  };
  console.log(`${samples.length} faces; current YUNET_ROI centreUp ${YUNET_ROI.centreUp}, side ${YUNET_ROI.side}`);
  console.log(`straight gaze iris offset (cm, head frame) over ${irisOffsets.length} eyes: x ${median(irisOffsets.map((o) => o.x)).toFixed(4)}, y ${median(irisOffsets.map((o) => o.y)).toFixed(4)}`);
  console.log(`centreUp: ${spread('up')}\nside:     ${spread('side')}\nacross:   ${spread('across')} (should be about 0)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
