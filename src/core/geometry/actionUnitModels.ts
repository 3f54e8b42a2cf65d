/**
 * Action-unit estimates: the blendshape mapping (actionUnits.ts) for most AUs, and for the AUs it reads
 * poorly a small logistic regression on blendshapes and landmark geometry, fitted on the CK+ dev codes by
 * scripts/evaluation/actionUnits.ts (cross-validated by person) and stored with its provenance in
 * actionUnitModels.json. A fitted AU's value is its probability of being present (0-1).
 */
import type { ActionUnit } from './actionUnits';
import { ACTION_UNITS, actionUnitFromBlendshapes } from './actionUnits';
import { BLENDSHAPE_NAMES } from './geometryModels';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FITTED = require('./actionUnitModels.json') as FittedActionUnits;

export interface LogisticModel {
  intercept: number;
  /** One per AU_FEATURE_NAMES entry, on standardised features. */
  coefficients: number[];
  mean: number[];
  std: number[];
}

export interface FittedActionUnits {
  /** How, on what and when the models were fitted, and their cross-validated AUCs. */
  provenance: Record<string, unknown>;
  features: string[];
  /** By AU number; AUs absent here use the blendshape mapping. */
  models: Record<string, LogisticModel>;
}

/**
 * Landmark distances in the head frame (cm; headPose.ts), each a movement some AU makes: brow heights over
 * the eyes (AU1, AU2, AU4), eye opening (AU5, AU7, AU43), lip-corner height against the lip centre (AU12,
 * AU15), mouth width (AU12, AU20), lip gap and jaw (AU25, AU26), upper lip to nose (AU9, AU10), lower lip to
 * chin (AU17). Left and right are averaged.
 */
const GEOMETRY_FEATURES: Record<string, (p: ArrayLike<number>) => number> = {
  innerBrowHeight: (p) => mean(dy(p, 107, 133), dy(p, 336, 362)),
  outerBrowHeight: (p) => mean(dy(p, 70, 33), dy(p, 300, 263)),
  browGap: (p) => dist(p, 107, 336),
  eyeOpening: (p) => mean(dist(p, 159, 145), dist(p, 386, 374)),
  lipCornerHeight: (p) => mean(dy(p, 61, 0), dy(p, 291, 0)) - dy(p, 17, 0) / 2,
  mouthWidth: (p) => dist(p, 61, 291),
  lipGap: (p) => dist(p, 13, 14),
  jawDrop: (p) => dist(p, 1, 152),
  upperLipToNose: (p) => dist(p, 2, 0),
  lowerLipToChin: (p) => dist(p, 17, 152),
};

export const AU_FEATURE_NAMES: readonly string[] = [...BLENDSHAPE_NAMES.slice(1), ...Object.keys(GEOMETRY_FEATURES)];

/** The features a fitted model reads: the 51 blendshapes (not _neutral), then GEOMETRY_FEATURES. */
export function actionUnitFeatures(blendshapes: ArrayLike<number>, headFrame: ArrayLike<number>): number[] {
  return [...Array.from(blendshapes).slice(1), ...Object.values(GEOMETRY_FEATURES).map((f) => f(headFrame))];
}

export function logisticProbability(model: LogisticModel, features: readonly number[]): number {
  let z = model.intercept;
  model.coefficients.forEach((c, i) => (z += (c * (features[i]! - model.mean[i]!)) / (model.std[i] || 1)));
  return 1 / (1 + Math.exp(-z));
}

/** Every AU: fitted where actionUnitModels.json has a model, from the blendshapes otherwise. */
export function estimateActionUnits(blendshapes: ArrayLike<number>, headFrame: ArrayLike<number>, fitted: FittedActionUnits = FITTED): Record<ActionUnit, number> {
  const features = Object.keys(fitted.models).length > 0 ? actionUnitFeatures(blendshapes, headFrame) : [];
  return Object.fromEntries(ACTION_UNITS.map((au) => {
    const model = fitted.models[String(au)];
    return [au, model ? logisticProbability(model, features) : actionUnitFromBlendshapes(au, blendshapes)];
  })) as Record<ActionUnit, number>;
}

/** How each AU is estimated under the shipped models. */
export function actionUnitMethod(au: ActionUnit, fitted: FittedActionUnits = FITTED): 'blendshapes' | 'fitted' {
  return fitted.models[String(au)] ? 'fitted' : 'blendshapes';
}

/** y of a minus y of b: up is positive in the head frame. */
function dy(p: ArrayLike<number>, a: number, b: number): number {
  return p[3 * a + 1]! - p[3 * b + 1]!;
}

function dist(p: ArrayLike<number>, a: number, b: number): number {
  return Math.hypot(p[3 * a]! - p[3 * b]!, p[3 * a + 1]! - p[3 * b + 1]!, p[3 * a + 2]! - p[3 * b + 2]!);
}

function mean(a: number, b: number): number {
  return (a + b) / 2;
}
