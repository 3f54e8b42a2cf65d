/**
 * Runs analyses from VS Code: checks models, existing documents and unsaved edits first, then analyses each
 * video in the engine's child process under one cancellable progress notification, and reports the result.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisOutcome, AnalysisRequest } from '../core/engine/analysisRequest';
import type { BatchEvent } from '../core/engine/batch/batchRun';
import { analyzeBatchInChildProcess } from '../core/engine/childProcess/engineClient';
import { EmotionLensError, errorMessage } from '../core/errors';
import type { ErrorCode } from '../core/errors';
import type { BatchResult } from './analysisMessages';
import {
  batchSummary,
  correctionsInDocumentText,
  existingDocumentsQuestion,
  outcomeLogLines,
  outcomeNotice,
  reanalyseQuestion,
  requestLogLine,
  unsavedQuestion,
} from './analysisMessages';
import { actionsForError, errorCodeOf, transcriptNotice } from './errorActions';
import type { ExtensionServices } from './extensionServices';
import { firstTime } from './extensionServices';
import type { ModelLocation } from './modelSetup';
import { ensureModels } from './modelSetup';
import { showNotice } from './noticeActions';
import { AnalysisProgressReporter, BatchProgressReporter } from './progressText';
import { noteIgnoredSettings, readSettings, requestContextFor } from './settings';
import { documentPathForVideo } from './settingPaths';
import { requestFromSettings } from './settingsToRequest';
import type { RestrictedSetting } from './workspaceTrust';
import { hasUnsavedChanges, openInReviewEditor, saveOpenDocument } from './workspaceTabs';
import { plural } from '../shared/textFormat';

export interface AnalyzeOptions {
  /** Open the document in the review editor when a single video succeeds. */
  openReview: boolean;
  /** Folder runs: offer to skip videos that already have a document, and always end with a summary. */
  offerSkipExisting?: boolean;
  /** The notification's title (default: "Emotion Lens: analysing <name>" / "<n> videos"). */
  title?: string;
}

interface PlannedVideo {
  video: string;
  request: AnalysisRequest;
  documentPath: string;
  ignored: RestrictedSetting[];
}

/** Errors that every remaining video of a batch would hit as well: the batch stops at the first. */
const SETUP_ERROR_CODES: readonly string[] = ['ffmpeg-missing', 'model-missing', 'model-checksum', 'model-corrupt'];

export async function analyzeVideos(videos: readonly string[], services: ExtensionServices, options: AnalyzeOptions): Promise<BatchResult | undefined> {
  if (videos.length === 0) return undefined;
  if (services.running) {
    void vscode.window.showInformationMessage(`Emotion Lens is busy (${services.running.what}). Cancel it from its notification, or wait until it has finished.`);
    return undefined;
  }
  const first = planVideos(videos, services);
  // Said before the model check: an ignored models folder is often why models look missing.
  noteIgnoredSettings([...new Set(first.flatMap((p) => p.ignored))], services);
  if (!(await modelsReady(first, services))) return undefined;
  // Settings may have changed while the models were set up (a models folder was chosen): plan again.
  const planned = await confirmExisting(planVideos(videos, services), services, options);
  if (!planned || planned.length === 0) return undefined;
  return runPlanned(planned, services, options);
}

function planVideos(videos: readonly string[], services: ExtensionServices): PlannedVideo[] {
  return videos.map((video) => {
    const { settings, ignored } = readSettings(vscode.Uri.file(video));
    const context = requestContextFor(video, services);
    return { video, request: requestFromSettings(video, settings, context), documentPath: documentPathForVideo(video, settings, context), ignored };
  });
}

function locationOf(request: AnalysisRequest): ModelLocation {
  return {
    ...(request.models.modelsDir ? { modelsDir: request.models.modelsDir } : {}),
    cacheDir: request.models.cacheDir ?? '',
    expressionModels: request.settings.expressionModels,
  };
}

/** Checks (cheaply: file presence) the models of every distinct settings combination in the run. */
async function modelsReady(planned: readonly PlannedVideo[], services: ExtensionServices): Promise<boolean> {
  const locations = new Map(planned.map((p) => [JSON.stringify(locationOf(p.request)), locationOf(p.request)]));
  for (const location of locations.values()) {
    if (!(await ensureModels(location, services))) return false;
  }
  return true;
}

/**
 * Existing documents: a folder run may skip them; unsaved edits are saved first (the engine merges the
 * corrections on disk); re-analysing documents with corrections needs a yes. Undefined when the user stops.
 */
