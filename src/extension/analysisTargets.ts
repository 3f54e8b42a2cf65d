/**
 * What a command acts on: the URIs VS Code passed (Explorer click and multi-selection, editor title), else the
 * active tab's file, else "ask with a picker". Pure, so the rules are unit-tested without VS Code.
 */
import path from 'node:path';
import { DOCUMENT_SUFFIX } from '../shared/annotationDocument';
import { isTimedMediaPath } from '../core/media/inputFiles';

/** The part of vscode.Uri these rules need. */
export interface UriLike {
  readonly scheme: string;
  readonly fsPath: string;
}

export type TargetKind = 'video' | 'document' | 'other' | 'not-file';

export interface IgnoredTarget {
  path: string;
  reason: string;
}

export interface ResolvedTargets {
  videos: string[];
  documents: string[];
  /** Given targets the command cannot use, each with a reason. */
  ignored: IgnoredTarget[];
  /** True when nothing was passed and the active tab supplied the target. */
  fromActiveTab: boolean;
}

export interface TargetRules {
  videos: boolean;
  documents: boolean;
}

export function isUriLike(value: unknown): value is UriLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { scheme?: unknown; fsPath?: unknown };
  return typeof candidate.scheme === 'string' && typeof candidate.fsPath === 'string';
}

/**
 * The URIs of a command invocation. The Explorer passes (clicked, selection[]) where the selection includes
 * the clicked item; the editor title passes (resource, { groupId }); the palette passes nothing.
 */
export function commandUris(clicked: unknown, selected: unknown): UriLike[] {
  const list = Array.isArray(selected) && selected.some(isUriLike) ? selected.filter(isUriLike) : isUriLike(clicked) ? [clicked] : [];
  const seen = new Set<string>();
  return list.filter((uri) => {
    const key = `${uri.scheme}:${uri.fsPath}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function isDocumentPath(p: string): boolean {
  return p.toLowerCase().endsWith(DOCUMENT_SUFFIX);
}

export function classifyUri(uri: UriLike): TargetKind {
  // The engine reads files with ffmpeg in a child process: only the extension host's own disk works.
  if (uri.scheme !== 'file') return 'not-file';
  if (isDocumentPath(uri.fsPath)) return 'document';
  // A speech recording is analysed like a video (words and voice, without faces).
  if (isTimedMediaPath(uri.fsPath)) return 'video';
  return 'other';
}

/**
 * Targets from the command's arguments when there are any (unusable ones reported, never silently dropped),
 * else from the active tab when it is of an accepted kind, else 'pick'.
 */
export function resolveTargets(args: readonly UriLike[], activeTab: UriLike | undefined, rules: TargetRules): ResolvedTargets | 'pick' {
  if (args.length === 0) {
    if (!activeTab) return 'pick';
    const kind = classifyUri(activeTab);
    if (kind === 'video' && rules.videos) return { videos: [activeTab.fsPath], documents: [], ignored: [], fromActiveTab: true };
    if (kind === 'document' && rules.documents) return { videos: [], documents: [activeTab.fsPath], ignored: [], fromActiveTab: true };
    return 'pick';
  }
  const result: ResolvedTargets = { videos: [], documents: [], ignored: [], fromActiveTab: false };
  for (const uri of args) {
    const kind = classifyUri(uri);
    if (kind === 'video' && rules.videos) result.videos.push(uri.fsPath);
    else if (kind === 'document' && rules.documents) result.documents.push(uri.fsPath);
    else result.ignored.push({ path: uri.fsPath, reason: ignoredReason(kind, rules) });
  }
  return result;
}

function ignoredReason(kind: TargetKind, rules: TargetRules): string {
  if (kind === 'not-file') return 'is not a file on this machine (only local files can be analysed)';
  const wanted = [rules.videos ? 'a video' : undefined, rules.documents ? `an annotation document (*${DOCUMENT_SUFFIX})` : undefined].filter(Boolean);
  return `is not ${wanted.join(' or ')}`;
}

/** The video a document describes: its `media.path` is relative to the document's folder. */
export function videoOfDocument(documentPath: string, mediaPath: string): string {
  return path.resolve(path.dirname(documentPath), mediaPath);
}

/** One line naming what was ignored, for a notification ("2 ignored: a.txt is not a video; …"). */
export function describeIgnored(ignored: readonly IgnoredTarget[], limit = 3): string {
  const shown = ignored.slice(0, limit).map((i) => `${path.basename(i.path)} ${i.reason}`);
  const more = ignored.length > limit ? `; and ${ignored.length - limit} more` : '';
  return `${shown.join('; ')}${more}`;
}
