/**
 * The review webview's entry (bundled to dist/webview.js, an IIFE for the browser). It registers the
 * @vscode-elements components it uses, renders what the host sends and says `ready` once it listens.
 */
import './review.css';
import './reviewMedia.css';
import './reviewSide.css';
import './reviewCharts.css';
import './reviewTable.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { HostMessage } from '../shared/reviewProtocol';
import { applyLabelPalette } from './labelPalette';
import { ReviewView } from './reviewView';
import { onThemeChange } from './themeColors';
import { connectToHost } from './vscodeApi';

function start(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('Emotion Lens review: the page has no #app element');
  applyLabelPalette(document.body);
  onThemeChange(() => applyLabelPalette(document.body));
  const host = connectToHost();
  const view = new ReviewView(root, host);
  // Messages from the host arrive as window message events; only the host can post to this frame.
  window.addEventListener('message', (event: MessageEvent<HostMessage>) => view.receive(event.data));
  host.post({ type: 'ready' });
}

start();
