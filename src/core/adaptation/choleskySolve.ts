/**
 * Solves A x = b for a symmetric positive-definite A by Cholesky factorisation. The adaptation's Newton steps
 * solve systems of (labels x (labels + 1))^2 unknowns, 56 x 56 for seven labels: a library for that would be
 * heavier than the dozen lines it replaces. Throws when A is not positive definite (it always is here: the
 * penalty adds to the diagonal of a positive semi-definite Hessian).
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  return solveFactored(choleskyFactor(a, n), b, n);
}

/** The lower-triangular L with A = L L^T (row-major n x n); factor once, then solve for many right-hand sides. */
export function choleskyFactor(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(sum > 0)) throw new Error('matrix is not positive definite');
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Solves L L^T x = b for a factor from choleskyFactor. */
export function solveFactored(l: Float64Array, b: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}
