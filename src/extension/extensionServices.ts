import path from 'node:path';
import type * as vscode from 'vscode';

/** What the commands share: the log, where models and the engine live, and the run in progress. */
export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** `globalStorageUri/models`: the extension's model cache, where downloads land. */
  readonly modelCacheDir: string;
  /** The bundled analysis child entry, beside dist/extension.js. */
  readonly engineScript: string;
  /** The analysis or download running now: one at a time, the engine uses every core. */
  running: { what: string; controller: AbortController } | undefined;
  /** Keys of notices already shown this session (restricted mode, missing transcript model). */
  readonly shownOnce: Set<string>;
}

export function createServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ExtensionServices {
  return {
    context,
    log,
    modelCacheDir: path.join(context.globalStorageUri.fsPath, 'models'),
    engineScript: path.join(__dirname, 'analysisProcess.js'),
    running: undefined,
    shownOnce: new Set(),
  };
}

/** True the first time `key` is asked about in this session. */
export function firstTime(services: ExtensionServices, key: string): boolean {
  if (services.shownOnce.has(key)) return false;
  services.shownOnce.add(key);
  return true;
}
