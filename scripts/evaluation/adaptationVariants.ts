/**
 * Choosing what `adapt` tries (learnAdaptation's LearnSettings: forms, penalties, standardised features) by the
 * simulated researcher of adaptationSimulation.ts on every dev set at once, in process so that a variant costs
 * seconds: the same analysed documents (the simulation's cache, analysed by the CLI), the same seeded corrections,
 * the same learner the CLI runs, scored on the uncorrected images. The figures a reader is given come from the
 * CLI (`npm run eval -- --only adaptation`); this script only compares variants.
 *
 *   node --import tsx scripts/evaluation/adaptationVariants.ts [variant,...]
 */
import path from 'node:path';
import { CorrectionSet, adaptedProbs, learnAdaptation, safeguardAccepts, SHIPPED_SETTINGS } from '../../src/core/adaptation/learnAdaptation';
import type { LearnSettings } from '../../src/core/adaptation/learnAdaptation';
import { faceFeatures } from '../../src/core/adaptation/stackedModel';
import { CANONICAL_LABELS } from '../../src/core/models/modelManifest';
import { argmax } from '../../src/shared/probabilityVectors';
import { analysedSet, correction, loadLabelled, mainFaceAt, SEEDS, SHARES, shuffled, signedPoints } from './adaptationSimulation';
import type { ImageSet } from './labelledImages';
import { imageSets } from './labelledImages';
import { table } from './tables';

const VARIANTS: Record<string, Partial<LearnSettings>> = {
  shipped: {},
  'no member forms (before)': { memberForms: [], memberPenalties: [] },
  'standardised features': { standardise: true },
  'members only, no stacked': { forms: ['bias'], stackedPenalties: [] },
  'wider member penalties': { memberPenalties: [0.3, 1, 3, 10] },
  'wider stacked penalties': { stackedPenalties: [1, 3, 10, 30] },
};

interface Draw {
  set: string;
  share: number;
  gain: number;
  accepted: boolean;
}

/** One variant on one set: every share and seed, as the simulation draws them. */
async function simulate(folder: string, set: ImageSet, settings: LearnSettings): Promise<Draw[]> {
  const byName = new Map(set.images.map((image) => [path.basename(image.file), CANONICAL_LABELS[image.label]!] as const));
  const labelled = await loadLabelled(folder, byName);
  const draws: Draw[] = [];
  for (const share of SHARES) {
    for (const seed of SEEDS) {
      const corrected = new Set(shuffled(labelled, seed).slice(0, Math.round(share * labelled.length)).map((l) => l.documentPath));
      const corrections = new CorrectionSet();
      for (const item of labelled) {
        const at = mainFaceAt(item.document);
        corrections.add(item.documentPath, { ...item.document, corrections: corrected.has(item.documentPath) && at ? [correction(at, item.truth)] : [] });
      }
      const fit = learnAdaptation(corrections.labels, corrections.faces, corrections.documents, settings);
      const rest = labelled.filter((l) => !corrected.has(l.documentPath));
      let gained = 0;
      for (const item of rest) {
        const face = mainFaceAt(item.document)?.face;
        if (!face) continue;
        const features = faceFeatures(face, item.document.labels.length);
        const adapted = item.document.labels[argmax(adaptedProbs(fit, { probs: face.smoothedProbs ?? face.probs, ...(features && { features }) }))];
        gained += (adapted === item.truth ? 1 : 0) - (face.label === item.truth ? 1 : 0);
      }
      draws.push({ set: set.name, share, gain: fit.folds > 0 ? gained / rest.length : 0, accepted: fit.folds > 0 && safeguardAccepts(fit.onlyAdapted, fit.onlyBase, settings.safeguardZ) });
    }
  }
  return draws;
}

async function main(): Promise<void> {
  const mediaDir = process.env.EMOTION_LENS_MEDIA ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'media');
  const cli = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
  const sets = imageSets(mediaDir).filter((s) => s.role === 'tune');
  const folders = sets.map((set) => analysedSet(cli, set, process.env, false));
  const names = process.argv[2]?.split(',') ?? Object.keys(VARIANTS);
  const rows: string[][] = [];
  for (const name of names) {
    const settings = { ...SHIPPED_SETTINGS, ...VARIANTS[name] };
    const draws = (await Promise.all(sets.map((set, i) => simulate(folders[i]!, set, settings)))).flat();
    const product = draws.map((d) => (d.accepted ? d.gain : 0));
    const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const goal = draws.filter((d) => d.share === 0.1 && ['ckplus-dev', 'jaffe-dev', 'wild-dev'].includes(d.set)).map((d) => (d.accepted ? d.gain : 0));
    const accepted = draws.filter((d) => d.accepted);
    rows.push([name, `${accepted.length} of ${draws.length}`, `${accepted.filter((d) => d.gain < 0).length}`, signedPoints(mean(draws.map((d) => d.gain))), signedPoints(Math.min(...draws.map((d) => d.gain))), signedPoints(mean(product)), signedPoints(Math.min(...product)), signedPoints(mean(goal))]);
    console.log(table(['variant', 'applied', 'applied and lost', 'mean gain if always applied', 'worst if always', 'mean gain (safeguard)', 'worst draw', '10 %: CK+, JAFFE, wild'], rows));
  }
}

void main();
