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

/** Mesh points of the jaw-drop measure: nose tip, chin (lowest point of the jaw line), outer eye corners. */
const NOSE_TIP = 1, CHIN = 152, EYE_OUTER_RIGHT = 33, EYE_OUTER_LEFT = 263;

/**
 * How far the jaw is dropped, from the face mesh alone: the nose-tip-to-chin distance over the distance between
 * the outer eye corners, both in 3-D (the mesh's x, y and z on one scale), so the face's size and a turn or tilt of
 * the head hardly change it while an opening jaw moves the chin away from the nose (on the canonical face: 1 cm of
 * chin +11 %, 25 degrees of turn 3 %, a 15 degree nod 7-8 %, and slow nods fall under the syllable band). On
 * the single-face dev clips it followed the voice better than jawOpen and the lip gaps (docs/voice.md, "Who is
 * speaking"); the same distance in the head's own frame (pose removed) followed it about as well but let the
 * silent Pexels face follow a voice-over (z 2.9), so the pose fit seems to add motion of its own.
 */
export function jawDrop(mesh: ArrayLike<number>): number {
  const eyes = distance(mesh, EYE_OUTER_RIGHT, EYE_OUTER_LEFT);
  return eyes > 0 ? distance(mesh, NOSE_TIP, CHIN) / eyes : Number.NaN;
}
