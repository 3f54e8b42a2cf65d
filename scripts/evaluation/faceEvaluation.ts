// The expression labels measured per kind of face, and the default chosen from the measurements. Every figure
// comes from the product's path (`analyze` on a folder, documents written and read back): each model alone on
// every development set (cached per model, memberRuns.ts), the default chosen from those runs by the rule of
// defaultChoice.ts, and then the default itself analysed afresh, as a user gets it, beside face-api's own
// pipeline measured in the same run.
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifest } from '../../src/core/models/modelManifest';
import { buildFaceApiExpressionModel } from '../models/buildFaceApiExpressionModel';
import { chooseRule } from './defaultChoice';
import type { Rule } from './defaultChoice';
import { clipHits, printCalibration, printCosts, printLeaveOneSetOut, printMembers, printRule, printSmoothing, shareOf } from './choiceTables';
import { printDefault } from './defaultTables';
import { allCandidates, combine, devSets } from './ensembleSearch';
import type { Candidate, DevSet, Unit } from './ensembleSearch';
import { faceApiOnClips, faceApiOnImageSet } from './faceApiReference';
import { imageSets, meadClips, UNSCORED } from './labelledImages';
import { writeDefault } from './manifestUpdate';
import { costFrames, costVideos, memberCosts } from './memberCost';
import { runMembers } from './memberRuns';
import type { ClipSet, Member } from './memberRuns';
import { percent } from './tables';

export const MOBILEFACENET = 'fer_mobilefacenet_2022july_int8';
export const XCEPTION = 'fer_xception_fer2013_oarriaga';
export const FACEAPI = 'fer_faceapi_vladmandic';
const MODELS = [MOBILEFACENET, XCEPTION, FACEAPI];
const SHORT: Record<string, string> = { [MOBILEFACENET]: 'MobileFaceNet', [XCEPTION]: 'xception', [FACEAPI]: 'face-api net' };
export const short = (model: string): string => SHORT[model] ?? model;

/** The Pexels clip's known reading: sad for the first six seconds, happy from nine. */
const PEXELS = 'WolfgangLanger_Pexels_face_silent.mp4';
const pexelsReading = (units: readonly Unit[]) => `sad ${percent(shareOf(units, 'sad', 0, 6), 0)} of 0-6 s, happy ${percent(shareOf(units, 'happy', 9, Infinity), 0)} from 9 s`;

