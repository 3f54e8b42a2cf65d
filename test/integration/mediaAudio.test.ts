import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CancelledError, EmotionLensError } from '../../src/core/errors';
import { readAudio, readAudio16k, readAudioAtRates } from '../../src/core/media/audioReader';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { readFrames } from '../../src/core/media/frameReader';
import type { FfmpegTools } from '../../src/core/media/mediaTypes';
import { probeMedia } from '../../src/core/media/probe';
import { makeAudioOnlyFile, makeClipWithoutAudio, makeRandomBytesMp4, makeStartOffsetClip, noFfmpegReason, runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { makeTempDir, noMediaReason, skipUnless } from '../helpers/testEnvironment';

const skip = skipUnless(noFfmpegReason, noMediaReason);
const rate = 16000;

async function readAll(tools: FfmpegTools, file: string, chunkSamples?: number): Promise<{ samples: Int16Array; chunkLengths: number[] }> {
  const chunks: Int16Array[] = [];
  for await (const chunk of readAudio16k(tools, file, { chunkSamples })) chunks.push(chunk);
  const samples = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  return { samples, chunkLengths: chunks.map((c) => c.length) };
}

function rms(samples: Int16Array, fromSec: number, toSec: number): number {
  let sum = 0;
  const from = Math.floor(fromSec * rate);
  const to = Math.min(samples.length, Math.floor(toSec * rate));
  for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

function ffmpegChildCount(): number {
  return readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      const match = /^\d+ \((.*)\) \S (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      return match?.[1] === 'ffmpeg' && Number(match[2]) === process.pid;
    } catch {
      return false;
    }
  }).length;
}

describe('readAudio16k', { ...skip }, () => {
  let tools: FfmpegTools;
  let dir = '';
  let cleanup = (): void => undefined;
  before(async () => {
    tools = await locateFfmpeg();
    ({ dir, cleanup } = makeTempDir());
  });
  after(() => cleanup());

  for (const name of ['pexels', 'obama'] as const) {
    it(`gives about duration x 16000 samples for ${name}, in 0.5 s chunks`, async () => {
      const probe = await probeMedia(tools, sharedVideos[name]());
      const { samples, chunkLengths } = await readAll(tools, sharedVideos[name]());
      assert.ok(Math.abs(samples.length - probe.durationSec * rate) < 0.1 * rate, `${samples.length} samples for ${probe.durationSec} s`);
      assert.ok(chunkLengths.slice(0, -1).every((n) => n === rate / 2));
      assert.ok((chunkLengths.at(-1) ?? 0) <= rate / 2);
    });
  }

  it('has speech energy in the Obama clip and silence in the silent Pexels track', async () => {
    const obama = await readAll(tools, sharedVideos.obama());
    const pexels = await readAll(tools, sharedVideos.pexels());
    assert.ok(rms(obama.samples, 0, 20) > 300, `Obama RMS ${rms(obama.samples, 0, 20)}`);
    assert.ok(rms(pexels.samples, 0, 19) < 50, `Pexels RMS ${rms(pexels.samples, 0, 19)}`);
  });

  for (const audioDelaySec of [0.5, -0.5]) {
    it(`shares the media start with the frames when the audio starts ${audioDelaySec} s after the video`, async () => {
      const clip = await makeStartOffsetClip(dir, 2, audioDelaySec, 3);
      const probe = await probeMedia(tools, clip.file);
      let firstFrameSec = NaN;
      for await (const frame of readFrames(tools, clip.file, probe, { sampleFps: 5, maxSide: 512 })) {
        firstFrameSec = frame.timeSec;
        break;
      }
      const { samples } = await readAll(tools, clip.file, 1000);
      assert.ok(Math.abs(samples.length - probe.durationSec * rate) < 0.1 * rate, `${samples.length} samples for ${probe.durationSec} s`);
      const onset = samples.findIndex((v) => Math.abs(v) > 1000) / rate;
      assert.ok(Math.abs(firstFrameSec - onset + audioDelaySec) < 0.03, `first frame at ${firstFrameSec} s, tone at ${onset} s`);
      if (audioDelaySec > 0) assert.ok(rms(samples, 0, onset - 0.05) < 20, 'padded with silence before the tone');
      // 440 Hz at 16 kHz: 880 zero crossings per second proves the sample rate.
      let crossings = 0;
      for (let i = Math.floor(1.2 * rate); i < 2.2 * rate; i++) if (((samples[i - 1] ?? 0) < 0) !== ((samples[i] ?? 0) < 0)) crossings++;
      assert.ok(Math.abs(crossings - 880) <= 4, `${crossings} zero crossings`);
    });
  }

  it('yields nothing for a clip without audio, and the tone of an audio-only file', async () => {
    const silent = await readAll(tools, await makeClipWithoutAudio(dir));
    assert.equal(silent.samples.length, 0);
    const audioOnly = await readAll(tools, await makeAudioOnlyFile(dir));
    assert.ok(Math.abs(audioOnly.samples.length - 2 * rate) < 0.1 * rate);
  });

  it('fails with one line naming an undecodable file', async () => {
    const file = makeRandomBytesMp4(dir);
    await assert.rejects(readAll(tools, file), (e: unknown) => e instanceof EmotionLensError && e.message.startsWith(`${file}: `) && !e.message.includes('\n'));
  });

  it('stops ffmpeg on abort and throws CancelledError', async () => {
    const controller = new AbortController();
    const audio = readAudio16k(tools, sharedVideos.obama(), { signal: controller.signal, chunkSamples: 1600 });
    assert.equal((await audio.next()).done, false);
    controller.abort();
    await assert.rejects(audio.next(), CancelledError);
    assert.equal(ffmpegChildCount(), 0);
  });
});

