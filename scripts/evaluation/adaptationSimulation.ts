// Issue 13's simulation of a researcher who corrects part of a dataset and lets Emotion Lens learn from it, run
// on the product's path: `emotion-lens analyze` writes the documents, the simulated researcher adds corrections
// (the true label of a random share of the images, seeded), `emotion-lens adapt` learns and writes its
// suggestions, and the final labels the exports would write (human > adapted > model) are scored on the images
// nobody corrected, against the model's own labels on the same images.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnnotationDocument, FaceRecord } from '../../src/shared/annotationDocument';
import { readAnnotationDocument, writeAnnotationDocument } from '../../src/core/document/annotationFile';
import { finalLabels } from '../../src/core/export/finalLabels';
import { CANONICAL_LABELS } from '../../src/core/models/modelManifest';
import type { ImageSet } from './labelledImages';
import { mainFace } from './productRuns';
import { percent, table } from './tables';

export const SHARES = [0.05, 0.1, 0.2];
export const SEEDS = [1, 2, 3];

interface AdaptReport {
  refusal?: string;
  corrections: number;
  baseAccuracy: number;
  adaptedAccuracy: number;
  form: string;
  folds: number;
  onlyAdapted: number;
  onlyBase: number;
  likelihoodZ: number;
}

/** One simulated researcher: the adaptation written whatever the safeguard said, its gain on the uncorrected images, and the safeguard's evidence. */
export interface SimulatedDraw {
  set: string;
  share: number;
  seed: number;
  /** Top-1 of the final labels minus the model's, on the uncorrected images, with the adaptation applied. */
  gain: number;
  /** Whether a fit was cross-validated (not refused for too few corrections or a single label). */
  fitted: boolean;
  onlyAdapted: number;
  onlyBase: number;
  /** The cross-validated log-likelihood gain in standard errors (a candidate safeguard's evidence). */
  likelihoodZ: number;
  form: string;
}

interface Labelled {
  documentPath: string;
  document: AnnotationDocument;
  /** The true label's name. */
  truth: string;
}

/**
 * The set's analysed documents, from the cache when this build already analysed this set, else analysed now by
 * the CLI and kept: the simulation works on copies, so re-running it (another safeguard, another penalty) costs
 * `adapt` only. The cache is keyed by what decides the documents' numbers (the frame worker's bundle, the model
 * manifest, the set's labels), not by the adaptation's code; `fresh` analyses again.
 */
