import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { CommandId } from './contributionIds';
import type { ExtensionServices } from './extensionServices';

/**
 * Registers a command whose failures can never escape into the extension host: anything thrown becomes a
 * log line with its stack and a one-line notification.
 */
export function registerCommand(id: CommandId, handler: (...args: unknown[]) => unknown, services: ExtensionServices): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      reportUnexpected(id, error, services);
      return undefined;
    }
  });
}

export function reportUnexpected(where: string, error: unknown, services: ExtensionServices): void {
  services.log.error(`${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  void vscode.window.showErrorMessage(`Emotion Lens: ${errorMessage(error)}`, 'Open Log').then((choice) => {
    if (choice) services.log.show(true);
  });
}
