/** "Export annotations…": one or more documents, the formats the user picks, files written beside them. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { AnnotationDocument } from '../shared/annotationDocument';
import type { ExportFormat } from '../core/export/exportFormats';
import { EXPORT_FORMATS, exportFormat, exportPathFor, loadExportLandmarks, readDocumentForExport, renderExport, writeRendered } from '../core/export/exportFormats';
import { plural } from '../shared/textFormat';
import { commandUris, describeIgnored, isDocumentPath, resolveTargets } from './analysisTargets';
import { COMMAND_IDS } from './contributionIds';
import type { ExtensionServices } from './extensionServices';
import { showNotice } from './noticeActions';
import { readSettings, requestContextFor } from './settings';
import { documentPathForVideo } from './settingPaths';
import { activeTabUri, hasUnsavedChanges, saveOpenDocument } from './workspaceTabs';

export async function exportCommand(services: ExtensionServices, clicked?: unknown, selected?: unknown): Promise<void> {
  const documents = await exportTargets(services, clicked, selected);
  if (documents.length === 0) return;
  if (!(await savedOrAccepted(documents))) return;
  const formats = await pickFormats(documents);
  if (!formats || formats.length === 0) return;

  const written: string[] = [];
  const failed: string[] = [];
  const skipped: string[] = [];
  const warnings: string[] = [];
  for (const document of documents) {
    let doc: AnnotationDocument;
    try {
      doc = await readDocumentForExport(document);
    } catch (error) {
      failed.push(errorMessage(error));
      services.log.error(`Export of ${document} failed: ${errorMessage(error)}`);
      continue;
    }
    // The 68 landmarks come from the mesh sidecar; without it they are left empty and the log says why.
    const { landmarks, warning } = await loadExportLandmarks(doc, document, formats);
    if (warning) {
      services.log.warn(`Export of ${document}: ${warning}`);
      warnings.push(warning);
    }
    for (const format of formats) {
      // Every format starts picked: one that cannot hold this document (the frames CSV of an audio file) is skipped, not failed.
      const reason = exportFormat(format).unsupported?.(doc);
      if (reason) {
        skipped.push(`${format} of ${path.basename(document)}: ${reason}`);
        services.log.info(`Export ${format} of ${document} skipped: ${reason}`);
        continue;
      }
      try {
        const files = renderExport(doc, document, format, exportPathFor(document, format), landmarks ? { landmarks } : {});
        await writeRendered(files);
        written.push(...files.map((f) => f.path));
        services.log.info(`Exported ${format}: ${files.map((f) => f.path).join(', ')}`);
      } catch (error) {
        failed.push(`${format}: ${errorMessage(error)}`);
        services.log.error(`Export ${format} of ${document} failed: ${errorMessage(error)}`);
      }
    }
  }
  reportExports(written, [...failed, ...(written.length === 0 ? skipped : [])], documents, services, written.length > 0 ? skipped.length : 0, warnings);
}

/** Documents to export: given ones, a given video's document, the active tab's, else a picked one. */
async function exportTargets(services: ExtensionServices, clicked: unknown, selected: unknown): Promise<string[]> {
  const targets = resolveTargets(commandUris(clicked, selected), activeTabUri(), { videos: true, documents: true });
  if (targets === 'pick') return pickDocuments();
  const documents = [...targets.documents];
  for (const video of targets.videos) {
    const { settings } = readSettings(vscode.Uri.file(video));
    const document = documentPathForVideo(video, settings, requestContextFor(video, services));
    if (existsSync(document)) documents.push(document);
    else targets.ignored.push({ path: video, reason: 'has no annotation document yet (analyse it first)' });
  }
  if (targets.ignored.length > 0) {
    const message = `Not exported: ${describeIgnored(targets.ignored)}.`;
    services.log.warn(message);
    if (documents.length === 0) {
      const single = targets.videos.length === 1 && targets.videos[0];
      void vscode.window.showWarningMessage(message, ...(single ? ['Analyze'] : [])).then((choice) => {
        if (choice === 'Analyze' && single) void vscode.commands.executeCommand(COMMAND_IDS.analyze, vscode.Uri.file(single));
      });
    }
  }
  return documents;
}

