// The default as a user gets it: every labelled set analysed afresh by the product (`analyze`, default settings)
// and scored from the documents, beside face-api's own pipeline measured in the same run.
import path from 'node:path';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { defaultSettings } from '../../src/core/engine/analysisRequest';
import { CANONICAL_LABELS } from '../../src/core/models/modelManifest';
import type { Unit } from './ensembleSearch';
import type { ImageSet } from './labelledImages';
import type { ClipSet } from './memberRuns';
import { analyzeClips, analyzeImageSet } from './productRuns';
import type { ImageOutcome } from './productRuns';
import { calibratedErrorFloor, calibrationError, calibrationSamples, macroF1, mean, top1 } from './setMetrics';
import type { Prediction } from './setMetrics';
import { negativeLogLikelihood } from '../../src/core/calibration/calibrationMath';
import { percent, table } from './tables';

interface Helpers {
  clipHits: (units: readonly Unit[]) => string;
  pexelsReading: (units: readonly Unit[]) => string;
  short: (model: string) => string;
}

/** Images with a face, and how many of those the detector found (score > 0) rather than the whole image standing in. */
function facesFound(outcomes: readonly ImageOutcome[]): string {
  const withFace = outcomes.filter((o) => o.probs).length;
  const byDetector = outcomes.filter((o) => (o.score ?? 0) > 0).length;
  return `${percent(withFace / outcomes.length)} (${percent(byDetector / outcomes.length, 0)})`;
}

function perClass(items: readonly Prediction[]): string[] {
  return CANONICAL_LABELS.map((_, c) => {
    const of = items.filter((p) => p.label === c);
    return of.length === 0 ? '-' : percent(top1(of), 0);
  });
}

function imageRow(name: string, items: readonly Prediction[], found: string, rate: string): string[] {
  return [name, percent(top1(items)), percent(macroF1(items)), found, percent(calibrationError(items)), percent(calibratedErrorFloor(items)), negativeLogLikelihood(calibrationSamples(items)).toFixed(3), rate];
}

/** The main track of a clip's document as units: its frames' labels as the document gives them (smoothed). */
function clipUnit(doc: AnnotationDocument, label: number): Unit {
  const counts = new Map<number, number>();
  for (const frame of doc.frames) for (const face of frame.faces) counts.set(face.trackId, (counts.get(face.trackId) ?? 0) + 1);
  const main = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const frames = doc.frames.flatMap((frame) => frame.faces.filter((f) => f.trackId === main).map((f) => ({ timeSec: frame.timeSec, probs: f.smoothedProbs ?? f.probs })));
  return { label, frames, kind: 'face' };
}

function clipFigures(units: readonly Unit[], helpers: Helpers): string[] {
  const scored = units.filter((u) => u.label >= 0);
  const frames = scored.flatMap((u) => u.frames.map((f) => ({ label: u.label, probs: f.probs })));
  return [percent(mean(scored.map((u) => top1(u.frames.map((f) => ({ label: u.label, probs: f.probs })))))), helpers.clipHits(units), percent(calibrationError(frames))];
}

export async function printDefault(sets: readonly ImageSet[], clipSets: readonly ClipSet[], modelsDir: string, reference: ReadonlyMap<string, Unit[]>, helpers: Helpers): Promise<void> {
  const rows: string[][] = [];
  const classRows: string[][] = [];
  for (const set of sets) {
    const { outcomes, imagesPerSec } = await analyzeImageSet(set, {}, modelsDir);
    rows.push(imageRow(`${set.name}${set.role === 'report' ? ' (reported only)' : ''}`, outcomes, facesFound(outcomes), imagesPerSec.toFixed(0)));
    classRows.push([`${set.name} default`, ...perClass(outcomes)]);
    const ref = reference.get(set.name)?.map((u) => ({ label: u.label, probs: u.frames[0]?.probs }));
    if (ref) {
      rows.push(imageRow(`  face-api's own pipeline`, ref, 'whole image', ''));
      classRows.push([`${set.name} face-api`, ...perClass(ref)]);
    }
  }
  const weighting = (weights: readonly number[]) => defaultSettings.expressionModels.flatMap((id, i) => (weights[i]! > 0 ? [`${helpers.short(id)} ${weights[i]}`] : [])).join(' + ');
  const crops = defaultSettings.smallCrops ? `; small face crops: ${weighting(defaultSettings.smallCrops.weights)}` : '';
  console.log(`\nThe default (${weighting(defaultSettings.expressionWeights)}${crops}${defaultSettings.flipAverage ? ', flip' : ''}), product path, against face-api measured in this run (contempt left out of top-1, macro-F1 and ECE; faces found: any face, and by the detector):\n${table(['', 'top-1', 'macro-F1', 'faces found', 'ECE', 'ECE floor', 'NLL', 'images/s'], rows)}`);
  console.log(`\nTop-1 per class:\n${table(['', ...CANONICAL_LABELS], classRows)}`);

  const clipRows: string[][] = [];
  for (const clipSet of clipSets) {
    const docs = await analyzeClips(clipSet.clips.map((c) => c.file), {}, modelsDir);
    const units = docs.map((doc, i) => clipUnit(doc, clipSet.clips[i]!.label));
    const sampled = docs.reduce((n, d) => n + d.frames.length, 0);
    const found = percent(units.reduce((n, u) => n + u.frames.length, 0) / Math.max(1, sampled));
    const ref = reference.get(clipSet.name) ?? [];
    if (clipSet.name === 'pexels') clipRows.push(['Pexels clip', found, helpers.pexelsReading(units), '', '', helpers.pexelsReading(ref)]);
    else clipRows.push([clipSet.name, found, ...clipFigures(units, helpers), clipFigures(ref, helpers).slice(0, 2).join(', ')]);
  }
  console.log(`\nThe default on the clips (main track, labels smoothed as the document gives them; top-1 over sampled frames, each clip counting once; dominant label per clip), face-api's own pipeline (its detector, then its network) on the same sampled frames:\n${table(['clips', 'frames with the face', 'top-1', 'dominant label right', 'ECE', "face-api's own pipeline"], clipRows)}`);
  await printSharedClips(path.dirname(clipSets.find((c) => c.name === 'pexels')?.clips[0]?.file ?? ''), modelsDir);
}

/** The other shared clips (no labels): each track's dominant label, for a look. */
async function printSharedClips(videoDir: string, modelsDir: string): Promise<void> {
  if (!videoDir) return;
  const files = ['Obama_clip1_face_speech.mp4', 'reagan_clip1_face_speech.mp4'].map((n) => path.join(videoDir, n));
  const docs = await analyzeClips(files, {}, modelsDir).catch(() => []);
  const rows = docs.map((doc, i) => [path.basename(files[i]!), doc.tracks.map((t) => `#${t.id} ${t.dominantLabel} ${percent(t.labelShare[doc.labels.indexOf(t.dominantLabel)]!, 0)} of ${t.frameCount}`).join(', ') || 'no face']);
  if (rows.length > 0) console.log(`\nShared clips without labels (dominant label per track, for a look):\n${table(['clip', 'tracks'], rows)}`);
}
