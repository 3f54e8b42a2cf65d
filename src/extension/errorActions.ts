/**
 * Which buttons a failure notification offers, chosen by the engine's error code (carried across the child
 * process boundary by engineClient), so every message comes with the action that fixes it.
 */
import type { AnalysisOutcome } from '../core/engine/analysisRequest';
import type { RestrictedSetting } from './workspaceTrust';

export type NoticeAction =
  | 'openLog'
  | 'chooseFfmpeg'
  | 'downloadModels'
  | 'chooseModelsFolder'
  | 'chooseVoskFolder'
  | 'downloadVoskModel'
  | 'speechSettings'
  | 'manageTrust'
  | 'openAsText';

export const ACTION_LABELS: Readonly<Record<NoticeAction, string>> = {
  openLog: 'Open Log',
  chooseFfmpeg: 'Choose ffmpeg…',
  downloadModels: 'Download Models',
  chooseModelsFolder: 'Choose Models Folder…',
  chooseVoskFolder: 'Choose Vosk Model Folder…',
  downloadVoskModel: 'Download Vosk Model',
  speechSettings: 'Speech Settings…',
  manageTrust: 'Manage Workspace Trust',
  openAsText: 'Open as Text',
};

export interface ErrorContext {
  trusted: boolean;
  /** Restricted settings whose workspace values were ignored for this run. */
  ignored: readonly RestrictedSetting[];
}

/** The error code of anything thrown: EmotionLensError and the child's transported errors carry one. */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The buttons for a failure, most helpful first, at most three ("Open Log" whenever there is room). */
export function actionsForError(code: string | undefined, context: ErrorContext): NoticeAction[] {
  // A workspace value the user may have meant to use was ignored: trusting the workspace is then a fix too.
  const trustFor = (setting: RestrictedSetting): NoticeAction[] => (!context.trusted && context.ignored.includes(setting) ? ['manageTrust'] : []);
  let actions: NoticeAction[];
  switch (code) {
    case 'cancelled':
      return [];
    case 'ffmpeg-missing':
      actions = ['chooseFfmpeg', ...trustFor('ffmpegPath')];
      break;
    case 'model-missing':
    case 'model-checksum':
    case 'model-corrupt':
      actions = ['downloadModels', 'chooseModelsFolder', ...trustFor('modelsFolder')];
      break;
    case 'speech-model':
      // The failing model may be a Vosk or a sherpa-onnx folder: offer both ways to point at another.
      actions = ['chooseVoskFolder', 'speechSettings', ...trustFor('voskModelFolder'), ...trustFor('speechModelFolder')];
      break;
    case 'document-invalid':
      actions = ['openAsText'];
      break;
    default:
      actions = [];
  }
  return [...actions, 'openLog' as const].slice(0, 3);
}

export interface Notice {
  message: string;
  actions: NoticeAction[];
}

/** The information message for a run without a transcript that the user can fix, if any. */
export function transcriptNotice(outcome: Pick<AnalysisOutcome, 'input' | 'transcript'>, fileName: string): Notice | undefined {
  const { status, reason } = outcome.transcript;
  if (status === 'unavailable') {
    return {
      message: `No transcript for ${fileName}: no speech model is set up. Choose a Vosk model folder (or download one), then analyse again.`,
      actions: ['chooseVoskFolder', 'downloadVoskModel'],
    };
  }
  if (status === 'failed') return { message: `Speech recognition failed for ${fileName}${reason ? `: ${reason}` : ''}`, actions: ['openLog'] };
  return undefined;
}
