import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expandInputs, isAudioPath, isImagePath, isTimedMediaPath, isVideoPath } from '../../src/core/media/inputFiles';
import { makeTempDir } from '../helpers/testEnvironment';

describe('input file extensions', () => {
  it('recognises speech recordings, which are analysed like videos', () => {
    for (const name of ['a.wav', 'b.FLAC', 'c.mp3', 'd.m4a', 'e.aac', 'f.ogg', 'g.opus']) assert.ok(isAudioPath(name) && isTimedMediaPath(name), name);
    assert.equal(isAudioPath('clip.mp4'), false);
    assert.equal(isTimedMediaPath('clip.mp4'), true);
    assert.equal(isTimedMediaPath('photo.jpg'), false, 'a still is not offered by "Analyze all videos in folder"');
  });

  it('recognises videos and images case-insensitively', () => {
    assert.equal(isVideoPath('/a/b/Clip.MP4'), true);
    assert.equal(isVideoPath('x.mov'), true);
    assert.equal(isVideoPath('x.mkv'), true);
    assert.equal(isVideoPath('x.jpg'), false);
    assert.equal(isImagePath('photo.JPeG'), true);
    assert.equal(isImagePath('photo.png'), true);
    assert.equal(isImagePath('notes.txt'), false);
    assert.equal(isVideoPath('mp4'), false, 'a name without extension is not a video');
  });
});

describe('expandInputs', () => {
  let dir = '';
  let cleanup = (): void => undefined;

  before(() => {
    ({ dir, cleanup } = makeTempDir());
    const touch = (...parts: string[]): void => {
      const file = path.join(dir, ...parts);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, 'x');
    };
    touch('set', 'b.mp4');
    touch('set', 'a.MOV');
    touch('set', 'face.png');
    touch('set', 'readme.txt');
    touch('set', 'deeper', 'c.webm');
    touch('set', '.hidden', 'secret.mp4');
    touch('set', 'node_modules', 'dep.mp4');
    touch('set', 'clip.mp4', 'inner.mkv');
    touch('loose', 'notes.data');
    mkdirSync(path.join(dir, 'empty'), { recursive: true });
    // A symlink loop must not hang the search.
    symlinkSync(path.join(dir, 'set'), path.join(dir, 'set', 'deeper', 'loop'));
  });
  after(() => cleanup());

  it('searches folders recursively by extension, skipping hidden folders and node_modules', async () => {
    const { files, errors } = await expandInputs([path.join(dir, 'set')]);
    const rel = files.map((f) => path.relative(path.join(dir, 'set'), f));
    assert.deepEqual(rel, ['a.MOV', 'b.mp4', path.join('clip.mp4', 'inner.mkv'), path.join('deeper', 'c.webm'), 'face.png']);
    assert.deepEqual(errors, []);
  });

  it('keeps a named file whatever its extension, and a folder named like a video is searched', async () => {
    const { files } = await expandInputs([path.join(dir, 'loose', 'notes.data'), path.join(dir, 'set', 'clip.mp4')]);
    assert.deepEqual(files, [path.join(dir, 'loose', 'notes.data'), path.join(dir, 'set', 'clip.mp4', 'inner.mkv')].sort());
  });

  it('returns absolute, sorted, de-duplicated paths', async () => {
    const relative = path.relative(process.cwd(), path.join(dir, 'set', 'b.mp4'));
    const { files } = await expandInputs([path.join(dir, 'set'), relative, path.join(dir, 'set', 'b.mp4')]);
    assert.equal(files.filter((f) => f.endsWith('b.mp4')).length, 1);
    assert.ok(files.every((f) => path.isAbsolute(f)));
    assert.deepEqual(files, [...files].sort());
  });

  it('reports missing paths and media-less folders as one-line errors naming them', async () => {
    const missing = path.join(dir, 'nope', 'gone.mp4');
    const { files, errors } = await expandInputs([missing, path.join(dir, 'empty'), path.join(dir, 'set', 'b.mp4')]);
    assert.deepEqual(files, [path.join(dir, 'set', 'b.mp4')]);
    assert.equal(errors.length, 2);
    for (const error of errors) {
      assert.ok(!error.message.includes('\n'), error.message);
      assert.ok(error.message.startsWith(error.path), error.message);
    }
    assert.match(errors[0]?.message ?? '', /not found/);
    assert.match(errors[1]?.message ?? '', /no videos, images or speech recordings/);
  });
});
