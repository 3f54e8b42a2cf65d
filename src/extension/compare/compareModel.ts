/**
 * What the "Compare reviews" panel shows, built from the documents and their agreement report: per track a
 * strip of the model's labels and one of each annotator's human labels (runs of consecutive samples with one
 * label), and the differing faces as marks. Pure, so it is unit-tested without VS Code.
 */
import path from 'node:path';
import type { AgreementInput, AgreementReport, AgreementStats, ComparedFace } from '../../core/agreement/annotatorAgreement';
import type { FinalLabels } from '../../core/export/finalLabels';
import { finalLabels } from '../../core/export/finalLabels';
import type { CompareSnapshot, CompareTrack, DifferenceMark, KappaFigures, StripRun } from '../../shared/compareProtocol';
import { COMPARE_PROTOCOL_VERSION, MAX_LISTED_DIFFERENCES } from '../../shared/compareProtocol';
import { faceKey } from '../../shared/labelPrecedence';

export function compareSnapshot(inputs: readonly AgreementInput[], report: AgreementReport): CompareSnapshot {
  const labels = inputs.map((input) => finalLabels(input.document));
  const spans = faceSpans(labels[0]!);
  const mark = (face: ComparedFace): DifferenceMark => {
    const span = spans.get(faceKey(face.frameIndex, face.trackId));
    return { frameIndex: face.frameIndex, trackId: face.trackId, startSec: face.timeSec, endSec: span?.endSec ?? face.timeSec, labels: [...face.labels], modelLabel: face.modelLabel };
  };
  const trackIds = [...new Set([...report.tracks.map((t) => t.trackId), ...labels[0]!.frames.flatMap((f) => f.faces.map((face) => face.trackId))])].sort((a, b) => a - b);
  const tracks = trackIds.map((trackId): CompareTrack => {
    const stats = report.tracks.find((t) => t.trackId === trackId);
    return {
      trackId,
      compared: stats?.compared ?? 0,
      partial: stats?.partial ?? 0,
      differing: stats?.differing ?? 0,
      figures: stats ? figures(stats) : { kappa: null, observed: null, expected: null, reason: 'no annotator labelled this track' },
      model: stripRuns(labels[0]!, trackId, 'model'),
      annotators: labels.map((l) => stripRuns(l, trackId, 'human')),
      differences: report.differences.filter((d) => d.trackId === trackId).map(mark),
    };
  });
  return {
    protocolVersion: COMPARE_PROTOCOL_VERSION,
    mediaName: path.basename(report.media.path),
    durationSec: timelineEnd(report.media.durationSec, labels),
    annotators: report.annotators.map((a) => ({ name: a.name, fileName: path.basename(a.file), humanLabels: a.humanLabels })),
    categories: [...report.categories],
    method: report.method,
    compared: report.overall.compared,
    partial: report.overall.partial,
    overall: figures(report.overall),
    ...(report.overall.confusion && { confusion: report.overall.confusion.map((row) => [...row]) }),
    ...(report.overall.fleiss && { categoryShares: [...report.overall.fleiss.categoryShares] }),
    tracks,
    differences: report.differences.slice(0, MAX_LISTED_DIFFERENCES).map(mark),
    totalDifferences: report.differences.length,
    warnings: [...report.warnings],
  };
}

/**
 * Runs of one track: consecutive samples (adjacent positions in `frames`) with the same label. `human`: only
 * faces with a human label (a gap where the annotator labelled nothing); `model`: the model's label of every face.
 */
export function stripRuns(labels: FinalLabels, trackId: number, which: 'human' | 'model'): StripRun[] {
  const runs: StripRun[] = [];
  let lastPosition = -2;
  for (const frame of labels.frames) {
    const face = frame.faces.find((f) => f.trackId === trackId);
    if (!face || (which === 'human' && face.source !== 'human')) continue;
    const label = which === 'human' ? face.label : face.modelLabel;
    const last = runs[runs.length - 1];
    if (last && lastPosition === frame.position - 1 && last.label === label) last.endSec = frame.endSec;
    else runs.push({ startSec: frame.timeSec, endSec: frame.endSec, label });
    lastPosition = frame.position;
  }
  return runs;
}

function faceSpans(labels: FinalLabels): Map<string, { endSec: number }> {
  const spans = new Map<string, { endSec: number }>();
  for (const frame of labels.frames) for (const face of frame.faces) spans.set(faceKey(frame.index, face.trackId), { endSec: frame.endSec });
  return spans;
}

function figures(stats: AgreementStats): KappaFigures {
  const { kappa, observed, expected, reason } = stats.kappa;
  return { kappa, observed, expected, ...(reason !== undefined && { reason }) };
}

/** The timeline spans the media, or the last sample when the media has no length (a still image). */
function timelineEnd(durationSec: number, labels: readonly FinalLabels[]): number {
  const lastSample = Math.max(0, ...labels.flatMap((l) => l.frames.map((f) => f.endSec)));
  return Math.max(durationSec, lastSample);
}
