/**
 * Cost per face of the geometry stage's two models (one ORT thread) and what changes it: ONNX Runtime's graph
 * optimisation level, the batch size (faces per call) and float16 weights kept in the file (Cast at load)
 * against float32. Also the crop (warp) and the geometry maths per face. Each variant's outputs on the golden
 * portrait are compared with the shipped configuration (float32, 'all', batch 1), so a faster variant that
 * changes the results shows it:
 *
 *   flock /tmp/emotion-lens-heavy.lock nice -n 10 node --import tsx scripts/evaluation/geometrySpeed.ts [--runs 30]
 *
 * Wall-clock timings on a shared machine are only as clean as the machine is quiet, so the figure reported is
 * the process's CPU time per call (user + system, process.cpuUsage): with one ORT thread inference runs on the
 * calling thread, so CPU time is the cost whatever else runs. The wall-clock median and the load average are
 * printed beside it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { GraphOptimization } from '../../src/core/models/modelManifest';
import { FaceGeometryEstimator } from '../../src/core/geometry/faceGeometryEstimator';
import type { FaceGeometry, FaceGeometryModels } from '../../src/core/geometry/faceGeometryEstimator';
import { BlendshapeModel, FaceMeshModel } from '../../src/core/geometry/faceMeshModels';
import type { FaceRoi } from '../../src/core/geometry/faceRoi';
import { roiFromYunet } from '../../src/core/geometry/faceRoi';
import { CANONICAL_FACE_FILE, FACE_BLENDSHAPES_FILE, FACE_MESH_FILE } from '../../src/core/geometry/geometryModels';
import { resolveModel } from '../../src/core/models/modelResolver';
import { loadManifest } from '../../src/core/models/modelManifest';
import { FaceDetector } from '../../src/core/vision/faceDetector';
import type { RgbImage } from '../../src/core/vision/imageOps';
import { convertFaceLandmarkerTask, findFaceLandmarkerTask } from '../models/buildFaceLandmarkerModels';
import { table } from './tables';

const modelsRoot = process.env.EMOTION_LENS_MODELS ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'models');

async function modelsFor(weights: 'float32' | 'float16', optimisation: GraphOptimization, dir: string): Promise<FaceGeometryModels> {
  const converted = await convertFaceLandmarkerTask(await findFaceLandmarkerTask([modelsRoot]), { weights });
  writeFileSync(path.join(dir, `${weights}-${FACE_MESH_FILE}`), converted.mesh);
  writeFileSync(path.join(dir, `${weights}-${FACE_BLENDSHAPES_FILE}`), converted.blendshapes);
  writeFileSync(path.join(dir, CANONICAL_FACE_FILE), converted.canonicalFace);
  const entry = (id: string) => ({ ...loadManifest().models.find((m) => m.id === id)!, graphOptimization: optimisation });
  return {
    mesh: { entry: entry('mediapipe_face_mesh_v2'), paths: [path.join(dir, `${weights}-${FACE_MESH_FILE}`), path.join(dir, CANONICAL_FACE_FILE)], sha256: '' },
    blendshapes: { entry: entry('mediapipe_face_blendshapes_v2'), paths: [path.join(dir, `${weights}-${FACE_BLENDSHAPES_FILE}`)], sha256: '' },
  };
}

/** CPU milliseconds per call (mean) and the wall-clock median of `fn` over `runs` calls, after 5 warm-up calls. */
async function measure(runs: number, fn: () => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return { cpu: (cpu.user + cpu.system) / 1000 / runs, wall: times[Math.floor(times.length / 2)]! };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  const runs = Number(values.runs ?? 30);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-geometry-speed-'));
  try {
    const portrait = path.join(modelsRoot, 'mediapipe_face_landmarker', 'golden', 'portrait.jpg');
    const { data, info } = await sharp(portrait).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const image: RgbImage = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    const detector = await FaceDetector.create(await resolveModel('face_detection_yunet_2023mar', { modelsDir: modelsRoot }));
    const [face] = await detector.detect(image);
    await detector.close();
    if (!face) throw new Error('no face in the portrait');
    const roi = roiFromYunet(face);
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores; ${runs} timed runs each, 1 ORT thread`);
    let reference: FaceGeometry | undefined;
    const rows: string[][] = [];
    for (const weights of ['float32', 'float16'] as const) {
      for (const optimisation of ['all', 'extended', 'basic', 'disabled'] as const) {
        const estimator = await FaceGeometryEstimator.create(await modelsFor(weights, optimisation, dir));
        const [result] = await estimator.estimateRois(image, [roi]);
        if (!result?.ok) throw new Error('no geometry');
        reference ??= result.geometry;
        const lm = maxDiff(result.geometry.mesh, reference.mesh), bs = maxDiff(result.geometry.blendshapes, reference.blendshapes);
        for (const batch of [1, 4]) {
          const rois = new Array(batch).fill(roi);
          const whole = await measure(runs, () => estimator.estimateRois(image, rois));
          rows.push([weights, optimisation, String(batch), (whole.cpu / batch).toFixed(2), (whole.wall / batch).toFixed(2), lm.toExponential(1), bs.toExponential(1)]);
        }
        await estimator.close();
      }
    }
    console.log(table(['weights', 'graph optimisation', 'faces per call', 'CPU ms per face (crop, both models, geometry)', 'wall ms per face (median)', 'landmarks max |Δ| px', 'blendshapes max |Δ|'], rows));
    await stageBreakdown(image, roi, runs, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The shipped configuration, part by part: crop + mesh model, blendshape model, geometry maths. */
async function stageBreakdown(image: RgbImage, roi: FaceRoi, runs: number, dir: string): Promise<void> {
  const models = await modelsFor('float32', 'all', dir);
  const mesh = await FaceMeshModel.create(models.mesh);
  const blendshapes = await BlendshapeModel.create(models.blendshapes);
  const estimator = await FaceGeometryEstimator.create(models);
  const [out] = await mesh.run(image, [roi]);
  const meshMs = await measure(runs, () => mesh.run(image, [roi]));
  const bsMs = await measure(runs, () => blendshapes.run([out!.mesh]));
  const allMs = await measure(runs, () => estimator.estimateRois(image, [roi]));
  console.log(`shipped (float32, all, 1 face), CPU ms per call: crop + mesh model ${meshMs.cpu.toFixed(2)}, blendshape model ${bsMs.cpu.toFixed(2)}, whole face ${allMs.cpu.toFixed(2)} (the rest: pose, gaze, AUs, 68 points)`);
  await Promise.all([mesh.close(), blendshapes.close(), estimator.close()]);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
