/**
 * Weighted orthogonal Procrustes (rotation + uniform scale + translation), as MediaPipe's face geometry
 * solves it (mediapipe/tasks/cc/vision/face_geometry/libs/procrustes_solver.cc, after Akca 2003 §2.4):
 * square-root weights, weighted centring of the source, SVD of B_w · A_cᵀ, the reflection removed by
 * flipping U's column of the smallest singular value, scale = trace ratio, translation from the weighted
 * residual. Points are flat x, y, z lists; matrices are row-major 3x3 or 4x4.
 */

export type Matrix3 = [number, number, number, number, number, number, number, number, number];

export interface SimilarityTransform {
  /** Row-major 4x4: [sR | t; 0 0 0 1]. */
  matrix: number[];
  scale: number;
  /** The pure rotation (row-major 3x3). */
  rotation: Matrix3;
  translation: [number, number, number];
}

/** The transform taking `source` onto `target` that minimises Σ w_i |s R a_i + t − b_i|². */
export function solveWeightedProcrustes(source: ArrayLike<number>, target: ArrayLike<number>, weights: ArrayLike<number>): SimilarityTransform {
  const { used, sqrtW } = weightsOf(weights);
  let total = 0;
  const centre = [0, 0, 0];
  for (const i of used) {
    const w = weights[i]!;
    total += w;
    for (let k = 0; k < 3; k++) centre[k]! += w * source[3 * i + k]!;
  }
  if (!(total > 0)) throw new Error('Procrustes weights sum to zero');
  for (let k = 0; k < 3; k++) centre[k]! /= total;
  // design = Σ (√w b_i)(√w (a_i − c))ᵀ, numerator/denominator of the scale as MediaPipe's Hadamard sums.
  const design = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  let denominator = 0;
  for (const i of used) {
    const s = sqrtW[i]!;
    for (let r = 0; r < 3; r++) {
      const b = s * target[3 * i + r]!;
      for (let c = 0; c < 3; c++) design[3 * r + c]! += b * s * (source[3 * i + c]! - centre[c]!);
    }
    for (let k = 0; k < 3; k++) denominator += s * (source[3 * i + k]! - centre[k]!) * s * source[3 * i + k]!;
  }
  const rotation = optimalRotation(design as Matrix3);
  let numerator = 0;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) numerator += rotation[3 * r + c]! * design[3 * r + c]!;
  const scale = numerator / denominator;
  if (!(denominator > 1e-9) || !(scale > 1e-9)) throw new Error('Procrustes problem is degenerate');
  const translation = [0, 0, 0];
  for (const i of used) {
    const w = weights[i]!;
    for (let r = 0; r < 3; r++) {
      let mapped = 0;
      for (let c = 0; c < 3; c++) mapped += rotation[3 * r + c]! * source[3 * i + c]!;
      translation[r]! += w * (target[3 * i + r]! - scale * mapped);
    }
  }
  for (let r = 0; r < 3; r++) translation[r]! /= total;
  const matrix = [
    scale * rotation[0], scale * rotation[1], scale * rotation[2], translation[0]!,
    scale * rotation[3], scale * rotation[4], scale * rotation[5], translation[1]!,
    scale * rotation[6], scale * rotation[7], scale * rotation[8], translation[2]!,
    0, 0, 0, 1,
  ];
  return { matrix, scale, rotation, translation: translation as [number, number, number] };
}

const prepared = new WeakMap<object, { used: number[]; sqrtW: Float64Array }>();

/** The indices of non-zero weights (points of weight 0 add nothing: the face's 33 basis landmarks of 468 are all that is read) and their square roots, once per weights array. */
function weightsOf(weights: ArrayLike<number>): { used: number[]; sqrtW: Float64Array } {
  const known = prepared.get(weights as object);
  if (known) return known;
  const result = { used: Array.from({ length: weights.length }, (_, i) => i).filter((i) => weights[i]! > 0), sqrtW: Float64Array.from({ length: weights.length }, (_, i) => Math.sqrt(weights[i]!)) };
  prepared.set(weights as object, result);
  return result;
}

/** U Vᵀ from the SVD of `m`, with det = +1 (U's last column flipped when needed). */
export function optimalRotation(m: Matrix3): Matrix3 {
  const { u, v } = svd3(m);
  if (det3(u) * det3(v) < 0) for (let r = 0; r < 3; r++) u[3 * r + 2] = -u[3 * r + 2]!;
  return multiply3(u, transpose3(v));
}

/**
 * SVD of a 3x3 matrix by one-sided Jacobi (Hestenes): columns of A V are orthogonalised by plane rotations,
 * singular values sorted descending. A rank-deficient U is completed by a cross product.
 */
export function svd3(m: Matrix3): { u: Matrix3; s: [number, number, number]; v: Matrix3 } {
  const a = [...m];
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < 2; p++) {
      for (let q = p + 1; q < 3; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let r = 0; r < 3; r++) {
          alpha += a[3 * r + p]! ** 2;
          beta += a[3 * r + q]! ** 2;
          gamma += a[3 * r + p]! * a[3 * r + q]!;
        }
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta || 1));
        if (Math.abs(gamma) < 1e-300) continue;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (const mat of [a, v]) {
          for (let r = 0; r < 3; r++) {
            const x = mat[3 * r + p]!, y = mat[3 * r + q]!;
            mat[3 * r + p] = c * x - s * y;
            mat[3 * r + q] = s * x + c * y;
          }
        }
      }
    }
    if (off < 1e-15) break;
  }
  const norms = [0, 1, 2].map((c) => Math.hypot(a[c]!, a[3 + c]!, a[6 + c]!));
  const order = [0, 1, 2].sort((i, j) => norms[j]! - norms[i]!);
  const u = new Array<number>(9).fill(0), vs = new Array<number>(9).fill(0);
  order.forEach((col, k) => {
    for (let r = 0; r < 3; r++) {
      u[3 * r + k] = norms[col]! > 1e-12 ? a[3 * r + col]! / norms[col]! : 0;
      vs[3 * r + k] = v[3 * r + col]!;
    }
  });
  if (norms[order[2]!]! <= 1e-12) {
    // Third left vector: orthogonal to the first two.
    u[2] = u[3]! * u[7]! - u[6]! * u[4]!;
    u[5] = u[6]! * u[1]! - u[0]! * u[7]!;
    u[8] = u[0]! * u[4]! - u[3]! * u[1]!;
  }
  return { u: u as Matrix3, s: order.map((i) => norms[i]!) as [number, number, number], v: vs as Matrix3 };
}

export function det3(m: ArrayLike<number>): number {
  return m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
}

export function transpose3(m: ArrayLike<number>): Matrix3 {
  return [m[0]!, m[3]!, m[6]!, m[1]!, m[4]!, m[7]!, m[2]!, m[5]!, m[8]!];
}

export function multiply3(a: ArrayLike<number>, b: ArrayLike<number>): Matrix3 {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[3 * r + c]! += a[3 * r + k]! * b[3 * k + c]!;
  return out as Matrix3;
}
