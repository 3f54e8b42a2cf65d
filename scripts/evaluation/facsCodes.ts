/**
 * FACS codes of coded frames and the AUC of action-unit estimates against them: pure functions, shared by
 * scripts/evaluation/actionUnits.ts and (later) `npm run eval` on the product's own output.
 * facs.csv (`file,au,intensity`, ../shared/media/faces/ckplus-dev): one row per AU coded in a frame; an AU
 * absent from a coded frame's rows is absent (CK+ codes every AU it sees).
 */
import { rocAuc } from './voiceArousal';

/** Coded AUs per file (only files with at least one row are coded). */
export function readFacsCsv(csv: string): Map<string, Set<number>> {
  const codes = new Map<string, Set<number>>();
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  if (header?.trim() !== 'file,au,intensity') throw new Error(`facs.csv: expected the header file,au,intensity, found ${header}`);
  for (const row of rows) {
    const [file, au] = row.split(',');
    if (!file || !au || !Number.isInteger(Number(au))) throw new Error(`facs.csv: bad row ${row}`);
    if (!codes.has(file)) codes.set(file, new Set());
    codes.get(file)!.add(Number(au));
  }
  return codes;
}

/** CK+ subject of a file name such as `happy_S010_006_00000015.png` (S + 3 digits). */
export function subjectOf(file: string): string {
  const match = /(?:^|_)(S\d{3})_\d{3}_\d+/.exec(file);
  if (!match) throw new Error(`${file}: no CK+ subject id (S###_###_########) in the name`);
  return match[1]!;
}

export interface AuScore {
  au: number;
  positives: number;
  negatives: number;
  /** NaN when a class is empty. */
  auc: number;
}

/** AUC of `score(file, au)` for each AU over the coded files that have a score. */
export function aucPerActionUnit(codes: Map<string, Set<number>>, aus: readonly number[], score: (file: string, au: number) => number | undefined): AuScore[] {
  return aus.map((au) => {
    const positives: number[] = [], negatives: number[] = [];
    for (const [file, coded] of codes) {
      const value = score(file, au);
      if (value === undefined || !Number.isFinite(value)) continue;
      (coded.has(au) ? positives : negatives).push(value);
    }
    return { au, positives: positives.length, negatives: negatives.length, auc: rocAuc(positives, negatives) };
  });
}

/** Mean AUC over `aus` (AUs with no positives or no negatives are left out, and counted). */
export function meanAuc(scores: readonly AuScore[], aus: readonly number[]): { mean: number; used: number } {
  const used = scores.filter((s) => aus.includes(s.au) && Number.isFinite(s.auc));
  return { mean: used.reduce((sum, s) => sum + s.auc, 0) / used.length, used: used.length };
}
