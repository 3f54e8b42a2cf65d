/**
 * `npm run eval [-- --only faces,voice,adaptation,aus] [--write] [--fresh]`: how right the expression labels are per
 * kind of face, measured on the product's own path (the batch engine `emotion-lens analyze` runs) on every
 * labelled set of ../shared/media (faces/fer2013-val, ckplus-dev, jaffe-dev, wild-dev, clips/mead-dev, the Pexels
 * clip's known reading; faces/fer2013 reported only), with face-api's own pipeline as the reference measured in
 * the same run, and the default chosen from those measurements (scripts/evaluation/faceEvaluation.ts); the voice:
 * agreement with Praat at 16 and 48 kHz and arousal chosen leave-one-speaker-out on six RAVDESS actors
 * (voiceEvaluation.ts), and who is speaking on made-up conversations (speakerConversations.ts); and learning from corrections: a simulated researcher corrects a share of the images,
 * `adapt` learns (adaptationSimulation.ts); and the action-unit estimates against CK+'s FACS codes
 * (actionUnitEvaluation.ts). `--only stacked` (never part of the default run) prints issue 21's experiment: a stacked
 * default fitted across the dev sets, left out one set at a time (stackedDefault.ts; reuses the adaptation cache).
 *
 * Each model's runs are cached in the temp folder (`--fresh` runs them again). With --write the fitted temperatures
 * and the chosen default are written into models/manifest.json (review the diff), then measure it with a second run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { imageSets } from './evaluation/labelledImages';
import { evaluateFaces } from './evaluation/faceEvaluation';
import { speakerAttributionReport } from './evaluation/speakerConversations';
import { analyzeVoiceCorpus, DEV_ACTORS, devCorpus, measuredAt, printArousal, printPraatAgreement, printRateComparison } from './evaluation/voiceEvaluation';
import type { SimulatedDraw } from './evaluation/adaptationSimulation';
import { simulateClip, simulateImageSet } from './evaluation/adaptationSimulation';
import { safeguardReport } from './evaluation/adaptationSafeguard';
import { actionUnitReport } from './evaluation/actionUnitEvaluation';
import { printStackedDefault } from './evaluation/stackedDefault';

const shared = path.resolve(__dirname, '..', '..', 'shared');
const sharedModels = process.env.EMOTION_LENS_MODELS ?? path.join(shared, 'models');
const mediaDir = process.env.EMOTION_LENS_MEDIA ?? path.join(shared, 'media');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { write: { type: 'boolean' }, fresh: { type: 'boolean' }, only: { type: 'string' } } });
  const parts = new Set((values.only ?? 'faces,voice,adaptation,aus').split(','));
  if (parts.has('voice') && !values.write) await printVoiceEvaluation();
  if (parts.has('speakers') && !parts.has('voice') && !values.write) console.log(await speakerAttributionReport(path.join(__dirname, '..', 'dist', 'cli.js'), mediaDir, { ...process.env, EMOTION_LENS_MODELS: sharedModels }));
  if (parts.has('aus') && !values.write) console.log(`\n${await actionUnitReport(mediaDir, sharedModels)}`);
  if (parts.has('adaptation') && !values.write) await printAdaptationSimulation(Boolean(values.fresh));
  // Issue 21's experiment (asked for by name: not part of the default run).
  if (parts.has('stacked') && !values.write) await printStackedDefault(path.join(__dirname, '..', 'dist', 'cli.js'), mediaDir, { ...process.env, EMOTION_LENS_MODELS: sharedModels }, (text) => console.log(`\n${text}`));
  if (parts.has('faces')) await evaluateFaces({ mediaDir, sharedModels, write: Boolean(values.write), fresh: Boolean(values.fresh) });
}

/**
 * Issue 13's simulated researcher (scripts/evaluation/adaptationSimulation.ts): corrections on a seeded share of
 * each image set and on the first seconds of the Pexels clip, `emotion-lens adapt`, top-1 on what nobody corrected.
 */
async function printAdaptationSimulation(fresh: boolean): Promise<void> {
  const cli = path.join(__dirname, '..', 'dist', 'cli.js');
  const env = { ...process.env, EMOTION_LENS_MODELS: sharedModels };
  const draws: SimulatedDraw[] = [];
  // Tuning data only: the dev sets (EMOTION_LENS_ADAPT_SETS narrows them, comma-separated names).
  const only = process.env.EMOTION_LENS_ADAPT_SETS?.split(',');
  const sets = imageSets(mediaDir).filter((s) => (only ? only.includes(s.name) : s.name.endsWith('-dev') || s.name === 'fer2013-val'));
  // Smallest first; the safeguard table is printed after every set, over the draws so far.
  for (const set of sets.sort((a, b) => a.images.length - b.images.length)) {
    const started = Date.now();
    const result = await simulateImageSet(cli, set, env, fresh);
    draws.push(...result.draws);
    console.log(`\nLearning from corrections on ${set.name} (${set.images.length} images; a seeded random share corrected with the true label, mean of 3 seeds; analyze + adapt by dist/cli.js, ${((Date.now() - started) / 1000).toFixed(0)} s):\n${result.text}`);
    console.log(`\n${safeguardReport(draws)}`);
  }
  const pexels = path.join(mediaDir, 'video', 'WolfgangLanger_Pexels_face_silent.mp4');
  if (existsSync(pexels)) console.log(`\nLearning from corrections on the Pexels clip (known reading: sad 0-6 s, happy from 9 s):\n${await simulateClip(cli, pexels, env)}`);
}

/**
 * The voice: the six development actors of RAVDESS (one folder each) and jfk.wav analysed by the built CLI;
 * agreement with Praat at 16 and 48 kHz, arousal by leave-one-speaker-out, the voice tracker's speed.
 */
async function printVoiceEvaluation(): Promise<void> {
  const corpus = devCorpus(mediaDir);
  const jfk = path.join(mediaDir, 'speech', 'jfk.wav');
  try {
    console.log(`Voice on RAVDESS actors ${DEV_ACTORS.join(', ')} (voice/ravdess and voice/ravdess-dev, one folder per actor) and ${jfk}, analysed by dist/cli.js`);
    const run = await analyzeVoiceCorpus(path.join(__dirname, '..', 'dist', 'cli.js'), corpus.dir, [jfk], { ...process.env, EMOTION_LENS_MODELS: sharedModels });
    console.log(`analyze took ${run.analyzeSec.toFixed(1)} s for ${run.documents.length} recordings`);
    printArousal(run);
    await printPraatAgreement(run);
    await printRateComparison(measuredAt(run, 48000).filter((_, i) => i % 6 === 0).map((d) => d.file));
    console.log(`\n${await speakerAttributionReport(path.join(__dirname, '..', 'dist', 'cli.js'), mediaDir, { ...process.env, EMOTION_LENS_MODELS: sharedModels })}`);
  } finally {
    corpus.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
