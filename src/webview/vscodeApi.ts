/**
 * The webview's only channel to the extension: typed messages out, and versioned UI state (never document
 * data, which lives in the host) kept by VS Code across hiding and window reloads.
 */
import type { WebviewMessage } from '../shared/reviewProtocol';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

/** Bump when the shape changes: state saved by an older panel is then ignored, not misread. */
const UI_STATE_VERSION = 1;

export interface UiState {
  version: typeof UI_STATE_VERSION;
  /** Scroll offset of the label table. */
  tableScrollTop: number;
}

export interface HostConnection {
  post(message: WebviewMessage): void;
  loadUiState(): UiState;
  saveUiState(state: Omit<UiState, 'version'>): void;
}

export function connectToHost(): HostConnection {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadUiState: () => parseUiState(api.getState()),
    saveUiState: (state) => api.setState({ ...state, version: UI_STATE_VERSION } satisfies UiState),
  };
}

function parseUiState(value: unknown): UiState {
  const fallback: UiState = { version: UI_STATE_VERSION, tableScrollTop: 0 };
  if (typeof value !== 'object' || value === null) return fallback;
  const state = value as Partial<Record<keyof UiState, unknown>>;
  if (state.version !== UI_STATE_VERSION) return fallback;
  const scroll = state.tableScrollTop;
  return { version: UI_STATE_VERSION, tableScrollTop: typeof scroll === 'number' && Number.isFinite(scroll) && scroll >= 0 ? scroll : 0 };
}
