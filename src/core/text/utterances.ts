// Groups recognised words into utterances: a new one starts at a long pause, at an engine endpoint, or when too long.
import type { RecognizedWord } from '../speech/speechTypes';

export interface UtteranceSpan {
  startSec: number;
  endSec: number;
  text: string;
  /** Index of the first word and one past the last. */
  wordStart: number;
  wordEnd: number;
}

export interface SplitOptions {
  /** A silence at least this long between two words ends an utterance. */
  pauseSec?: number;
  /** An utterance is cut before the word that would make it longer than this. */
  maxUtteranceSec?: number;
}

type TimedWord = Pick<RecognizedWord, 'text' | 'startSec' | 'endSec'>;

export function splitUtterances(words: readonly TimedWord[], endpoints: readonly number[] = [], options: SplitOptions = {}): UtteranceSpan[] {
  const pauseSec = options.pauseSec ?? 0.6;
  const cuts = [...endpoints].sort((a, b) => a - b);
  const spans: UtteranceSpan[] = [];
  let first = 0;
  let cutIndex = 0;
  for (let j = 1; j <= words.length; j++) {
    const previous = words[j - 1];
    const word = words[j];
    if (!previous) break;
    if (word) {
      // An endpoint belongs between the word that started before it and the one that starts at or after it.
      while (cutIndex < cuts.length && (cuts[cutIndex] ?? 0) <= previous.startSec) cutIndex++;
      const endpointHere = cutIndex < cuts.length && (cuts[cutIndex] ?? Infinity) <= word.startSec;
      const pause = word.startSec - previous.endSec >= pauseSec;
      const tooLong = options.maxUtteranceSec !== undefined && word.endSec - (words[first]?.startSec ?? word.startSec) > options.maxUtteranceSec;
      if (!endpointHere && !pause && !tooLong) continue;
    }
    spans.push(makeSpan(words, first, j));
    first = j;
  }
  return spans;
}

function makeSpan(words: readonly TimedWord[], wordStart: number, wordEnd: number): UtteranceSpan {
  const slice = words.slice(wordStart, wordEnd);
  return {
    startSec: slice[0]?.startSec ?? 0,
    endSec: Math.max(...slice.map((w) => w.endSec)),
    text: slice.map((w) => w.text).join(' '),
    wordStart,
    wordEnd,
  };
}
