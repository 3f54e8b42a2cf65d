/**
 * The webview's only channel to the extension: typed messages out, and versioned UI state (never document
 * data, which lives in the host) kept by VS Code across hiding and window reloads.
 */
import type { WebviewMessage } from '../shared/reviewProtocol';
import type { UiState } from './uiStateModel';
import { parseUiState } from './uiStateModel';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

export interface HostConnection {
  post(message: WebviewMessage): void;
  loadUiState(): UiState;
  saveUiState(state: UiState): void;
}

export function connectToHost(): HostConnection {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadUiState: () => parseUiState(api.getState()),
    saveUiState: (state) => api.setState(state),
  };
}
