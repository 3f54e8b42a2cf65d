/** Stretches of a recording's time (speech spans, voice segments) and whether a moment falls in one. */

export interface TimeSpan {
  startSec: number;
  endSec: number;
}

/** Whether `timeSec` lies in one of the spans (ends included), each widened by `padSec` on both sides. */
export function withinSpans(timeSec: number, spans: readonly TimeSpan[], padSec = 0): boolean {
  return spans.some((s) => timeSec >= s.startSec - padSec && timeSec <= s.endSec + padSec);
}
