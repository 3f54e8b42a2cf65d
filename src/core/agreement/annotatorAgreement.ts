/**
 * Agreement between annotators who reviewed the same media, each in their own copy of its annotation
 * document. The unit compared is a face (frame index + track) that every document has a human label for;
 * faces only some annotators labelled are counted, not compared. Cohen's kappa for two annotators, Fleiss'
 * for more, overall and per track, with the figures each is made of and the faces where the labels differ.
 * Pure: documents in, report out (docs/agreement.md).
 */
import path from 'node:path';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { EmotionLensError } from '../errors';
import { finalLabels } from '../export/finalLabels';
import type { FleissResult, KappaResult } from './kappa';
import { cohenKappa, fleissKappa } from './kappa';
import { faceKey } from '../../shared/labelPrecedence';

export interface AgreementInput {
  /** Where the document was read from: names the annotator when its corrections do not, and every error. */
  file: string;
  document: AnnotationDocument;
}

export interface Annotator {
  /** Unique within the report: the corrections' most common `annotator`, else the file name (made unique with the file when two clash). */
  name: string;
  file: string;
  /** Where the name came from. */
  nameFrom: 'corrections' | 'file';
  /** Faces this annotator gave a human label (corrections that match a face of the document). */
  humanLabels: number;
}

/** A face every annotator labelled, with each one's label (in `annotators` order). */
export interface ComparedFace {
  frameIndex: number;
  timeSec: number;
  trackId: number;
  labels: string[];
  /** The model's label for the face in the first document. */
  modelLabel: string;
  /** Fleiss' P_i for this face (for two annotators: 1 when they agree, else 0). */
  agreement: number;
}

/** Agreement over one set of faces (all of them, or one track's). */
export interface AgreementStats {
  /** Faces labelled by every annotator (the ones compared). */
  compared: number;
  /** Faces labelled by some annotators but not all: not compared. */
  partial: number;
  /** Compared faces whose labels are not all the same. */
  differing: number;
  kappa: KappaResult;
  /** Two annotators: rows the first annotator's label, columns the second's, over `categories`. */
  confusion?: number[][];
  /** More than two: Fleiss' p_j per category and the per-face P_i (in the order of `faces`). */
  fleiss?: { categoryShares: number[]; subjectAgreement: number[] };
}

export interface TrackAgreement extends AgreementStats {
  trackId: number;
}

export interface AgreementReport {
  media: { path: string; sha256: string; durationSec: number };
  annotators: Annotator[];
  /** The label set of the matrices: the first document's labels, then any other label a human used. */
  categories: string[];
  method: 'cohen' | 'fleiss';
  overall: AgreementStats;
  tracks: TrackAgreement[];
  /** Every compared face, in time then track order. */
  faces: ComparedFace[];
  /** The compared faces whose labels differ (a subset of `faces`). */
  differences: ComparedFace[];
  /** Things that make the comparison doubtful (documents analysed with other settings). */
  warnings: string[];
}

/** The human labels of one document: face key -> label, from finalLabels (the last correction of a face wins). */
interface HumanLabels {
  labels: Map<string, { label: string; timeSec: number; trackId: number; frameIndex: number; modelLabel: string }>;
  annotatorName: string | undefined;
}

export function annotatorAgreement(inputs: readonly AgreementInput[]): AgreementReport {
  if (inputs.length < 2) throw new EmotionLensError('input-unsupported', `agreement needs at least two documents of the same media, got ${inputs.length}`, inputs[0]?.file);
  const first = inputs[0]!;
  for (const other of inputs.slice(1)) {
    if (other.document.media.sha256 !== first.document.media.sha256) {
      throw new EmotionLensError(
        'input-unsupported',
        `is a review of other media (${other.document.media.path}, sha256 ${other.document.media.sha256.slice(0, 12)}…) than ${first.file} (${first.document.media.path}, sha256 ${first.document.media.sha256.slice(0, 12)}…)`,
        other.file,
        'Compare documents of the same video or recording only.',
      );
    }
  }
  const humans = inputs.map((input) => humanLabels(input.document));
  const annotators = annotatorNames(inputs, humans);
  const categories = categoriesOf(inputs, humans);
  const method = inputs.length === 2 ? 'cohen' : 'fleiss';

  const allKeys = new Set(humans.flatMap((h) => [...h.labels.keys()]));
  const faces: ComparedFace[] = [];
  const partialByTrack = new Map<number, number>();
  let timingMismatches = 0;
  for (const key of allKeys) {
    const entries = humans.map((h) => h.labels.get(key));
    const present = entries.filter((e) => e !== undefined);
    if (present.length < entries.length) {
      const trackId = present[0]!.trackId;
      partialByTrack.set(trackId, (partialByTrack.get(trackId) ?? 0) + 1);
      continue;
    }
    const base = present[0]!;
    if (present.some((e) => Math.abs(e.timeSec - base.timeSec) > 1e-3)) timingMismatches++;
    const labels = present.map((e) => e.label);
    faces.push({ frameIndex: base.frameIndex, timeSec: base.timeSec, trackId: base.trackId, labels, modelLabel: base.modelLabel, agreement: faceAgreement(labels) });
  }
  faces.sort((a, b) => a.timeSec - b.timeSec || a.frameIndex - b.frameIndex || a.trackId - b.trackId);

  const trackIds = [...new Set([...faces.map((f) => f.trackId), ...partialByTrack.keys()])].sort((a, b) => a - b);
  const tracks = trackIds.map((trackId): TrackAgreement => ({
    trackId,
    ...stats(faces.filter((f) => f.trackId === trackId), partialByTrack.get(trackId) ?? 0, categories, method),
  }));
  const partial = [...partialByTrack.values()].reduce((a, b) => a + b, 0);
  return {
    media: { path: first.document.media.path, sha256: first.document.media.sha256, durationSec: first.document.media.durationSec },
    annotators,
    categories,
    method,
    overall: stats(faces, partial, categories, method),
    tracks,
    faces,
    differences: faces.filter((f) => f.agreement < 1),
    warnings: warningsFor(inputs, timingMismatches),
  };
}

