/**
 * The 68 points of the iBUG 300-W annotation (dlib's shape_predictor_68, OpenFace's and Py-Feat's x_0..x_67)
 * taken from the 478-point mesh. The correspondence is Peizhi Yan's MediaPipe-to-dlib table
 * (github PeizhiYan/Mediapipe_2_Dlib_Landmarks, mediapipe2dlib/mp2dlib.py, commit db9e81e, 2024): each
 * iBUG point is one mesh point, or the mean of two where the mesh has none on the spot (jaw 3, 4, 12; nose
 * bridge 27, 28). iBUG numbering from 0 here (the table counts from 1). One change, for left-right symmetry:
 * jaw point 13 is the mean of 361 and 288, the mirror image of point 3 (132 and 58); the table has 361 alone.
 * "Right" is the subject's right (the image's left in a frontal photo), as in iBUG.
 */

/** Mesh point(s) per iBUG point 0..67. */
export const IBUG68_FROM_MESH: readonly (readonly number[])[] = [
  // 0-16 jaw line, from the subject's right ear to the left
  [127], [234], [93], [132, 58], [58, 172], [136], [150], [176], [152], [400], [379], [365], [397, 288], [361, 288], [323], [454], [356],
  // 17-21 right brow, outer to inner; 22-26 left brow, inner to outer
  [70], [63], [105], [66], [107], [336], [296], [334], [293], [300],
  // 27-30 nose bridge, top to tip; 31-35 nostrils, right to left
  [168, 6], [197, 195], [5], [4], [75], [97], [2], [326], [305],
  // 36-41 right eye from the outer corner, clockwise; 42-47 left eye from the inner corner
  [33], [160], [158], [133], [153], [144], [362], [385], [387], [263], [373], [380],
  // 48-59 outer lip from the right corner, clockwise; 60-67 inner lip
  [61], [39], [37], [0], [267], [269], [291], [321], [314], [17], [84], [91],
  [78], [82], [13], [312], [308], [317], [14], [87],
];

/** The 68 points as x0, y0, x1, y1, ... from a mesh of x, y, z triples. */
export function ibug68FromMesh(mesh: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (const ids of IBUG68_FROM_MESH) {
    let x = 0, y = 0;
    for (const id of ids) {
      x += mesh[3 * id]!;
      y += mesh[3 * id + 1]!;
    }
    out.push(x / ids.length, y / ids.length);
  }
  return out;
}
