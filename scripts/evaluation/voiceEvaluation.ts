// The voice part of `npm run eval`: the six development actors of RAVDESS (../shared/media/voice/ravdess, actors
// 01 and 02 at 16 kHz; voice/ravdess-dev, actors 04, 05, 07 and 08 as distributed, 48 kHz FLAC) laid out one
// folder per actor, plus jfk.wav, analysed by the built CLI as a user runs it. The documents' whole-recording
// measures are compared with Praat's on the original files (16 and 48 kHz apart), arousal is chosen by
// leave-one-speaker-out over the dataset table (arousalSelection.ts), and the voice tracker's speed is timed.
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { readAudio } from '../../src/core/media/audioReader';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { VoiceTracker } from '../../src/core/voice/voiceTracker';
import { summariseVoice } from '../../src/core/voice/voiceSummary';
import { praatVoiceMeasures } from '../../test/helpers/praatReference';
import type { PraatMeasures } from '../../test/helpers/praatReference';
import { aucPerActor, candidateFamily, describeCandidate, pooledAuc, PREVIOUS_METHOD, recordingScores, segmentArousal, segmentRows, selectArousal } from './arousalSelection';
import type { Candidate, SegmentRow } from './arousalSelection';
import { praatAgreement, praatAgreementTable } from './praatAgreement';
import type { AgreementRow, PraatAgreement } from './praatAgreement';
import { readVoiceTable, runCli } from './voiceArousal';
import { table } from './tables';

/** Actors 01 and 02 are in voice/ravdess (one flat folder, 16 kHz); the others in voice/ravdess-dev/Actor_NN (48 kHz). */
export const DEV_ACTORS = ['01', '02', '04', '05', '07', '08'];

export interface DevCorpus {
  /** A folder of Actor_NN folders (links to the shared files). */
  dir: string;
  cleanup: () => void;
}

