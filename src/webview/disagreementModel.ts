/**
 * The review flags of timeline segments (face against words, face against voice) as the panel names and
 * stores them: one bit per kind, so a row of the label table carries its segment's flags in one byte. Pure.
 */
import type { DisagreementKind, Segment } from '../shared/annotationDocument';

/** Every kind, in the order the panel lists them. */
export const FLAG_KINDS: readonly DisagreementKind[] = ['face-words', 'face-voice'];

const BIT: Record<DisagreementKind, number> = { 'face-words': 1, 'face-voice': 2 };

const LABEL: Record<DisagreementKind, string> = { 'face-words': 'face vs words', 'face-voice': 'face vs voice' };

const TITLE: Record<DisagreementKind, string> = {
  'face-words': 'The face and the words point opposite ways (a smile over negative words, or the reverse)',
  'face-voice': 'The face and the voice point opposite ways (a lively voice behind a calm or sad face, or a flat voice under a surprised one)',
};

/** The segment's flags as bits; a segment without `flags` (written before they existed) that disagrees is face vs words. */
export function segmentFlagBits(segment: Pick<Segment, 'disagreement' | 'flags'>): number {
  const flags: readonly string[] = segment.flags ?? (segment.disagreement ? ['face-words'] : []);
  let bits = 0;
  for (const kind of FLAG_KINDS) if (flags.includes(kind)) bits |= BIT[kind];
  return bits;
}

export function flagKinds(bits: number): DisagreementKind[] {
  return FLAG_KINDS.filter((kind) => (bits & BIT[kind]) !== 0);
}

/** `face vs words`, `face vs voice`: what a flag says on a row. */
export function flagLabel(kind: DisagreementKind): string {
  return LABEL[kind];
}

/** A flag's tooltip: what the disagreement is. */
export function flagTitle(kind: DisagreementKind): string {
  return TITLE[kind];
}

/** All of a row's flags in a few words (`face vs words and face vs voice`), or '' without any. */
export function flagsText(bits: number): string {
  return flagKinds(bits).map(flagLabel).join(' and ');
}
