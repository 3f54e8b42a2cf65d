/**
 * How the panel and the notebook renderer name and pick action units: the FACS names of the estimated AUs and
 * the set shown until a reviewer picks others. The estimates themselves are in faceGeometry.ts.
 */

/** What is shown by default: smile (12, 6), frown (4), brows up (1, 2), lips apart (25). */
export const DEFAULT_ACTION_UNITS: readonly number[] = [12, 6, 4, 1, 2, 25];

/** FACS names of the estimated AUs (ESTIMATED_ACTION_UNITS), for pickers and tooltips. */
export const ACTION_UNIT_NAMES: Readonly<Record<number, string>> = {
  1: 'inner brow raiser', 2: 'outer brow raiser', 4: 'brow lowerer', 5: 'upper lid raiser', 6: 'cheek raiser', 7: 'lid tightener',
  9: 'nose wrinkler', 10: 'upper lip raiser', 11: 'nasolabial deepener', 12: 'lip corner puller', 14: 'dimpler', 15: 'lip corner depressor',
  17: 'chin raiser', 20: 'lip stretcher', 23: 'lip tightener', 24: 'lip pressor', 25: 'lips part', 26: 'jaw drop', 28: 'lip suck', 43: 'eyes closed',
};

/** `AU12`: an estimate's short name (the document's field, `AU12_estimate`, says it is an estimate; captions say so once). */
export const auName = (au: number): string => `AU${String(au).padStart(2, '0')}`;
