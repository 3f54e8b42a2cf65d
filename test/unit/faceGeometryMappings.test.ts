// The documented mappings of the geometry stage: iBUG-68 points from the mesh (checked on the canonical face:
// mirror pairs mirror, each group runs the way iBUG numbers it), AU estimates from blendshapes and fitted
// models, and the FACS-code AUC helpers of the AU evaluation.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseGeometryMetadata } from '../../scripts/models/faceGeometryMetadata';
import { readTaskBundle } from '../../scripts/models/taskBundle';
import { aucPerActionUnit, meanAuc, readFacsCsv, subjectOf } from '../../scripts/evaluation/facsCodes';
import type { FittedActionUnits } from '../../src/core/geometry/actionUnitModels';
import { AU_FEATURE_NAMES, estimateActionUnits } from '../../src/core/geometry/actionUnitModels';
import { ACTION_UNITS, actionUnitFromBlendshapes, actionUnitKey, actionUnitTitle, AU_BLENDSHAPES, actionUnitsFromBlendshapes } from '../../src/core/geometry/actionUnits';
import { BLENDSHAPE_NAMES } from '../../src/core/geometry/geometryModels';
import { IBUG68_FROM_MESH, ibug68FromMesh } from '../../src/core/geometry/ibug68';
import { modelsDir, noModelsReason, skipUnless } from '../helpers/testEnvironment';

/** iBUG point -> its mirror partner (jaw, brows, nose base, eyes, lips). */
function mirrorOf(i: number): number {
  if (i <= 16) return 16 - i;
  if (i <= 26) return 43 - i;
  if (i <= 30) return i;
  if (i <= 35) return 66 - i;
  if (i <= 41) return [45, 44, 43, 42, 47, 46][i - 36]!;
  if (i <= 47) return [39, 38, 37, 36, 41, 40][i - 42]!;
  if (i <= 59) return i <= 54 ? 102 - i : 114 - i;
  return i <= 64 ? 124 - i : 132 - i;
}

describe('iBUG-68 from the mesh', () => {
  it('has 68 points of one or two mesh points each, all in the 468-point face mesh', () => {
    assert.equal(IBUG68_FROM_MESH.length, 68);
    assert.ok(IBUG68_FROM_MESH.every((ids) => ids.length >= 1 && ids.length <= 2 && ids.every((id) => id >= 0 && id < 468)));
    const mesh = Float32Array.from({ length: 478 * 3 }, (_, k) => (k % 3 === 0 ? Math.floor(k / 3) : k % 3 === 1 ? 1000 + Math.floor(k / 3) : 0));
    const points = ibug68FromMesh(mesh);
    assert.equal(points.length, 136);
    assert.equal(points[2 * 8], 152, 'the chin (iBUG 8) is mesh 152');
    assert.equal(points[2 * 27], (168 + 6) / 2, 'iBUG 27 averages mesh 168 and 6');
  });

  it('on the canonical face: mirror pairs mirror, the jaw runs from the subject\'s right to left, eyes and lips run as iBUG numbers them', skipUnless(noModelsReason), async () => {
    const members = await readTaskBundle(path.join(modelsDir!, 'mediapipe_face_landmarker', 'face_landmarker.task'));
    const canonical = parseGeometryMetadata(members.get('geometry_pipeline_metadata_landmarks.binarypb')!, 'test');
    // The canonical face has +y up; iBUG's subject's right is the image's left, -x here.
    const p = ibug68FromMesh(Float32Array.from({ length: 478 * 3 }, (_, k) => canonical.vertices[k] ?? 0));
    for (let i = 0; i < 68; i++) {
      const j = mirrorOf(i);
      assert.ok(Math.abs(p[2 * i]! + p[2 * j]!) < 0.3, `iBUG ${i} and ${j}: x ${p[2 * i]} and ${p[2 * j]}`);
      assert.ok(Math.abs(p[2 * i + 1]! - p[2 * j + 1]!) < 0.3, `iBUG ${i} and ${j}: y`);
    }
    for (let i = 0; i < 16; i++) assert.ok(p[2 * (i + 1)]! >= p[2 * i]! - 0.05, `jaw ${i} -> ${i + 1} goes towards the subject's left`);
    assert.ok(p[2 * 36]! < p[2 * 39]! && p[2 * 42]! < p[2 * 45]!, 'eye corners: outer right, inner right, inner left, outer left');
    assert.ok(p[2 * 37 + 1]! > p[2 * 41 + 1]!, 'iBUG 37 is on the upper lid');
    assert.ok(p[2 * 51 + 1]! > p[2 * 57 + 1]! && p[2 * 8 + 1]! < p[2 * 57 + 1]!, 'upper lip over lower lip over chin');
    assert.ok(p[2 * 30 + 1]! < p[2 * 27 + 1]!, 'the nose bridge runs down to the tip');
  });
});

