/** "Download or locate models": shows what is missing and offers the download, a folder, or the details. */
import * as vscode from 'vscode';
import { listModels } from '../core/models/modelResolver';
import type { ExtensionServices } from './extensionServices';
import { chooseModelsFolder, currentModelLocation, downloadModels, planModels } from './modelSetup';
import { modelSetupQuestion } from './modelSetupPlan';
import { formatBytes } from '../shared/textFormat';

export async function setupModelsCommand(services: ExtensionServices): Promise<void> {
  const location = currentModelLocation(services);
  const plan = await planModels(location, true);
  const items = [
    {
      id: 'download',
      label: '$(cloud-download) Download models',
      description: plan.ready ? 'all present and verified' : plan.downloadable.length > 0 ? `${formatBytes(plan.downloadBytes)}, checked by sha256` : 'nothing downloadable is missing',
      detail: `Into ${location.cacheDir}`,
    },
    {
      id: 'choose',
      label: '$(folder-opened) Choose a folder that has the models…',
      description: location.modelsDir ? `now ${location.modelsDir}` : 'sets emotionLens.modelsFolder',
      detail: 'Layout <folder>/<model id>/<file> or <folder>/<file>',
    },
    { id: 'status', label: '$(list-unordered) Show where each model was found', description: 'in the log', detail: undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Emotion Lens models',
    placeHolder: plan.ready ? 'The face models are ready' : modelSetupQuestion(plan),
  });
  if (picked?.id === 'download') await downloadModels(location, services);
  else if (picked?.id === 'choose') await chooseModelsFolder(services, location);
  else if (picked?.id === 'status') await logModelStatus(location, services);
}

async function logModelStatus(location: ReturnType<typeof currentModelLocation>, services: ExtensionServices): Promise<void> {
  services.log.info(`Models are looked for in ${location.modelsDir ?? '(no emotionLens.modelsFolder)'}, then ${location.cacheDir}`);
  for (const status of await listModels({ modelsDir: location.modelsDir, cacheDir: location.cacheDir, verify: true })) {
    const files = status.files.map((f) => `${f.name}: ${f.path ?? (f.downloadable ? 'missing (downloadable)' : 'missing (place it by hand)')}${f.sha256Ok === false ? ' SHA256 MISMATCH' : ''}`);
    services.log.info(`${status.id} (${status.role}): ${status.state}${status.verified ? ', sha256 verified' : ''}; ${files.join('; ')}`);
  }
  services.log.show(true);
}
