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

/**
 * How far the lips are apart in a frame's mesh (pixels): the inner-lip gap (13-14) over the outer eye corners'
 * distance (33-263), which does not change as the mouth opens, so the ratio follows the lips alone. Used at a
 * high frame rate for who is speaking, where only the mesh model runs (no head pose or blendshapes).
 */
export function lipAperture(mesh: ArrayLike<number>): number {
  const gap = Math.hypot(mesh[3 * 13]! - mesh[3 * 14]!, mesh[3 * 13 + 1]! - mesh[3 * 14 + 1]!);
  const eyes = Math.hypot(mesh[3 * 33]! - mesh[3 * 263]!, mesh[3 * 33 + 1]! - mesh[3 * 263 + 1]!);
  return eyes > 0 ? gap / eyes : Number.NaN;
}

/** The inner lip contour, in order round the mouth (mediapipe FACEMESH_LIPS, inner ring). */
const INNER_LIPS = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95];

/** The area inside the inner lips (shoelace, pixels²) over the outer eye corners' distance squared. */
export function lipArea(mesh: ArrayLike<number>): number {
  let twice = 0;
  INNER_LIPS.forEach((a, i) => {
    const b = INNER_LIPS[(i + 1) % INNER_LIPS.length]!;
    twice += mesh[3 * a]! * mesh[3 * b + 1]! - mesh[3 * b]! * mesh[3 * a + 1]!;
  });
  const eyes = Math.hypot(mesh[3 * 33]! - mesh[3 * 263]!, mesh[3 * 33 + 1]! - mesh[3 * 263 + 1]!);
  return eyes > 0 ? Math.abs(twice) / 2 / (eyes * eyes) : Number.NaN;
}

export function mouthMeasures(headFrame: ArrayLike<number>, jawOpen: number): MouthMeasures {
  const lipGapCm = distance(headFrame, 13, 14);
  const mouthWidthCm = distance(headFrame, 61, 291);
  return { lipGapCm, mouthWidthCm, openness: mouthWidthCm > 0 ? lipGapCm / mouthWidthCm : 0, jawOpen };
}
