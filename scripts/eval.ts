/**
 * Expression accuracy on the shared FER2013 sample (media/faces/labels.csv) for each classifier setup,
 * plus the dominant label per shared video. Run: `npm run eval` (models and media from EMOTION_LENS_MODELS
 * / EMOTION_LENS_MEDIA, or ../shared beside the repo).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAnnotationDocument } from '../src/core/document/annotationFile';
import { makeRequest } from '../src/core/engine/analysisRequest';
import { analyzeMedia } from '../src/core/engine/analyzeMedia';
import { locateFfmpeg } from '../src/core/media/ffmpegTools';
import type { RawFrame } from '../src/core/media/mediaTypes';
import { CANONICAL_LABELS, canonicalLabel } from '../src/core/models/modelManifest';
import { resolveModel } from '../src/core/models/modelResolver';
import type { ResolvedModel } from '../src/core/models/modelResolver';
import { ExpressionClassifier } from '../src/core/vision/expressionClassifier';
import { templateLandmarksForBox } from '../src/core/vision/faceAlignment';
import { FaceDetector } from '../src/core/vision/faceDetector';
import type { DetectedFace } from '../src/core/vision/visionTypes';

const DETECTOR = 'face_detection_yunet_2023mar';
const MOBILEFACENET = 'fer_mobilefacenet_2022july_int8';
const XCEPTION = 'fer_xception_fer2013_oarriaga';
/** FER2013 images are 48x48: upscaled x4 and padded so the face is a size YuNet was trained on. */
const UPSCALE = 4;
const PAD = 96;

const shared = path.resolve(__dirname, '..', '..', 'shared');
const modelsDir = process.env.EMOTION_LENS_MODELS ?? path.join(shared, 'models');
const mediaDir = process.env.EMOTION_LENS_MEDIA ?? path.join(shared, 'media');

interface Sample {
  file: string;
  label: string;
}

/** One way of getting probabilities for a face: a name and a function of the per-model outputs. */
interface Variant {
  name: string;
  probs: (p: FaceProbs) => number[];
}

interface FaceProbs {
  mfn: number[];
  mfnFlip: number[];
  mfnPlain: number[];
  xc: number[];
  xcFlip: number[];
  xcWhole: number[];
}

const mean = (...rows: number[][]) => rows[0]!.map((_, i) => rows.reduce((s, r) => s + r[i]!, 0) / rows.length);

const VARIANTS: Variant[] = [
  { name: 'MobileFaceNet, plain resize (no detection)', probs: (p) => p.mfnPlain },
  { name: 'MobileFaceNet, YuNet 5-point aligned', probs: (p) => p.mfn },
  { name: 'MobileFaceNet, aligned + flip average', probs: (p) => mean(p.mfn, p.mfnFlip) },
  { name: 'xception, whole image (no detection)', probs: (p) => p.xcWhole },
  { name: 'xception, YuNet box crop', probs: (p) => p.xc },
  { name: 'xception, box crop + flip average', probs: (p) => mean(p.xc, p.xcFlip) },
  { name: 'average MobileFaceNet + xception (aligned/box)', probs: (p) => mean(p.mfn, p.xc) },
  { name: 'average of both, with flip averaging', probs: (p) => mean(p.mfn, p.mfnFlip, p.xc, p.xcFlip) },
];

function readLabels(): Sample[] {
  const csv = readFileSync(path.join(mediaDir, 'faces', 'labels.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  return csv.map((line) => {
    const [file = '', label = ''] = line.split(',');
    const canonical = canonicalLabel(label);
    if (!canonical) throw new Error(`unknown label ${label} in labels.csv`);
    return { file: path.join(mediaDir, 'faces', file), label: canonical };
  });
}

/** Decodes an image with ffmpeg to rgb24 at a known size (no image-decoding dependency). */
function decodeImage(ffmpeg: string, file: string, filter: string, width: number, height: number): Promise<RawFrame> {
  return new Promise((resolve, reject) => {
    const proc = spawn(ffmpeg, ['-v', 'error', '-i', file, '-vf', `${filter},format=rgb24`, '-frames:v', '1', '-f', 'rawvideo', 'pipe:1']);
    const chunks: Buffer[] = [];
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const data = new Uint8Array(Buffer.concat(chunks));
      if (code !== 0 || data.length !== width * height * 3) return reject(new Error(`ffmpeg failed on ${file}: ${stderr.trim()}`));
      resolve({ index: 0, timeSec: 0, width, height, data, scaleToSource: 1 });
    });
  });
}

async function resolveAll(): Promise<Record<string, ResolvedModel>> {
  const out: Record<string, ResolvedModel> = {};
  for (const id of [DETECTOR, MOBILEFACENET, XCEPTION]) out[id] = await resolveModel(id, { modelsDir });
  return out;
}

