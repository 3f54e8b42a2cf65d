import path from 'node:path';
import type { AnalysisOutcome } from '../core/engine/analysisRequest';
import { AnalysisSession } from '../core/engine/analysisSession';
import { runBatch } from '../core/engine/batch/batchRun';
import type { BatchTotals } from '../core/engine/batch/batchRun';
import { shardFiles } from '../core/engine/batch/batchShards';
import { expandInputs } from '../core/media/inputFiles';
import { DOCUMENT_SUFFIX } from '../shared/annotationDocument';
import type { AnalyzeCommandOptions } from './analyzeOptions';
import { formatDuration } from '../shared/textFormat';
import { otherWarnings } from '../core/engine/outcomeWarnings';
import { BatchProgressDisplay, ProgressDisplay } from './progressDisplay';
import { profileTable } from './profileTable';
import type { ProgressSink } from './progressDisplay';

export interface CommandIo {
  out: ProgressSink;
  err: { write(text: string): void };
  signal: AbortSignal;
}

interface BatchResult {
  totals?: BatchTotals;
  /** Inputs that could not be used before analysis (not found, empty folder). */
  unusable: number;
  warnedNoSpeech?: boolean;
}

/** Failures every later input would hit as well: the batch stops at the first. */
const SETUP_ERROR_CODES: readonly string[] = ['ffmpeg-missing', 'model-missing', 'model-checksum', 'model-corrupt'];

/**
 * `emotion-lens analyze`: expands folders, takes this task's shard, analyses the inputs through one loaded
 * engine (skipping those whose document is up to date), reports a bad file in one line and goes on, prints a
 * summary. Returns the exit code: 0 all good, 1 any input failed, 130 cancelled.
 */
export async function runAnalyze(options: AnalyzeCommandOptions, io: CommandIo): Promise<number> {
  const started = Date.now();
  const { files: found, errors, roots } = await expandWithRoots(options.inputs);
  const result: BatchResult = { unusable: errors.length };
  for (const failure of errors) reportFailure(io, options, failure.path, failure.message);
  const files = options.shard ? shardFiles(found, (file) => shardKey(file, roots), options.shard) : found;
  if (options.shard && !options.json) io.out.write(`shard ${options.shard.index}/${options.shard.count}: ${files.length} of ${found.length} inputs\n`);
  const names = outputNames(files, roots, options.outDir);
  const requests = files.map((file) => options.requestFor(file, names.get(file)));
  const threads = requests[0]?.threads ?? 1;
  // With --json, stdout carries only the result lines; progress goes to stderr.
  const sink = options.json ? { ...io.out, isTTY: false, write: (t: string) => io.err.write(t) } : io.out;
  const single = files.length === 1 ? new ProgressDisplay(sink, path.basename(files[0]!)) : undefined;
  const batch = files.length > 1 ? new BatchProgressDisplay(sink, files.length) : undefined;
  const clear = () => (single ?? batch)?.clear();

  const session = new AnalysisSession({ profile: options.profile });
  try {
    result.totals = await runBatch(requests, {
      session,
      signal: io.signal,
      force: options.force,
      threads,
      stopOn: SETUP_ERROR_CODES,
      onEvent: (event) => {
        switch (event.kind) {
          case 'started':
            batch?.start(event.index, path.basename(event.input));
            return;
          case 'progress':
            if (single) single.update(event.progress);
            else batch?.update(event.index, event.progress);
            return;
          case 'skipped':
            clear();
            batch?.finish(event.index);
            reportSkipped(io, options, event.input, event.document);
            return;
          case 'done':
            clear();
            batch?.finish(event.index, event.outcome.frames);
            reportSuccess(io, options, event.outcome);
            warnNoSpeechOnce(io, result, event.outcome);
            return;
          case 'failed':
            clear();
            batch?.finish(event.index);
            reportFailure(io, options, event.input, event.message);
            return;
        }
      },
    });
    const profile = await session.profileReport();
    if (profile) io.out.write(options.json ? JSON.stringify({ profile }) + '\n' : `\n${profileTable(profile, result.totals.frames)}\n`);
  } finally {
    clear();
    await session.close();
  }
  const totals = result.totals;
  if (totals.cancelled) io.err.write(`cancelled: ${totals.interrupted + totals.notStarted} input(s) not analysed (no partial document written); run the same command again to resume\n`);
  if (!options.json) io.out.write(summary(totals, result.unusable, files.length + errors.length, (Date.now() - started) / 1000));
  if (totals.cancelled) return 130;
  return totals.failed + result.unusable > 0 ? 1 : 0;
}

