// The notebook renderer's contribution and its one message: package.json, the code's ids and the build agree,
// and the host accepts only a well-formed "open the review" request naming a *.emotion.json path.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ANNOTATION_MIME, isAbsolutePath, MAX_PATH_LENGTH, parseOpenReviewMessage, RENDERER_ID } from '../../src/notebook/rendererProtocol';
import { NOTEBOOK_RENDERER_ID } from '../../src/extension/contributionIds';
import { repoRoot } from '../helpers/testEnvironment';

describe('notebook renderer contribution', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    activationEvents: string[];
    contributes: { notebookRenderer: { id: string; displayName: string; entrypoint: string; mimeTypes: string[]; requiresMessaging: string }[] };
  };

  it('package.json declares the renderer the code names, for the annotation MIME type, with optional messaging', () => {
    assert.equal(RENDERER_ID, NOTEBOOK_RENDERER_ID);
    assert.deepEqual(pkg.contributes.notebookRenderer, [{
      id: RENDERER_ID,
      displayName: 'Emotion Lens annotation',
      entrypoint: './dist/notebookRenderer.js',
      mimeTypes: [ANNOTATION_MIME],
      requiresMessaging: 'optional',
    }]);
    // VS Code derives onRenderer:<id> from the contribution itself (VS Code >= 1.74): no explicit event.
    assert.ok(!pkg.activationEvents.some((e) => e.startsWith('onRenderer:')));
  });

  it('the built entry point is an ES module exporting activate, with no require of Node modules', () => {
    const built = readFileSync(path.join(repoRoot, 'dist', 'notebookRenderer.js'), 'utf8');
    assert.match(built, /export\s*\{[^}]*\bactivate\b[^}]*\}/);
    assert.doesNotMatch(built, /\brequire\(/);
  });
});

describe('the open-review message', () => {
  it('accepts a documentPath or a mediaPath (which names <media>.emotion.json)', () => {
    assert.deepEqual(parseOpenReviewMessage({ type: 'openReview', requestId: 3, documentPath: 'clip.mp4.emotion.json', mediaPath: 'clip.mp4' }), { requestId: 3, from: 'documentPath', path: 'clip.mp4.emotion.json' });
    assert.deepEqual(parseOpenReviewMessage({ type: 'openReview', requestId: 0, mediaPath: '../data/clip.mp4' }), { requestId: 0, from: 'mediaPath', path: '../data/clip.mp4.emotion.json' });
    assert.deepEqual(parseOpenReviewMessage({ type: 'openReview', requestId: 1, documentPath: 'C:\\data\\A.MP4.EMOTION.JSON' }), { requestId: 1, from: 'documentPath', path: 'C:\\data\\A.MP4.EMOTION.JSON' });
  });

  const refused: [string, unknown, RegExp][] = [
    ['not an object', 'openReview', /not an object/],
    ['null', null, /not an object/],
    ['another type', { type: 'runCommand', requestId: 1 }, /unknown message type "runCommand"/],
    ['an extra field', { type: 'openReview', requestId: 1, mediaPath: 'a.mp4', command: 'x' }, /unexpected field "command"/],
    ['no request id', { type: 'openReview', mediaPath: 'a.mp4' }, /requestId/],
    ['a fractional request id', { type: 'openReview', requestId: 1.5, mediaPath: 'a.mp4' }, /requestId/],
    ['no path', { type: 'openReview', requestId: 1 }, /neither documentPath nor mediaPath/],
    ['a path that is not a string', { type: 'openReview', requestId: 1, documentPath: ['a.emotion.json'] }, /documentPath is not a string/],
    ['an empty path', { type: 'openReview', requestId: 1, mediaPath: '  ' }, /mediaPath is empty/],
    ['a document that is not *.emotion.json', { type: 'openReview', requestId: 1, documentPath: '/etc/passwd' }, /does not name a \*\.emotion\.json file/],
    ['a URI', { type: 'openReview', requestId: 1, documentPath: 'command:workbench.action.quit?x.emotion.json' }, /is a URI, not a path/],
    ['a file URI', { type: 'openReview', requestId: 1, documentPath: 'file:///tmp/a.emotion.json' }, /is a URI, not a path/],
    ['control characters', { type: 'openReview', requestId: 1, documentPath: 'a\u0000.emotion.json' }, /control characters/],
    ['a path too long', { type: 'openReview', requestId: 1, documentPath: `${'a/'.repeat(MAX_PATH_LENGTH)}.emotion.json` }, /longer than 4096/],
    ['a media path too long once suffixed', { type: 'openReview', requestId: 1, mediaPath: 'a'.repeat(MAX_PATH_LENGTH - 3) }, /longer than 4096/],
  ];
  for (const [name, message, why] of refused) {
    it(`refuses ${name}`, () => {
      const result = parseOpenReviewMessage(message);
      assert.ok('error' in result, `accepted: ${JSON.stringify(result)}`);
      assert.match(result.error, why);
    });
  }

  it('knows absolute paths on either platform', () => {
    for (const p of ['/data/a.emotion.json', 'C:\\data\\a.emotion.json', 'd:/a.emotion.json', '\\\\server\\share\\a.emotion.json']) assert.ok(isAbsolutePath(p), p);
    for (const p of ['a.emotion.json', '../a.emotion.json', 'data\\a.emotion.json']) assert.ok(!isAbsolutePath(p), p);
  });
});
