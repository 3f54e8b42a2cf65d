/**
 * `npm run eval` (part `aus`): the action-unit estimates as the product writes them, against the FACS codes CK+
 * distributes for the coded frames of ../shared/media/faces/ckplus-dev (facs.csv). The coded images go through
 * the batch engine `emotion-lens analyze` runs (one session, runBatch, default settings, documents written and
 * read back, as productRuns.ts does for the expression labels); each image's largest face's `actionUnits` is
 * scored per AU: the AUC, and how the threshold of the ELAN AU tiers (elanActionUnits.ts) sorts the frames
 * (sensitivity, specificity). These are dev frames: the fitted AU models were fitted on them (actionUnits.ts), so their AUCs
 * here are in-sample, not a judgement; the cross-validated figures are docs/face-geometry.md's.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { makeRequest, outputPathOf } from '../../src/core/engine/analysisRequest';
import { AnalysisSession } from '../../src/core/engine/analysisSession';
import { runBatch } from '../../src/core/engine/batch/batchRun';
import { ELAN_AU_THRESHOLDS } from '../../src/core/export/elanActionUnits';
import type { ElanActionUnit } from '../../src/core/export/elanActionUnits';
import { actionUnitMethod } from '../../src/core/geometry/actionUnitModels';
import type { ActionUnit } from '../../src/core/geometry/actionUnits';
import { ACTION_UNITS, auLabel, SCORED_ACTION_UNITS } from '../../src/core/geometry/actionUnits';
import { actionUnitIndex, geometryMeasured } from '../../src/shared/faceGeometry';
import { aucPerActionUnit, meanAuc, readFacsCsv } from './facsCodes';
import { mainFace } from './productRuns';
import { percent, table } from './tables';

/** Each coded image's AU estimates from its document (undefined: no face, or its geometry failed). */
async function productEstimates(dir: string, files: readonly string[], modelsDir: string): Promise<Map<string, number[] | undefined>> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-eval-aus-'));
  const session = new AnalysisSession();
  try {
    const requests = files.map((file) => makeRequest(path.join(dir, file), { outDir, models: { modelsDir }, settings: { speech: false, voice: false }, existingDocument: 'replace' }));
    const totals = await runBatch(requests, { session, signal: new AbortController().signal, force: true, threads: requests[0]?.threads ?? 2, onEvent: () => undefined });
    if (totals.failed > 0) throw new Error(`${totals.failed} coded images failed to analyse`);
    const estimates = new Map<string, number[] | undefined>();
    for (const [i, file] of files.entries()) {
      const doc = await readAnnotationDocument(outputPathOf(requests[i]!));
      if (doc.geometry.status !== 'ok') throw new Error(`${file}: geometry ${doc.geometry.status} (${doc.geometry.reason ?? ''}); run scripts/models/bundleModels.ts to place its models`);
      const geometry = mainFace(doc)?.geometry;
      estimates.set(file, geometryMeasured(geometry) ? geometry.actionUnits : undefined);
    }
    return estimates;
  } finally {
    await session.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The AU table, or why there is none (no coded frames here). */
export async function actionUnitReport(mediaDir: string, modelsDir: string): Promise<string> {
  const dir = path.join(mediaDir, 'faces', 'ckplus-dev');
  const facs = path.join(dir, 'facs.csv');
  if (!existsSync(facs)) return `Action units: ${facs} not found, skipped`;
  const codes = readFacsCsv(readFileSync(facs, 'utf8'));
  const files = readdirSync(dir).filter((f) => codes.has(f)).sort();
  const started = Date.now();
  const estimates = await productEstimates(dir, files, modelsDir);
  const score = (file: string, au: number) => estimates.get(file)?.[actionUnitIndex(au as ActionUnit)];
  const scores = aucPerActionUnit(codes, ACTION_UNITS, score);
  const rows = scores.map((s) => {
    const threshold = ELAN_AU_THRESHOLDS[s.au as ElanActionUnit] as number | undefined;
    const sorted = threshold === undefined ? undefined : thresholdCounts(codes, s.au, threshold, score);
    return [
      auLabel(s.au), String(s.positives), Number.isFinite(s.auc) ? s.auc.toFixed(3) : '–', actionUnitMethod(s.au as ActionUnit) === 'fitted' ? 'fitted (in-sample)' : 'blendshapes',
      threshold === undefined ? '' : String(threshold),
      sorted && s.positives > 0 ? percent(sorted.truePositives / s.positives, 0) : '–', sorted && s.negatives > 0 ? percent(sorted.trueNegatives / s.negatives, 0) : '–',
    ];
  });
  const measured = [...estimates.values()].filter((e) => e !== undefined).length;
  const mean = meanAuc(scores, SCORED_ACTION_UNITS);
  return [
    `Action units on ckplus-dev: ${files.length} FACS-coded frames analysed by the product (emotion-lens analyze, defaults), ${measured} with a face and geometry, ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    `Dev frames: the fitted AUs were fitted on them, so their AUCs here are in-sample; docs/face-geometry.md has the cross-validated figures.`,
    table(['AU', 'coded', 'AUC', 'estimate from', 'ELAN tier from', 'sensitivity', 'specificity'], rows),
    `Mean AUC over ${SCORED_ACTION_UNITS.map(auLabel).join(', ')} (${mean.used} with both classes): ${mean.mean.toFixed(3)}; AU12 ${scores.find((s) => s.au === 12)?.auc.toFixed(3)}.`,
  ].join('\n');
}

/** Coded frames the threshold calls present (of those coded), and absent (of those not coded). */
function thresholdCounts(codes: Map<string, Set<number>>, au: number, threshold: number, score: (file: string, au: number) => number | undefined): { truePositives: number; trueNegatives: number } {
  let truePositives = 0, trueNegatives = 0;
  for (const [file, coded] of codes) {
    const value = score(file, au);
    if (value === undefined) continue;
    if (coded.has(au) && value >= threshold) truePositives++;
    if (!coded.has(au) && value < threshold) trueNegatives++;
  }
  return { truePositives, trueNegatives };
}
