/**
 * FACS action-unit estimates from the 52 ARKit-style blendshapes: each AU is the mean of the blendshapes
 * that move the face as it does (left and right sides averaged), an intensity in 0-1. These are estimates
 * from blendshapes, not FACS coding: their names say so (actionUnitKey: `AU12_estimate`; actionUnitTitle:
 * "AU12 lip corner puller (estimated from blendshapes)").
 *
 * The correspondence follows the FACS definitions (Ekman, Friesen & Hager 2002, Facial Action Coding
 * System: the manual), Apple's description of each shape (ARKit ARFaceAnchor.BlendShapeLocation) and
 * Melinda Ozel's "ARKit to FACS: Blendshape Cheat Sheet" (melindaozel.com/arkit-to-facs-cheat-sheet, 2020).
 * ARKit has no shape of its own for AU11 (nasolabial deepener), AU23 (lip tightener) or AU25 (lips part):
 * AU11 is read from mouthUpperUp (zygomaticus minor lifts the upper lip like AU10, Ozel), AU23 from
 * mouthPress (the orbicularis oris action nearest to it) and AU25 from the larger of jawOpen and
 * mouthLowerDown (lips part by the jaw or by the lower lip). Where this mapping is weak on the dev codes,
 * actionUnitModels.ts fits a small model instead (see docs/face-geometry.md).
 */
import { ESTIMATED_ACTION_UNITS } from '../../shared/faceGeometry';
import type { BlendshapeName } from './geometryModels';
import { BLENDSHAPE_NAMES } from './geometryModels';

/** Py-Feat's AU columns (feat.utils.FEAT_AU_COLUMNS order), as the document stores them. */
export const ACTION_UNITS = ESTIMATED_ACTION_UNITS;
export type ActionUnit = (typeof ACTION_UNITS)[number];

/** The AUs the mean AUC is judged on (the commonly coded ones). */
export const SCORED_ACTION_UNITS: readonly ActionUnit[] = [1, 2, 4, 5, 6, 7, 9, 12, 15, 17, 20, 23, 24, 25];

/** The blendshapes each AU is read from: the AU's value is their mean, or (`max`) the largest of the group means. */
export const AU_BLENDSHAPES: Record<ActionUnit, { shapes: readonly (readonly BlendshapeName[])[]; name: string }> = {
  1: { name: 'inner brow raiser', shapes: [['browInnerUp']] },
  2: { name: 'outer brow raiser', shapes: [['browOuterUpLeft', 'browOuterUpRight']] },
  4: { name: 'brow lowerer', shapes: [['browDownLeft', 'browDownRight']] },
  5: { name: 'upper lid raiser', shapes: [['eyeWideLeft', 'eyeWideRight']] },
  6: { name: 'cheek raiser', shapes: [['cheekSquintLeft', 'cheekSquintRight']] },
  7: { name: 'lid tightener', shapes: [['eyeSquintLeft', 'eyeSquintRight']] },
  9: { name: 'nose wrinkler', shapes: [['noseSneerLeft', 'noseSneerRight']] },
  10: { name: 'upper lip raiser', shapes: [['mouthUpperUpLeft', 'mouthUpperUpRight']] },
  11: { name: 'nasolabial deepener', shapes: [['mouthUpperUpLeft', 'mouthUpperUpRight']] },
  12: { name: 'lip corner puller', shapes: [['mouthSmileLeft', 'mouthSmileRight']] },
  14: { name: 'dimpler', shapes: [['mouthDimpleLeft', 'mouthDimpleRight']] },
  15: { name: 'lip corner depressor', shapes: [['mouthFrownLeft', 'mouthFrownRight']] },
  17: { name: 'chin raiser', shapes: [['mouthShrugLower']] },
  20: { name: 'lip stretcher', shapes: [['mouthStretchLeft', 'mouthStretchRight']] },
  23: { name: 'lip tightener', shapes: [['mouthPressLeft', 'mouthPressRight']] },
  24: { name: 'lip pressor', shapes: [['mouthPressLeft', 'mouthPressRight']] },
  25: { name: 'lips part', shapes: [['jawOpen'], ['mouthLowerDownLeft', 'mouthLowerDownRight']] },
  26: { name: 'jaw drop', shapes: [['jawOpen']] },
  28: { name: 'lip suck', shapes: [['mouthRollLower', 'mouthRollUpper']] },
  43: { name: 'eyes closed', shapes: [['eyeBlinkLeft', 'eyeBlinkRight']] },
};

const INDEX = new Map<string, number>(BLENDSHAPE_NAMES.map((n, i) => [n, i]));

/** The AU's value from the blendshapes alone (0-1). */
export function actionUnitFromBlendshapes(au: ActionUnit, blendshapes: ArrayLike<number>): number {
  const groups = AU_BLENDSHAPES[au].shapes.map((group) => group.reduce((sum, name) => sum + blendshapes[INDEX.get(name)!]!, 0) / group.length);
  return Math.max(...groups);
}

/** Every AU of ACTION_UNITS from the blendshapes, keyed by number. */
export function actionUnitsFromBlendshapes(blendshapes: ArrayLike<number>): Record<ActionUnit, number> {
  return Object.fromEntries(ACTION_UNITS.map((au) => [au, actionUnitFromBlendshapes(au, blendshapes)])) as Record<ActionUnit, number>;
}

/** `AU06`-style label (two digits, as OpenFace and Py-Feat name their columns). */
export function auLabel(au: number): string {
  return `AU${String(au).padStart(2, '0')}`;
}

/** The key an estimate is stored under (`AU06_estimate`): never to be mistaken for a FACS coder's AU06. */
export function actionUnitKey(au: ActionUnit): string {
  return `${auLabel(au)}_estimate`;
}

/** What a reader is shown: "AU06 cheek raiser (estimated from blendshapes)". */
export function actionUnitTitle(au: ActionUnit): string {
  return `${auLabel(au)} ${AU_BLENDSHAPES[au].name} (estimated from blendshapes)`;
}
