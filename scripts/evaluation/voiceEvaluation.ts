// The voice part of `npm run eval`: the acted emotional speech of ../shared/media/voice/ravdess (two actors)
// and jfk.wav analysed by the built CLI as a user runs it, the documents' whole-recording measures compared
// with Praat's on the original files, and the arousal of the dataset table (scored per actor) against the
// acted arousal. Reported, never tuned on.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { arousalAuc, arousalPerFile, RAVDESS_SPEAKER_PATTERN, readVoiceTable, runCli } from './voiceArousal';
import type { ArousalAuc } from './voiceArousal';
import { praatVoiceMeasures } from '../../test/helpers/praatReference';
import { praatAgreement, praatAgreementTable } from './praatAgreement';
import type { AgreementRow, PraatAgreement } from './praatAgreement';
import { table } from './tables';

export interface VoiceRun {
  /** Each analysed recording with its document. */
  documents: { file: string; doc: AnnotationDocument }[];
  auc: ArousalAuc;
  /** Seconds `analyze` took over the folder. */
  analyseSec: number;
}

/**
 * Analyses the RAVDESS folder (and any extra recordings) with `node dist/cli.js analyze --no-speech`, then
 * writes the dataset table with the actor as speaker group, and reads both back.
 */
export async function analyseVoiceCorpus(cli: string, ravdessDir: string, extra: readonly string[], env: NodeJS.ProcessEnv): Promise<VoiceRun> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-eval-voice-'));
  try {
    const out = path.join(work, 'documents');
    const started = Date.now();
    await runCli(cli, ['analyze', ravdessDir, ...extra, '--out', out, '--no-speech'], env);
    const analyseSec = (Date.now() - started) / 1000;
    const dataset = path.join(work, 'dataset');
    await runCli(cli, ['export', out, '--format', 'dataset', '--out', dataset, '--speaker-pattern', RAVDESS_SPEAKER_PATTERN], env);
    const files = readdirSync(ravdessDir).filter((f) => f.endsWith('.wav')).sort();
    // Documents are matched to their recording by name (the media path they store is relative to them).
    const byName = new Map<string, AnnotationDocument>();
    for (const doc of readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.emotion.json'))) {
      const read = await readAnnotationDocument(path.join(out, doc));
      byName.set(path.basename(read.media.path), read);
    }
    const documents = [...files.map((name) => path.join(ravdessDir, name)), ...extra].map((file) => {
      const doc = byName.get(path.basename(file));
      if (!doc) throw new Error(`analyze wrote no document for ${file}`);
      return { file, doc };
    });
    return { documents, auc: arousalAuc(arousalPerFile(readVoiceTable(dataset)), files), analyseSec };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function printArousal(run: VoiceRun): void {
  const { auc } = run;
  const rows = [['both actors', auc.auc.toFixed(3), `${auc.high} / ${auc.low}`], ...auc.perActor.map((a) => [`actor ${a.actor}`, a.auc.toFixed(3), `${a.files} files`])];
  console.log(
    `\nVoice arousal, RAVDESS high (angry, fearful, happy, surprised) against low (neutral, calm, sad); per file, its segments' arousal from dataset.voice.csv (z-scored per actor):\n` +
      table(['', 'AUC', 'high / low files'], rows) +
      (auc.unscored > 0 ? `\n${auc.unscored} labelled file(s) had no scored segment.` : ''),
  );
}

/** Each document's whole-recording measures (voice.overall) beside Praat's on the original file. */
export async function praatRows(run: VoiceRun): Promise<AgreementRow[]> {
  const rows: AgreementRow[] = [];
  for (const { file, doc } of run.documents) {
    if (!doc.voice.overall) throw new Error(`${file}: the document has no voice.overall (voice ${doc.voice.status}: ${doc.voice.reason ?? ''})`);
    rows.push({ file, ours: doc.voice.overall, praat: await praatVoiceMeasures(file) });
  }
  return rows;
}

export async function printPraatAgreement(run: VoiceRun): Promise<PraatAgreement> {
  const rows = await praatRows(run);
  console.log(`\nAgreement with Praat 6.3 (whole recordings: the documents' voice.overall against Praat on the original files):\n${praatAgreementTable(rows)}`);
  return praatAgreement(rows);
}
