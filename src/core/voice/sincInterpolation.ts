/**
 * Band-limited interpolation of a sampled curve (an autocorrelation) and the search for its true maximum
 * between samples, as Praat's pitch analysis refines its candidates: a sin(x)/x kernel tapered by a raised
 * cosine that reaches `depth` samples to each side (Praat's "sinc70" and "sinc700"), clipped at the array's
 * ends, where Praat falls back to cubic, linear and nearest-sample interpolation.
 */

/** Praat's names for the interpolation depths it uses. */
export const SINC30 = 30;
export const SINC70 = 70;
export const SINC700 = 700;

/** The value of `y` at the fractional index `x` (0-based). */
export function interpolateSinc(y: Float64Array, x: number, maxDepth: number): number {
  const n = y.length;
  if (n < 1) return NaN;
  if (x > n - 1) return y[n - 1]!;
  if (x < 0) return y[0]!;
  const midLeft = Math.floor(x);
  if (x === midLeft) return y[midLeft]!;
  const midRight = midLeft + 1;
  const depth = Math.min(maxDepth, midRight, n - 1 - midLeft);
  if (depth <= 0) return y[Math.floor(x + 0.5)]!;
  const phase = x - midLeft;
  if (depth === 1) return y[midLeft]! + phase * (y[midRight]! - y[midLeft]!);
  if (depth === 2) return cubic(y, midLeft, phase);
  return windowedSincSum(y, x, midLeft, depth);
}

/** Cubic through the two neighbours with central-difference slopes (Praat's depth-2 case). */
function cubic(y: Float64Array, midLeft: number, phase: number): number {
  const yl = y[midLeft]!, yr = y[midLeft + 1]!;
  const dyl = 0.5 * (yr - y[midLeft - 1]!), dyr = 0.5 * (y[midLeft + 2]! - yl);
  const fil = phase, fir = 1 - phase;
  return yl * fir + yr * fil - fil * fir * (0.5 * (dyr - dyl) + (fil - 0.5) * (dyl + dyr - 2 * (yr - yl)));
}

/**
 * sum y[i] sinc(x - i) w(x - i) over `depth` samples each side, w a raised cosine reaching zero one sample
 * beyond the last term on each side.
 */
function windowedSincSum(y: Float64Array, x: number, midLeft: number, depth: number): number {
  const midRight = midLeft + 1;
  // Left side: distances x - i = phase, phase + 1, ...; the taper reaches 0 one sample beyond the last term.
  const left = midRight - depth;
  const leftSum = taperedSide(y, midLeft, -1, midLeft - left + 1, Math.PI * (x - midLeft), x - left + 1);
  // Right side: distances i - x = 1 - phase, 2 - phase, ...
  const right = midLeft + depth;
  const rightSum = taperedSide(y, midRight, 1, right - midRight + 1, Math.PI * (midRight - x), right - x + 1);
  return 0.5 * Math.sin(Math.PI * (x - midLeft)) * (leftSum + rightSum);
}

/**
 * sum over `count` samples from `first` in `direction` of (-1)^m (1 + cos(a_m / width)) / a_m, with
 * a_m = a0 + m pi: sin(pi (x - i)) only alternates in sign from one sample to the next, so the common factor
 * is applied once by the caller, and the taper's cosine follows the Chebyshev recurrence
 * cos(t + s) = 2 cos(s) cos(t) - cos(t - s).
 */
function taperedSide(y: Float64Array, first: number, direction: number, count: number, a0: number, width: number): number {
  const step = Math.PI / width;
  const twiceCosStep = 2 * Math.cos(step);
  let c = Math.cos(a0 / width);
  let previous = Math.cos(a0 / width - step);
  let a = a0, sum = 0, i = first, sign = 1;
  for (let m = 0; m < count; m++) {
    sum += (sign * y[i]! * (1 + c)) / a;
    a += Math.PI;
    i += direction;
    sign = -sign;
    const next = twiceCosStep * c - previous;
    previous = c;
    c = next;
  }
  return sum;
}

