/** The texts the extension shows and logs about analyses: questions, notices, log lines, batch summaries. */
import path from 'node:path';
import type { AnalysisOutcome, AnalysisRequest } from '../core/engine/analysisRequest';
import { otherWarnings } from '../core/engine/outcomeWarnings';
import { formatDuration, plural } from '../shared/textFormat';

/** Corrections recorded in a document's text; undefined when it cannot be read as a document. */
export function correctionsInDocumentText(text: string): number | undefined {
  try {
    const value = JSON.parse(text) as { corrections?: unknown };
    return Array.isArray(value.corrections) ? value.corrections.length : undefined;
  } catch {
    return undefined;
  }
}

/** The media path a document names (relative to the document's folder); undefined when absent. */
export function mediaPathInDocumentText(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as { media?: { path?: unknown } };
    return typeof value.media?.path === 'string' ? value.media.path : undefined;
  } catch {
    return undefined;
  }
}

/** Asked before re-analysing videos whose documents hold corrections (the engine merges them). */
export function reanalyseQuestion(documents: readonly { video: string; corrections: number }[]): string {
  const total = documents.reduce((n, d) => n + d.corrections, 0);
  if (documents.length === 1 && documents[0]) {
    const keep = total === 1 ? 'keep it if it still fits' : `keep the ${total} corrections that still fit`;
    return `${path.basename(documents[0].video)} already has ${plural(total, 'correction')}. Re-analyse and ${keep}?`;
  }
  return `${plural(documents.length, 'video')} already have corrections (${total} in all). Re-analyse and keep the corrections that still fit?`;
}

/** Asked when documents about to be re-analysed have unsaved edits in an editor. */
export function unsavedQuestion(documents: readonly string[]): string {
  const names = documents.slice(0, 3).map((d) => path.basename(d)).join(', ');
  const more = documents.length > 3 ? ` and ${documents.length - 3} more` : '';
  return `${names}${more} ${documents.length === 1 ? 'has' : 'have'} unsaved changes. Save before re-analysing, so your corrections are kept?`;
}


/** The information message after a successful run, only when something needs the user's attention. */
export function outcomeNotice(outcome: Pick<AnalysisOutcome, 'input' | 'warnings' | 'transcript' | 'corrections'>): string | undefined {
  const parts: string[] = [];
  const { unplaced } = outcome.corrections;
  if (unplaced > 0) parts.push(`${plural(unplaced, 'correction')} could not be placed; ${unplaced === 1 ? 'it is' : 'they are'} kept in the document`);
  const warnings = otherWarnings(outcome);
  if (warnings.length === 1 && warnings[0]) parts.push(`warning: ${warnings[0]}`);
  else if (warnings.length > 1) parts.push(`${warnings.length} warnings (see the log)`);
  return parts.length > 0 ? `${path.basename(outcome.input)}: ${parts.join('; ')}.` : undefined;
}

/** What the output channel records about a finished analysis. */
export function outcomeLogLines(outcome: AnalysisOutcome): string[] {
  const tracks = outcome.tracks.map((t) => `#${t.id} ${t.dominantLabel} ${(t.meanConfidence * 100).toFixed(0)}% (${t.frameCount} frames)`).join(', ') || 'no faces';
  const speech = outcome.transcript.status === 'ok'
    ? `${plural(outcome.transcript.words, 'word')}, ${plural(outcome.transcript.utterances, 'utterance')}`
    : `${outcome.transcript.status}${outcome.transcript.reason ? ` (${outcome.transcript.reason})` : ''}`;
  const lines = [
    `Analysed ${outcome.input} in ${outcome.elapsedSec.toFixed(1)} s -> ${outcome.outputPath}`,
    outcome.kind === 'audio' ? '  a speech recording: no picture, no faces' : `  ${plural(outcome.frames, 'frame')}, ${plural(outcome.facesFound, 'face')} found, ${plural(outcome.tracks.length, 'track')}: ${tracks}`,
    `  speech: ${speech}`,
    `  voice: ${outcome.voice.status === 'ok' ? `${plural(outcome.voice.segments, 'segment')}, ${outcome.voice.speechSec.toFixed(1)} s of speech` : outcome.voice.status}`,
  ];
  const { models } = outcome;
  if (models.length > 0) lines.push(`  models: ${models.map((m) => `${m.role} ${m.id}${m.sha256 ? ` (sha256 ${m.sha256.slice(0, 12)}…)` : ''}`).join(', ')}`);
  if (outcome.corrections.kept + outcome.corrections.unplaced > 0) {
    lines.push(`  corrections: ${outcome.corrections.kept} kept, ${outcome.corrections.unplaced} could not be placed (kept under unplacedCorrections)`);
  }
  for (const warning of outcome.warnings) lines.push(`  warning: ${warning}`);
  return lines;
}

