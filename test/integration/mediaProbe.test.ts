import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import type { ErrorCode } from '../../src/core/errors';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import type { FfmpegTools } from '../../src/core/media/mediaTypes';
import { probeMedia } from '../../src/core/media/probe';
import {
  make4kClip,
  makeAudioOnlyFile,
  makeSubtitlesOnlyFile,
  makeAudioWithCoverArt,
  makeClipWithoutAudio,
  makeRandomBytesMp4,
  makeRotatedClip,
  makeStartOffsetClip,
  makeStillImages,
  makeTruncatedMp4,
  makeTwoFaceClip,
  makeVfrClip,
  makeZeroByteMp4,
  noFfmpegReason,
  sharedVideos,
} from '../helpers/mediaFixtures';
import { makeTempDir, noMediaReason, skipUnless } from '../helpers/testEnvironment';

const skip = skipUnless(noFfmpegReason, noMediaReason);

async function probeError(tools: FfmpegTools, file: string): Promise<EmotionLensError> {
  const error = await probeMedia(tools, file).then(
    () => assert.fail(`expected ${file} to be rejected`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EmotionLensError, String(error));
  return error;
}

function assertOneLineNaming(error: EmotionLensError, file: string, code: ErrorCode): void {
  assert.equal(error.code, code, error.message);
  assert.ok(!error.message.includes('\n'), error.message);
  assert.ok(error.message.startsWith(`${file}: `), error.message);
}

describe('probeMedia on the shared videos', { ...skip }, () => {
  let tools: FfmpegTools;
  before(async () => {
    tools = await locateFfmpeg();
  });

  // Durations and sizes from ../shared/media/README.md.
  const cases = [
    { name: 'pexels', duration: 19.7, width: 640, height: 360 },
    { name: 'obama', duration: 20.1, width: 256, height: 256 },
    { name: 'reagan', duration: 26.1, width: 256, height: 256 },
  ] as const;
  for (const c of cases) {
    it(`describes ${c.name}`, async () => {
      const probe = await probeMedia(tools, sharedVideos[c.name]());
      assert.equal(probe.kind, 'video');
      assert.ok(Math.abs(probe.durationSec - c.duration) < 0.06, `duration ${probe.durationSec}`);
      assert.deepEqual([probe.width, probe.height, probe.rotation], [c.width, c.height, 0]);
      assert.equal(probe.startTimeSec, 0);
      assert.equal(probe.hasAudio, true);
      assert.equal(probe.videoCodec, 'h264');
      assert.equal(probe.audioCodec, 'aac');
      assert.ok(probe.fps > 20 && probe.fps <= 30, `fps ${probe.fps}`);
    });
  }

  it('gives the Pexels clip its NTSC rate and frame estimates', async () => {
    const probe = await probeMedia(tools, sharedVideos.pexels());
    assert.ok(Math.abs(probe.fps - 24000 / 1001) < 1e-6, `fps ${probe.fps}`);
    // 19.685 s of video: one frame per started 0.2 s bin at 5 fps, every frame otherwise.
    assert.equal(probe.estimatedFrames(5), Math.ceil(19.685 * 5));
    assert.ok(Math.abs(probe.estimatedFrames(0) - 19.685 * probe.fps) <= 1);
    assert.equal(probe.estimatedFrames(1000), probe.estimatedFrames(0));
  });
});

describe('probeMedia on generated media', { ...skip }, () => {
  let tools: FfmpegTools;
  let dir = '';
  let cleanup = (): void => undefined;
  before(async () => {
    tools = await locateFfmpeg();
    ({ dir, cleanup } = makeTempDir());
  });
  after(() => cleanup());

  it('reports a non-zero start time and the duration from that start', async () => {
    const clip = await makeStartOffsetClip(dir, 2, 0.5, 3);
    const probe = await probeMedia(tools, clip.file);
    assert.ok(Math.abs(probe.startTimeSec - clip.startSec) < 0.01, `start ${probe.startTimeSec}`);
    assert.ok(Math.abs(probe.durationSec - clip.durationSec) < 0.1, `duration ${probe.durationSec}`);
    assert.equal(probe.hasAudio, true);
  });

  it('swaps width and height for a clip rotated 90 degrees', async () => {
    const probe = await probeMedia(tools, await makeRotatedClip(dir));
    assert.deepEqual([probe.rotation, probe.width, probe.height], [90, 180, 320]);
  });

  it('knows a clip without audio, a VFR clip, a 4K clip and the two-face clip', async () => {
    const silent = await probeMedia(tools, await makeClipWithoutAudio(dir));
    assert.equal(silent.hasAudio, false);
    assert.equal(silent.audioCodec, undefined);

    const vfr = await makeVfrClip(dir);
    const vfrProbe = await probeMedia(tools, vfr.file);
    assert.equal(vfrProbe.estimatedFrames(0), vfr.frameTimes.length);
    assert.ok(vfrProbe.fps > 10 && vfrProbe.fps < 30, `average fps ${vfrProbe.fps}`);

    const uhd = await probeMedia(tools, await make4kClip(dir, 1));
    assert.deepEqual([uhd.width, uhd.height], [3840, 2160]);

    const two = await probeMedia(tools, await makeTwoFaceClip(dir, 2));
    assert.deepEqual([two.width, two.height, two.hasAudio], [512, 256, true]);
  });

  it('treats JPEG and PNG stills as one-frame images', async () => {
    const { jpg, png } = await makeStillImages(dir);
    for (const file of [jpg, png]) {
      const probe = await probeMedia(tools, file);
      assert.deepEqual([probe.kind, probe.durationSec, probe.fps, probe.width, probe.height], ['image', 0, 0, 640, 360], file);
      assert.equal(probe.estimatedFrames(5), 1);
    }
  });

  it('probes a half file whose index is at the front (the first half can still be decoded)', async () => {
    const probe = await probeMedia(tools, await makeTruncatedMp4(dir, 'moov-first'));
    assert.equal(probe.kind, 'video');
  });

  it('rejects each bad input with one line naming the file', async () => {
    const missing = `${dir}/does-not-exist.mp4`;
    assertOneLineNaming(await probeError(tools, missing), missing, 'input-missing');

    const empty = makeZeroByteMp4(dir);
    const emptyError = await probeError(tools, empty);
    assertOneLineNaming(emptyError, empty, 'input-unreadable');
    assert.match(emptyError.message, /empty/);

    const random = makeRandomBytesMp4(dir);
    assertOneLineNaming(await probeError(tools, random), random, 'input-unreadable');

    const cut = await makeTruncatedMp4(dir, 'moov-last');
    const cutError = await probeError(tools, cut);
    assertOneLineNaming(cutError, cut, 'input-unreadable');
    assert.match(cutError.message, /re-export or re-download/);

    const folderError = await probeError(tools, dir);
    assertOneLineNaming(folderError, dir, 'input-unsupported');
    assert.match(folderError.message, /folder/);

    const nothing = await makeSubtitlesOnlyFile(dir);
    const nothingError = await probeError(tools, nothing);
    assertOneLineNaming(nothingError, nothing, 'no-video-stream');
    assert.match(nothingError.message, /has neither a video nor an audio stream/);
  });

  it('a file with sound and no picture is a recording (cover art is not a picture stream)', async () => {
    const audio = await probeMedia(tools, await makeAudioOnlyFile(dir));
    assert.equal(audio.kind, 'audio');
    assert.ok(Math.abs(audio.durationSec - 2) < 0.1, `${audio.durationSec} s`);
    assert.deepEqual([audio.width, audio.height, audio.fps, audio.estimatedFrames(5)], [0, 0, 0, 0]);
    assert.equal(audio.audioCodec, 'aac');
    const song = await probeMedia(tools, await makeAudioWithCoverArt(dir));
    assert.equal(song.kind, 'audio');
    assert.equal(song.audioCodec, 'mp3');
  });
});
