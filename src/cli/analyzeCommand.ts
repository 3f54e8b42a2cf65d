import path from 'node:path';
import type { AnalysisOutcome } from '../core/engine/analysisRequest';
import { analyzeMedia } from '../core/engine/analyzeMedia';
import { errorMessage, isCancelled } from '../core/errors';
import { expandInputs } from '../core/media/inputFiles';
import { DOCUMENT_SUFFIX } from '../core/document/annotationFile';
import type { AnalyzeCommandOptions } from './analyzeOptions';
import { formatDuration } from '../shared/textFormat';
import { otherWarnings } from '../core/engine/outcomeWarnings';
import { ProgressDisplay } from './progressDisplay';
import type { ProgressSink } from './progressDisplay';

export interface CommandIo {
  out: ProgressSink;
  err: { write(text: string): void };
  signal: AbortSignal;
}

interface BatchResult {
  ok: AnalysisOutcome[];
  failed: { input: string; message: string }[];
  cancelled: boolean;
  warnedNoSpeech?: boolean;
}

/**
 * `emotion-lens analyze`: expands folders, analyses each input in turn, reports a bad file in one line and
 * goes on, prints a summary. Returns the exit code: 0 all good, 1 any input failed, 130 cancelled.
 */
export async function runAnalyze(options: AnalyzeCommandOptions, io: CommandIo): Promise<number> {
  const started = Date.now();
  const { files, errors, roots } = await expandWithRoots(options.inputs);
  const result: BatchResult = { ok: [], failed: errors.map((e) => ({ input: e.path, message: e.message })), cancelled: false };
  for (const failure of result.failed) reportFailure(io, options, failure.input, failure.message);
  const names = outputNames(files, roots, options.outDir);

  for (const [i, file] of files.entries()) {
    if (io.signal.aborted) break;
    const label = files.length > 1 ? `(${i + 1}/${files.length}) ${path.basename(file)}` : path.basename(file);
    // With --json, stdout carries only the result lines; progress goes to stderr.
    const display = new ProgressDisplay(options.json ? { ...io.out, isTTY: false, write: (t) => io.err.write(t) } : io.out, label);
    try {
      const outcome = await analyzeMedia(options.requestFor(file, names.get(file)), { signal: io.signal, onProgress: (p) => display.update(p) });
      display.clear();
      result.ok.push(outcome);
      reportSuccess(io, options, outcome);
      if (outcome.transcript.status === 'unavailable' && !result.warnedNoSpeech) {
        // One warning for the batch: every other file lacks the same model.
        io.err.write(`warning: no transcript: ${outcome.transcript.reason}\n`);
        result.warnedNoSpeech = true;
      }
    } catch (error) {
      display.clear();
      if (isCancelled(error) || io.signal.aborted) {
        result.cancelled = true;
        io.err.write(`cancelled: ${file} (no document written)\n`);
        break;
      }
      result.failed.push({ input: file, message: errorMessage(error) });
      reportFailure(io, options, file, errorMessage(error));
    }
  }
  if (!options.json) io.out.write(summary(result, files.length + errors.length, (Date.now() - started) / 1000));
  if (result.cancelled) return 130;
  return result.failed.length > 0 ? 1 : 0;
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
  io.out.write(`✓ ${outcome.input}\n    ${outcome.frames} frames, ${outcome.tracks.length} track(s): ${tracks}; ${speech}; ${outcome.elapsedSec.toFixed(1)} s\n    → ${outcome.outputPath}\n`);
  if (outcome.corrections.kept + outcome.corrections.unplaced > 0) {
    io.out.write(`    corrections: ${outcome.corrections.kept} kept, ${outcome.corrections.unplaced} could not be placed (kept aside in the document)\n`);
  }
  for (const warning of otherWarnings(outcome)) io.err.write(`warning: ${outcome.input}: ${warning}\n`);
}

function reportFailure(io: CommandIo, options: AnalyzeCommandOptions, input: string, message: string): void {
  if (options.json) io.out.write(JSON.stringify({ ok: false, input, message }) + '\n');
  else io.err.write(`✗ ${message.includes(input) ? message : `${input}: ${message}`}\n`);
}

function summary(result: BatchResult, total: number, seconds: number): string {
  const parts = [`${result.ok.length} of ${total} analysed`];
  if (result.failed.length > 0) parts.push(`${result.failed.length} failed`);
  if (result.cancelled) parts.push('cancelled');
  return `\n${parts.join(', ')} in ${formatDuration(seconds)}\n`;
}