/** The development actors laid out as RAVDESS ships them, one folder per actor (symbolic links, nothing copied). */
export function devCorpus(mediaDir: string, actors: readonly string[] = DEV_ACTORS): DevCorpus {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-ravdess-'));
  const flat = path.join(mediaDir, 'voice', 'ravdess');
  for (const actor of actors) {
    const distributed = path.join(mediaDir, 'voice', 'ravdess-dev', `Actor_${actor}`);
    const inFlat = readdirSync(flat).filter((name) => name.endsWith(`-${actor}.wav`));
    if (inFlat.length > 0) {
      mkdirSync(path.join(dir, `Actor_${actor}`));
      for (const name of inFlat) symlinkSync(path.join(flat, name), path.join(dir, `Actor_${actor}`, name));
    } else symlinkSync(distributed, path.join(dir, `Actor_${actor}`));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface VoiceRun {
  /** Each analysed recording (its original file) with its document. */
  documents: { file: string; doc: AnnotationDocument }[];
  /** dataset.voice.csv, speaker groups by folder (the actor). */
  rows: SegmentRow[];
  /** Seconds `analyze` took over everything. */
  analyzeSec: number;
}

/** `node dist/cli.js analyze --no-speech` over the corpus folder (and any extra recordings), then `export --format dataset`. */
export async function analyzeVoiceCorpus(cli: string, corpusDir: string, extra: readonly string[], env: NodeJS.ProcessEnv): Promise<VoiceRun> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-eval-voice-'));
  try {
    const out = path.join(work, 'documents');
    const started = Date.now();
    await runCli(cli, ['analyze', corpusDir, ...extra, '--out', out, '--no-speech'], env);
    const analyzeSec = (Date.now() - started) / 1000;
    const dataset = path.join(work, 'dataset');
    await runCli(cli, ['export', out, '--format', 'dataset', '--out', dataset], env);
    const inputs = new Map<string, string>();
    for (const actor of readdirSync(corpusDir)) for (const name of readdirSync(path.join(corpusDir, actor))) inputs.set(name, realpathSync(path.join(corpusDir, actor, name)));
    for (const file of extra) inputs.set(path.basename(file), file);
    const documents: VoiceRun['documents'] = [];
    for (const doc of readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.emotion.json'))) {
      const read = await readAnnotationDocument(path.join(out, doc));
      const file = inputs.get(path.basename(read.media.path));
      if (!file) throw new Error(`${doc}: a document for no input`);
      documents.push({ file, doc: read });
    }
    if (documents.length !== inputs.size) throw new Error(`analyze wrote ${documents.length} documents for ${inputs.size} recordings`);
    documents.sort((a, b) => a.file.localeCompare(b.file));
    return { documents, rows: segmentRows(readVoiceTable(dataset)), analyzeSec };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Praat's measures per original file, run once each. */
const praatCache = new Map<string, Promise<PraatMeasures>>();
function praatOf(file: string): Promise<PraatMeasures> {
  if (!praatCache.has(file)) praatCache.set(file, praatVoiceMeasures(file));
  return praatCache.get(file)!;
}

/** Each document's whole-recording measures (voice.overall) beside Praat's on the original file. */
export async function praatRows(documents: VoiceRun['documents']): Promise<AgreementRow[]> {
  const rows: AgreementRow[] = [];
  for (const { file, doc } of documents) {
    if (!doc.voice.overall) throw new Error(`${file}: the document has no voice.overall (voice ${doc.voice.status}: ${doc.voice.reason ?? ''})`);
    rows.push({ file, ours: doc.voice.overall, praat: await praatOf(file) });
  }
  return rows;
}

/** The documents measured at one rate (voice.sampleRateHz; older documents: 16 kHz). */
export function measuredAt(run: VoiceRun, rate: number): VoiceRun['documents'] {
  return run.documents.filter((d) => (d.doc.voice.sampleRateHz ?? 16000) === rate);
}

/** Praat agreement of the documents, one table per rate they were measured at (each recording's own). */
export async function printPraatAgreement(run: VoiceRun): Promise<Map<number, PraatAgreement>> {
  const byRate = new Map<number, PraatAgreement>();
  const rates = [...new Set(run.documents.map((d) => d.doc.voice.sampleRateHz ?? 16000))].sort((a, b) => a - b);
  for (const rate of rates) {
    const documents = measuredAt(run, rate);
    const rows = await praatRows(documents);
    console.log(`\nAgreement with Praat 6.3, ${rate / 1000} kHz originals measured at ${rate / 1000} kHz (${documents.length} recordings: the documents' voice.overall against Praat on the original files):\n${praatAgreementTable(rows)}`);
    byRate.set(rate, praatAgreement(rows));
  }
  return byRate;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const f3 = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(3));

/** Per actor AUC of one way of scoring, from the table's measures. */
export function candidateAuc(rows: readonly SegmentRow[], candidate: Candidate): Map<string, number> {
  return aucPerActor(recordingScores(rows, segmentArousal(rows, candidate)));
}

/** The product's own `arousal` column, per recording. */
export function productScores(rows: readonly SegmentRow[]): Map<string, number> {
  return recordingScores(rows, rows.map((r) => r.values.arousal ?? null));
}

export function printArousal(run: VoiceRun): void {
  const { rows } = run;
  const selection = selectArousal(rows);
  const before = candidateAuc(rows, PREVIOUS_METHOD);
  const product = aucPerActor(productScores(rows));
  const actors = selection.folds.map((f) => f.actor);
  const rate = (actor: string) => (actor === '01' || actor === '02' ? '16 kHz' : '48 kHz');
  const body = selection.folds.map((f) => [`actor ${f.actor}`, rate(f.actor), f3(before.get(f.actor)), describeCandidate(f.chosen), f3(f.trainingAuc), f3(f.heldOutAuc), f3(product.get(f.actor))]);
  const meanOf = (of: string[]) => [f3(mean(of.map((a) => before.get(a)!))), '', '', f3(mean(selection.folds.filter((f) => of.includes(f.actor)).map((f) => f.heldOutAuc))), f3(mean(of.map((a) => product.get(a)!)))];
  const groups: [string, string[]][] = [['mean, actors 04 05 07 08', actors.filter((a) => rate(a) === '48 kHz')], ['mean, actors 01 02', actors.filter((a) => rate(a) === '16 kHz')], ['mean, all six', actors]];
  const means = groups.map(([label, of]) => [label, '', ...meanOf(of)]);
  const pooled = ['pooled, all six', '', f3(pooledAuc(recordingScores(rows, segmentArousal(rows, PREVIOUS_METHOD)))), '', '', '', f3(pooledAuc(productScores(rows)))];
  console.log(
    `\nVoice arousal, RAVDESS high (angry, fearful, happy, surprised) against low (neutral, calm, sad), per recording its segments' arousal weighted by length (dataset.voice.csv, speaker group = actor folder).` +
      `\nLeave one speaker out: for each actor, the way of ${candidateFamily().length} with the best mean AUC over the other five (closer than 0.005: the earlier in the order of preference), judged on the actor left out:\n` +
      table(['', 'original', 'before (issue 23)', 'chosen on the other five', 'their mean', 'held out', 'product'], [...body, ...means, pooled]) +
      `\nChosen on all six (the product's arousal): ${describeCandidate(selection.chosen)}.`,
  );
  const difference = maxDifference(productScores(rows), recordingScores(rows, segmentArousal(rows, selection.chosen)));
  console.log(`The product's arousal column against that way computed here from the table's measures: largest difference per recording ${difference.toExponential(1)}.`);
  const ranked = [...selection.table].sort((a, b) => mean([...b.perActor.values()]) - mean([...a.perActor.values()])).slice(0, 8);
  const context: [string, Candidate][] = [
    ['not in the family', { ...selection.chosen, pitchWeight: 0 }],
    ['not in the family', { ...selection.chosen, pitchWeight: 1 }],
  ];
  const rowsOf = (label: string, perActor: Map<string, number>) => [label, ...actors.map((a) => f3(perActor.get(a))), f3(mean(actors.map((a) => perActor.get(a)!)))];
  console.log(
    `\nThe best ways on all six, and one cue alone for comparison:\n` +
      table(['', ...actors.map((a) => `actor ${a}`), 'mean'], [...ranked.map((e) => rowsOf(describeCandidate(e.candidate), e.perActor)), ...context.map(([label, c]) => rowsOf(`${describeCandidate(c)}: ${label}`, candidateAuc(rows, c)))]),
  );
}

function maxDifference(a: Map<string, number>, b: Map<string, number>): number {
  let worst = a.size === b.size ? 0 : Infinity;
  for (const [file, v] of a) worst = Math.max(worst, Math.abs(v - (b.get(file) ?? Infinity)));
  return worst;
}

/**
 * The same 48 kHz originals measured at 16 kHz (as before issue 23) and at 48 kHz (now), by the voice tracker
 * alone on audio read as the engine reads it, with the recording's length given (Praat's frame layout): agreement
 * with Praat at each rate, and the tracker's speed (what the voice worker spends its time on besides the VAD),
 * x real time on one thread. Timing on a shared machine: a guide only.
 */
export async function printRateComparison(files: readonly string[]): Promise<void> {
  const tools = await locateFfmpeg();
  const speed: string[][] = [];
  for (const rate of [16000, 48000]) {
    let audioSec = 0, cpuMs = 0;
    const rows: AgreementRow[] = [];
    for (const file of files) {
      const chunks: Float32Array[] = [];
      for await (const chunk of readAudio(tools, file, { sampleRate: rate })) chunks.push(Float32Array.from(chunk, (v) => v / 32768));
      const samples = chunks.reduce((n, c) => n + c.length, 0);
      const started = performance.now();
      const tracker = new VoiceTracker(rate, { expectedSamples: samples });
      for (const chunk of chunks) tracker.push(chunk);
      const track = tracker.finish();
      cpuMs += performance.now() - started;
      audioSec += samples / rate;
      rows.push({ file, ours: summariseVoice(track, 0, samples / rate), praat: await praatOf(file) });
    }
    console.log(`\n${files.length} RAVDESS originals at 48 kHz measured at ${rate / 1000} kHz against Praat on the originals:\n${praatAgreementTable(rows)}`);
    speed.push([`${rate / 1000} kHz`, audioSec.toFixed(1), (cpuMs / 1000).toFixed(2), `${(audioSec / (cpuMs / 1000)).toFixed(0)}x`]);
  }
  console.log(`\nVoice tracker speed (one thread, the same ${files.length} recordings):\n${table(['measured at', 'audio s', 'tracker s', 'real time'], speed)}`);
}
