/**
 * Worker thread for "Learn from my corrections": reads the folder's other documents (each parsed and
 * validated), gathers their corrected faces with those the caller sent, and fits the adaptation. One request
 * per worker (workerData in, one `done` out); the caller cancels by terminating it. Built to
 * dist/adaptationWorker.js.
 */
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { readAnnotationDocument } from '../document/annotationFile';
import { errorMessage } from '../errors';
import type { AdaptationWorkerData, AdaptationWorkerResult, FromAdaptationWorker } from './adaptationWorkerProtocol';
import { correctedFaces, learnAdaptation, sameLabels } from './learnAdaptation';
import { plural } from '../../shared/textFormat';

/** The whole job, also callable in-thread (tests). Files that cannot be used are skipped with a note, never fatal. */
export async function learnFromDocuments(data: AdaptationWorkerData, onProgress: (text: string) => void = () => undefined): Promise<AdaptationWorkerResult> {
  const faces = [...data.faces];
  let documents = data.documents;
  const skipped: string[] = [];
  for (const [i, file] of data.files.entries()) {
    const name = path.basename(file);
    onProgress(`reading ${name} (${i + 1} of ${data.files.length})`);
    try {
      const document = await readAnnotationDocument(file);
      if (!sameLabels(document.labels, data.labels)) {
        skipped.push(`${name}: its labels (${document.labels.join(', ')}) differ from this document's; analyse it with the same expression models to learn from it`);
        continue;
      }
      const part = correctedFaces([{ name, document }]);
      faces.push(...part.faces);
      documents += part.documents;
    } catch (error) {
      skipped.push(`${name}: ${errorMessage(error)}`);
    }
  }
  onProgress(`fitting on ${faces.length.toLocaleString('en')} corrections from ${plural(documents, 'document')} (cross-validated)`);
  return { fit: learnAdaptation(data.labels, faces, documents), documents, skipped };
}

async function runAdaptationWorker(port: MessagePort, data: AdaptationWorkerData): Promise<void> {
  const send = (message: FromAdaptationWorker): void => port.postMessage(message);
  try {
    send({ type: 'done', result: await learnFromDocuments(data, (text) => send({ type: 'progress', text })) });
  } catch (error) {
    send({ type: 'error', message: errorMessage(error) });
  }
  // Nothing listens on the port: the thread ends once the last message is out.
}

if (parentPort) void runAdaptationWorker(parentPort, workerData as AdaptationWorkerData);
