/**
 * ELAN's action-unit tiers: per face track and chosen AU, an annotation per run of consecutive samples whose AU
 * estimate is at least ELAN_AU_THRESHOLD, valued `AU12 0.78` (the AU and its mean estimate over the run). A sample
 * without geometry (not measured, or failed) ends a run. The AUs chosen are those whose estimate ranks the CK+
 * dev frames' FACS codes with an AUC of at least 0.83 and that are coded at least 10 times there
 * (docs/face-geometry.md): 1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25.
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { actionUnitIndex, geometryMeasured } from '../../shared/faceGeometry';
import type { ESTIMATED_ACTION_UNITS } from '../../shared/faceGeometry';
import type { FinalLabels } from './finalLabels';
import { labelRuns, trackIds } from './finalLabels';

export const ELAN_ACTION_UNITS: readonly (typeof ESTIMATED_ACTION_UNITS)[number][] = [1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25];
/**
 * Present from 0.5: for the AUs read by a fitted model the estimate is the probability that the AU is present
 * (0.5: more likely present than not); for the AUs read from blendshapes it is half the shape's full movement.
 */
export const ELAN_AU_THRESHOLD = 0.5;

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
    const present: FinalLabels = { ...labels, frames: labels.frames.map((f) => ({ ...f, faces: f.faces.filter((face) => face.trackId === trackId).map((face) => ({ ...face, label: (value(face) ?? 0) >= ELAN_AU_THRESHOLD ? name : '' })) })) };
    const annotations = labelRuns(present).filter((run) => run.label === name).map((run) => {
      const mean = run.faces.reduce((sum, face) => sum + value(face)!, 0) / run.faces.length;
      return { startSec: run.startSec, endSec: run.endSec, value: `${name} ${mean.toFixed(2)}` };
    });
    return { trackId, au, annotations };
  }));
}
