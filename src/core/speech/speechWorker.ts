/**
 * Worker thread that owns one speech recogniser: engines run synchronous native code for seconds at a
 * time, so recognition stays off the thread that reads audio and video. Built to dist/speechWorker.js.
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { EmotionLensError, errorMessage } from '../errors';
import { useFixNames } from '../fixNames';
import { createRecognizer } from './recognizerFactory';
import type { FromSpeechWorker, SpeechWorkerData, ToSpeechWorker } from './speechWorkerProtocol';
import type { SpeechRecognizer } from './speechTypes';
import { SPEECH_SAMPLE_RATE } from './speechTypes';

/** Messages that arrive while the model loads wait in the port: it only starts delivering once listened to. */
async function runSpeechWorker(port: MessagePort, data: SpeechWorkerData): Promise<void> {
  const send = (message: FromSpeechWorker): void => port.postMessage(message);
  const fail = (error: unknown): void => {
    send({ type: 'error', code: error instanceof EmotionLensError ? error.code : 'internal', message: errorMessage(error) });
  };
  if (data.fixNames) useFixNames(data.fixNames);
  let recognizer: SpeechRecognizer;
  try {
    recognizer = await createRecognizer(data.config);
  } catch (error) {
    fail(error);
    return;
  }
  let samplesDone = 0;
  let freed = false;
  port.on('message', (message: ToSpeechWorker) => {
    try {
      if (message.type === 'close') {
        if (!freed) recognizer.free();
        freed = true;
        port.close();
      } else if (freed) {
        return;
      } else if (message.type === 'pcm') {
        recognizer.acceptPcm(message.samples);
        samplesDone += message.samples.length;
        send({ type: 'ack', audioSecDone: samplesDone / SPEECH_SAMPLE_RATE });
      } else {
        recognizer.finish();
        const { words, endpoints } = recognizer.takeResults();
        recognizer.free();
        freed = true;
        send({ type: 'done', result: { engine: recognizer.engine, modelId: recognizer.modelId, words, endpoints } });
      }
    } catch (error) {
      fail(error);
    }
  });
}

if (parentPort) void runSpeechWorker(parentPort, workerData as SpeechWorkerData);
