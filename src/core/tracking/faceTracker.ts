import type { Box } from '../../shared/annotationDocument';

export interface TrackerOptions {
  /** A track survives this long without a matching detection (missed or occluded frames). */
  maxGapSec: number;
  /** Minimum overlap (IoU) for a match when the centres are not close enough on their own. */
  minIou: number;
  /** Centre distance, relative to the face size, under which a detection may continue a track. */
  maxCentreDistance: number;
  /** Largest allowed size change between a track's last box and a detection (ratio of widths). */
  maxSizeRatio: number;
}

export const defaultTrackerOptions: TrackerOptions = {
  maxGapSec: 1.5,
  minIou: 0.2,
  maxCentreDistance: 0.8,
  maxSizeRatio: 2,
};

interface LiveTrack {
  id: number;
  box: Box;
  lastTimeSec: number;
}

/**
 * Follows faces across sampled frames and gives each person a stable track id.
 * Matching is greedy on a cost that mixes overlap and centre distance: at 5 sampled frames per second a
 * moving head can shift more than its own overlap allows, so distance alone may also continue a track.
 */
export class FaceTracker {
  private readonly live: LiveTrack[] = [];
  private nextId = 1;

  constructor(private readonly options: TrackerOptions = defaultTrackerOptions) {}

  /** Assigns a track id to each box of one frame; frames must arrive in time order. */
  assign(timeSec: number, boxes: readonly Box[]): number[] {
    this.expire(timeSec);
    const candidates = this.candidatePairs(boxes);
    const ids = new Array<number>(boxes.length).fill(0);
    const usedTracks = new Set<number>();
    for (const { track, detection } of candidates) {
      if (ids[detection] !== 0 || usedTracks.has(track)) continue;
      const live = this.live[track]!;
      ids[detection] = live.id;
      usedTracks.add(track);
      live.box = boxes[detection]!;
      live.lastTimeSec = timeSec;
    }
    return ids.map((id, detection) => (id !== 0 ? id : this.startTrack(boxes[detection]!, timeSec)));
  }

  private expire(timeSec: number): void {
    for (let i = this.live.length - 1; i >= 0; i--) {
      if (timeSec - this.live[i]!.lastTimeSec > this.options.maxGapSec) this.live.splice(i, 1);
    }
  }

  /** All admissible (track, detection) pairs, cheapest first. */
  private candidatePairs(boxes: readonly Box[]): { track: number; detection: number; cost: number }[] {
    const pairs: { track: number; detection: number; cost: number }[] = [];
    this.live.forEach((live, track) => {
      boxes.forEach((box, detection) => {
        const cost = this.matchCost(live.box, box);
        if (cost !== undefined) pairs.push({ track, detection, cost });
      });
    });
    return pairs.sort((a, b) => a.cost - b.cost);
  }

  /** Lower is better; undefined when the two boxes cannot be the same face. */
  private matchCost(previous: Box, next: Box): number | undefined {
    const sizeRatio = Math.max(previous[2], next[2]) / Math.max(1e-6, Math.min(previous[2], next[2]));
    if (sizeRatio > this.options.maxSizeRatio) return undefined;
    const overlap = iou(previous, next);
    const distance = centreDistance(previous, next) / Math.max(1e-6, (previous[2] + next[2]) / 2);
    if (overlap < this.options.minIou && distance > this.options.maxCentreDistance) return undefined;
    return (1 - overlap) + distance;
  }

  private startTrack(box: Box, timeSec: number): number {
    const id = this.nextId++;
    this.live.push({ id, box, lastTimeSec: timeSec });
    return id;
  }
}

export function iou(a: Box, b: Box): number {
  const x1 = Math.max(a[0], b[0]);
  const y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]);
  const y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const intersection = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a[2] * a[3] + b[2] * b[3] - intersection;
  return union > 0 ? intersection / union : 0;
}

function centreDistance(a: Box, b: Box): number {
  return Math.hypot(a[0] + a[2] / 2 - (b[0] + b[2] / 2), a[1] + a[3] / 2 - (b[1] + b[3] / 2));
}
