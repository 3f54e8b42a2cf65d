/** The transcript as the panel shows it: status line, the word at a time, colour of a sentiment. Pure. */
import type { SentimentLabel, Transcript, Word } from '../shared/annotationDocument';
import { plural } from '../shared/textFormat';
import type { RowTable } from './labelRowsModel';

/** One line about the transcript: what there is, or why there is none. */
export function transcriptStatusText(transcript: Transcript): string {
  if (transcript.status === 'ok') {
    const engine = transcript.engine ? ` (${transcript.engine}${transcript.model ? `, ${transcript.model.id}` : ''})` : '';
    if (transcript.words.length === 0) return `No speech was recognised${engine}.`;
    return `Transcript: ${plural(transcript.utterances.length, 'utterance')}, ${plural(transcript.words.length, 'word')}${engine}.`;
  }
  const why: Record<Exclude<Transcript['status'], 'ok'>, string> = {
    unavailable: 'no speech model is available',
    'no-audio': 'the file has no audio',
    disabled: 'speech analysis was turned off (setting emotionLens.speech)',
    failed: 'speech recognition failed',
  };
  const reason = transcript.reason ? `: ${transcript.reason}` : '';
  return `No transcript, ${why[transcript.status]}${reason}.`;
}

/** A missing model is something the reviewer can fix from the panel; no audio or a switched-off setting is not. */
export function offersVoskModelChoice(transcript: Transcript): boolean {
  return transcript.status === 'unavailable' || transcript.status === 'failed';
}

/** Words may end a little before the next starts: a word stays current through such a pause up to this long. */
const WORD_HOLD_SEC = 0.25;

/** A seek to a word's start can land a hair before it (media elements round their time): that is the word still. */
const WORD_START_SLACK_SEC = 1e-3;

/** Index of the word being spoken at `timeSec`, or -1 (binary search: words are in time order). */
export function wordIndexAt(words: readonly Word[], timeSec: number): number {
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]!.startSec <= timeSec + WORD_START_SLACK_SEC) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1;
  return timeSec <= words[found]!.endSec + WORD_HOLD_SEC ? found : -1;
}

/** The theme variable for a sentiment (the same colours the sentiment chart uses). */
export function sentimentColorVariable(label: SentimentLabel): string {
  return label === 'positive' ? '--vscode-charts-green' : label === 'negative' ? '--vscode-charts-red' : '--vscode-charts-lines';
}

/**
 * Where in the shown rows (`order`: row indices in table order) the speaker's face is when an utterance starts:
 * the track's first row at or after `timeSec`, else its last before it; -1 when the track has no row shown.
 */
export function speakerRowPosition(table: Pick<RowTable, 'trackId' | 'timeSec'>, order: Int32Array, trackId: number, timeSec: number): number {
  let before = -1;
  for (let p = 0; p < order.length; p++) {
    const row = order[p]!;
    if (table.trackId[row] !== trackId) continue;
    if (table.timeSec[row]! >= timeSec - 5e-7) return before >= 0 && timeSec - table.timeSec[order[before]!]! < table.timeSec[row]! - timeSec ? before : p;
    before = p;
  }
  return before;
}