export interface BatchFailure {
  input: string;
  message: string;
}

export interface BatchResult {
  analysed: string[];
  failed: BatchFailure[];
  /** Videos not started because the user cancelled. */
  notStarted: number;
  cancelled: boolean;
  elapsedSec: number;
}

/** "12 analysed, 1 failed: clip.mp4 (ffmpeg could not read it)" and what happened to the rest. */
export function batchSummary(result: BatchResult): string {
  const parts = [`${result.analysed.length} analysed`];
  if (result.failed.length > 0) {
    const first = result.failed[0];
    const shown = first ? `: ${path.basename(first.input)} (${shortReason(first)})` : '';
    const more = result.failed.length > 1 ? ` and ${result.failed.length - 1} more` : '';
    parts.push(`${result.failed.length} failed${shown}${more}`);
  }
  if (result.cancelled) parts.push(`cancelled${result.notStarted > 0 ? ` (${result.notStarted} not started)` : ''}`);
  return `${parts.join(', ')} in ${formatDuration(result.elapsedSec)}.`;
}

/** The error without the file name it usually starts with (the summary names the file already). */
function shortReason(failure: BatchFailure): string {
  const prefix = `${failure.input}: `;
  const text = failure.message.startsWith(prefix) ? failure.message.slice(prefix.length) : failure.message;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** One log line with everything a run was asked to do (the settings that change the output, and the paths). */
export function requestLogLine(request: AnalysisRequest, documentPath: string): string {
  const s = request.settings;
  const fps = s.sampleFps === 0 ? 'every frame' : `${s.sampleFps} fps`;
  const parts = [
    `sampling ${fps}`,
    `smoothing ${s.smoothingSec} s`,
    `min face score ${s.minFaceScore}`,
    `min face size ${s.minFaceSize} px`,
    `expression ${s.expressionModels.join(' + ')}${s.flipAverage ? ' (with mirror average)' : ''}`,
    `speech ${s.speech ? 'on' : 'off'}`,
    `models ${[request.models.modelsDir, request.models.cacheDir].filter(Boolean).join(' then ')}`,
    `ffmpeg ${request.ffmpeg.ffmpegPath ?? 'from PATH'}`,
  ];
  if (request.speech.voskModelDir) parts.push(`Vosk model ${request.speech.voskModelDir}`);
  if (request.speech.speechModelDir) parts.push(`speech model ${request.speech.speechModelDir}`);
  return `Analysing ${request.input} -> ${documentPath} (${parts.join('; ')})`;
}

/** Asked before a folder run when some videos already have documents. */
export function existingDocumentsQuestion(existing: number, total: number, corrections: number): string {
  const kept = corrections > 0 ? ` (${plural(corrections, 'correction')} in them would be kept where they still fit)` : '';
  return `${existing} of ${plural(total, 'video')} already ${existing === 1 ? 'has an annotation document' : 'have annotation documents'}. Analyse only the new videos, or re-analyse all${kept}?`;
}
