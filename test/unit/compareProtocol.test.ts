// The compare webview's messages to the host are checked field by field: a message is acted on whole or not at all.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_ANNOTATORS, parseCompareWebviewMessage } from '../../src/shared/compareProtocol';

describe('parseCompareWebviewMessage', () => {
  test('accepts ready and openDocument (with or without a face) and returns fresh copies', () => {
    assert.deepEqual(parseCompareWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseCompareWebviewMessage({ type: 'openDocument', annotator: 1 }), { type: 'openDocument', annotator: 1 });
    const face = { frameIndex: 12, trackId: 2 };
    const parsed = parseCompareWebviewMessage({ type: 'openDocument', annotator: 0, face });
    assert.deepEqual(parsed, { type: 'openDocument', annotator: 0, face: { frameIndex: 12, trackId: 2 } });
    assert.notEqual(parsed?.type === 'openDocument' ? parsed.face : undefined, face, 'a copy, not the object received');
  });

  test('rejects unknown types, unknown fields, paths and bad numbers', () => {
    const bad: unknown[] = [
      undefined, null, 'ready', ['ready'], {}, { type: 'snapshot' }, { type: 'ready', extra: 1 },
      { type: 'openDocument' }, { type: 'openDocument', annotator: -1 }, { type: 'openDocument', annotator: 1.5 },
      { type: 'openDocument', annotator: '0' }, { type: 'openDocument', annotator: MAX_ANNOTATORS },
      { type: 'openDocument', annotator: Number.NaN }, { type: 'openDocument', annotator: 0, path: '/etc/passwd' },
      { type: 'openDocument', annotator: 0, face: null }, { type: 'openDocument', annotator: 0, face: { frameIndex: 1 } },
      { type: 'openDocument', annotator: 0, face: { frameIndex: 1, trackId: 2, timeSec: 3 } },
      { type: 'openDocument', annotator: 0, face: { frameIndex: -1, trackId: 2 } },
      { type: 'openDocument', annotator: 0, face: [1, 2] },
    ];
    for (const value of bad) assert.equal(parseCompareWebviewMessage(value), undefined, JSON.stringify(value));
  });
});