describe('action units from blendshapes', () => {
  const scores = (values: Record<string, number>) => Float32Array.from(BLENDSHAPE_NAMES, (n) => values[n] ?? 0);

  it('names only blendshapes the model has, for every Py-Feat AU column', () => {
    assert.deepEqual([...ACTION_UNITS], [1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 17, 20, 23, 24, 25, 26, 28, 43]);
    for (const au of ACTION_UNITS) for (const group of AU_BLENDSHAPES[au].shapes) for (const n of group) assert.ok(BLENDSHAPE_NAMES.includes(n), `${au}: ${n}`);
    assert.equal(actionUnitKey(6), 'AU06_estimate');
    assert.equal(actionUnitTitle(12), 'AU12 lip corner puller (estimated from blendshapes)');
  });

  it('averages the two sides, and AU25 takes the larger of jaw and lower lip', () => {
    assert.ok(Math.abs(actionUnitFromBlendshapes(12, scores({ mouthSmileLeft: 0.8, mouthSmileRight: 0.6 })) - 0.7) < 1e-6);
    assert.equal(actionUnitFromBlendshapes(6, scores({ cheekSquintLeft: 0.5, cheekSquintRight: 0.5 })), 0.5);
    assert.ok(Math.abs(actionUnitFromBlendshapes(25, scores({ jawOpen: 0.2, mouthLowerDownLeft: 0.6, mouthLowerDownRight: 0.4 })) - 0.5) < 1e-6);
    const all = actionUnitsFromBlendshapes(scores({ browInnerUp: 1 }));
    assert.equal(all[1], 1);
    assert.equal(all[2], 0);
  });

  it('a fitted model replaces the mapping for its AU only', () => {
    const d = AU_FEATURE_NAMES.length;
    const fitted: FittedActionUnits = { provenance: {}, features: [...AU_FEATURE_NAMES], models: { '4': { intercept: 0, coefficients: new Array<number>(d).fill(0), mean: new Array<number>(d).fill(0), std: new Array<number>(d).fill(1) } } };
    const values = estimateActionUnits(scores({ browDownLeft: 0.9, browDownRight: 0.9, browInnerUp: 0.4 }), new Float64Array(478 * 3), fitted);
    assert.equal(values[4], 0.5, 'a zero model says one half');
    assert.ok(Math.abs(values[1] - 0.4) < 1e-6, 'AU1 still from the mapping');
  });
});

describe('FACS codes and AUC', () => {
  it('reads facs.csv, finds CK+ subjects and scores an AU by AUC over coded frames', () => {
    const codes = readFacsCsv('file,au,intensity\nhappy_S010_006_00000015.png,12,3\nhappy_S010_006_00000015.png,6,2\nsad_S011_002_00000020.png,15,0\nangry_S022_005_00000032.png,4,0\n');
    assert.equal(codes.size, 3);
    assert.equal(subjectOf('happy_S010_006_00000015.png'), 'S010');
    assert.throws(() => subjectOf('photo.png'), /subject/);
    const value: Record<string, number> = { 'happy_S010_006_00000015.png': 0.9, 'sad_S011_002_00000020.png': 0.2, 'angry_S022_005_00000032.png': 0.3 };
    const [au12, au1] = aucPerActionUnit(codes, [12, 1], (file) => value[file]);
    assert.deepEqual(au12, { au: 12, positives: 1, negatives: 2, auc: 1 });
    assert.ok(Number.isNaN(au1!.auc));
    assert.deepEqual(meanAuc([au12!, au1!], [12, 1]), { mean: 1, used: 1 });
  });
});
