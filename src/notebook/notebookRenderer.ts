/**
 * The notebook renderer for annotation documents (contributes.notebookRenderer, dist/notebookRenderer.js): an
 * ES module VS Code loads into a notebook's output webview. It renders outputs of ANNOTATION_MIME inline and,
 * when VS Code gives it messaging, asks the extension host to open the full review.
 */
import type { ActivationFunction, OutputItem, RendererContext } from 'vscode-notebook-renderer';
import { readOutputText } from './annotationOutputModel';
import { renderError, renderView } from './outputView';
import type { HostToRendererMessage, OpenReviewMessage } from './rendererProtocol';

/** How long "Open full review" waits for the extension's answer before saying it got none. */
const ANSWER_TIMEOUT_MS = 20_000;

export const activate: ActivationFunction = (context: RendererContext<unknown>) => {
  const pending = new Map<number, { status: HTMLElement; timer: ReturnType<typeof setTimeout> }>();
  let nextRequest = 1;

  context.onDidReceiveMessage?.((message: unknown) => {
    const m = message as Partial<HostToRendererMessage> | undefined;
    if (m?.type !== 'openReviewResult' || typeof m.requestId !== 'number') return;
    const request = pending.get(m.requestId);
    if (!request) return;
    pending.delete(m.requestId);
    clearTimeout(request.timer);
    request.status.textContent = typeof m.message === 'string' ? m.message : '';
    request.status.classList.toggle('el-nb-failed', m.ok !== true);
  });

  const postMessage = context.postMessage?.bind(context);
  const openReview = postMessage
    ? (link: { documentPath?: string; mediaPath?: string }, status: HTMLElement): void => {
      const requestId = nextRequest++;
      const message: OpenReviewMessage = { type: 'openReview', requestId };
      if (link.documentPath !== undefined) message.documentPath = link.documentPath;
      if (link.mediaPath !== undefined) message.mediaPath = link.mediaPath;
      status.classList.remove('el-nb-failed');
      status.textContent = 'Opening…';
      const timer = setTimeout(() => {
        pending.delete(requestId);
        status.textContent = 'No answer from the Emotion Lens extension.';
        status.classList.add('el-nb-failed');
      }, ANSWER_TIMEOUT_MS);
      pending.set(requestId, { status, timer });
      postMessage(message);
    }
    : undefined;

  return {
    renderOutputItem(item: OutputItem, element: HTMLElement): void {
      let textValue: string;
      try {
        textValue = item.text();
      } catch (error) {
        renderError(element, `Not an Emotion Lens annotation document: the output could not be read (${(error as Error).message}).`);
        return;
      }
      const result = readOutputText(textValue);
      if (!result.ok) {
        renderError(element, result.error);
        return;
      }
      try {
        renderView(element, result.view, { openReview });
      } catch (error) {
        // A bug here must not blank the output: say what failed, in one line.
        renderError(element, `Emotion Lens could not draw this output: ${(error as Error).message}`);
      }
    },
  };
};
