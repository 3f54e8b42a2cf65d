// Still images decoded in-process by sharp: upright as a viewer shows them (EXIF orientation, which ffmpeg
// 5.1 ignores), the same pixels ffmpeg gives for a plain image, and formats sharp cannot read left to ffmpeg.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import { analyzeOnce } from '../../src/core/engine/analysisSession';
import { sha256File } from '../../src/core/models/download';
import { probedImageSha256, probeImageWithSharp, readImageWithSharp } from '../../src/core/vision/imageDecoding';
import { makeStillImages, noFfmpegReason, runFfmpeg } from '../helpers/mediaFixtures';
import { makeTempDir, modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';

describe('still images through sharp', skipUnless(noModelsReason, noMediaReason, noFfmpegReason), () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  let upright: string;
  let sideways: string;
  before(async () => {
    upright = (await makeStillImages(temp.dir, 10)).jpg;
    // The same photo stored turned a quarter to the left, with EXIF orientation 6 ("turn 90° clockwise to view").
    sideways = path.join(temp.dir, 'phone.jpg');
    await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toFile(sideways);
  });

  const analyse = async (file: string) => readAnnotationDocument((await analyzeOnce(makeRequest(file, { models: { modelsDir }, settings: { speech: false } }))).outputPath);

  it('reads EXIF orientation: the sideways-stored photo is analysed upright, its box where the upright photo has it', async () => {
    const probe = await probeImageWithSharp(sideways);
    assert.equal(probe?.width, 640);
    assert.equal(probe?.height, 360);
    assert.equal(probe?.rotation, 90);
    const [a, b] = [await analyse(upright), await analyse(sideways)];
    assert.equal(b.media.width, 640);
    assert.equal(b.media.height, 360);
    const boxA = a.frames[0]!.faces[0]!.box;
    const boxB = b.frames[0]!.faces[0]!.box;
    console.log(`upright box ${boxA.map(Math.round)}, EXIF-rotated box ${boxB.map(Math.round)}; labels ${a.frames[0]!.faces[0]!.label} / ${b.frames[0]!.faces[0]!.label}`);
    boxA.forEach((v, i) => assert.ok(Math.abs(v - boxB[i]!) < 12, `box ${boxB} vs ${boxA}`));
    assert.equal(b.frames[0]!.faces[0]!.label, a.frames[0]!.faces[0]!.label);
  });

  it('decodes the same pixels as ffmpeg for a plain PNG (a lossless image has one right answer)', async () => {
    const png = path.join(temp.dir, 'still.png');
    const probe = (await probeImageWithSharp(png))!;
    const frame = await readImageWithSharp(png, probe, 1280);
    const raw = path.join(temp.dir, 'ffmpeg.rgb');
    await runFfmpeg(['-i', png, '-f', 'rawvideo', '-pix_fmt', 'rgb24', raw]);
    const ffmpeg = new Uint8Array(readFileSync(raw));
    assert.equal(frame.data.length, ffmpeg.length);
    assert.ok(Buffer.from(frame.data).equals(Buffer.from(ffmpeg)), 'pixel for pixel');
  });

  it('reads an image once: the probe\'s bytes give the document the file\'s sha256, and the same pixels as the file read again', async () => {
    const probe = (await probeImageWithSharp(upright))!;
    assert.equal(probedImageSha256(probe), await sha256File(upright));
    const fromProbe = await readImageWithSharp(upright, probe, 1280);
    assert.equal(probedImageSha256(probe), undefined, 'the decode lets the bytes go');
    const fromFile = await readImageWithSharp(upright, { ...probe }, 1280);
    assert.ok(Buffer.from(fromProbe.data).equals(Buffer.from(fromFile.data)));
    assert.equal((await analyse(upright)).media.sha256, await sha256File(upright));
  });

  it('leaves formats sharp cannot read to ffmpeg (a BMP), and a truncated JPEG fails in one line naming it', async () => {
    const bmp = path.join(temp.dir, 'face.bmp');
    await runFfmpeg(['-i', upright, bmp]);
    assert.equal(await probeImageWithSharp(bmp), undefined);
    const doc = await analyse(bmp);
    assert.equal(doc.frames[0]!.faces.length, 1);

    const bytes = readFileSync(upright);
    const cut = path.join(temp.dir, 'cut.jpg');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await assert.rejects(analyzeOnce(makeRequest(cut, { models: { modelsDir }, settings: { speech: false } })), (error: Error) => {
      assert.ok(!error.message.includes('\n'));
      assert.ok(error.message.startsWith(cut), error.message);
      assert.match(error.message, /could not be decoded|not a video or image/);
      return true;
    });
  });
});
