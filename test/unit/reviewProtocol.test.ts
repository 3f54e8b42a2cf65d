import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_EXPORT_FORMATS, MAX_FACES_PER_MESSAGE, MAX_FRAME_SIZE, MAX_LABEL_LENGTH, MIN_FRAME_SIZE, parseWebviewMessage } from '../../src/shared/reviewProtocol';

const face = { frameIndex: 4, trackId: 1 };

describe('parseWebviewMessage', () => {
  it('accepts every valid message and returns a copy', () => {
    const faces = [face, { frameIndex: 0, trackId: 2 }];
    const set = { type: 'setLabels', faces, label: 'happy' };
    const parsed = parseWebviewMessage(set);
    assert.deepEqual(parsed, set);
    assert.notEqual(parsed, set);
    assert.notEqual((parsed as { faces: unknown }).faces, faces, 'the face list is copied, not shared');
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'reopenAsText' }), { type: 'reopenAsText' });
    assert.deepEqual(parseWebviewMessage({ type: 'clearLabels', faces: [face] }), { type: 'clearLabels', faces: [face] });
    assert.deepEqual(parseWebviewMessage({ type: 'export' }), { type: 'export' });
    assert.deepEqual(parseWebviewMessage({ type: 'export', formats: ['csv', 'labelstudio'] }), { type: 'export', formats: ['csv', 'labelstudio'] });
  });

  it('rejects values that are not messages', () => {
    for (const value of [undefined, null, 0, 'ready', [], [{ type: 'ready' }], { type: 7 }, { type: 'seek', timeSec: 3 }, { type: 'constructor' }]) {
      assert.equal(parseWebviewMessage(value), undefined, JSON.stringify(value));
    }
  });

  it('rejects unknown fields on any message and on faces', () => {
    assert.equal(parseWebviewMessage({ type: 'ready', extra: 1 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'clearLabels', faces: [face], label: 'happy' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'setLabels', faces: [{ ...face, label: 'x' }], label: 'happy' }), undefined);
  });

  it('rejects bad labels', () => {
    for (const label of [undefined, '', 3, ['happy'], 'x'.repeat(MAX_LABEL_LENGTH + 1)]) {
      assert.equal(parseWebviewMessage({ type: 'setLabels', faces: [face], label }), undefined, String(label));
    }
    assert.ok(parseWebviewMessage({ type: 'setLabels', faces: [face], label: 'x'.repeat(MAX_LABEL_LENGTH) }));
  });

  it('rejects bad face references', () => {
    const bad = [
      undefined,
      [],
      'faces',
      [null],
      [{ frameIndex: 1 }],
      [{ frameIndex: -1, trackId: 1 }],
      [{ frameIndex: 1.5, trackId: 1 }],
      [{ frameIndex: '1', trackId: 1 }],
      [{ frameIndex: 1, trackId: Number.NaN }],
      [{ frameIndex: 2 ** 60, trackId: 1 }],
      [face, { frameIndex: 1, trackId: Infinity }],
    ];
    for (const faces of bad) {
      assert.equal(parseWebviewMessage({ type: 'setLabels', faces, label: 'sad' }), undefined, JSON.stringify(faces));
      assert.equal(parseWebviewMessage({ type: 'clearLabels', faces }), undefined, JSON.stringify(faces));
    }
  });

  it('bounds the size of face lists and format lists', () => {
    const many = Array.from({ length: MAX_FACES_PER_MESSAGE }, (_, i) => ({ frameIndex: i, trackId: 1 }));
    assert.equal((parseWebviewMessage({ type: 'clearLabels', faces: many }) as { faces: unknown[] }).faces.length, MAX_FACES_PER_MESSAGE);
    assert.equal(parseWebviewMessage({ type: 'clearLabels', faces: [...many, face] }), undefined);
    const formats = Array.from({ length: MAX_EXPORT_FORMATS + 1 }, () => 'csv');
    assert.equal(parseWebviewMessage({ type: 'export', formats }), undefined);
    assert.ok(parseWebviewMessage({ type: 'export', formats: formats.slice(1) }));
  });

  it('rejects bad export formats', () => {
    for (const formats of [[], 'csv', [3], ['../../etc'], ['csv json'], ['x'.repeat(33)], [null]]) {
      assert.equal(parseWebviewMessage({ type: 'export', formats }), undefined, JSON.stringify(formats));
    }
  });

  it('accepts the Vosk model command and still requests, and nothing else that runs commands', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'chooseVoskModel' }), { type: 'chooseVoskModel' });
    assert.equal(parseWebviewMessage({ type: 'chooseVoskModel', folder: '/etc' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' }), undefined);
    const still = { type: 'requestFrame', requestId: 3, face, size: 160 };
    assert.deepEqual(parseWebviewMessage(still), still);
    for (const bad of [
      { ...still, size: MIN_FRAME_SIZE - 1 },
      { ...still, size: MAX_FRAME_SIZE + 1 },
      { ...still, size: 100.5 },
      { ...still, requestId: -1 },
      { ...still, face: { ...face, path: '/etc/passwd' } },
      { ...still, face: [face] },
      { ...still, extra: true },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
