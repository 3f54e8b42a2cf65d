// Pure conversions from each engine's raw output to RecognizedWord (no native code, unit-tested).
import type { RecognizedWord } from './speechTypes';

/** How long a word's last token is assumed to last when the engine gives only its emission time. */
export const TOKEN_TAIL_SEC = 0.16;

interface VoskWordJson {
  word?: unknown;
  start?: unknown;
  end?: unknown;
  conf?: unknown;
}

/** Words from a Vosk result JSON (`{"result":[{"word","start","end","conf"}], "text"}`); [] when it has none. */
export function parseVoskResult(json: string): RecognizedWord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const list = (parsed as { result?: unknown }).result;
  if (!Array.isArray(list)) return [];
  const words: RecognizedWord[] = [];
  for (const item of list as VoskWordJson[]) {
    if (typeof item.word !== 'string' || typeof item.start !== 'number' || typeof item.end !== 'number') continue;
    const text = item.word.trim().toLowerCase();
    if (!text) continue;
    const confidence = typeof item.conf === 'number' ? clamp01(item.conf) : 1;
    words.push({ text, startSec: item.start, endSec: Math.max(item.start, item.end), confidence });
  }
  return words;
}

/** The fields of a sherpa-onnx OnlineRecognizer result that words are built from. */
export interface TokenResult {
  tokens: string[];
  /** Emission time of each token, seconds from `start_time`. */
  timestamps: number[];
  /** Log-probability of each token, when the engine reports it. */
  ys_probs?: number[];
}

/**
 * Joins BPE tokens into words: a token starting with "▁" (sherpa-onnx prints it as a space) begins a word.
 * A word starts at its first token's time and ends a token-length after its last one, never past the next word.
 */
export function wordsFromTokens(result: TokenResult, offsetSec: number, segmentEndSec?: number): RecognizedWord[] {
  const groups = groupTokens(result);
  return groups.map((group, index) => {
    const startSec = offsetSec + group.firstTime;
    const next = groups[index + 1];
    let endSec = offsetSec + group.lastTime + TOKEN_TAIL_SEC;
    if (next) endSec = Math.min(endSec, offsetSec + next.firstTime);
    else if (segmentEndSec !== undefined) endSec = Math.min(endSec, segmentEndSec);
    endSec = Math.max(endSec, startSec);
    const confidence = group.logProbs.length > 0 ? clamp01(Math.exp(mean(group.logProbs))) : 1;
    return { text: group.text.toLowerCase(), startSec: round3(startSec), endSec: round3(endSec), confidence: round3(confidence) };
  });
}

interface TokenGroup {
  text: string;
  firstTime: number;
  lastTime: number;
  logProbs: number[];
}

function groupTokens(result: TokenResult): TokenGroup[] {
  const groups: TokenGroup[] = [];
  const probs = result.ys_probs && result.ys_probs.length === result.tokens.length ? result.ys_probs : undefined;
  result.tokens.forEach((token, i) => {
    const time = result.timestamps[i];
    if (time === undefined || isSpecialToken(token)) return;
    const beginsWord = /^[\s▁]/.test(token);
    const piece = token.replace(/[\s▁]+/g, '');
    if (!piece) return;
    const logProb = probs?.[i];
    const current = groups[groups.length - 1];
    if (beginsWord || !current) {
      groups.push({ text: piece, firstTime: time, lastTime: time, logProbs: logProb === undefined ? [] : [logProb] });
    } else {
      current.text += piece;
      current.lastTime = time;
      if (logProb !== undefined) current.logProbs.push(logProb);
    }
  });
  return groups;
}

function isSpecialToken(token: string): boolean {
  return /^<[^>]*>$/.test(token.trim());
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
