// Figures from the product itself: the same batch engine `emotion-lens analyze` runs (one session, runBatch,
// documents written and read back), so what the evaluation prints is what a user of the CLI gets.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnalysisSettings, AnnotationDocument, FaceRecord } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { makeRequest, outputPathOf } from '../../src/core/engine/analysisRequest';
import { AnalysisSession } from '../../src/core/engine/analysisSession';
import { runBatch } from '../../src/core/engine/batch/batchRun';
import type { ImageSet } from './labelledImages';

export interface ImageOutcome {
  label: number;
  /** The document's raw probabilities for the image's face (canonical order); undefined when none was found. */
  probs?: number[];
  source?: FaceRecord['source'];
  /** The detector's score (0: no face was detected and the whole image stood in). */
  score?: number;
  /** The face's box and the image's size, in pixels (what the engine knows about the kind of face). */
  box?: readonly number[];
  imageSize?: readonly [number, number];
}

/** The face an image is about when several are found: the largest. */
export function mainFace(doc: AnnotationDocument): FaceRecord | undefined {
  return doc.frames[0]?.faces.reduce<FaceRecord | undefined>((best, f) => (!best || f.box[2] * f.box[3] > best.box[2] * best.box[3] ? f : best), undefined);
}

/** Analyses every image of the set with these settings; returns per image what the documents say, and the images/s. */
export async function analyzeImageSet(set: ImageSet, settings: Partial<AnalysisSettings>, modelsDir: string): Promise<{ outcomes: ImageOutcome[]; imagesPerSec: number }> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), `emotion-lens-eval-${set.name}-`));
  const session = new AnalysisSession();
  try {
    const requests = set.images.map((image) => makeRequest(image.file, { outDir, models: { modelsDir }, settings: { ...settings, speech: false }, existingDocument: 'replace' }));
    const started = Date.now();
    const totals = await runBatch(requests, { session, signal: new AbortController().signal, force: true, threads: requests[0]?.threads ?? 2, onEvent: () => undefined });
    const seconds = (Date.now() - started) / 1000;
    if (totals.failed > 0) throw new Error(`${totals.failed} images of ${set.name} failed to analyse`);
    const outcomes: ImageOutcome[] = [];
    for (const [i, image] of set.images.entries()) {
      const doc = await readAnnotationDocument(outputPathOf(requests[i]!));
      const face = mainFace(doc);
      const imageSize = [doc.media.width, doc.media.height] as const;
      outcomes.push({ label: image.label, imageSize, ...(face ? { probs: face.probs, source: face.source, score: face.score, box: face.box } : {}) });
    }
    return { outcomes, imagesPerSec: set.images.length / seconds };
  } finally {
    await session.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Analyses videos as one batch with these settings and returns their documents (same order). */
export async function analyzeClips(files: readonly string[], settings: Partial<AnalysisSettings>, modelsDir: string): Promise<AnnotationDocument[]> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-eval-clip-'));
  const session = new AnalysisSession();
  try {
    // One name per input: clips of different folders may share a file name.
    const requests = files.map((file, i) => makeRequest(file, { outDir, outName: `${i}-${path.basename(file)}.emotion.json`, models: { modelsDir }, settings: { ...settings, speech: false }, existingDocument: 'replace' }));
    const totals = await runBatch(requests, { session, signal: new AbortController().signal, force: true, threads: requests[0]?.threads ?? 2, onEvent: () => undefined });
    if (totals.failed > 0) throw new Error(`${totals.failed} of ${files.length} clips failed to analyse`);
    return await Promise.all(requests.map((request) => readAnnotationDocument(outputPathOf(request))));
  } finally {
    await session.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
