// The stacked adaptation: from corrections it learns which ensemble member to trust (here the default follows a
// member that cannot tell sad from neutral, while another member can), writes a valid document with the
// members' probabilities and its weights, and is kept over a re-analysis.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { carriedAdaptation, withAdaptation } from '../../src/core/adaptation/documentAdaptation';
import { correctedFaces, learnAdaptation } from '../../src/core/adaptation/learnAdaptation';
import { faceFeatures, featureNames, fitStacked, stackedProbs } from '../../src/core/adaptation/stackedModel';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { finalLabels } from '../../src/core/export/finalLabels';
import { argmax } from '../../src/shared/probabilityVectors';
import { correction, LABELS, makeDocument, makeFrames } from '../helpers/documentBuilder';

const MEMBERS = ['confused', 'seeing', 'noise'];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function normalised(values: number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => Math.round((v / total) * 1000) / 1000);
}

/** Track 1 is sad on odd frames, neutral on even ones; the default (member 'confused') says neutral throughout. */
function document(seed: number): { doc: AnnotationDocument; truth: Map<number, string> } {
  const next = random(seed);
  const truth = new Map<number, string>();
  const doc = makeDocument(makeFrames(200, 0.2, [1], (frame) => (frame % 2 === 1 ? 'sad' : 'neutral')));
  doc.provenance.settings = { ...doc.provenance.settings, expressionModels: MEMBERS, expressionWeights: [1, 0, 0] };
  for (const frame of doc.frames) {
    const face = frame.faces[0]!;
    const label = frame.index % 2 === 1 ? 'sad' : 'neutral';
    truth.set(frame.index, label);
    const confused = normalised(LABELS.map((l) => (l === 'neutral' ? 0.6 : l === 'sad' ? 0.25 : 0.03) + 0.05 * next()));
    const seeing = normalised(LABELS.map((l) => (l === label ? 0.5 : 0.08) + 0.2 * next()));
    const noise = normalised(LABELS.map(() => next()));
    face.probs = confused;
    face.label = LABELS[argmax(confused)]!;
    face.confidence = Math.max(...confused);
    face.memberProbs = [confused, seeing, noise];
  }
  return { doc, truth };
}

describe('stacked adaptation', () => {
  it('is the default before any fit: zero weights leave the distribution as it is', () => {
    const p = [0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1];
    const q = stackedProbs({ bias: LABELS.map(() => 0), featureWeights: LABELS.map(() => [0, 0]) }, p, [1, -1]);
    q.forEach((v, i) => assert.ok(Math.abs(v - p[i]!) < 1e-9));
    const none = fitStacked([], LABELS.length, 3);
    assert.ok(none.bias.every((b) => b === 0));
  });

  it('names one feature per member and label, then the blendshapes and head pose', () => {
    const names = featureNames(MEMBERS, LABELS);
    const face = document(1).doc.frames[0]!.faces[0]!;
    assert.equal(faceFeatures(face, LABELS.length)?.length, names.length);
    assert.equal(names[0], 'confused:angry');
    assert.equal(faceFeatures({ ...face, memberProbs: undefined }, LABELS.length), undefined);
  });

  it('learns to trust the member that sees sad, writes a valid document, and wins on the faces nobody corrected', () => {
    const { doc, truth } = document(7);
    // A reviewer corrects every fifth face (40 corrections, sad and neutral).
    doc.corrections = doc.frames.filter((f) => f.index % 5 === 0).map((f) => correction(f, 1, truth.get(f.index)!));
    const { labels, faces, documents } = correctedFaces([{ name: 'clip.mp4.emotion.json', document: doc }]);
    assert.equal(faces.length, 40);
    const features = featureNames(MEMBERS, LABELS);
    assert.ok(faces.every((f) => f.features?.length === features.length && f.members?.join() === MEMBERS.join()));
    // Faces of other expression models in the same set: their features do not line up, so no stacked form.
    const mixed = [...faces.slice(0, 20), ...faces.slice(20).map((f) => ({ ...f, members: ['other', 'models', 'here'] }))];
    const stackedForms = ['stacked', 'members', 'member-diagonal'];
    assert.ok(!stackedForms.includes(learnAdaptation(labels, mixed, 2).form));
    const fit = learnAdaptation(labels, faces, documents);
    assert.ok(stackedForms.includes(fit.form), fit.form);
    assert.equal(fit.refusal, undefined, fit.refusal);
    const { document: adapted } = withAdaptation(doc, fit, new Date('2026-12-07T00:00:00Z'));
    assert.deepEqual(annotationProblems(adapted), []);
    assert.equal(adapted.adaptation?.method, 'stacked');
    assert.equal(adapted.adaptation?.featureWeights?.[0]?.length, features.length);
    assert.deepEqual(adapted.adaptation?.features, features);
    const rest = finalLabels(adapted).frames.flatMap((f) => f.faces).filter((f) => f.frameIndex % 5 !== 0);
    const right = (label: (f: (typeof rest)[number]) => string | undefined) => rest.filter((f) => label(f) === truth.get(f.frameIndex)).length / rest.length;
    const model = right((f) => f.modelLabel ?? f.label);
    const final = right((f) => f.label);
    assert.ok(model < 0.55, `the default is near chance on sad vs neutral (${model})`);
    assert.ok(final > 0.9, `adapted ${final} on the uncorrected faces`);

    const carried = carriedAdaptation(adapted, doc);
    assert.equal(carried?.method, 'stacked');
    // From the stored (rounded) weights: the same labels, confidences to the sixth decimal's rounding.
    assert.deepEqual(carried?.suggestions.map((s) => s.label), adapted.adaptation?.suggestions.map((s) => s.label));
    carried?.suggestions.forEach((s, i) => assert.ok(Math.abs(s.confidence - adapted.adaptation!.suggestions[i]!.confidence) < 1e-4));
  });

  it('counts a face of weight 2 as that face given twice (a fit across sets weighs each set equally)', () => {
    const { doc, truth } = document(3);
    const faces = doc.frames.slice(0, 60).map((frame) => {
      const face = frame.faces[0]!;
      return { probs: face.probs, features: faceFeatures(face, LABELS.length)!, label: LABELS.indexOf(truth.get(frame.index)!) };
    });
    const doubled = fitStacked([...faces, ...faces.slice(0, 20)], LABELS.length, 3);
    const weighted = fitStacked(faces.map((f, i) => ({ ...f, weight: i < 20 ? 2 : 1 })), LABELS.length, 3);
    const unweighted = fitStacked(faces, LABELS.length, 3);
    const gap = (a: typeof doubled, b: typeof doubled) => Math.max(...a.featureWeights.flatMap((row, k) => row.map((w, f) => Math.abs(w - b.featureWeights[k]![f]!))), ...a.bias.map((v, k) => Math.abs(v - b.bias[k]!)));
    assert.ok(gap(doubled, weighted) < 1e-4, `weighted and doubled fits differ by ${gap(doubled, weighted)}`);
    assert.ok(gap(doubled, unweighted) > 1e-2, 'the weight changes the fit');
  });
});
