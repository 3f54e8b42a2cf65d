// The adaptation learnt from corrections: the recalibration fit, the folds, the decision to apply or refuse,
// and what it writes into a document (suggestions, precedence in the final labels, re-analysis).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choleskySolve } from '../../src/core/adaptation/choleskySolve';
import { assignFolds } from '../../src/core/adaptation/foldAssignment';
import type { LabelledFace } from '../../src/core/adaptation/recalibration';
import { fitRecalibration, identityParameters, RECALIBRATION_FORMS, recalibrate } from '../../src/core/adaptation/recalibration';
import { argmax } from '../../src/shared/probabilityVectors';
import type { CorrectedFace } from '../../src/core/adaptation/learnAdaptation';
import { correctedFaces, learnAdaptation, MIN_CORRECTIONS } from '../../src/core/adaptation/learnAdaptation';
import { carriedAdaptation, withAdaptation } from '../../src/core/adaptation/documentAdaptation';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { mergeCorrections } from '../../src/core/document/correctionsMerge';
import { finalLabels } from '../../src/core/export/finalLabels';
import { correction, LABELS, makeDocument, makeFrames, probsFor } from '../helpers/documentBuilder';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * A model that calls most sad faces neutral: a true sad face gets neutral 0.55, sad 0.35; a true neutral one
 * neutral 0.75, sad 0.15 (plus noise). Recalibration can learn that sad is underrated; the base gets sad wrong.
 */
function shiftedFaces(count: number, seed: number): LabelledFace[] {
  const next = random(seed);
  const sad = LABELS.indexOf('sad');
  const neutral = LABELS.indexOf('neutral');
  return Array.from({ length: count }, (_, i) => {
    const isSad = i % 2 === 0;
    const probs = LABELS.map(() => 0.02 + 0.01 * next());
    probs[neutral] = (isSad ? 0.55 : 0.75) + 0.1 * (next() - 0.5);
    probs[sad] = (isSad ? 0.35 : 0.15) + 0.1 * (next() - 0.5);
    const total = probs.reduce((a, b) => a + b, 0);
    return { probs: probs.map((p) => p / total), label: isSad ? sad : neutral };
  });
}

const accuracyOf = (faces: readonly LabelledFace[], predict: (f: LabelledFace) => number) => faces.filter((f) => predict(f) === f.label).length / faces.length;

describe('choleskySolve', () => {
  it('solves a symmetric positive-definite system', () => {
    const a = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const x = choleskySolve(a, Float64Array.from([1, 2, 3]), 3);
    const back = [0, 1, 2].map((i) => [0, 1, 2].reduce((s, j) => s + a[i * 3 + j]! * x[j]!, 0));
    back.forEach((v, i) => assert.ok(Math.abs(v - [1, 2, 3][i]!) < 1e-12));
  });
  it('refuses a matrix that is not positive definite', () => {
    assert.throws(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2), /not positive definite/);
  });
});

describe('recalibration', () => {
  it('is the identity before any fit, and without data', () => {
    const p = probsFor('happy', 0.6);
    recalibrate(identityParameters(LABELS.length), p).forEach((q, i) => assert.ok(Math.abs(q - p[i]!) < 1e-9));
    for (const form of RECALIBRATION_FORMS) assert.deepEqual(fitRecalibration([], LABELS.length, 10, form), identityParameters(LABELS.length));
  });

  it('learns a systematic confusion and generalises to faces it did not see, in every form', () => {
    const train = shiftedFaces(200, 1);
    const test = shiftedFaces(400, 2);
    const base = accuracyOf(test, (f) => argmax(f.probs));
    assert.ok(base < 0.6, `the base model gets the sad faces wrong (${base})`);
    for (const form of RECALIBRATION_FORMS) {
      const parameters = fitRecalibration(train, LABELS.length, 10, form);
      const adapted = accuracyOf(test, (f) => argmax(recalibrate(parameters, f.probs)));
      assert.ok(adapted > 0.9, `${form}: ${adapted}`);
    }
  });

  it('is pulled toward the identity: a strong penalty leaves the model almost as it is', () => {
    const parameters = fitRecalibration(shiftedFaces(50, 3), LABELS.length, 1e6, 'full');
    const identity = identityParameters(LABELS.length);
    parameters.weights.flat().forEach((w, i) => assert.ok(Math.abs(w - identity.weights.flat()[i]!) < 1e-3));
    parameters.bias.forEach((b) => assert.ok(Math.abs(b) < 1e-3));
  });
});

describe('assignFolds', () => {
  it('keeps each group in one fold and balances the folds', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ group: `g${i % 12}`, order: i }));
    const folds = assignFolds(items, 5);
    const foldOf = new Map<string, number>();
    items.forEach((item, i) => {
      const known = foldOf.get(item.group);
      if (known !== undefined) assert.equal(folds[i], known, 'one group, one fold');
      foldOf.set(item.group, folds[i]!);
    });
    const sizes = [0, 1, 2, 3, 4].map((k) => folds.filter((f) => f === k).length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 5, `balanced: ${sizes.join(', ')}`);
  });
  it('cuts a single group into contiguous stretches in time order', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ group: 'only', order: 19 - i }));
    const folds = assignFolds(items, 4);
    const byTime = items.map((item, i) => ({ order: item.order, fold: folds[i]! })).sort((a, b) => a.order - b.order).map((x) => x.fold);
    assert.deepEqual(byTime, [...byTime].sort((a, b) => a - b), 'folds follow time');
    assert.equal(new Set(byTime).size, 4);
  });
});