async function pickDocuments(): Promise<string[]> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectMany: true,
    openLabel: 'Export',
    title: 'Choose annotation documents (*.emotion.json) to export',
    filters: { 'Emotion Lens documents': ['json'] },
    ...(folder ? { defaultUri: folder } : {}),
  });
  const files = (picked ?? []).filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
  const notDocuments = files.filter((f) => !isDocumentPath(f));
  if (notDocuments.length > 0) void vscode.window.showWarningMessage(`Not an annotation document (*.emotion.json): ${notDocuments.map((f) => path.basename(f)).join(', ')}`);
  return files.filter(isDocumentPath);
}

/** Exports read the saved file: unsaved corrections are saved first, or left out knowingly. */
async function savedOrAccepted(documents: readonly string[]): Promise<boolean> {
  const unsaved = documents.filter(hasUnsavedChanges);
  if (unsaved.length === 0) return true;
  const names = unsaved.map((d) => path.basename(d)).join(', ');
  const choice = await vscode.window.showWarningMessage(
    `${names} ${unsaved.length === 1 ? 'has' : 'have'} unsaved changes; exports are made from the saved file.`,
    { modal: true },
    'Save and Export',
    'Export Saved Version',
  );
  if (choice === 'Export Saved Version') return true;
  if (choice !== 'Save and Export') return false;
  for (const document of unsaved) {
    if (!(await saveOpenDocument(document))) {
      void vscode.window.showErrorMessage(`${path.basename(document)} could not be saved; nothing was exported.`);
      return false;
    }
  }
  return true;
}

async function pickFormats(documents: readonly string[]): Promise<ExportFormat[] | undefined> {
  const items = EXPORT_FORMATS.map((format) => ({ label: format.suffix, description: format.id, detail: format.description, picked: true, format: format.id }));
  const what = documents.length === 1 && documents[0] ? path.basename(documents[0]) : plural(documents.length, 'document');
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `Export ${what} as`,
    placeHolder: 'Formats to write beside the document (the document itself is not changed)',
  });
  return picked?.map((item) => item.format);
}

function reportExports(written: string[], failed: string[], documents: readonly string[], services: ExtensionServices, skipped = 0, warnings: readonly string[] = []): void {
  if (written.length === 0) {
    showNotice('error', `Nothing was exported: ${failed[0] ?? 'no format chosen'}`, ['openLog'], services);
    return;
  }
  const where = documents.length === 1 && documents[0] ? `beside ${path.basename(documents[0])}` : `beside ${plural(documents.length, 'document')}`;
  const failures = failed.length > 0 ? ` ${plural(failed.length, 'export')} failed: ${failed[0]}${failed.length > 1 ? ' (see the log)' : ''}` : '';
  const sidecars = warnings.length === 1 ? ` ${warnings[0]}` : warnings.length > 1 ? ` ${plural(warnings.length, 'mesh sidecar')} could not be read: landmarks left empty (see the log).` : '';
  const notes = (skipped > 0 ? ` ${plural(skipped, 'format')} did not apply (see the log).` : '') + sidecars;
  const show = failed.length > 0 || warnings.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(`Exported ${plural(written.length, 'file')} ${where}.${failures}${notes}`, 'Reveal in Explorer', 'Open').then(async (choice) => {
    if (choice === 'Reveal in Explorer' && written[0]) await reveal(vscode.Uri.file(written[0]));
    if (choice === 'Open') await openOneOf(written);
  }).then(undefined, (error: unknown) => services.log.error(`After export: ${errorMessage(error)}`));
}

async function openOneOf(files: readonly string[]): Promise<void> {
  const file = files.length === 1 ? files[0] : (await vscode.window.showQuickPick(files.map((f) => ({ label: path.basename(f), description: path.dirname(f), file: f })), { title: 'Open export' }))?.file;
  if (file) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
}

/** The Explorer can only show files of the workspace; others are shown by the operating system. */
async function reveal(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand(vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS', uri);
}
