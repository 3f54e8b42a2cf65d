/**
 * Which label a face ends up with, the same in every export, the review panel and the notebook renderer: a
 * reviewer's correction, else the suggestion of the model adapted to the corrections, else the model's own
 * label. Corrections and suggestions name the face they label by its frame index and track id. Pure.
 */

/** Where a final label comes from, in order of precedence: a reviewer, the model adapted to their corrections, the model. */
export type LabelSource = 'human' | 'adapted' | 'model';

/** The source of a face's final label, from whether it has a human label and an adapted suggestion. */
export function finalLabelSource(hasHuman: boolean, hasAdapted: boolean): LabelSource {
  return hasHuman ? 'human' : hasAdapted ? 'adapted' : 'model';
}

/** A face's final label: the human one, else the adapted one, else the model's (undefined: there is none). */
export function finalLabel<L>(human: L | undefined, adapted: L | undefined, model: L): L {
  return human !== undefined ? human : adapted !== undefined ? adapted : model;
}

/** `frameIndex:trackId`: the face a correction or suggestion labels (one frame, one track). */
export function faceKey(frameIndex: number, trackId: number): string {
  return `${frameIndex}:${trackId}`;
}
