/**
 * Zero-phase exponential smoothing of one track's probabilities over time.
 * The whole track is known when we smooth, so a forward pass followed by a backward pass removes the lag a
 * single causal filter would add (labels would otherwise change a few frames after the face does).
 * A gap longer than `resetGapSec` restarts the filter so a face seen again later does not inherit stale values.
 */
export function smoothTrack(
  times: readonly number[],
  probs: readonly (readonly number[])[],
  timeConstantSec: number,
  resetGapSec = 1,
): number[][] {
  if (timeConstantSec <= 0) return probs.map((p) => [...p]);
  const forward = exponentialPass(times, probs, timeConstantSec, resetGapSec, 1);
  const both = exponentialPass(times, forward, timeConstantSec, resetGapSec, -1);
  return both.map(normalise);
}

function exponentialPass(
  times: readonly number[],
  probs: readonly (readonly number[])[],
  tau: number,
  resetGapSec: number,
  direction: 1 | -1,
): number[][] {
  const out: number[][] = new Array(probs.length);
  const order = direction === 1 ? range(probs.length) : range(probs.length).reverse();
  let state: number[] | undefined;
  let previousTime = 0;
  for (const i of order) {
    const p = probs[i]!;
    const dt = Math.abs(times[i]! - previousTime);
    if (!state || dt > resetGapSec) {
      state = [...p];
    } else {
      const alpha = 1 - Math.exp(-dt / tau);
      state = state.map((value, k) => value + alpha * (p[k]! - value));
    }
    previousTime = times[i]!;
    out[i] = state;
  }
  return out;
}

function normalise(vector: number[]): number[] {
  const sum = vector.reduce((a, b) => a + b, 0);
  return sum > 0 ? vector.map((v) => v / sum) : vector;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
