/** "Open review for this media": the video or recording's annotation document in the review editor, or an offer to analyse it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { analyzeVideos } from './analysisRunner';
import { commandUris, describeIgnored, resolveTargets } from './analysisTargets';
import { pickVideos } from './analyzeCommand';
import type { ExtensionServices } from './extensionServices';
import { readSettings, requestContextFor } from './settings';
import { documentPathForVideo } from './settingPaths';
import { activeTabUri, openInReviewEditor } from './workspaceTabs';

export async function openReviewCommand(services: ExtensionServices, clicked?: unknown, selected?: unknown): Promise<void> {
  const targets = resolveTargets(commandUris(clicked, selected).slice(0, 1), activeTabUri(), { videos: true, documents: true });
  if (targets !== 'pick' && targets.documents[0]) {
    await openInReviewEditor(targets.documents[0]);
    return;
  }
  const video = targets === 'pick' ? (await pickVideos(false))[0] : targets.videos[0];
  if (!video) {
    if (targets !== 'pick' && targets.ignored.length > 0) void vscode.window.showWarningMessage(`Cannot open a review: ${describeIgnored(targets.ignored)}.`);
    return;
  }
  const { settings } = readSettings(vscode.Uri.file(video));
  const document = documentPathForVideo(video, settings, requestContextFor(video, services));
  if (existsSync(document)) {
    await openInReviewEditor(document);
    return;
  }
  const choice = await vscode.window.showInformationMessage(`${path.basename(video)} has not been analysed yet (no ${path.basename(document)}). Analyse it now?`, 'Analyze');
  if (choice === 'Analyze') await analyzeVideos([video], services, { openReview: true });
}