/** Shared models plus face-api's network built from its npm weights, in one folder the engine can use. */
async function evaluationModels(sharedModels: string): Promise<{ dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-eval-models-'));
  for (const name of readdirSync(sharedModels)) symlinkSync(path.join(sharedModels, name), path.join(dir, name));
  await buildFaceApiExpressionModel(path.join(dir, FACEAPI));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const single = (model: string, flip = false, align = true): Candidate => ({ models: [model], weights: [1], align, flip });

/** The setups of the members table: each model as the product runs it, with mirror averaging, and MobileFaceNet unaligned. */
const MEMBER_SETUPS = [
  ...MODELS.map((m) => ({ name: short(m), candidate: single(m) })),
  ...MODELS.map((m) => ({ name: `${short(m)}, flip`, candidate: single(m, true) })),
  { name: 'MobileFaceNet, no alignment', candidate: single(MOBILEFACENET, false, false) },
];

export async function evaluateFaces(options: { mediaDir: string; sharedModels: string; write: boolean; fresh: boolean }): Promise<void> {
  const { mediaDir, sharedModels } = options;
  const sets = imageSets(mediaDir);
  const devNames = sets.filter((s) => s.role === 'tune').map((s) => s.name);
  const pexels = path.join(mediaDir, 'video', PEXELS);
  const clipSets: ClipSet[] = [{ name: 'mead-dev', clips: meadClips(mediaDir) }, ...(existsSync(pexels) ? [{ name: 'pexels', clips: [{ file: pexels, label: UNSCORED }] }] : [])];
  if (devNames.length === 0) throw new Error(`no development set: ${path.join(mediaDir, 'faces', 'fer2013-val', 'labels.csv')} not found`);
  console.log(`Expression labels on ${[...sets.map((s) => `${s.name} (${s.images.length} images${s.role === 'report' ? ', reported only' : ''})`), ...clipSets.map((c) => `${c.name} (${c.clips.length} clips)`)].join(', ')}; models from ${sharedModels}`);
  const models = await evaluationModels(sharedModels);
  try {
    const members: Member[] = [...MODELS.flatMap((model) => [false, true].map((flip) => ({ model, align: true, flip }))), { model: MOBILEFACENET, align: false, flip: false }];
    const runs = await runMembers(members, sets, clipSets, models.dir, options.fresh);
    const reference = new Map<string, Unit[]>();
    for (const set of sets) reference.set(set.name, (await faceApiOnImageSet(set)).outcomes.map((o) => ({ label: o.label, frames: [{ timeSec: 0, probs: o.probs! }], kind: 'face' })));
    for (const clipSet of clipSets) reference.set(clipSet.name, (await faceApiOnClips(clipSet.clips)).map((c) => ({ label: c.label, frames: c.frames, kind: 'face' })));
    const all = devSets(runs, sets.map((s) => s.name), clipSets.map((c) => c.name));
    const dev = all.filter((s) => devNames.includes(s.name) || s.name === 'mead-dev');
    const old = new Map(MODELS.map((m) => [m, loadManifest().models.find((e) => e.id === m)?.calibration?.temperature ?? 1]));
    printMembers(all.filter((s) => s.name !== 'pexels'), MEMBER_SETUPS, reference, (m) => old.get(m) ?? 1);
    const costs = await memberCosts(MODELS, await costFrames(costVideos(mediaDir), sets.flatMap((s) => s.images.slice(0, 40).map((i) => i.file))), models.dir);
    printCosts(costs, short);

    const candidates = allCandidates(MODELS, 0.05);
    const choosing = members.filter((m) => m.align);
    const rule = chooseRule(dev, choosing, candidates, costs, { perKind: true, preferCheaper: true });
    printRule(rule, dev, candidates, costs, short);
    printLeaveOneSetOut(dev, choosing, candidates, costs, MODELS.map((m) => ({ name: `${short(m)} alone`, candidate: single(m) })), rule, short);
    printCalibration(all.filter((s) => s.name !== 'pexels'), rule, manifestDefault(), old, short);
    printSmoothing(all.filter((s) => s.video), rule, new Map([['pexels', pexelsReading]]));
    if (options.write) {
      writeDefault(defaultUpdate(rule, dev));
      console.log('\nWrote the temperatures and the default ensemble into models/manifest.json; run npm run eval again to measure the new default.');
      return;
    }
    await printDefault(sets, clipSets, models.dir, reference, { clipHits, pexelsReading, short });
  } finally {
    models.cleanup();
  }
}

/** The manifest's default as it stands (before a --write): its temperatures and its weighting per kind of face. */
function manifestDefault(): (set: DevSet) => Unit[] {
  const manifest = loadManifest();
  const ensemble = manifest.defaultEnsemble;
  const temperatures = MODELS.map((m) => manifest.models.find((e) => e.id === m)?.calibration?.temperature ?? 1);
  const candidate = (members: readonly { id: string; weight: number }[]): Candidate => ({ models: MODELS, weights: MODELS.map((m) => members.find((e) => e.id === m)?.weight ?? 0), align: true, flip: false });
  const face = { candidate: candidate(ensemble?.models ?? []), temperature: ensemble?.temperature ?? 1 };
  const crops = ensemble?.smallCrops ? { candidate: candidate(ensemble.smallCrops.models), temperature: ensemble.smallCrops.temperature ?? 1 } : face;
  return (set) => {
    const general = combine(set, face.candidate, temperatures, face.temperature);
    const small = combine(set, crops.candidate, temperatures, crops.temperature);
    return general.map((unit, i) => (unit.kind === 'smallCrop' ? small[i]! : unit));
  };
}

/** What --write puts into the manifest: every model's temperature and the chosen weighting per kind of face. */
function defaultUpdate(rule: Rule, dev: readonly DevSet[]): Parameters<typeof writeDefault>[0] {
  const weighted = (kind: 'face' | 'smallCrop') => {
    const choice = rule.byKind.get(kind)!;
    // The default ensemble has no per-kind mirror averaging: a rule that chose it has to be written by hand.
    if (choice.chosen.candidate.flip) throw new Error('the rule chose mirror averaging, which the default ensemble cannot express per kind');
    return { models: choice.chosen.candidate.models.map((id, i) => ({ id, weight: choice.chosen.candidate.weights[i]! })), temperature: choice.ensembleTemperature };
  };
  const face = rule.byKind.get('face')!;
  const crops = rule.byKind.get('smallCrop');
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    temperatures: new Map(MODELS.map((m) => [m, rule.temperatures.get(m) ?? 1])),
    fittedOn: `${dev.map((s) => s.name).join(', ')} (each set counting equally; clips: every sampled frame), NLL`,
    ensemble: weighted('face'),
    ...(crops ? { smallCrops: weighted('smallCrop') } : {}),
    chosenOn: `per kind of face, the cheapest weighting within one standard error of the best mean of per-set top-1: other faces on ${face.sets.join(', ')} (${percent(mean(face.chosen.perSet))})${crops ? `; small crops on ${crops.sets.join(', ')} (${percent(mean(crops.chosen.perSet))})` : ''}`,
  };
}
