// The review panel's fallback when the video cannot play in the webview: a still of the face, cut by the real
// ffmpeg from the shared Pexels video (faceStill.ts, run by the editor provider on the webview's request).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { extractStill } from '../../src/extension/editor/faceStill';
import { makeTempDir, mediaFile, noMediaReason, skipUnless } from '../helpers/testEnvironment';

const ffmpegMissing = spawnSync('ffmpeg', ['-version']).status === 0 ? undefined : 'ffmpeg is not on the PATH (apt-get install ffmpeg)';

describe('face stills for the review panel', () => {
  it('cuts a JPEG of the face at a sampled time, scaled to the requested size', skipUnless(noMediaReason, ffmpegMissing), async () => {
    const video = mediaFile('video', 'WolfgangLanger_Pexels_face_silent.mp4');
    const started = Date.now();
    const uri = await extractStill('ffmpeg', { video, timeSec: 12.4, box: [250, 60, 140, 180], frameWidth: 640, frameHeight: 360, size: 160 });
    console.log(`still: ${uri.length} characters in ${Date.now() - started} ms`);
    assert.match(uri, /^data:image\/jpeg;base64,/);
    const jpeg = Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');
    assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8], 'JPEG start of image');
    assert.deepEqual([...jpeg.subarray(-2)], [0xff, 0xd9], 'JPEG end of image');
    const { dir, cleanup } = makeTempDir('emotion-lens-still-');
    try {
      const file = path.join(dir, 'still.jpg');
      writeFileSync(file, jpeg);
      const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
      // The crop is square (1.8 x the box's longer side, clamped to the frame's height), scaled to 160.
      assert.equal(probe.stdout.trim(), '160,160');
    } finally {
      cleanup();
    }
  });

  it('says why when there is no frame at that time', skipUnless(noMediaReason, ffmpegMissing), async () => {
    const video = mediaFile('video', 'WolfgangLanger_Pexels_face_silent.mp4');
    await assert.rejects(extractStill('ffmpeg', { video, timeSec: 500, box: [250, 60, 140, 180], frameWidth: 640, frameHeight: 360, size: 160 }), /ffmpeg could not decode the frame/);
  });
});