/** One warning for the batch: every other file lacks the same model. */
function warnNoSpeechOnce(io: CommandIo, result: BatchResult, outcome: AnalysisOutcome): void {
  if (outcome.transcript.status !== 'unavailable' || result.warnedNoSpeech) return;
  io.err.write(`warning: no transcript: ${outcome.transcript.reason}\n`);
  result.warnedNoSpeech = true;
}

/** The path a shard orders a file by: below the folder it was found in (that folder's name first), or its own name. */
function shardKey(file: string, roots: Map<string, string>): string {
  const root = roots.get(file) ?? file;
  const relative = path.resolve(root) === path.resolve(file) ? path.basename(file) : path.relative(path.dirname(root), file);
  return relative.split(path.sep).join('/');
}

async function expandWithRoots(inputs: string[]): Promise<{ files: string[]; errors: { path: string; message: string }[]; roots: Map<string, string> }> {
  const roots = new Map<string, string>();
  const files: string[] = [];
  const errors: { path: string; message: string }[] = [];
  for (const input of inputs) {
    const expanded = await expandInputs([input]);
    errors.push(...expanded.errors);
    for (const file of expanded.files) {
      if (roots.has(file)) continue;
      roots.set(file, path.resolve(input));
      files.push(file);
    }
  }
  return { files, errors, roots };
}

/**
 * With --out, documents of files found in a folder keep their path below that folder, so two `clip.mp4`
 * in different sub-folders do not overwrite each other's document.
 */
function outputNames(files: string[], roots: Map<string, string>, outDir: string | undefined): Map<string, string> {
  const names = new Map<string, string>();
  if (!outDir) return names;
  for (const file of files) {
    const root = roots.get(file) ?? file;
    const relative = path.resolve(root) === path.resolve(file) ? path.basename(file) : path.relative(root, file);
    names.set(file, relative + DOCUMENT_SUFFIX);
  }
  return names;
}

function reportSuccess(io: CommandIo, options: AnalyzeCommandOptions, outcome: AnalysisOutcome): void {
  if (options.json) {
    io.out.write(JSON.stringify({ ok: true, ...outcome }) + '\n');
    return;
  }
  const tracks = outcome.tracks.map((t) => `#${t.id} ${t.dominantLabel} ${(t.meanConfidence * 100).toFixed(0)}%`).join(', ') || 'no faces';
  const speech = outcome.transcript.status === 'ok' ? `${outcome.transcript.words} words, ${outcome.transcript.utterances} utterances` : `speech ${outcome.transcript.status}`;
  const voice = outcome.voice.status === 'ok' ? `voice: ${outcome.voice.segments} segment(s), ${outcome.voice.speechSec.toFixed(1)} s of speech` : `voice ${outcome.voice.status}`;
  const faces = outcome.kind === 'audio' ? 'a recording, no picture' : `${outcome.frames} frames, ${outcome.tracks.length} track(s): ${tracks}`;
  io.out.write(`✓ ${outcome.input}\n    ${faces}; ${speech}; ${voice}; ${outcome.elapsedSec.toFixed(1)} s\n    → ${outcome.outputPath}\n`);
  if (outcome.corrections.kept + outcome.corrections.unplaced > 0) {
    io.out.write(`    corrections: ${outcome.corrections.kept} kept, ${outcome.corrections.unplaced} could not be placed (kept aside in the document)\n`);
  }
  for (const warning of otherWarnings(outcome)) io.err.write(`warning: ${outcome.input}: ${warning}\n`);
}

function reportSkipped(io: CommandIo, options: AnalyzeCommandOptions, input: string, document: string): void {
  if (options.json) io.out.write(JSON.stringify({ ok: true, skipped: true, input, outputPath: document }) + '\n');
  else io.out.write(`= ${input}: up to date, skipped (${document}; --force analyses it again)\n`);
}

function reportFailure(io: CommandIo, options: AnalyzeCommandOptions, input: string, message: string): void {
  if (options.json) io.out.write(JSON.stringify({ ok: false, input, message }) + '\n');
  else io.err.write(`✗ ${message.includes(input) ? message : `${input}: ${message}`}\n`);
}

function summary(totals: BatchTotals, unusable: number, total: number, seconds: number): string {
  const parts = [`${totals.analysed} of ${total} analysed`];
  if (totals.skipped > 0) parts.push(`${totals.skipped} up to date (skipped)`);
  const failed = totals.failed + unusable;
  if (failed > 0) parts.push(`${failed} failed`);
  if (totals.notStarted > 0 && !totals.cancelled) parts.push(`${totals.notStarted} not started`);
  if (totals.cancelled) parts.push('cancelled');
  const rate = totals.frames > 0 && seconds > 0 ? ` (${(totals.frames / seconds).toFixed(1)} frames/s)` : '';
  return `\n${parts.join(', ')} in ${formatDuration(seconds)}${rate}\n`;
}
