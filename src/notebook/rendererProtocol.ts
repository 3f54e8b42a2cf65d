/**
 * The notebook renderer's contract: its MIME type, its id (package.json's contributes.notebookRenderer), and
 * the messages between the renderer (in the notebook's output webview) and the extension host
 * (src/extension/notebookRendererLinks.ts). Pure: imported by both sides, imports only src/shared.
 */
import { DOCUMENT_SUFFIX } from '../shared/annotationDocument';

/** The MIME type a notebook output carries an annotation document (or a slice of one) under. */
export const ANNOTATION_MIME = 'application/vnd.emotion-lens.annotation+json';

/** Must equal contributes.notebookRenderer[0].id and contributionIds.NOTEBOOK_RENDERER_ID (a unit test checks). */
export const RENDERER_ID = 'emotionLens.annotationRenderer';

/** The longest path a message may carry (characters); anything longer is refused, not truncated. */
export const MAX_PATH_LENGTH = 4096;

/** Renderer → host: "Open full review" was clicked; open this document in the review editor. */
export interface OpenReviewMessage {
  type: 'openReview';
  /** Echoed in the answer, so the output that asked shows the result. */
  requestId: number;
  /** Where the document is, relative to the notebook's folder or absolute (the output's `documentPath`). */
  documentPath?: string;
  /** media.path of the output: the document is `<mediaPath>.emotion.json` when `documentPath` is absent. */
  mediaPath?: string;
}

/** Host → renderer: what became of an OpenReviewMessage (the host also shows failures as a notification). */
export interface OpenReviewResultMessage {
  type: 'openReviewResult';
  requestId: number;
  ok: boolean;
  /** One line: what was opened, or why not. */
  message: string;
}

export type RendererToHostMessage = OpenReviewMessage;
export type HostToRendererMessage = OpenReviewResultMessage;

/** A validated request: the one document path to resolve (relative or absolute, `/` or `\` separated). */
export interface OpenReviewRequest {
  requestId: number;
  /** Where it came from, for messages: the output's documentPath, or media.path + .emotion.json. */
  from: 'documentPath' | 'mediaPath';
  path: string;
}

/**
 * Checks a message from the renderer strictly: it is untyped at run time and the output that sent it is data
 * from a notebook file. Returns the document path to open, or one line saying what is wrong.
 */
export function parseOpenReviewMessage(message: unknown): OpenReviewRequest | { error: string } {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { error: 'the message is not an object' };
  const m = message as Record<string, unknown>;
  if (m.type !== 'openReview') return { error: `unknown message type ${JSON.stringify(String(m.type)).slice(0, 60)}` };
  const allowed = new Set(['type', 'requestId', 'documentPath', 'mediaPath']);
  const extra = Object.keys(m).filter((k) => !allowed.has(k));
  if (extra.length > 0) return { error: `unexpected field ${JSON.stringify(extra[0]!.slice(0, 40))}` };
  if (typeof m.requestId !== 'number' || !Number.isSafeInteger(m.requestId) || m.requestId < 0) return { error: 'requestId is not a non-negative integer' };
  const requestId = m.requestId;
  for (const field of ['documentPath', 'mediaPath'] as const) {
    const value = m[field];
    if (value === undefined) continue;
    const problem = pathProblem(value);
    if (problem) return { error: `${field} ${problem}` };
  }
  if (typeof m.documentPath === 'string') {
    if (!m.documentPath.toLowerCase().endsWith(DOCUMENT_SUFFIX)) return { error: `documentPath does not name a *${DOCUMENT_SUFFIX} file` };
    return { requestId, from: 'documentPath', path: m.documentPath };
  }
  if (typeof m.mediaPath === 'string') {
    const joined = m.mediaPath + DOCUMENT_SUFFIX;
    if (joined.length > MAX_PATH_LENGTH) return { error: `mediaPath is longer than ${MAX_PATH_LENGTH} characters` };
    return { requestId, from: 'mediaPath', path: joined };
  }
  return { error: 'neither documentPath nor mediaPath is given' };
}

function pathProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  if (value.trim().length === 0) return 'is empty';
  if (value.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'holds control characters';
  // A URI (file:, http:, command:) is not a path: only paths are resolved, and only against the notebook.
  if (/^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) return 'is a URI, not a path';
  return undefined;
}

/** True when a path is absolute (POSIX `/…`, Windows `C:\…` or `\\server\…`). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[a-z]:[\\/]/i.test(p) || p.startsWith('\\\\');
}