describe('learnAdaptation', () => {
  const asCorrected = (faces: LabelledFace[], groups = faces.length): CorrectedFace[] => faces.map((f, i) => ({ ...f, group: `doc#${i % groups}`, timeSec: i }));

  it('adapts when it is clearly better in cross-validation, with the counts', () => {
    const fit = learnAdaptation(LABELS, asCorrected(shiftedFaces(120, 4)), 1);
    assert.equal(fit.refusal, undefined);
    assert.equal(fit.corrections, 120);
    assert.deepEqual(fit.labelCounts, { neutral: 60, sad: 60 });
    assert.equal(fit.confirmations, 60 - shiftedFaces(120, 4).filter((f, i) => i % 2 === 1 && argmax(f.probs) !== f.label).length);
    assert.equal(fit.folds, 5);
    assert.ok(fit.adaptedAccuracy > fit.baseAccuracy + 0.3, `${fit.baseAccuracy} -> ${fit.adaptedAccuracy}`);
  });

  it('refuses too few corrections, a single label, and no gain', () => {
    assert.match(learnAdaptation(LABELS, asCorrected(shiftedFaces(MIN_CORRECTIONS - 1, 5)), 1).refusal ?? '', /needs at least 10/);
    const allSad = asCorrected(shiftedFaces(40, 6).map((f) => ({ ...f, label: LABELS.indexOf('sad') })));
    assert.match(learnAdaptation(LABELS, allSad, 1).refusal ?? '', /every correction says 'sad'/);
    // The model is right about every corrected face: nothing to gain.
    const agreeing = asCorrected(Array.from({ length: 60 }, (_, i) => ({ probs: probsFor(LABELS[i % 3]!, 0.7), label: i % 3 })));
    const fit = learnAdaptation(LABELS, agreeing, 1);
    assert.match(fit.refusal ?? '', /not clearly better/);
    assert.equal(fit.baseAccuracy, 1);
  });
});

describe('adaptation in documents', () => {
  /** Track 1 is sad throughout, but the model says neutral half the time (with sad a close second). */
  function reviewedDocument() {
    const frames = makeFrames(60, 0.2, [1, 2], (frame, track) => (track === 1 && frame % 2 === 0 ? 'neutral' : track === 1 ? 'sad' : 'happy'));
    for (const frame of frames) {
      const face = frame.faces[0]!;
      if (face.label === 'neutral') face.probs = LABELS.map((l) => (l === 'neutral' ? 0.5 : l === 'sad' ? 0.4 : 0.02));
    }
    const doc = makeDocument(frames);
    doc.corrections = frames.slice(0, 30).flatMap((frame) => [correction(frame, 1, 'sad'), correction(frame, 2, 'happy')]);
    return doc;
  }

  it('suggests for every face, ranks human > adapted > model, and validates', () => {
    const doc = reviewedDocument();
    const { labels, faces, documents } = correctedFaces([{ name: 'clip.mp4.emotion.json', document: doc }]);
    assert.equal(faces.length, 60);
    assert.equal(documents, 1);
    const fit = learnAdaptation(labels, faces, documents);
    assert.equal(fit.refusal, undefined, fit.refusal);
    const { document, changedLabels } = withAdaptation(doc, fit, new Date('2026-12-01T00:00:00Z'));
    assert.deepEqual(annotationProblems(document), []);
    assert.equal(document.adaptation?.suggestions.length, 120);
    assert.equal(changedLabels, 15, 'the 15 uncorrected neutral faces of track 1 become sad');
    const final = finalLabels(document).frames.flatMap((f) => f.faces);
    const late = final.filter((f) => f.frameIndex >= 30);
    assert.ok(late.filter((f) => f.trackId === 1).every((f) => f.label === 'sad' && f.source === 'adapted' && f.modelLabel !== undefined));
    assert.ok(final.filter((f) => f.frameIndex < 30).every((f) => f.source === 'human' && f.confidence === 1));
    assert.deepEqual(document.corrections, doc.corrections, 'corrections are never changed');
  });

  it('is carried over a re-analysis and suggests from the new probabilities', () => {
    const doc = reviewedDocument();
    const { labels, faces, documents } = correctedFaces([{ name: 'a', document: doc }]);
    const adapted = withAdaptation(doc, learnAdaptation(labels, faces, documents), new Date()).document;
    const fresh = makeDocument(makeFrames(60, 0.2, [1, 2], () => 'happy'));
    const merged = mergeCorrections(adapted, fresh).document;
    assert.ok(merged.adaptation);
    assert.equal(merged.adaptation.suggestions.length, 120);
    assert.ok(merged.adaptation.suggestions.every((s) => s.label === 'happy'), 'the new probabilities say happy everywhere');
    assert.deepEqual(annotationProblems(merged), []);
    assert.equal(carriedAdaptation(adapted, { ...fresh, labels: [...LABELS.slice(0, 6)] }), undefined, 'other labels: dropped');
  });

  it('names documents whose labels differ, and finds invalid adaptations', () => {
    const a = reviewedDocument();
    const b = { ...reviewedDocument(), labels: [...LABELS].reverse() };
    assert.throws(() => correctedFaces([{ name: 'a.emotion.json', document: a }, { name: 'b.emotion.json', document: b }]), /b\.emotion\.json: its labels .* differ from a\.emotion\.json/);
    const { labels, faces, documents } = correctedFaces([{ name: 'a', document: a }]);
    const adapted = withAdaptation(a, learnAdaptation(labels, faces, documents), new Date()).document;
    const broken = structuredClone(adapted);
    broken.adaptation!.bias.pop();
    broken.adaptation!.suggestions[0]!.trackId = 9;
    const problems = annotationProblems(broken);
    assert.ok(problems.some((p) => /weights and bias must be 7 x 7 and 7/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /suggestions\/0 points at frame 0 track 9/.test(p)), problems.join('\n'));
  });
});
