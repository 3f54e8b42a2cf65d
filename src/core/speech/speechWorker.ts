/**
 * Worker thread that owns one loaded speech engine: engines run synchronous native code for seconds at a
 * time, so recognition stays off the thread that reads audio and video. Built to dist/speechWorker.js.
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { EmotionLensError, errorMessage } from '../errors';
import { useFixNames } from '../fixNames';
import { createSpeechEngine } from './recognizerFactory';
import type { FromSpeechWorker, SpeechWorkerData, ToSpeechWorker } from './speechWorkerProtocol';
import type { SpeechEngine, SpeechRecognizer } from './speechTypes';
import { SPEECH_SAMPLE_RATE } from './speechTypes';

/**
 * Loads the engine once, then recognises input after input (`begin`, `pcm`..., `finish`) until `close`.
 * Messages that arrive while the model loads wait in the port: it only starts delivering once listened to.
 */
async function runSpeechWorker(port: MessagePort, data: SpeechWorkerData): Promise<void> {
  const send = (message: FromSpeechWorker): void => port.postMessage(message);
  const fail = (error: unknown): void => {
    send({ type: 'error', code: error instanceof EmotionLensError ? error.code : 'internal', message: errorMessage(error) });
  };
  if (data.fixNames) useFixNames(data.fixNames);
  let engine: SpeechEngine;
  try {
    engine = await createSpeechEngine(data.config);
  } catch (error) {
    fail(error);
    return;
  }
  let recognizer: SpeechRecognizer | undefined;
  let samplesDone = 0;
  let closed = false;
  port.on('message', (message: ToSpeechWorker) => {
    try {
      if (closed) return;
      switch (message.type) {
        case 'close':
          recognizer?.free();
          engine.free();
          closed = true;
          port.close();
          return;
        case 'begin':
          recognizer?.free();
          recognizer = engine.startRecognition();
          samplesDone = 0;
          return;
        case 'pcm':
          if (!recognizer) throw new Error('speech worker: audio before begin');
          recognizer.acceptPcm(message.samples);
          samplesDone += message.samples.length;
          send({ type: 'ack', audioSecDone: samplesDone / SPEECH_SAMPLE_RATE });
          return;
        case 'finish': {
          if (!recognizer) throw new Error('speech worker: finish before begin');
          recognizer.finish();
          const { words, endpoints } = recognizer.takeResults();
          recognizer.free();
          recognizer = undefined;
          send({ type: 'done', result: { engine: engine.engine, modelId: engine.modelId, words, endpoints } });
          return;
        }
      }
    } catch (error) {
      fail(error);
    }
  });
}

if (parentPort) void runSpeechWorker(parentPort, workerData as SpeechWorkerData);