async function confirmExisting(planned: PlannedVideo[], services: ExtensionServices, options: AnalyzeOptions): Promise<PlannedVideo[] | undefined> {
  let existing = await readCorrections(planned);
  if (options.offerSkipExisting && existing.size > 0 && existing.size < planned.length) {
    const corrections = [...existing.values()].reduce((n, c) => n + c, 0);
    const choice = await vscode.window.showInformationMessage(
      existingDocumentsQuestion(existing.size, planned.length, corrections),
      { modal: true },
      'Only New Videos',
      'Re-analyse All',
    );
    if (!choice) return undefined;
    if (choice === 'Only New Videos') return planned.filter((p) => !existing.has(p.documentPath));
  }

  const unsaved = planned.filter((p) => existing.has(p.documentPath) && hasUnsavedChanges(p.documentPath)).map((p) => p.documentPath);
  if (unsaved.length > 0) {
    const choice = await vscode.window.showWarningMessage(unsavedQuestion(unsaved), { modal: true }, 'Save and Re-analyse');
    if (choice !== 'Save and Re-analyse') return undefined;
    for (const documentPath of unsaved) {
      if (!(await saveOpenDocument(documentPath))) {
        void vscode.window.showErrorMessage(`${path.basename(documentPath)} could not be saved; nothing was analysed.`);
        return undefined;
      }
    }
    existing = await readCorrections(planned);
  }

  const withCorrections = planned
    .filter((p) => (existing.get(p.documentPath) ?? 0) > 0)
    .map((p) => ({ video: p.video, corrections: existing.get(p.documentPath) ?? 0 }));
  if (withCorrections.length > 0 && !(options.offerSkipExisting && existing.size < planned.length)) {
    const choice = await vscode.window.showWarningMessage(reanalyseQuestion(withCorrections), { modal: true }, 'Re-analyse');
    if (choice !== 'Re-analyse') return undefined;
  }
  return planned;
}

/** Corrections per existing document path (0 when the document has none or cannot be read). */
async function readCorrections(planned: readonly PlannedVideo[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const p of planned) {
    const text = await fs.readFile(p.documentPath, 'utf8').catch(() => undefined);
    if (text !== undefined) found.set(p.documentPath, correctionsInDocumentText(text) ?? 0);
  }
  return found;
}

interface RunRecord {
  result: BatchResult;
  outcomes: AnalysisOutcome[];
  lastFailure?: { error: unknown; planned: PlannedVideo };
}

async function runPlanned(planned: PlannedVideo[], services: ExtensionServices, options: AnalyzeOptions): Promise<BatchResult> {
  const started = Date.now();
  const controller = new AbortController();
  const single = planned.length === 1 ? planned[0] : undefined;
  const title = options.title ?? `Emotion Lens: analysing ${single ? path.basename(single.video) : `${planned.length} videos`}`;
  const record: RunRecord = { result: { analysed: [], failed: [], notStarted: 0, cancelled: false, elapsedSec: 0 }, outcomes: [] };
  services.running = { what: single ? `analysing ${path.basename(single.video)}` : `analysing ${planned.length} videos`, controller };
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        await runEach(planned, services, controller.signal, record, (update) => progress.report(update));
      } finally {
        subscription.dispose();
      }
    });
  } finally {
    services.running = undefined;
  }
  record.result.elapsedSec = (Date.now() - started) / 1000;
  report(record, planned, services, options);
  return record.result;
}

/**
 * Analyses every planned video in ONE child process: the engine loads its models and workers once for the
 * whole batch and keeps several videos in flight. A failure is logged and the batch goes on, except a setup
 * failure (ffmpeg or a model missing) that every later video would hit too.
 */
