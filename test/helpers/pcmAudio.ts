// 16 kHz mono s16 audio of a media file through the project's own reader (real ffmpeg, argument array).
import { readAudio16k } from '../../src/core/media/audioReader';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';

/** Streams the audio of `file` as Int16Array chunks of 0.5 s; stops ffmpeg when the consumer stops. */
export async function* ffmpegPcm16k(file: string, signal?: AbortSignal): AsyncGenerator<Int16Array> {
  const tools = await locateFfmpeg();
  yield* readAudio16k(tools, file, { signal });
}

/** All of the audio at once. */
export async function readPcm16k(file: string): Promise<Int16Array> {
  const chunks: Int16Array[] = [];
  for await (const chunk of ffmpegPcm16k(file)) chunks.push(chunk.slice());
  const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.length;
  }
  return all;
}
