/**
 * "On these faces, trust that network", with few parameters: the default's log-probabilities plus a shift per
 * label and a weight on each expression model's own (centred) log-probabilities,
 *   adapted = softmax(log p + b + sum_m a_m c_m).
 * `members` fits one weight per model (9 numbers with two models and seven labels), `member-diagonal` one per
 * model and label (21). The stacked model's 483 need hundreds of corrections; these learn from a few dozen which
 * network to believe. Written as a stacked model (its V holds these weights on the member columns, zeros
 * elsewhere), so documents store and replay it as they do the stacked form.
 */
import type { FeatureFace, StackedParameters } from './stackedModel';
import { fitDirections } from './recalibration';

export type MemberForm = 'members' | 'member-diagonal';
export const MEMBER_FORMS: readonly MemberForm[] = ['members', 'member-diagonal'];

const MIN_PROB = 1e-6;

/** How many numbers a member form fits. */
export function memberParameterCount(form: MemberForm, classes: number, members: number): number {
  return classes + (form === 'members' ? members : members * classes);
}

/** Fits the form on faces whose features start with `members` blocks of `classes` centred log-probabilities. */
export function fitMemberWeights(faces: readonly FeatureFace[], classes: number, members: number, penalty: number, form: MemberForm): StackedParameters {
  const prepared = faces.map((face) => ({
    base: Float64Array.from({ length: classes }, (_, k) => Math.log(Math.max(face.probs[k] ?? 0, MIN_PROB))),
    basis: directions(face.features, classes, members, form),
    label: face.label,
  }));
  const theta = fitDirections(prepared, classes, penalty, memberParameterCount(form, classes, members));
  const width = faces[0]?.features.length ?? members * classes;
  const featureWeights = Array.from({ length: classes }, () => new Array<number>(width).fill(0));
  for (let m = 0; m < members; m++) {
    for (let k = 0; k < classes; k++) featureWeights[k]![m * classes + k] = form === 'members' ? theta[classes + m]! : theta[classes + m * classes + k]!;
  }
  return { bias: Array.from(theta.subarray(0, classes)), featureWeights };
}

/** Per parameter, how it moves the K logits: a label's shift, then a model's log-probabilities (whole, or one label's). */
function directions(features: readonly number[], classes: number, members: number, form: MemberForm): Float64Array[] {
  const unit = (c: number, value = 1) => Float64Array.from({ length: classes }, (_, k) => (k === c ? value : 0));
  const out = Array.from({ length: classes }, (_, c) => unit(c));
  for (let m = 0; m < members; m++) {
    const own = features.slice(m * classes, (m + 1) * classes);
    if (form === 'members') out.push(Float64Array.from(own));
    else for (let c = 0; c < classes; c++) out.push(unit(c, own[c]!));
  }
  return out;
}