async function collect(chunks: AsyncIterable<Int16Array>): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const out = new Int16Array(parts.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe('readAudioAtRates (voice at the native rate and speech at 16 kHz from one ffmpeg)', { ...skip }, () => {
  let tools: FfmpegTools;
  let dir = '';
  let speech48k = '';
  let cleanup = (): void => undefined;
  before(async () => {
    tools = await locateFfmpeg();
    ({ dir, cleanup } = makeTempDir());
    // Real speech in AAC at 48 kHz, as most recorded video carries it.
    speech48k = `${dir}/obama-48k.mp4`;
    await runFfmpeg(['-i', sharedVideos.obama(), '-t', '8', '-c:v', 'copy', '-c:a', 'aac', '-ar', '48000', speech48k]);
  });
  after(() => cleanup());

  it('gives each rate the very samples a read of its own gives', async () => {
    for (const rates of [[48000, 16000], [44100, 16000]]) {
      const [native, speech] = readAudioAtRates(tools, speech48k, rates);
      const [both48, both16] = await Promise.all([collect(native!), collect(speech!)]);
      const [alone48, alone16] = await Promise.all([collect(readAudio(tools, speech48k, { sampleRate: rates[0] })), collect(readAudio16k(tools, speech48k))]);
      assert.ok(alone16.length > 7.5 * 16000 && rms(alone16, 0, 8) > 300, `${alone16.length} samples of speech`);
      assert.deepEqual(both48, alone48, `${rates[0]} Hz`);
      assert.deepEqual(both16, alone16, '16 kHz');
    }
  });

  it('keeps feeding one reader when the other stops early, and leaves no ffmpeg behind', async () => {
    const [native, speech] = readAudioAtRates(tools, speech48k, [48000, 16000], { chunkSamples: 1600 });
    assert.equal((await speech!.next()).done, false);
    await speech!.return(undefined);
    const all = await collect(native!);
    assert.ok(Math.abs(all.length - 8 * 48000) < 0.1 * 48000, `${all.length} samples at 48 kHz`);
    assert.equal(ffmpegChildCount(), 0);
  });

  for (const when of ['before', 'after'] as const) {
    it(`keeps feeding one reader when the other is closed unread ${when} ffmpeg started (a worker that failed to start)`, async () => {
      const [native, speech] = readAudioAtRates(tools, speech48k, [48000, 16000], { chunkSamples: 1600 });
      const first = when === 'after' ? await native!.next() : undefined;
      await speech!.return(undefined);
      const rest = await collect(native!);
      const total = rest.length + (first?.value?.length ?? 0);
      assert.ok(Math.abs(total - 8 * 48000) < 0.1 * 48000, `${total} samples at 48 kHz`);
      assert.equal(ffmpegChildCount(), 0);
    });
  }

  it('yields nothing at either rate for a clip without audio', async () => {
    const streams = readAudioAtRates(tools, await makeClipWithoutAudio(dir), [48000, 16000]);
    const [a, b] = await Promise.all(streams.map(collect));
    assert.equal(a!.length + b!.length, 0);
  });
});

