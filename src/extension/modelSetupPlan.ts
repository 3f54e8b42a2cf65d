/**
 * What stands between the user and a first analysis as far as models go: which needed models are missing,
 * which of those can be downloaded (sha256-checked) and which must be placed by hand. Pure.
 */
import { DEFAULT_DETECTOR_ID } from '../core/engine/analysisRequest';
import type { ModelManifest } from '../core/models/modelManifest';
import type { ModelStatus } from '../core/models/modelResolver';
import { formatBytes } from '../shared/textFormat';

export interface ModelSetupPlan {
  /** Every needed model is present (and verified, when the statuses were). */
  ready: boolean;
  /** Missing or damaged models that can be downloaded, in order. */
  downloadable: string[];
  /** Missing models with no public copy: only a folder that has them helps. */
  manual: string[];
  /** Damaged files in the extension's own cache: deleted before downloading again. */
  damagedInCache: string[];
  /** Damaged files in the user's models folder: never deleted, the user replaces them. */
  damagedElsewhere: string[];
  /** Ids the settings name that the manifest does not know. */
  unknown: string[];
  /** Bytes to download for `downloadable`. */
  downloadBytes: number;
}

/** The detector and the expression models the settings ask for. */
export function neededModelIds(expressionModels: readonly string[]): string[] {
  return [...new Set([DEFAULT_DETECTOR_ID, ...expressionModels])];
}

export function modelSetupPlan(statuses: readonly ModelStatus[], needed: readonly string[], manifest: ModelManifest): ModelSetupPlan {
  const plan: ModelSetupPlan = { ready: true, downloadable: [], manual: [], damagedInCache: [], damagedElsewhere: [], unknown: [], downloadBytes: 0 };
  for (const id of needed) {
    const status = statuses.find((s) => s.id === id);
    const entry = manifest.models.find((m) => m.id === id);
    if (!status || !entry) {
      plan.unknown.push(id);
      plan.ready = false;
      continue;
    }
    if (status.state === 'ok') continue;
    plan.ready = false;
    const toFetch = status.files.filter((f) => f.location === 'missing' || (f.sha256Ok === false && f.location === 'cache'));
    for (const file of status.files.filter((f) => f.sha256Ok === false && f.path)) {
      (file.location === 'cache' ? plan.damagedInCache : plan.damagedElsewhere).push(file.path as string);
    }
    if (status.files.some((f) => f.sha256Ok === false && f.location === 'modelsDir')) continue;
    if (toFetch.every((f) => f.downloadable)) {
      plan.downloadable.push(id);
      plan.downloadBytes += toFetch.reduce((n, f) => n + (entry.files.find((e) => e.name === f.name)?.bytes ?? 0), 0);
    } else {
      plan.manual.push(id);
    }
  }
  return plan;
}

/** The first-run question: what is missing and what a download would cost. */
export function modelSetupQuestion(plan: ModelSetupPlan): string {
  const parts: string[] = [];
  if (plan.downloadable.length > 0) {
    parts.push(`Emotion Lens needs ${plan.downloadable.join(', ')} (${formatBytes(plan.downloadBytes)} download, checked by sha256).`);
  }
  if (plan.manual.length > 0) parts.push(`${plan.manual.join(', ')} cannot be downloaded (no public copy): choose a folder that has ${plan.manual.length === 1 ? 'it' : 'them'}.`);
  if (plan.damagedElsewhere.length > 0) parts.push(`Damaged (sha256 mismatch), replace by hand: ${plan.damagedElsewhere.join(', ')}.`);
  if (plan.unknown.length > 0) parts.push(`Unknown model id${plan.unknown.length === 1 ? '' : 's'} in emotionLens.expressionModels: ${plan.unknown.join(', ')}.`);
  return parts.join(' ');
}
