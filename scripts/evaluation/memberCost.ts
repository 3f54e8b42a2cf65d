// What each expression model costs per face, from the engine's own stage timings (FrameAnalyzer.timings()):
// one analyser per model, one ORT thread as the product's workers run them, on the sampled frames of the shared
// videos and on face images. The fastest of a few rounds is kept (the machine is shared: the minimum is the
// least disturbed figure), and the detector's cost per frame is given for scale.
import path from 'node:path';
import type { RawFrame } from '../../src/core/media/mediaTypes';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { readFrames } from '../../src/core/media/frameReader';
import { probeMedia } from '../../src/core/media/probe';
import { resolveModel } from '../../src/core/models/modelResolver';
import { FrameAnalyzer } from '../../src/core/vision/frameAnalyzer';
import { probeImageWithSharp, readImageWithSharp } from '../../src/core/vision/imageDecoding';
import { defaultSettings } from '../../src/core/engine/analysisRequest';

export interface MemberCost {
  model: string;
  faces: number;
  /** Milliseconds per face: cropping/aligning into the input, and inference; doubled work with the mirror image. */
  alignMs: number;
  inferMs: number;
  flipAlignMs: number;
  flipInferMs: number;
  /** The detector's milliseconds per frame, for scale. */
  detectMs: number;
}

/** Frames sampled as the product samples them (default fps and size) from each video, and the images decoded. */
export async function costFrames(videos: readonly string[], images: readonly string[]): Promise<RawFrame[]> {
  const tools = await locateFfmpeg();
  const frames: RawFrame[] = [];
  for (const video of videos) {
    const probe = await probeMedia(tools, video);
    for await (const frame of readFrames(tools, video, probe, { sampleFps: defaultSettings.sampleFps, maxSide: defaultSettings.maxAnalysisSide })) frames.push(frame);
  }
  for (const image of images) {
    const probe = await probeImageWithSharp(image);
    if (probe) frames.push(await readImageWithSharp(image, probe, defaultSettings.maxAnalysisSide));
  }
  return frames;
}

/**
 * Per model, the engine's stage timings per face over these frames: the fastest of `rounds`, the models taking
 * turns within each round so that a busy machine slows them alike.
 */
export async function memberCosts(models: readonly string[], frames: readonly RawFrame[], modelsDir: string, rounds = 3): Promise<MemberCost[]> {
  const detector = await resolveModel('face_detection_yunet_2023mar', { modelsDir });
  const costs = models.map((model): MemberCost => ({ model, faces: 0, alignMs: Infinity, inferMs: Infinity, flipAlignMs: Infinity, flipInferMs: Infinity, detectMs: Infinity }));
  const analyzers: { cost: MemberCost; flip: boolean; analyzer: FrameAnalyzer }[] = [];
  try {
    for (const cost of costs) {
      const classifier = await resolveModel(cost.model, { modelsDir });
      for (const flipAverage of [false, true]) {
        const analyzer = await FrameAnalyzer.create({ detector, classifiers: [classifier], minFaceScore: defaultSettings.minFaceScore, minFaceSize: defaultSettings.minFaceSize, flipAverage });
        analyzers.push({ cost, flip: flipAverage, analyzer });
        for (const frame of frames.slice(0, 10)) await analyzer.analyze(frame); // warm-up
      }
    }
    for (let round = 0; round < rounds; round++) {
      for (const { cost, flip, analyzer } of analyzers) {
        const before = analyzer.timings();
        for (const frame of frames) await analyzer.analyze(frame);
        const after = analyzer.timings();
        const faces = after.faces - before.faces;
        cost.faces = faces;
        const spent = (stage: (name: string) => boolean): number => Object.keys(after.stagesMs).filter(stage).reduce((sum, name) => sum + after.stagesMs[name]! - (before.stagesMs[name] ?? 0), 0);
        cost.detectMs = Math.min(cost.detectMs, spent((name) => name === 'detection: YuNet') / (after.frames - before.frames));
        const align = spent((name) => name === 'expression: face crops and alignment') / faces;
        const infer = spent((name) => name.startsWith('expression: fer_')) / faces;
        if (flip) Object.assign(cost, { flipAlignMs: Math.min(cost.flipAlignMs, align), flipInferMs: Math.min(cost.flipInferMs, infer) });
        else Object.assign(cost, { alignMs: Math.min(cost.alignMs, align), inferMs: Math.min(cost.inferMs, infer) });
      }
    }
  } finally {
    await Promise.all(analyzers.map((a) => a.analyzer.close()));
  }
  return costs;
}

export function costVideos(mediaDir: string): string[] {
  return ['WolfgangLanger_Pexels_face_silent.mp4', 'Obama_clip1_face_speech.mp4'].map((n) => path.join(mediaDir, 'video', n));
}