async function evaluateFaces(models: Record<string, ResolvedModel>, ffmpeg: string): Promise<void> {
  const samples = readLabels();
  const detector = await FaceDetector.create(models[DETECTOR]!);
  const mfn = await ExpressionClassifier.create(models[MOBILEFACENET]!);
  const xc = await ExpressionClassifier.create(models[XCEPTION]!);
  const side = 48 * UPSCALE + 2 * PAD;
  const inner: [number, number, number, number] = [PAD, PAD, 48 * UPSCALE, 48 * UPSCALE];
  const results: { label: string; probs: FaceProbs }[] = [];
  let detected = 0;
  for (const sample of samples) {
    const image = await decodeImage(ffmpeg, sample.file, `scale=${48 * UPSCALE}:${48 * UPSCALE}:flags=bicubic,pad=${side}:${side}:${PAD}:${PAD}`, side, side);
    const faces = await detector.detect(image, { minScore: 0.6 });
    const whole: DetectedFace = { box: inner, score: 0, landmarks: templateLandmarksForBox(inner) };
    // The box crop adds the model's margin; shrink the box so the crop is exactly the original image.
    const shrink = 1 + 2 * (models[XCEPTION]!.entry.boxMargin ?? 0);
    const wholeSide = inner[2] / shrink;
    const wholeBox: DetectedFace = { box: [PAD + (inner[2] - wholeSide) / 2, PAD + (inner[2] - wholeSide) / 2, wholeSide, wholeSide], score: 0, landmarks: [] };
    const face = faces[0] ?? whole;
    if (faces.length > 0) detected++;
    const [[m], [mf], [mp], [x], [xf], [xw]] = await Promise.all([
      mfn.classify(image, [face]), mfn.classify(image, [face], true), mfn.classify(image, [whole]),
      xc.classify(image, [face]), xc.classify(image, [face], true), xc.classify(image, [wholeBox]),
    ]);
    // classify(…, true) averages with the mirror; recover the mirror alone from that average for clearer variants.
    const mirror = (avg: number[], plain: number[]) => avg.map((v, i) => 2 * v - plain[i]!);
    results.push({ label: sample.label, probs: { mfn: m!, mfnFlip: mirror(mf!, m!), mfnPlain: mp!, xc: x!, xcFlip: mirror(xf!, x!), xcWhole: xw! } });
  }
  await Promise.all([detector.close(), mfn.close(), xc.close()]);

  console.log(`FER2013 sample: ${samples.length} images (48x48 gray, upscaled x${UPSCALE}, padded ${PAD} px)`);
  console.log(`YuNet found a face in ${detected}/${samples.length}; otherwise the whole image is used (${samples.length - detected} fallbacks)\n`);
  const header = ['variant'.padEnd(48), 'top-1', ...CANONICAL_LABELS.map((l) => l.slice(0, 8).padStart(8))].join(' ');
  console.log(header);
  let best = { name: '', accuracy: -1 };
  for (const variant of VARIANTS) {
    const perClass = new Map<string, { n: number; ok: number }>(CANONICAL_LABELS.map((l) => [l, { n: 0, ok: 0 }]));
    let ok = 0;
    for (const r of results) {
      const probs = variant.probs(r.probs);
      const predicted = CANONICAL_LABELS[probs.indexOf(Math.max(...probs))];
      const cls = perClass.get(r.label)!;
      cls.n++;
      if (predicted === r.label) {
        ok++;
        cls.ok++;
      }
    }
    const accuracy = ok / results.length;
    if (accuracy > best.accuracy) best = { name: variant.name, accuracy };
    const cells = CANONICAL_LABELS.map((l) => {
      const c = perClass.get(l)!;
      return (c.n ? (c.ok / c.n).toFixed(2) : '-').padStart(8);
    });
    console.log([variant.name.padEnd(48), `${(accuracy * 100).toFixed(0)}%`.padStart(5), ...cells].join(' '));
  }
  console.log(`\nbest on this sample: ${best.name} (${(best.accuracy * 100).toFixed(0)} %)`);
  console.log('caveat: 100 noisy FER2013 images; the xception model may have seen FER2013 test images in training (see its MODEL.md)\n');
}

/**
 * The dominant label per face track on the shared videos, from full engine runs (sampling, detection,
 * tracking, smoothing) with each classifier setup, plus the label sequence per second to compare them by eye.
 */
async function dominantLabelsPerVideo(): Promise<void> {
  const videoDir = path.join(mediaDir, 'video');
  const setups: { name: string; expressionModels: string[]; flipAverage: boolean }[] = [
    { name: 'MobileFaceNet', expressionModels: [MOBILEFACENET], flipAverage: false },
    { name: 'MobileFaceNet+flip', expressionModels: [MOBILEFACENET], flipAverage: true },
    { name: 'xception', expressionModels: [XCEPTION], flipAverage: false },
    { name: 'both', expressionModels: [MOBILEFACENET, XCEPTION], flipAverage: false },
  ];
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-eval-'));
  console.log('dominant label per track (engine run, 5 frames/s, smoothing 0.4 s); below it, the label at each second');
  try {
    for (const name of ['WolfgangLanger_Pexels_face_silent.mp4', 'Obama_clip1_face_speech.mp4', 'reagan_clip1_face_speech.mp4']) {
      const file = path.join(videoDir, name);
      if (!existsSync(file)) continue;
      for (const setup of setups) {
        const request = makeRequest(file, {
          outDir,
          existingDocument: 'replace',
          models: { modelsDir },
          settings: { expressionModels: setup.expressionModels, flipAverage: setup.flipAverage, speech: false },
        });
        const outcome = await analyzeMedia(request);
        const doc = await readAnnotationDocument(outcome.outputPath);
        const tracks = doc.tracks.map((t) => `track ${t.id}: ${t.dominantLabel} (${(t.labelShare[doc.labels.indexOf(t.dominantLabel)]! * 100).toFixed(0)} % of ${t.frameCount} frames, mean confidence ${t.meanConfidence.toFixed(2)})`);
        console.log(`  ${name.padEnd(40)} ${setup.name.padEnd(20)} ${tracks.join('; ') || 'no face'}`);
        const perSecond = doc.segments.map((s) => s.faces[0]?.label.slice(0, 3) ?? '-');
        console.log(`    ${perSecond.join(' ')}`);
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const models = await resolveAll();
  const tools = await locateFfmpeg();
  await evaluateFaces(models, tools.ffmpeg);
  await dominantLabelsPerVideo();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
