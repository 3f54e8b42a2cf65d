/** The track summary strip: each person's dominant final label, how much of the track is reviewed, and what the adaptation changes. Pure. */
import type { RowTable } from './labelRowsModel';
import { adaptedDiffers, finalLabelOf, NO_LABEL } from './labelRowsModel';

export interface TrackSummaryRow {
  trackId: number;
  frames: number;
  /** Most frequent final label (human over model); '' for a track without known labels. */
  dominantLabel: string;
  /** Its share of the track's frames. */
  dominantShare: number;
  /** Faces carrying a human label. */
  reviewed: number;
  reviewedShare: number;
  /** Faces without a human label whose adapted label differs from the model's (0 without an adaptation). */
  adaptedChanges: number;
  firstSec: number;
  lastSec: number;
}

export function trackSummaries(table: RowTable, human: Int16Array): TrackSummaryRow[] {
  const labelCount = table.labels.length;
  const index = new Map(table.trackIds.map((id, i) => [id, i]));
  const counts = table.trackIds.map(() => new Int32Array(labelCount));
  const stats = table.trackIds.map((trackId) => ({ trackId, frames: 0, reviewed: 0, adaptedChanges: 0, firstSec: Infinity, lastSec: -Infinity }));
  for (let row = 0; row < table.count; row++) {
    const i = index.get(table.trackId[row]!)!;
    const s = stats[i]!;
    s.frames++;
    if (human[row] !== NO_LABEL) s.reviewed++;
    else if (adaptedDiffers(table, row)) s.adaptedChanges++;
    const t = table.timeSec[row]!;
    if (t < s.firstSec) s.firstSec = t;
    if (t > s.lastSec) s.lastSec = t;
    const label = finalLabelOf(table, human, row);
    if (label !== NO_LABEL) counts[i]![label]!++;
  }
  return stats.map((s, i) => {
    const c = counts[i]!;
    let best = -1;
    for (let l = 0; l < labelCount; l++) if (c[l]! > 0 && (best < 0 || c[l]! > c[best]!)) best = l;
    return {
      ...s,
      dominantLabel: best < 0 ? '' : table.labels[best]!,
      dominantShare: best < 0 || s.frames === 0 ? 0 : c[best]! / s.frames,
      reviewedShare: s.frames === 0 ? 0 : s.reviewed / s.frames,
    };
  });
}
