/** "Analyze all videos in folder": every video and speech recording below the folder(s), one after another, with a summary. */
import path from 'node:path';
import * as vscode from 'vscode';
import { AUDIO_EXTENSIONS, expandInputs, isTimedMediaPath, VIDEO_EXTENSIONS } from '../core/media/inputFiles';
import { plural } from '../shared/textFormat';
import { analyzeVideos } from './analysisRunner';
import { commandUris } from './analysisTargets';
import type { ExtensionServices } from './extensionServices';

export async function analyzeFolderCommand(services: ExtensionServices, clicked?: unknown, selected?: unknown): Promise<void> {
  const folders = await targetFolders(clicked, selected);
  if (folders.length === 0) return;
  const { files, errors } = await expandInputs(folders);
  for (const error of errors) services.log.warn(error.message);
  const videos = files.filter(isTimedMediaPath);
  const names = folders.map((f) => path.basename(f)).join(', ');
  if (videos.length === 0) {
    void vscode.window.showInformationMessage(`No videos in ${names} (looked for ${[...VIDEO_EXTENSIONS, ...AUDIO_EXTENSIONS].join(' ')}, also in sub-folders).`);
    return;
  }
  services.log.info(`Found ${plural(videos.length, 'video')} in ${folders.join(', ')}`);
  await analyzeVideos(videos, services, {
    openReview: false,
    offerSkipExisting: true,
    title: `Emotion Lens: analysing ${plural(videos.length, 'video')} in ${names}`,
  });
}

async function targetFolders(clicked: unknown, selected: unknown): Promise<string[]> {
  const given = commandUris(clicked, selected).filter((uri) => uri.scheme === 'file');
  if (given.length > 0) return given.map((uri) => uri.fsPath);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: true,
    openLabel: 'Analyze Videos in Folder',
    title: 'Choose a folder of videos to analyse',
    ...(folder ? { defaultUri: folder } : {}),
  });
  return (picked ?? []).filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
}
