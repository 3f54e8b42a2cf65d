// Review-panel documents at the size the issue names: an hour at 5 fps with two people (18,000 frames,
// 36,000 faces), with varied labels and confidences, a gap in one track, segments (some where face and
// speech disagree) and a transcript. Deterministic, so tests can reason about what it contains.
import type { AnnotationDocument, FrameRecord, Segment, Utterance, Word } from '../../src/shared/annotationDocument';
import { LABELS, makeDocument, probsFor } from './documentBuilder';

export const HOUR_FRAMES = 18_000;
export const STEP_SEC = 0.2;
/** Track 2 is out of the picture for these frames (a gap its chart must show). */
export const TRACK2_GAP = { from: 9_000, to: 9_500 };
/** Every SEGMENT_SEC a segment; segment k disagrees when k % 10 === 3. */
export const SEGMENT_SEC = 2;

/** Confidence of frame i, track t: spread over 0.3..0.95 so about a third falls below 0.5. */
export function confidenceOf(frame: number, track: number): number {
  return 0.3 + 0.65 * (((frame * 37 + track * 11) % 100) / 100);
}

/** Label of frame i, track t: changes every minute, the two tracks out of step. */
export function labelOf(frame: number, track: number): string {
  return LABELS[(Math.floor(frame / 300) + track * 3) % LABELS.length]!;
}

export function hourDocument(frameCount = HOUR_FRAMES): AnnotationDocument {
  const frames: FrameRecord[] = [];
  for (let index = 0; index < frameCount; index++) {
    const tracks = index >= TRACK2_GAP.from && index < TRACK2_GAP.to ? [1] : [1, 2];
    frames.push({
      index,
      timeSec: Math.round(index * STEP_SEC * 1e6) / 1e6,
      faces: tracks.map((trackId) => {
        const label = labelOf(index, trackId);
        const confidence = confidenceOf(index, trackId);
        return { trackId, box: [100 * trackId, 50, 80, 100], source: 'detected', score: 0.9, landmarks: [10, 10, 30, 10, 20, 20, 12, 30, 28, 30], probs: probsFor(label, confidence), label, confidence };
      }),
    });
  }
  const doc = makeDocument(frames);
  doc.media.durationSec = frameCount * STEP_SEC;
  doc.media.hasAudio = true;
  doc.segments = segments(doc.media.durationSec);
  doc.transcript = transcript(doc.media.durationSec);
  return doc;
}

function segments(durationSec: number): Segment[] {
  const out: Segment[] = [];
  for (let k = 0; k * SEGMENT_SEC < durationSec; k++) {
    out.push({ startSec: k * SEGMENT_SEC, endSec: Math.min(durationSec, (k + 1) * SEGMENT_SEC), faces: [], disagreement: k % 10 === 3 });
  }
  return out;
}

/** An utterance of three words every 10 s, sentiment alternating positive, negative, neutral. */
function transcript(durationSec: number): AnnotationDocument['transcript'] {
  const words: Word[] = [];
  const utterances: Utterance[] = [];
  const kinds = [
    { text: ['what', 'a', 'delight'], compound: 0.6, label: 'positive' as const },
    { text: ['this', 'is', 'terrible'], compound: -0.5, label: 'negative' as const },
    { text: ['we', 'went', 'home'], compound: 0, label: 'neutral' as const },
  ];
  for (let u = 0; u * 10 + 2 < durationSec; u++) {
    const kind = kinds[u % kinds.length]!;
    const start = u * 10 + 1;
    const wordStart = words.length;
    kind.text.forEach((text, i) => words.push({ text, startSec: start + i * 0.5, endSec: start + i * 0.5 + 0.4, confidence: 1 }));
    utterances.push({
      id: u, startSec: start, endSec: start + 1.4, text: kind.text.join(' '), wordStart, wordEnd: words.length,
      sentiment: { compound: kind.compound, pos: 0, neu: 1, neg: 0, label: kind.label },
    });
  }
  return { status: 'ok', engine: 'vosk', model: { id: 'vosk-model-small-en-us-0.15' }, words, utterances };
}
