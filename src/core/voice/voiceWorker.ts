/**
 * Worker thread that measures the voice of input after input: the pitch tracker and Silero VAD run over
 * every sample, seconds of arithmetic per minute of audio, which stays off the thread that reads audio and
 * video. Built to dist/voiceWorker.js.
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { EmotionLensError, errorMessage } from '../errors';
import { useFixNames } from '../fixNames';
import { SerialQueue } from '../vision/serialQueue';
import { Resampler } from './resampler';
import { SileroVad, spansFromScores, spansFromTrack, VAD_SAMPLE_RATE, VAD_WINDOW_SEC } from './speechActivity';
import { VoiceTracker } from './voiceTracker';
import type { FromVoiceWorker, ToVoiceWorker, VoiceWorkerData } from './voiceWorkerProtocol';

/** The state of one input between `begin` and `finish`. */
interface InputState {
  tracker: VoiceTracker;
  sampleRate: number;
  /** The voice activity model's 16 kHz copy of the input. */
  toVad: Resampler;
  samples: number;
}

async function runVoiceWorker(port: MessagePort, data: VoiceWorkerData): Promise<void> {
  const send = (message: FromVoiceWorker): void => port.postMessage(message);
  const fail = (error: unknown): void => {
    send({ type: 'error', code: error instanceof EmotionLensError ? error.code : 'internal', message: errorMessage(error) });
  };
  if (data.fixNames) useFixNames(data.fixNames);
  let vad: SileroVad | undefined;
  try {
    vad = data.vadModelPath ? await SileroVad.open(data.vadModelPath) : undefined;
  } catch (error) {
    fail(error);
    return;
  }
  // The VAD's run() is asynchronous: messages are handled strictly one after another, in order.
  const queue = new SerialQueue();
  let input: InputState | undefined;
  let closed = false;

  const handle = async (message: ToVoiceWorker): Promise<void> => {
    switch (message.type) {
      case 'close':
        closed = true;
        await vad?.close();
        port.close();
        return;
      case 'begin':
        vad?.reset();
        input = {
          tracker: new VoiceTracker(message.sampleRate, { ...(message.expectedSamples ? { expectedSamples: message.expectedSamples } : {}), bandLevels: message.bandLevels === true }),
          sampleRate: message.sampleRate,
          toVad: new Resampler(message.sampleRate, VAD_SAMPLE_RATE),
          samples: 0,
        };
        return;
      case 'pcm': {
        if (!input) throw new Error('voice worker: audio before begin');
        const floats = toFloat(message.samples);
        input.tracker.push(floats);
        if (vad) await vad.push(input.toVad.push(floats));
        input.samples += floats.length;
        send({ type: 'ack', audioSecDone: input.samples / input.sampleRate });
        return;
      }
      case 'finish': {
        if (!input) throw new Error('voice worker: finish before begin');
        const track = input.tracker.finish();
        if (vad) await vad.push(input.toVad.finish());
        const audioSec = input.samples / input.sampleRate;
        const spans = vad ? spansFromScores(await vad.finish(), VAD_WINDOW_SEC, undefined, audioSec) : spansFromTrack(track);
        input = undefined;
        send({ type: 'done', result: { track, spans, segmentation: vad ? 'silero-vad' : 'energy', audioSec } });
        return;
      }
    }
  };
  port.on('message', (message: ToVoiceWorker) => {
    if (closed) return;
    queue.run(() => handle(message)).catch(fail);
  });
}

/** s16 samples as floats in [-1, 1), what both the tracker and the network take. */
function toFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

if (parentPort) void runVoiceWorker(parentPort, workerData as VoiceWorkerData);
