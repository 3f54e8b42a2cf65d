/** Worker thread: owns one FrameAnalyzer (its own ORT sessions) and analyses frames one at a time. */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { EmotionLensError } from '../errors';
import { useFixNames } from '../fixNames';
import { FrameAnalyzer } from './frameAnalyzer';
import type { FromFrameWorker, FrameWorkerData, SerializedError, ToFrameWorker } from './frameWorkerProtocol';

function serialize(error: unknown): SerializedError {
  if (error instanceof EmotionLensError) {
    return { message: error.message, code: error.code, problem: error.problem, file: error.file, hint: error.hint };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('frameWorker must run as a worker thread');
  const post = (message: FromFrameWorker) => port.postMessage(message);
  const data = workerData as FrameWorkerData;
  if (data.fixNames) useFixNames(data.fixNames);
  let analyzer: FrameAnalyzer;
  try {
    analyzer = await FrameAnalyzer.create(data.config);
  } catch (error) {
    post({ type: 'initError', error: serialize(error) });
    return;
  }
  // Frames are analysed strictly one after another: inference blocks this thread anyway.
  let queue = Promise.resolve();
  let closing = false;
  port.on('message', (message: ToFrameWorker) => {
    if (message.type === 'close') {
      closing = true;
      queue = queue.then(async () => {
        await analyzer.close();
        port.close();
      });
      return;
    }
    if (message.type === 'crashForTest') {
      // Dies unexpectedly, as far as the pool can tell: exits with code 1 without answering. The sessions
      // are released first, because a thread torn down by an uncaught exception with live ORT sessions can
      // abort the whole process (onnxruntime-node throws from its finalisers), ending the test run itself.
      closing = true;
      queue = queue.then(async () => {
        await analyzer.close();
        process.exitCode = 1;
        port.close();
      });
      return;
    }
    queue = queue.then(async () => {
      if (closing) return;
      if (message.type === 'timings') {
        post({ type: 'timings', id: message.id, timings: analyzer.timings() });
        return;
      }
      if (message.type === 'mouths') {
        const started = performance.now();
        try {
          const openings = await analyzer.mouthOpenings(message.frame, message.faces);
          post({ type: 'mouths', id: message.id, openings, ms: performance.now() - started });
        } catch (error) {
          post({ type: 'error', id: message.id, error: serialize(error) });
        }
        return;
      }
      try {
        const analysis = await analyzer.analyze(message.frame);
        const pixels = message.returnPixels ? message.frame.data : undefined;
        // The meshes (about 5.6 kB per face) and the frame's pixels are moved to the main thread, not copied.
        const moved = [...(analysis.meshes ? [analysis.meshes.buffer as ArrayBuffer] : []), ...(pixels ? [pixels.buffer as ArrayBuffer] : [])];
        port.postMessage({ type: 'result', id: message.id, analysis, ...(pixels ? { pixels } : {}) } satisfies FromFrameWorker, moved);
      } catch (error) {
        post({ type: 'error', id: message.id, error: serialize(error) });
      }
    });
  });
  post({ type: 'ready' });
}

void main();