export function analysedSet(cli: string, set: ImageSet, env: NodeJS.ProcessEnv, fresh: boolean): string {
  const hash = createHash('sha256');
  const dist = path.dirname(cli);
  for (const file of [path.join(dist, 'frameWorker.js'), path.join(dist, '..', 'models', 'manifest.json'), path.join(set.folder, 'labels.csv')]) if (existsSync(file)) hash.update(readFileSync(file));
  const root = env.EMOTION_LENS_ADAPT_CACHE ?? path.join(os.tmpdir(), 'emotion-lens-adapt-cache');
  const folder = path.join(root, `${set.name}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(folder) && !fresh) return folder;
  mkdirSync(root, { recursive: true });
  const partial = mkdtempSync(`${folder}.partial-`);
  analyzeWithCli(cli, set.folder, partial, env);
  // Only a complete analysis takes the cache's name.
  rmSync(folder, { recursive: true, force: true });
  renameSync(partial, folder);
  return folder;
}

/** Analyses the set with the CLI once; the simulation then works on copies of its documents. */
function analyzeWithCli(cli: string, folder: string, outDir: string, env: NodeJS.ProcessEnv): void {
  const run = spawnSync(process.execPath, [cli, 'analyze', folder, '--out', outDir, '--no-speech', '--json'], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`analyze ${folder} failed (${run.status}): ${run.stderr.slice(-2000)}`);
}

function adaptWithCli(cli: string, folder: string, env: NodeJS.ProcessEnv): AdaptReport {
  // Written whatever the safeguard says, so its verdict can be scored against what applying would have done.
  const run = spawnSync(process.execPath, [cli, 'adapt', folder, '--json', '--apply-anyway'], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`adapt ${folder} failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as AdaptReport;
}

/** Deterministic shuffle (Fisher-Yates on a linear congruential generator): the same seed corrects the same images. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The image's main face (productRuns' choice: the largest) with where it is. */
export function mainFaceAt(doc: AnnotationDocument): { frameIndex: number; timeSec: number; face: FaceRecord } | undefined {
  const frame = doc.frames[0];
  const face = mainFace(doc);
  return frame && face ? { frameIndex: frame.index, timeSec: frame.timeSec, face } : undefined;
}

export function correction(at: { frameIndex: number; timeSec: number; face: FaceRecord }, label: string): AnnotationDocument['corrections'][number] {
  return { frameIndex: at.frameIndex, timeSec: at.timeSec, trackId: at.face.trackId, label, modelLabel: at.face.label, createdAt: new Date(0).toISOString(), annotator: 'simulated researcher' };
}

/** The final label of the image's main face as the exports give it, and its source. */
function finalOf(doc: AnnotationDocument): { label: string; source: string } | undefined {
  const at = mainFaceAt(doc);
  const face = finalLabels(doc).frames[0]?.faces.find((f) => at && f.trackId === at.face.trackId);
  return face ? { label: face.label, source: face.source } : undefined;
}

/** The table for one image set: per share of corrected images, the mean over seeds. */
export async function simulateImageSet(cli: string, set: ImageSet, env: NodeJS.ProcessEnv, fresh = false): Promise<{ text: string; draws: SimulatedDraw[] }> {
  const draws: SimulatedDraw[] = [];
  const base = analysedSet(cli, set, env, fresh);
  const byName = new Map(set.images.map((image) => [path.basename(image.file), CANONICAL_LABELS[image.label]!] as const));
  const rows: string[][] = [];
  for (const share of SHARES) {
    const figures = { before: 0, after: 0, applied: 0, cvBase: 0, cvAdapted: 0, corrected: 0, rest: 0 };
    for (const seed of SEEDS) {
      const work = mkdtempSync(path.join(os.tmpdir(), `emotion-lens-adapt-run-`));
      try {
        cpSync(base, work, { recursive: true });
        const labelled = await loadLabelled(work, byName);
        const corrected = new Set(shuffled(labelled, seed).slice(0, Math.round(share * labelled.length)).map((l) => l.documentPath));
        for (const item of labelled) {
          const at = mainFaceAt(item.document);
          if (!corrected.has(item.documentPath) || !at) continue;
          await writeAnnotationDocument(item.documentPath, { ...item.document, corrections: [correction(at, item.truth)] });
        }
        const report = adaptWithCli(cli, work, env);
        let before = 0;
        let after = 0;
        const rest = labelled.filter((l) => !corrected.has(l.documentPath));
        for (const item of rest) {
          const adapted = await readAnnotationDocument(item.documentPath);
          if (mainFaceAt(item.document)?.face.label === item.truth) before++;
          if (finalOf(adapted)?.label === item.truth) after++;
        }
        const fitted = report.folds > 0;
        draws.push({ set: set.name, share, seed, gain: fitted ? (after - before) / rest.length : 0, fitted, onlyAdapted: report.onlyAdapted, onlyBase: report.onlyBase, likelihoodZ: report.likelihoodZ, form: report.form });
        figures.before += before / rest.length;
        // What the product gives: the adaptation's labels only when the safeguard accepted it.
        figures.after += (report.refusal ? before : after) / rest.length;
        figures.applied += report.refusal ? 0 : 1;
        figures.cvBase += report.baseAccuracy;
        figures.cvAdapted += report.adaptedAccuracy;
        figures.corrected += corrected.size;
        figures.rest += rest.length;
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
    const n = SEEDS.length;
    rows.push([
      `${percent(share, 0)}`,
      String(Math.round(figures.corrected / n)),
      `${figures.applied} of ${n}`,
      `${percent(figures.cvBase / n)} → ${percent(figures.cvAdapted / n)}`,
      String(Math.round(figures.rest / n)),
      percent(figures.before / n),
      percent(figures.after / n),
      signedPoints(figures.after / n - figures.before / n),
    ]);
  }
  return { text: table(['corrected', 'images', 'adapted (runs)', 'cross-validated on corrections', 'uncorrected', 'top-1 model', 'top-1 final', 'gain'], rows), draws };
}

export async function loadLabelled(folder: string, truthByMedia: Map<string, string>): Promise<Labelled[]> {
  const out: Labelled[] = [];
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.emotion.json')).sort()) {
    const documentPath = path.join(folder, name);
    const document = await readAnnotationDocument(documentPath);
    const truth = truthByMedia.get(path.basename(document.media.path));
    if (truth) out.push({ documentPath, document, truth });
  }
  return out;
}

/**
 * The clip with a known reading (Pexels: sad in 0-6 s, happy from 9 s): the researcher corrects the first
 * `seconds` of each track, or of each known stretch, with that reading; the rest of the known stretches is scored.
 */
export async function simulateClip(cli: string, clip: string, env: NodeJS.ProcessEnv): Promise<string> {
  const known = [
    { from: 0, to: 6, label: 'sad' },
    { from: 9, to: Infinity, label: 'happy' },
  ];
  // A researcher whose reading differs from the model's: the laughing stretch is "surprised" to them.
  const otherReading = [known[0]!, { ...known[1]!, label: 'surprised' }];
  const base = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-adapt-clip-'));
  const rows: string[][] = [];
  try {
    const folder = path.join(base, 'media');
    cpSync(clip, path.join(folder, path.basename(clip)));
    analyzeWithCli(cli, folder, path.join(base, 'analysed'), env);
    const documentPath = path.join(base, 'analysed', `${path.basename(clip)}.emotion.json`);
    const analysed = await readAnnotationDocument(documentPath);
    const protocols = [
      { name: 'first 2 s of each track', stretches: known, corrects: (t: number, first: number) => t < first + 2 },
      { name: 'first 2 s of each known stretch', stretches: known, corrects: (t: number) => known.some((s) => t >= s.from && t < s.from + 2) },
      { name: 'first 6 s of each stretch, laughter read as "surprised"', stretches: otherReading, corrects: (t: number) => t < 6 || (t >= 9 && t < 15) },
    ];
    for (const protocol of protocols) {
      const truthAt = (t: number) => protocol.stretches.find((s) => t >= s.from && t < s.to)?.label;
      const firstSeen = new Map<number, number>();
      for (const frame of analysed.frames) for (const face of frame.faces) if (!firstSeen.has(face.trackId)) firstSeen.set(face.trackId, frame.timeSec);
      const corrections = analysed.frames.flatMap((frame) =>
        frame.faces.flatMap((face) => {
          const truth = truthAt(frame.timeSec);
          return truth && protocol.corrects(frame.timeSec, firstSeen.get(face.trackId) ?? 0) ? [correction({ frameIndex: frame.index, timeSec: frame.timeSec, face }, truth)] : [];
        }),
      );
      await writeAnnotationDocument(documentPath, { ...analysed, corrections });
      const report = adaptWithCli(cli, documentPath, env);
      const adapted = await readAnnotationDocument(documentPath);
      const corrected = new Set(corrections.map((c) => `${c.frameIndex}:${c.trackId}`));
      const scored = finalLabels(adapted).frames.flatMap((frame) => frame.faces.filter((f) => !corrected.has(`${f.frameIndex}:${f.trackId}`) && truthAt(frame.timeSec)).map((f) => ({ f, truth: truthAt(frame.timeSec)! })));
      const before = scored.filter(({ f, truth }) => f.modelLabel === truth).length / Math.max(1, scored.length);
      // adapt ran with --apply-anyway: a refused adaptation leaves the model's labels in the product.
      const after = report.refusal ? before : scored.filter(({ f, truth }) => f.label === truth).length / Math.max(1, scored.length);
      rows.push([protocol.name, String(corrections.length), report.refusal ? `no: ${report.refusal}` : `yes (${report.form})`, String(scored.length), percent(before), percent(after), signedPoints(after - before)]);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  return table(['corrected', 'faces', 'adapted', 'scored', 'model', 'final', 'gain'], rows);
}

export function signedPoints(difference: number): string {
  const points = 100 * difference;
  return `${points >= 0 ? '+' : ''}${points.toFixed(1)} pt`;
}
