/**
 * The "Compare reviews" webview's entry (bundled to dist/compare.js, an IIFE, with dist/compare.css). It renders
 * the snapshot the host sends and says `ready` once it listens. It keeps no state: the snapshot is all of it.
 */
import './compare.css';
import type { CompareHostMessage, CompareWebviewMessage } from '../../shared/compareProtocol';
import { COMPARE_PROTOCOL_VERSION } from '../../shared/compareProtocol';
import { el, replaceChildren } from '../dom';
import { applyLabelPalette } from '../labelPalette';
import { onThemeChange } from '../themeColors';
import { CompareView } from './compareView';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

function start(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('Emotion Lens compare: the page has no #app element');
  applyLabelPalette(document.body);
  onThemeChange(() => applyLabelPalette(document.body));
  const api = acquireVsCodeApi();
  const post = (message: CompareWebviewMessage) => api.postMessage(message);
  const view = new CompareView(root, post);
  // Only the host can post to this frame.
  window.addEventListener('message', (event: MessageEvent<CompareHostMessage>) => {
    const message = event.data;
    if (message?.type !== 'snapshot') return;
    if (message.snapshot.protocolVersion !== COMPARE_PROTOCOL_VERSION) {
      replaceChildren(root, el('p', { class: 'warning' }, 'This panel is from another version of Emotion Lens: close it and compare again.'));
      return;
    }
    // The panel's id (no paths) lets the host restore this panel after a window reload.
    api.setState({ panelId: message.panelId });
    view.render(message.snapshot);
  });
  post({ type: 'ready' });
}

start();
