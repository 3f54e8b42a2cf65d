/**
 * ELAN's action-unit tiers: per face track and chosen AU, an annotation per run of consecutive samples whose AU
 * estimate is at least the AU's threshold, valued `AU12 0.78` (the AU and its mean estimate over the run). A
 * sample without geometry (not measured, or failed) ends a run. The AUs chosen are those whose estimate ranks the
 * CK+ dev frames' FACS codes with an AUC of at least 0.83 and that are coded at least 10 times there
 * (docs/face-geometry.md): 1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25.
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { actionUnitIndex, geometryMeasured } from '../../shared/faceGeometry';
import type { ESTIMATED_ACTION_UNITS } from '../../shared/faceGeometry';
import type { FinalLabels } from './finalLabels';
import { labelRuns, trackIds } from './finalLabels';

export const ELAN_ACTION_UNITS = [1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25] as const satisfies readonly (typeof ESTIMATED_ACTION_UNITS)[number][];
export type ElanActionUnit = (typeof ELAN_ACTION_UNITS)[number];

/**
 * Where an AU counts as present. The AUs estimated by the fitted model (2, 4, 6, 9, 15, 17, 20) are probabilities
 * that the AU is present: 0.5, more likely present than not. Those read from blendshapes (1, 5, 12, 25) are
 * movement intensities that stay small on the coded CK+ dev frames (median 0.31, 0.08, 0.90, 0.22 where coded,
 * 0.00 where not): the threshold with the best sensitivity + specificity there on a 0.05 grid, but at least 0.1,
 * above the blendshapes' noise (MediaPipe's runtime and ours agree within 0.013-0.021 on average).
 * `npm run eval` prints the sensitivity and specificity each threshold gives on those frames.
 */
export const ELAN_AU_THRESHOLDS: Readonly<Record<ElanActionUnit, number>> = { 1: 0.1, 2: 0.5, 4: 0.5, 5: 0.1, 6: 0.5, 9: 0.5, 12: 0.45, 15: 0.5, 17: 0.5, 20: 0.5, 25: 0.1 };

export interface ActionUnitTier {
  trackId: number;
  au: number;
  annotations: { startSec: number; endSec: number; value: string }[];
}

/** The tiers, track by track and AU by AU; none when the document has no geometry. */
export function actionUnitTiers(doc: AnnotationDocument, labels: FinalLabels): ActionUnitTier[] {
  if (doc.geometry.status !== 'ok') return [];
  return trackIds(labels).flatMap((trackId) => ELAN_ACTION_UNITS.map((au): ActionUnitTier => {
    const name = `AU${au}`;
    const index = actionUnitIndex(au);
    const value = (face: FinalLabels['frames'][number]['faces'][number]): number | undefined => (geometryMeasured(face.geometry) ? face.geometry.actionUnits[index] : undefined);
    // Each face labelled by whether the AU is present, so labelRuns finds the runs (and where the track pauses).
    const present: FinalLabels = { ...labels, frames: labels.frames.map((f) => ({ ...f, faces: f.faces.filter((face) => face.trackId === trackId).map((face) => ({ ...face, label: (value(face) ?? 0) >= ELAN_AU_THRESHOLDS[au] ? name : '' })) })) };
    const annotations = labelRuns(present).filter((run) => run.label === name).map((run) => {
      const mean = run.faces.reduce((sum, face) => sum + value(face)!, 0) / run.faces.length;
      return { startSec: run.startSec, endSec: run.endSec, value: `${name} ${mean.toFixed(2)}` };
    });
    return { trackId, au, annotations };
  }));
}