function stats(faces: readonly ComparedFace[], partial: number, categories: readonly string[], method: 'cohen' | 'fleiss'): AgreementStats {
  const index = new Map(categories.map((c, i) => [c, i]));
  const differing = faces.filter((f) => f.agreement < 1).length;
  if (method === 'cohen') {
    const confusion = categories.map(() => new Array<number>(categories.length).fill(0));
    for (const face of faces) confusion[index.get(face.labels[0]!)!]![index.get(face.labels[1]!)!]!++;
    return { compared: faces.length, partial, differing, kappa: cohenKappa(confusion, categories), confusion };
  }
  const counts = faces.map((face) => {
    const row = new Array<number>(categories.length).fill(0);
    for (const label of face.labels) row[index.get(label)!]!++;
    return row;
  });
  const result: FleissResult = fleissKappa(counts, categories);
  const { categoryShares, subjectAgreement, raters: _raters, ...kappa } = result;
  return { compared: faces.length, partial, differing, kappa, fleiss: { categoryShares, subjectAgreement } };
}

/** Fleiss' P_i of one face: the share of annotator pairs that agree on it. */
function faceAgreement(labels: readonly string[]): number {
  const n = labels.length;
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let squares = 0;
  for (const c of counts.values()) squares += c * c;
  return (squares - n) / (n * (n - 1));
}

function humanLabels(doc: AnnotationDocument): HumanLabels {
  const labels: HumanLabels['labels'] = new Map();
  const names = new Map<string, number>();
  for (const frame of finalLabels(doc).frames) {
    for (const face of frame.faces) {
      if (face.source !== 'human') continue;
      labels.set(faceKey(face.frameIndex, face.trackId), { label: face.label, timeSec: face.timeSec, trackId: face.trackId, frameIndex: face.frameIndex, modelLabel: face.modelLabel });
    }
  }
  for (const c of doc.corrections) {
    const name = c.annotator?.trim();
    if (name) names.set(name, (names.get(name) ?? 0) + 1);
  }
  // The most common name; a tie goes to the name that sorts first, so the choice does not depend on order.
  const annotatorName = [...names.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]?.[0];
  return { labels, annotatorName };
}

function annotatorNames(inputs: readonly AgreementInput[], humans: readonly HumanLabels[]): Annotator[] {
  const raw = inputs.map((input, i) => {
    const fromCorrections = humans[i]!.annotatorName;
    return { name: fromCorrections ?? path.basename(input.file), nameFrom: fromCorrections ? ('corrections' as const) : ('file' as const) };
  });
  const used = new Set<string>();
  return raw.map((entry, i) => {
    const clashes = raw.filter((r) => r.name === entry.name).length > 1;
    let name = clashes && entry.nameFrom === 'corrections' ? `${entry.name} (${path.basename(inputs[i]!.file)})` : entry.name;
    for (let n = 2; used.has(name); n++) name = `${entry.name} (${n})`;
    used.add(name);
    return { name, file: inputs[i]!.file, nameFrom: entry.nameFrom, humanLabels: humans[i]!.labels.size };
  });
}

function categoriesOf(inputs: readonly AgreementInput[], humans: readonly HumanLabels[]): string[] {
  const categories = [...inputs[0]!.document.labels];
  for (const h of humans) for (const entry of h.labels.values()) if (!categories.includes(entry.label)) categories.push(entry.label);
  return categories;
}

function warningsFor(inputs: readonly AgreementInput[], timingMismatches: number): string[] {
  const warnings: string[] = [];
  const fps = new Set(inputs.map((i) => i.document.provenance.settings.sampleFps));
  if (fps.size > 1) warnings.push(`the documents were analysed at different sample rates (${[...fps].join(', ')} fps): the same frame number may be another moment`);
  if (timingMismatches > 0) warnings.push(`${timingMismatches} compared face(s) have different times in different documents: were they analysed with other settings?`);
  return warnings;
}
