/** "Analyze emotion": the clicked or selected videos, else the active tab's video (or document), else a picker. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { AUDIO_EXTENSIONS, VIDEO_EXTENSIONS } from '../core/media/inputFiles';
import { mediaPathInDocumentText } from './analysisMessages';
import { analyzeVideos } from './analysisRunner';
import { commandUris, describeIgnored, resolveTargets, videoOfDocument } from './analysisTargets';
import type { ExtensionServices } from './extensionServices';
import { activeTabUri } from './workspaceTabs';

export async function analyzeCommand(services: ExtensionServices, clicked?: unknown, selected?: unknown): Promise<void> {
  const videos = await analyzeTargets(services, clicked, selected);
  if (videos.length === 0) return;
  await analyzeVideos(videos, services, { openReview: videos.length === 1 });
}

/** The videos to analyse; empty when there is nothing (the user was told why, or closed the picker). */
export async function analyzeTargets(services: ExtensionServices, clicked?: unknown, selected?: unknown): Promise<string[]> {
  const targets = resolveTargets(commandUris(clicked, selected), activeTabUri(), { videos: true, documents: true });
  if (targets === 'pick') return pickVideos(true);
  if (targets.ignored.length > 0) services.log.warn(`Not analysed: ${describeIgnored(targets.ignored, 20)}`);
  const videos = [...targets.videos];
  for (const document of targets.documents) {
    const video = await videoOfDocumentFile(document);
    if (video) videos.push(video);
    else targets.ignored.push({ path: document, reason: 'does not name a video that exists' });
  }
  if (videos.length === 0) void vscode.window.showWarningMessage(`Nothing to analyse: ${describeIgnored(targets.ignored)}.`);
  return [...new Set(videos)];
}

/** The video an annotation document describes, when the document names one that exists. */
async function videoOfDocumentFile(document: string): Promise<string | undefined> {
  const text = await fs.readFile(document, 'utf8').catch(() => undefined);
  const media = text === undefined ? undefined : mediaPathInDocumentText(text);
  if (!media) return undefined;
  const video = videoOfDocument(document, media);
  return (await fs.stat(video).catch(() => undefined))?.isFile() ? video : undefined;
}

export async function pickVideos(canSelectMany: boolean): Promise<string[]> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany,
    openLabel: 'Analyze',
    title: 'Choose videos or speech recordings to analyse',
    filters: { Videos: VIDEO_EXTENSIONS.map((e) => e.slice(1)), 'Speech recordings': AUDIO_EXTENSIONS.map((e) => e.slice(1)) },
    ...(folder ? { defaultUri: folder } : {}),
  });
  return (picked ?? []).filter((uri) => uri.scheme === 'file').map((uri) => path.resolve(uri.fsPath));
}
