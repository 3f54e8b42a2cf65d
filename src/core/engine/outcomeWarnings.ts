import type { AnalysisOutcome } from './analysisRequest';

/**
 * A finished analysis's warnings that need their own line or notice (a truncated file, no face found): the
 * transcript's status and unplaced corrections are reported on their own by both the CLI and the extension.
 */
export function otherWarnings(outcome: Pick<AnalysisOutcome, 'warnings' | 'transcript' | 'corrections'>): string[] {
  return outcome.warnings.filter(
    (w) => !w.startsWith(`speech ${outcome.transcript.status}`) && !(outcome.corrections.unplaced > 0 && w.includes('could not be placed')),
  );
}
