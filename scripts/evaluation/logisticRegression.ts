/**
 * L2-regularised logistic regression by Newton's method (IRLS) on standardised features: small and exact
 * enough for a few dozen features and a hundred samples, so no library is needed. The intercept is not
 * penalised. Deterministic: same data, same coefficients.
 */
import type { LogisticModel } from '../../src/core/geometry/actionUnitModels';

export function fitLogistic(features: readonly (readonly number[])[], labels: readonly boolean[], lambda: number): LogisticModel {
  const n = features.length, d = features[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => features.reduce((s, x) => s + x[j]!, 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(features.reduce((s, x) => s + (x[j]! - mean[j]!) ** 2, 0) / n) || 1);
  const z = features.map((x) => [1, ...x.map((v, j) => (v - mean[j]!) / std[j]!)]);
  const w = new Array<number>(d + 1).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(d + 1).fill(0);
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-z[i]!.reduce((s, v, j) => s + v * w[j]!, 0)));
      const r = p - (labels[i] ? 1 : 0), weight = p * (1 - p);
      for (let a = 0; a <= d; a++) {
        gradient[a]! += r * z[i]![a]!;
        for (let b = a; b <= d; b++) hessian[a]![b]! += weight * z[i]![a]! * z[i]![b]!;
      }
    }
    for (let a = 1; a <= d; a++) {
      gradient[a]! += lambda * w[a]!;
      hessian[a]![a]! += lambda;
    }
    for (let a = 0; a <= d; a++) for (let b = 0; b < a; b++) hessian[a]![b] = hessian[b]![a]!;
    hessian[0]![0]! += 1e-9;
    const step = solve(hessian, gradient);
    let change = 0;
    for (let a = 0; a <= d; a++) {
      w[a]! -= step[a]!;
      change = Math.max(change, Math.abs(step[a]!));
    }
    if (change < 1e-10) break;
  }
  return { intercept: w[0]!, coefficients: w.slice(1), mean, std };
}

/** Gaussian elimination with partial pivoting (the Hessian is symmetric positive definite). */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}
