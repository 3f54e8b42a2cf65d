/**
 * Mouth measures per face and frame, for telling who is speaking (lips that open and close over time):
 * distances in the head's own frame (centimetres, headPose.ts), so they do not change with head turn or
 * distance to the camera, plus the jawOpen blendshape. Inner-lip midpoints 13 (upper) and 14 (lower),
 * mouth corners 61 and 291 (mediapipe face_mesh_connections.py FACEMESH_LIPS).
 */
export interface MouthMeasures {
  /** Gap between the inner lips at the centre, cm (0 when closed). */
  lipGapCm: number;
  /** Corner to corner, cm. */
  mouthWidthCm: number;
  /** lipGap / mouthWidth: scale-free opening. */
  openness: number;
  /** The jawOpen blendshape, 0-1. */
  jawOpen: number;
}

const distance = (p: ArrayLike<number>, a: number, b: number): number =>
  Math.hypot(p[3 * a]! - p[3 * b]!, p[3 * a + 1]! - p[3 * b + 1]!, p[3 * a + 2]! - p[3 * b + 2]!);

export function mouthMeasures(headFrame: ArrayLike<number>, jawOpen: number): MouthMeasures {
  const lipGapCm = distance(headFrame, 13, 14);
  const mouthWidthCm = distance(headFrame, 61, 291);
  return { lipGapCm, mouthWidthCm, openness: mouthWidthCm > 0 ? lipGapCm / mouthWidthCm : 0, jawOpen };
}
