/**
 * The dataset table's face-geometry columns (dataset.faces.*): whether the geometry was measured, then every
 * measure of the document under its own name (pose, gaze, mouth, the AU estimates as the document names them,
 * the 51 blendshapes); all null for a face without geometry.
 */
import type { FaceGeometryMeasures } from '../../shared/faceGeometry';
import { ACTION_UNIT_FIELDS, BLENDSHAPES, geometryMeasured } from '../../shared/faceGeometry';
import type { Cell, ColumnSpec } from './datasetColumns';
import type { FinalFace } from './finalLabels';

/** The dataset table's geometry columns: status, presence, pose, gaze, mouth, AU estimates, blendshapes. */
const MEASURE_COLUMNS: { name: string; of: (g: FaceGeometryMeasures) => number }[] = [
  { name: 'geometry_presence', of: (g) => g.presence },
  ...['pose_yaw_deg', 'pose_pitch_deg', 'pose_roll_deg', 'pose_x_cm', 'pose_y_cm', 'pose_z_cm'].map((name, i) => ({ name, of: (g: FaceGeometryMeasures) => g.pose[i]! })),
  ...['gaze_right_yaw_deg', 'gaze_right_pitch_deg', 'gaze_left_yaw_deg', 'gaze_left_pitch_deg', 'gaze_yaw_deg', 'gaze_pitch_deg'].map((name, i) => ({ name, of: (g: FaceGeometryMeasures) => g.gaze[i]! })),
  ...['mouth_lip_gap_cm', 'mouth_width_cm', 'mouth_openness'].map((name, i) => ({ name, of: (g: FaceGeometryMeasures) => g.mouth[i]! })),
  ...ACTION_UNIT_FIELDS.map((name, i) => ({ name, of: (g: FaceGeometryMeasures) => g.actionUnits[i]! })),
  ...BLENDSHAPES.map((shape, i) => ({ name: `blendshape_${shape}`, of: (g: FaceGeometryMeasures) => g.blendshapes[i]! })),
];

export const DATASET_GEOMETRY_COLUMNS: readonly ColumnSpec[] = [
  { name: 'geometry_status', type: 'string' },
  { name: 'geometry_reason', type: 'string' },
  ...MEASURE_COLUMNS.map((c): ColumnSpec => ({ name: c.name, type: 'float64' })),
];

/** `ok` with every measure, `failed` with its reason, or all null when the geometry was not measured. */
export function datasetGeometryCells(face: FinalFace): Cell[] {
  const geometry = face.geometry;
  if (geometryMeasured(geometry)) return ['ok', null, ...MEASURE_COLUMNS.map((c) => c.of(geometry))];
  const none = MEASURE_COLUMNS.map((): Cell => null);
  return geometry ? ['failed', geometry.reason, ...none] : [null, null, ...none];
}
