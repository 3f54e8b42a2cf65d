// Which files the extension's commands act on: Explorer arguments, multi-selection, the active tab, a picker.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { classifyUri, commandUris, describeIgnored, isUriLike, resolveTargets, videoOfDocument } from '../../src/extension/analysisTargets';
import type { UriLike } from '../../src/extension/analysisTargets';

const file = (p: string): UriLike => ({ scheme: 'file', fsPath: path.resolve(p) });
const remote = (p: string): UriLike => ({ scheme: 'vscode-vfs', fsPath: p });
const both = { videos: true, documents: true };

describe('command arguments', () => {
  test('a single Explorer click gives that file; the editor title context object is not a URI', () => {
    const clip = file('/data/clip.mp4');
    assert.deepEqual(commandUris(clip, [clip]), [clip]);
    assert.deepEqual(commandUris(clip, { groupId: 1 }), [clip]);
    assert.deepEqual(commandUris(undefined, undefined), []);
  });

  test('a multi-selection wins over the clicked item and loses duplicates', () => {
    const a = file('/data/a.mp4');
    const b = file('/data/b.MOV');
    assert.deepEqual(commandUris(a, [a, b, { ...a }]), [a, b]);
  });

  test('isUriLike rejects look-alikes', () => {
    assert.equal(isUriLike({ scheme: 'file' }), false);
    assert.equal(isUriLike('file:///x.mp4'), false);
    assert.equal(isUriLike(null), false);
    assert.equal(isUriLike(file('/x.mp4')), true);
  });
});

describe('classifying', () => {
  test('videos by extension in any case, documents by suffix, other schemes refused', () => {
    assert.equal(classifyUri(file('/d/clip.MP4')), 'video');
    assert.equal(classifyUri(file('/d/clip.webm')), 'video');
    assert.equal(classifyUri(file('/d/clip.mp4.emotion.json')), 'document');
    assert.equal(classifyUri(file('/d/notes.json')), 'other');
    assert.equal(classifyUri(file('/d/photo.jpg')), 'other');
    assert.equal(classifyUri(remote('/d/clip.mp4')), 'not-file');
  });
});

describe('resolveTargets', () => {
  test('arguments come first; the active tab is not consulted when there are any', () => {
    const result = resolveTargets([file('/d/a.mp4')], file('/d/b.mp4'), both);
    assert.notEqual(result, 'pick');
    if (result === 'pick') return;
    assert.deepEqual(result.videos, [path.resolve('/d/a.mp4')]);
    assert.equal(result.fromActiveTab, false);
  });

  test('from the palette: the active media tab, then the active review tab, else a picker', () => {
    const video = resolveTargets([], file('/d/clip.mkv'), both);
    assert.ok(video !== 'pick' && video.fromActiveTab && video.videos.length === 1);
    const document = resolveTargets([], file('/d/clip.mkv.emotion.json'), both);
    assert.ok(document !== 'pick' && document.documents.length === 1 && document.videos.length === 0);
    assert.equal(resolveTargets([], file('/d/readme.md'), both), 'pick');
    assert.equal(resolveTargets([], undefined, both), 'pick');
    // A command that takes only videos asks, rather than acting on a document it cannot use.
    assert.equal(resolveTargets([], file('/d/clip.mkv.emotion.json'), { videos: true, documents: false }), 'pick');
  });

  test('a mixed multi-selection keeps what fits and says why the rest was left out', () => {
    const result = resolveTargets([file('/d/a.mp4'), file('/d/notes.txt'), remote('/d/b.mp4'), file('/d/a.mp4.emotion.json')], undefined, { videos: true, documents: false });
    assert.ok(result !== 'pick');
    assert.deepEqual(result.videos, [path.resolve('/d/a.mp4')]);
    assert.deepEqual(result.ignored.map((i) => path.basename(i.path)), ['notes.txt', 'b.mp4', 'a.mp4.emotion.json']);
    assert.match(result.ignored[0]?.reason ?? '', /is not a video$/);
    assert.match(result.ignored[1]?.reason ?? '', /not a file on this machine/);
    assert.match(describeIgnored(result.ignored, 2), /^notes\.txt is not a video; b\.mp4 is not a file .*; and 1 more$/);
  });

  test('arguments that are all unusable give an empty result, not a picker', () => {
    const result = resolveTargets([file('/d/notes.txt')], file('/d/clip.mp4'), both);
    assert.ok(result !== 'pick');
    assert.equal(result.videos.length + result.documents.length, 0);
    assert.equal(result.ignored.length, 1);
    assert.match(result.ignored[0]?.reason ?? '', /a video or an annotation document/);
  });
});

test('a document names its video relative to its own folder', () => {
  assert.equal(videoOfDocument(path.resolve('/out/docs/clip.mp4.emotion.json'), '../../videos/clip.mp4'), path.resolve('/videos/clip.mp4'));
  assert.equal(videoOfDocument(path.resolve('/v/clip.mp4.emotion.json'), 'clip.mp4'), path.resolve('/v/clip.mp4'));
});