async function runEach(
  planned: readonly PlannedVideo[],
  services: ExtensionServices,
  signal: AbortSignal,
  record: RunRecord,
  show: (update: { message: string; increment: number }) => void,
): Promise<void> {
  const { result } = record;
  const single = planned.length === 1 ? new AnalysisProgressReporter() : undefined;
  const batch = single ? undefined : new BatchProgressReporter(planned.length);
  const onEvent = (event: BatchEvent): void => {
    const item = planned[event.index];
    if (!item) return;
    switch (event.kind) {
      case 'started':
        services.log.info(requestLogLine(item.request, item.documentPath));
        show(single ? single.begin() : batch!.begin(event.index, path.basename(item.video)));
        return;
      case 'progress': {
        if (event.progress.kind === 'warning') services.log.warn(`${path.basename(item.video)}: ${event.progress.message}`);
        const update = single ? single.update(event.progress) : batch!.update(event.index, event.progress);
        if (update) show(update);
        return;
      }
      case 'skipped':
        services.log.info(`Up to date, skipped: ${item.video} (${event.document})`);
        if (batch) show(batch.finish(event.index));
        return;
      case 'done':
        record.outcomes.push(event.outcome);
        result.analysed.push(item.video);
        if (batch) show(batch.finish(event.index, event.outcome.frames));
        for (const line of outcomeLogLines(event.outcome)) services.log.info(line);
        return;
      case 'failed':
        services.log.error(`Failed: ${event.message}`);
        result.failed.push({ input: item.video, message: event.message });
        record.lastFailure = { error: new EmotionLensError(event.code as ErrorCode, event.message), planned: item };
        if (batch) show(batch.finish(event.index));
        return;
    }
  };
  try {
    const totals = await analyzeBatchInChildProcess(planned.map((p) => p.request), {
      signal,
      force: true,
      stopOn: SETUP_ERROR_CODES,
      processScript: services.engineScript,
      execPath: process.execPath,
      // In desktop VS Code process.execPath is Electron: this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      onEvent,
    });
    result.cancelled = totals.cancelled;
    result.notStarted = totals.notStarted + (totals.cancelled ? totals.interrupted : 0);
    if (totals.cancelled) services.log.info(`Analysis cancelled: ${result.notStarted} video(s) not analysed (no document written for them)`);
  } catch (error) {
    // The child could not run the batch (it crashed or could not start): what it finished is kept.
    const done = new Set([...result.analysed, ...result.failed.map((f) => f.input)]);
    const rest = planned.filter((p) => !done.has(p.video));
    services.log.error(`Failed: ${errorMessage(error)}`);
    const first = rest[0];
    if (first) {
      result.failed.push({ input: first.video, message: errorMessage(error) });
      record.lastFailure = { error, planned: first };
      result.notStarted = rest.length - 1;
    }
  }
}

function report(record: RunRecord, planned: readonly PlannedVideo[], services: ExtensionServices, options: AnalyzeOptions): void {
  const { result, outcomes, lastFailure } = record;
  const batch = planned.length > 1 || options.offerSkipExisting === true;
  if (batch) services.log.info(batchSummary(result));
  noteTranscripts(outcomes, services);
  if (!batch) {
    const outcome = outcomes[0];
    if (result.cancelled) vscode.window.setStatusBarMessage('Emotion Lens: analysis cancelled (no document written)', 5000);
    else if (outcome) reportSuccess(outcome, services, options);
    else if (lastFailure) showAnalysisError(lastFailure.error, lastFailure.planned, services);
    return;
  }
  if (lastFailure && SETUP_ERROR_CODES.includes(errorCodeOf(lastFailure.error) ?? '')) {
    showAnalysisError(lastFailure.error, lastFailure.planned, services, `${batchSummary(result)} `);
    return;
  }
  const unplaced = outcomes.reduce((n, o) => n + o.corrections.unplaced, 0);
  const extra = unplaced > 0 ? ` ${plural(unplaced, 'earlier correction')} could not be placed; they are kept in the documents.` : '';
  showNotice(result.failed.length > 0 ? 'warning' : 'info', batchSummary(result) + extra, ['openLog'], services);
}

function reportSuccess(outcome: AnalysisOutcome, services: ExtensionServices, options: AnalyzeOptions): void {
  if (options.openReview) {
    openInReviewEditor(outcome.outputPath).then(undefined, (error: unknown) => services.log.error(`Could not open the review: ${errorMessage(error)}`));
  }
  const notice = outcomeNotice(outcome);
  if (notice) showNotice('info', notice, ['openLog'], services);
}

/** A missing speech model is said once a session (it applies to every video alike); the log has each. */
function noteTranscripts(outcomes: readonly AnalysisOutcome[], services: ExtensionServices): void {
  const outcome = outcomes.find((o) => transcriptNotice(o, path.basename(o.input)));
  const notice = outcome && transcriptNotice(outcome, path.basename(outcome.input));
  if (!notice) return;
  if (notice.actions.includes('chooseVoskFolder') && !firstTime(services, 'no-speech-model')) return;
  showNotice('info', notice.message, notice.actions, services);
}

export function showAnalysisError(error: unknown, planned: PlannedVideo, services: ExtensionServices, prefix = ''): void {
  const actions = actionsForError(errorCodeOf(error), { trusted: vscode.workspace.isTrusted, ignored: planned.ignored });
  showNotice('error', prefix + errorMessage(error), actions, services, { documentPath: planned.documentPath, location: locationOf(planned.request) });
}
