// How far decoding got, compared with what the container promises: a truncated file (a copy cut short, a
// recording whose tail is broken) decodes without an error up to where its data stops, and a reader would
// otherwise take the missing part for "no face" or "no speech".
import { formatSeconds } from '../../shared/textFormat';
import type { MediaProbe } from './mediaTypes';

export interface DecodedExtent {
  /** End of the last decoded video frame (its time plus one frame), from the media start. */
  video?: number;
  /** End of the decoded audio, from the media start. */
  audio?: number;
}

/** Gaps shorter than this are ordinary (streams rarely end on the same millisecond). */
const MIN_GAP_SEC = 1;

/** The end of the last delivered frame: its time plus one source frame (a sampled frame stands for one frame). */
export function videoExtent(lastFrameTimeSec: number | undefined, probe: Pick<MediaProbe, 'fps'>): number | undefined {
  if (lastFrameTimeSec === undefined) return undefined;
  return round3(lastFrameTimeSec + (probe.fps > 0 ? 1 / probe.fps : 0));
}

/**
 * One warning per stream that stopped well before the container's end for it, e.g. "video ends at 8.1 s of
 * 26.1 s: the file looks truncated". `sampleIntervalSec` widens the allowance for video, since the last
 * sampled frame can sit up to one interval before the end.
 */
export function truncationWarnings(probe: Pick<MediaProbe, 'kind' | 'durationSec' | 'videoEndSec' | 'audioEndSec'>, extent: DecodedExtent, sampleIntervalSec: number): string[] {
  if (probe.kind === 'image') return [];
  const warnings: string[] = [];
  const check = (stream: 'video' | 'audio', decoded: number | undefined, expected: number | undefined, allowance: number) => {
    if (decoded === undefined || expected === undefined || !(expected > 0)) return;
    if (expected - decoded > Math.max(MIN_GAP_SEC, allowance)) {
      warnings.push(`${stream} ends at ${formatSeconds(decoded)} of ${formatSeconds(expected)}: the file looks truncated (the rest was not analysed; copy or export it again)`);
    }
  };
  check('video', extent.video, probe.videoEndSec ?? probe.durationSec, 2 * sampleIntervalSec);
  check('audio', extent.audio, probe.audioEndSec, 0);
  return warnings;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