export interface Maximum {
  /** Fractional index of the maximum. */
  x: number;
  value: number;
}

/**
 * The maximum of the interpolated curve between the samples either side of the local maximum `i` (what
 * Praat's NUMimproveMaximum finds with Brent's minimisation over [i - 1, i + 1], to about 1e-5 samples).
 * A band-limited peak is a parabola to high order near its top, so a parabola through three close points
 * around the current estimate lands next to the maximum: one round 0.05 samples wide, then one 0.001 wide
 * (its vertex is then within about 1e-7 samples), 7 evaluations of the interpolant instead of Brent's 13 or
 * so. Anything that does not look like a single smooth peak (a probe's curvature of the wrong sign, a step
 * larger than the round, a result outside the interval or below a probe) goes to Brent's search instead.
 */
export function improveMaximum(y: Float64Array, i: number, depth: number): Maximum {
  if (i <= 0) return { x: 0, value: y[0]! };
  if (i >= y.length - 1) return { x: y.length - 1, value: y[y.length - 1]! };
  return parabolicRefinement(y, i, depth) ?? brentOverNeighbours(y, i, depth);
}

const WIDE_PROBE = 0.05;
const NARROW_PROBE = 0.001;

function parabolicRefinement(y: Float64Array, i: number, depth: number): Maximum | undefined {
  const curvature0 = 2 * y[i]! - y[i - 1]! - y[i + 1]!;
  if (!(curvature0 > 0)) return undefined;
  let x = i + Math.max(-0.5, Math.min(0.5, (0.5 * (y[i + 1]! - y[i - 1]!)) / curvature0));
  let highest = -Infinity;
  for (const h of [WIDE_PROBE, NARROW_PROBE]) {
    const left = interpolateSinc(y, x - h, depth), mid = interpolateSinc(y, x, depth), right = interpolateSinc(y, x + h, depth);
    const curvature = 2 * mid - left - right;
    if (!(curvature > 0)) return undefined;
    const step = (0.5 * h * (right - left)) / curvature;
    if (!(Math.abs(step) <= h)) return undefined;
    highest = Math.max(highest, left, mid, right);
    x += step;
  }
  if (!(x > i - 1 && x < i + 1)) return undefined;
  const value = interpolateSinc(y, x, depth);
  return value >= highest ? { x, value } : undefined;
}

function brentOverNeighbours(y: Float64Array, i: number, depth: number): Maximum {
  return maximizeBrent((x) => interpolateSinc(y, x, depth), i - 1, i + 1, 1e-9);
}

const GOLDEN = 0.5 * (3 - Math.sqrt(5));
const SQRT_EPSILON = Math.sqrt(Number.EPSILON);

/**
 * Brent's method (golden sections with parabolic steps when they behave) for the maximum of `f` on [a, b],
 * to an absolute tolerance `tolerance` in x.
 */
export function maximizeBrent(f: (x: number) => number, a: number, b: number, tolerance: number): Maximum {
  // Minimise g = -f.
  let x = a + GOLDEN * (b - a);
  let w = x, v = x;
  let gx = -f(x);
  let gw = gx, gv = gx;
  let d = 0, e = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    const middle = 0.5 * (a + b);
    const tol1 = SQRT_EPSILON * Math.abs(x) + tolerance / 3;
    const tol2 = 2 * tol1;
    if (Math.abs(x - middle) <= tol2 - 0.5 * (b - a)) break;
    let golden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (gx - gv);
      let q = (x - v) * (gx - gw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = middle > x ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = x >= middle ? a - x : b - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const gu = -f(u);
    if (gu <= gx) {
      if (u >= x) a = x;
      else b = x;
      v = w; gv = gw;
      w = x; gw = gx;
      x = u; gx = gu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (gu <= gw || w === x) {
        v = w; gv = gw;
        w = u; gw = gu;
      } else if (gu <= gv || v === x || v === w) {
        v = u; gv = gu;
      }
    }
  }
  return { x, value: -gx };
}
